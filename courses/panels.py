from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import Panel


class EnrolmentCountsPanel(Panel):
    """Read-only figures on the course edit page: enrolled, in progress and
    completed learners, all translations of the course together."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "courses/admin/enrolment_counts_panel.html"

        def get_context_data(self, parent_context=None):
            from .selectors import course_enrolment_counts

            context = super().get_context_data(parent_context)
            page = self.instance
            context["counts"] = (
                course_enrolment_counts(course_key=page.translation_key)
                if page and page.pk
                else None
            )
            context["help"] = _(
                "All languages of this course together. Figures are updated as "
                "learners work."
            )
            return context

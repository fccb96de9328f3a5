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


def _has_relation_panel(panels, relation) -> bool:
    for panel in panels:
        if getattr(panel, "relation_name", None) == relation:
            return True
        if _has_relation_panel(getattr(panel, "children", []), relation):
            return True
    return False


def add_course_tab(*, panel, heading, position=2) -> bool:
    """Add an inline ``panel`` from a higher app (the certificate rule, the
    course's surveys) to the course page editor as a tab of its own, or to its
    content panels when it has no tabs. Once: calling again changes nothing.
    Returns whether the course page exists."""
    from django.apps import apps
    from wagtail.admin.panels import ObjectList

    try:
        CoursePage = apps.get_model("courses", "CoursePage")
    except LookupError:
        return False
    relation = panel.relation_name
    handler = CoursePage.__dict__.get("edit_handler")
    if handler is not None:
        if not _has_relation_panel(handler.children, relation):
            # Before Promote and Settings, after the course's own tabs.
            handler.children.insert(
                min(position, len(handler.children)),
                ObjectList([panel], heading=heading),
            )
        return True
    panels = list(getattr(CoursePage, "content_panels", []))
    if not _has_relation_panel(panels, relation):
        CoursePage.content_panels = [*panels, panel]
    return True


class ReadinessPanel(Panel):
    """On the course's editor: what stops the course from being published
    (``courses.readiness``), each with a link to the page to fix."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "courses/admin/readiness_panel.html"

        def get_context_data(self, parent_context=None):
            from .readiness import course_problems

            context = super().get_context_data(parent_context)
            page = self.instance
            context["problems"] = course_problems(page) if page and page.pk else []
            context["checked"] = bool(page and page.pk)
            return context

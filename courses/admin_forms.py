from django import forms
from django.utils.translation import gettext as _
from wagtail.admin.forms import WagtailAdminPageForm


class CoursePageForm(WagtailAdminPageForm):
    """The course editor's form: publishing is refused, with every reason,
    while the readiness check finds something to fix."""

    def clean(self):
        from .readiness import course_problems

        data = super().clean()
        if "action-publish" in self.data and self.instance.pk:
            problems = course_problems(self.instance)
            if problems:
                raise forms.ValidationError(
                    [_("The course cannot be published yet.")]
                    + [
                        f"{problem.page_title}: {problem.message}"
                        for problem in problems
                    ]
                )
        return data

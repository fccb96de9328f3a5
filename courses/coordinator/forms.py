from django import forms
from django.utils.translation import gettext_lazy as _

from courses.models import CoursePage


class CourseChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.title} ({obj.locale.language_code})"


def bulk_file_field():
    """The file field of every bulk-enrolment upload (the course's and a
    session's)."""
    return forms.FileField(
        label=_("Spreadsheet (CSV or XLSX)"),
        help_text=_(
            "First row: e-mail, full name, country, organisation, position. "
            "Country as a two-letter code (RS, AL, KZ, ...). At most 5,000 rows "
            "and 2 MB."
        ),
    )


class BulkUploadForm(forms.Form):
    course = CourseChoiceField(
        label=_("Course"),
        queryset=CoursePage.objects.none(),
        help_text=_("Learners are enrolled in all languages of the course."),
    )
    file = bulk_file_field()

    def __init__(self, *args, courses=None, **kwargs):
        super().__init__(*args, **kwargs)
        if courses is not None:
            self.fields["course"].queryset = courses

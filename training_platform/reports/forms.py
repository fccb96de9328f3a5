from datetime import date
from uuid import UUID

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from courses.models import CoursePage, EnrolmentStatus, Project
from training_platform.accounts.models import (
    Organisation,
    OrganisationType,
    Sex,
    SubRegion,
)
from training_platform.accounts.selectors import countries_visible_to

from .selectors import ReportFilters, course_titles

ANY = [("", _("All"))]


class QuickSelect(forms.Select):
    """A select whose options are written in Python: the organisation list
    runs to hundreds of options, which the template-rendered widget takes
    tens of milliseconds to write."""

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        chosen = {str(v) for v in self.format_value(value)}
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (key, mark_safe(" selected") if key in chosen else "", label)
                for key, label in ((str(k), lbl) for k, lbl in self.choices)
            ),
        )
        return format_html(
            '<select name="{}"{}>{}</select>', name, flatatt(attrs), options
        )


class CountryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.localized_name


class PeriodForm(forms.Form):
    """A form with a ``date_from`` / ``date_to`` period whose start must not
    be after its end."""

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError(
                _("The start of the period must not be after its end.")
            )
        return data


class ReportFilterForm(PeriodForm):
    """The dashboard's filters, read from the URL so that a view can be
    bookmarked and shared. Choices are limited to the viewer's scope: a
    country or organisation outside it is refused as an invalid choice."""

    country = CountryChoiceField(
        label=_("Country"), queryset=None, required=False, to_field_name="code"
    )
    sub_region = forms.ChoiceField(
        label=_("Sub-region"), choices=ANY + SubRegion.choices, required=False
    )
    course = forms.TypedChoiceField(label=_("Course"), required=False, empty_value="")
    project = forms.ModelChoiceField(
        label=_("Project"),
        queryset=Project.objects.order_by("code"),
        required=False,
        to_field_name="code",
        empty_label=_("All"),
    )
    organisation_kind = forms.ChoiceField(
        label=_("Type of organisation"),
        choices=ANY + OrganisationType.choices,
        required=False,
    )
    organisation = forms.TypedChoiceField(
        label=_("Organisation"), coerce=int, required=False, empty_value=None
    )
    sex = forms.ChoiceField(label=_("Sex"), choices=ANY + Sex.choices, required=False)
    date_from = forms.DateField(
        label=_("Enrolled from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = forms.DateField(
        label=_("Enrolled until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    status = forms.ChoiceField(
        label=_("Enrolment status"),
        choices=ANY + EnrolmentStatus.choices,
        required=False,
    )

    def __init__(self, data=None, *, viewer, **kwargs):
        super().__init__(data, **kwargs)
        for field in self.fields.values():
            if type(field.widget) is forms.Select:
                field.widget = QuickSelect(choices=field.widget.choices)
                field.widget.choices = field.choices
        countries = countries_visible_to(viewer)
        self.fields["country"].queryset = countries
        self.fields["country"].empty_label = _("All")
        # Ids and names only: a country may have hundreds of organisations.
        self.fields["organisation"].choices = ANY + [
            (str(pk), name)
            for pk, name in Organisation.objects.filter(country__in=countries)
            .order_by("name", "pk")
            .values_list("pk", "name")
        ]
        keys = (
            CoursePage.objects.live()
            .order_by()
            .values_list("translation_key", flat=True)
            .distinct()
        )
        titles = course_titles(keys)
        self.fields["course"].choices = ANY + sorted(
            ((str(key), title) for key, title in titles.items()),
            key=lambda choice: choice[1].casefold(),
        )

    def filters(self) -> ReportFilters:
        """The filters that are valid; a refused value filters by nothing
        (and the viewer's scope applies regardless)."""
        data = {}
        if self.is_bound:
            self.is_valid()
            data = self.cleaned_data
        course = data.get("course") or None
        return ReportFilters(
            country=data.get("country"),
            sub_region=data.get("sub_region", ""),
            course_key=UUID(course) if course else None,
            organisation_kind=data.get("organisation_kind", ""),
            organisation=data.get("organisation"),
            sex=data.get("sex", ""),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            status=data.get("status", ""),
            project=data.get("project"),
        )

    def described(self) -> list[tuple[str, str]]:
        """The filters in force as (label, value) pairs, for the top of an
        export and of an e-mail."""
        if not self.is_bound:
            return []
        self.is_valid()
        pairs = []
        for name, field in self.fields.items():
            value = self.cleaned_data.get(name)
            if value in (None, ""):
                continue
            if isinstance(field, forms.ModelChoiceField):
                shown = field.label_from_instance(value)
            elif hasattr(field, "choices"):
                shown = dict(field.choices).get(str(value), value)
            else:
                shown = value.isoformat() if hasattr(value, "isoformat") else value
            pairs.append((str(field.label), str(shown)))
        return pairs


def parse_month(value: str) -> date | None:
    """The first day of a month given as YYYY-MM (a drill-down parameter),
    or None for anything else."""
    try:
        year, month = (int(part) for part in value.split("-"))
        return date(year, month, 1)
    except (TypeError, ValueError):
        return None


class ProjectReportForm(PeriodForm):
    """The project report's choices: a project and a period (the project's
    dates up to today when left empty)."""

    project = forms.ModelChoiceField(
        label=_("Project"),
        queryset=Project.objects.order_by("code"),
        to_field_name="code",
        empty_label=_("Choose a project"),
    )
    date_from = forms.DateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = forms.DateField(
        label=_("Until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class ImpactFilterForm(PeriodForm):
    """The impact section's filters: a course with surveys, a country of the
    viewer's, the period of answering and the breakdown of the answers."""

    course = forms.TypedChoiceField(label=_("Course"), required=False, empty_value="")
    country = CountryChoiceField(
        label=_("Country"), queryset=None, required=False, to_field_name="code"
    )
    date_from = forms.DateField(
        label=_("Answered from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = forms.DateField(
        label=_("Answered until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    by = forms.ChoiceField(label=_("Answers by"), required=False)

    def __init__(self, data=None, *, viewer, **kwargs):
        from surveys.models import CourseSurveys

        from .impact import DIMENSIONS

        super().__init__(data, **kwargs)
        self.fields["country"].queryset = countries_visible_to(viewer)
        self.fields["country"].empty_label = _("All")
        keys = (
            CourseSurveys.objects.order_by()
            .values_list("course__translation_key", flat=True)
            .distinct()
        )
        self.fields["course"].choices = ANY + sorted(
            ((str(key), title) for key, title in course_titles(keys).items()),
            key=lambda choice: choice[1].casefold(),
        )
        self.fields["by"].choices = DIMENSIONS

    def filters(self):
        from .impact import ImpactFilters

        data = {}
        if self.is_bound:
            self.is_valid()
            data = self.cleaned_data
        course = data.get("course") or None
        return ImpactFilters(
            course_key=UUID(course) if course else None,
            country=data.get("country"),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            by=data.get("by") or "country",
        )

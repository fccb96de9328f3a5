"""The results of one course in the admin (issue 16): its enrolments,
progress per learner and item, assessment attempts and H5P results, with
filters and CSV/XLSX downloads. For the course's team and administrators;
the learners shown go through the one scoping function."""

from datetime import datetime

from django import forms
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils import formats, timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from courses.models import CoursePage, EnrolmentStatus
from courses.permissions import can_edit_course
from training_platform import spreadsheets
from training_platform.accounts.models import Country

from .workbench import RESULT_VIEWS, course_enrolments, results_table

PER_PAGE = 50


class ResultsFilterForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Name or e-mail"), required=False)
    status = forms.ChoiceField(label=gettext_lazy("Status"), required=False)
    country = forms.ModelChoiceField(
        label=gettext_lazy("Country"), queryset=Country.objects.none(), required=False
    )

    def __init__(self, *args, countries, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("All"))] + list(EnrolmentStatus.choices)
        self.fields["country"].queryset = countries
        self.fields["country"].empty_label = _("All")


def _shown(cell):
    """A cell on the page: moments in the short local form (the files keep
    them as dates)."""
    if isinstance(cell, datetime):
        return formats.date_format(timezone.localtime(cell), "SHORT_DATETIME_FORMAT")
    return cell


def _view_labels():
    return {
        "enrolments": _("Enrolments"),
        "progress": _("Progress per item"),
        "attempts": _("Assessment attempts"),
        "activities": _("H5P results"),
    }


def course_results(request, page_id):
    course = get_object_or_404(CoursePage, pk=page_id)
    if not can_edit_course(request.user, course):
        raise PermissionDenied
    view = request.GET.get("view")
    if view not in RESULT_VIEWS:
        view = RESULT_VIEWS[0]
    everyone = course_enrolments(request.user, course)
    countries = Country.objects.filter(
        pk__in=everyone.values("user__country")
    ).order_by("name")
    form = ResultsFilterForm(request.GET or None, countries=countries)
    filters = form.cleaned_data if form.is_valid() else {}
    enrolments = course_enrolments(
        request.user,
        course,
        status=filters.get("status") or None,
        country=filters.get("country"),
        search=(filters.get("q") or "").strip(),
    )
    if form.is_bound and not form.is_valid():
        # A filter that cannot be read shows its error and nobody, not all.
        enrolments = enrolments.none()
    if view == "attempts":
        # Attempts belong to the person: listed once, with their current round.
        enrolments = enrolments.filter(is_current=True)
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        headers, rows = results_table(view, course, enrolments)
        return spreadsheets.download(
            [headers, *rows],
            fmt=fmt,
            filename=f"{slugify(course.slug)}-{view}",
            title=_view_labels()[view],
        )
    page = Paginator(enrolments, PER_PAGE).get_page(request.GET.get("p"))
    headers, rows = results_table(view, course, page.object_list)
    rows = [[_shown(cell) for cell in row] for row in rows]
    query = request.GET.copy()
    query.pop("p", None)
    query.pop("format", None)
    views = []
    for key, label in _view_labels().items():
        link = query.copy()
        link["view"] = key
        views.append((key, label, link.urlencode()))
    query["view"] = view
    return TemplateResponse(
        request,
        "reports/workbench/course_results.html",
        {
            "course": course,
            "form": form,
            "view": view,
            "views": views,
            "headers": headers,
            "rows": rows,
            "page": page,
            "query": query,
            "page_title": _("Results"),
        },
    )

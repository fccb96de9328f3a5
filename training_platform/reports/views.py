"""The coordinator dashboard, the learners behind a figure and a learner's
record. Views hold no rules: figures come from ``selectors`` and every read
is limited to the viewer's countries there."""

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from training_platform.accounts import roles
from training_platform.accounts.decorators import (
    coordinator_required,
    report_viewer_required,
)
from training_platform.accounts.forms import EraseOnRequestForm
from training_platform.accounts.selectors import (
    countries_visible_to,
)

from . import charts, selectors, services, suppression
from .forms import ReportFilterForm, parse_month

CHART_LIMIT = 12
# Rows of a breakdown table shown before "show all" (the exports have all).
TABLE_LIMIT = 25


def _query(request, *drop, **extra) -> str:
    """The current query string without ``drop``, with ``extra``."""
    params = request.GET.copy()
    for name in (*drop, "page"):
        params.pop(name, None)
    for name, value in extra.items():
        params[name] = value
    return params.urlencode()


@coordinator_required
def dashboard(request):
    form = ReportFilterForm(request.GET or None, viewer=request.user)
    filters = form.filters()
    services.report_refresh_if_stale()
    report = selectors.report_for(request.user, filters)
    suppress = request.GET.get("suppress") == "1"
    limit = suppression.threshold()
    if suppress:
        report = suppression.suppress_report(report, limit)
    sections = []
    expanded = request.GET.get("all", "")
    for name, heading, _field in selectors.SECTIONS:
        rows = shown = report.breakdowns[name]
        table = shown if expanded == name else shown[:TABLE_LIMIT]
        sections.append(
            {
                "name": name,
                "heading": heading,
                "rows": table,
                "total": len(rows),
                "hidden": len(rows) - len(table),
                "show_all": _query(request, "all", all=name),
                "chart": charts.bars(shown[:CHART_LIMIT]),
                "more": max(0, len(rows) - CHART_LIMIT),
                # The learners behind a cell: this page's filters, the row's
                # value for this breakdown, and the figure.
                "drill": f"{reverse('reports:learners')}?"
                + _query(request, name, "metric", "suppress", "all"),
            }
        )
    months = report.months
    from .impact import ImpactFilters, exact_numbers_allowed, levels_summary

    impact_headline, impact_rows = levels_summary(
        request.user,
        ImpactFilters(course_key=filters.course_key, country=filters.country),
        suppress=not exact_numbers_allowed(request.user, not suppress),
    )
    return render(
        request,
        "reports/dashboard.html",
        {
            "form": form,
            "countries": countries_visible_to(request.user),
            "report": report,
            "headline": report.headline,
            "sections": sections,
            "months": months,
            "months_chart": charts.columns(months),
            "impact_rows": impact_rows,
            "impact_headline": impact_headline,
            "suppress": suppress,
            "threshold": limit,
            "query": _query(request),
            "query_without_suppress": _query(request, "suppress"),
            "is_administrator": roles.is_administrator(request.user),
            "refresh_minutes": settings.REPORTS_REFRESH_MINUTES,
        },
    )


@coordinator_required
def learner_list(request):
    form = ReportFilterForm(request.GET or None, viewer=request.user)
    metric = request.GET.get("metric", "")
    enrolled_month = parse_month(request.GET.get("enrolled_month", ""))
    completed_month = parse_month(request.GET.get("completed_month", ""))
    facts = selectors.facts_behind(
        request.user,
        form.filters(),
        metric=metric,
        enrolled_month=enrolled_month,
        completed_month=completed_month,
    )
    page = Paginator(facts, 50).get_page(request.GET.get("page"))
    titles = selectors.course_titles({fact.course_key for fact in page})
    for fact in page:
        fact.course_title = titles.get(fact.course_key, _("Course removed"))
    return render(
        request,
        "reports/learners.html",
        {
            "form": form,
            "page": page,
            "metric_label": selectors.METRIC_LABELS.get(metric, ""),
            "enrolled_month": enrolled_month,
            "completed_month": completed_month,
            "query": _query(request),
            "back_query": _query(
                request, "metric", "enrolled_month", "completed_month"
            ),
        },
    )


@coordinator_required
def learner_record(request, pk):
    # The same 404 for a learner who does not exist and one outside the
    # viewer's countries: nobody learns who is registered elsewhere.
    record = selectors.learner_record(request.user, pk)
    if record is None:
        raise Http404
    return _learner_page(request, record, EraseOnRequestForm(learner=record.learner))


def _learner_page(request, record, erase_form, status=200):
    return render(
        request,
        "reports/learner.html",
        {
            "learner": record.learner,
            "enrolments": record.enrolments,
            "attempts": record.attempts,
            "certificates": record.certificates,
            "erase_form": erase_form,
        },
        status=status,
    )


@require_POST
@coordinator_required
def learner_erase(request, pk):
    """Erase a learner's account on their request (data protection), for a
    coordinator of their country or an administrator."""
    from training_platform.accounts import personal_data

    record = selectors.learner_record(request.user, pk)
    if record is None or record.learner.erased_at is not None:
        raise Http404
    form = EraseOnRequestForm(request.POST, learner=record.learner)
    if not form.is_valid():
        return _learner_page(request, record, form, status=400)
    personal_data.account_erase(
        user=record.learner,
        by=request.user,
        revoke_certificates=form.cleaned_data["revoke_certificates"],
        reason="Revoked at the holder's request",
    )
    messages.success(request, _("The learner's account has been erased."))
    return redirect("reports:learners")


@require_POST
@coordinator_required
def refresh(request):
    """Rebuild the figures now rather than wait for the next refresh."""
    outcome = services.report_refresh_request(by=request.user)
    if outcome == "refreshed":
        messages.success(request, _("The figures have been refreshed."))
    elif outcome == "requested":
        messages.success(
            request,
            _("The figures are being refreshed. Reload the page in a minute."),
        )
    elif outcome == "too_soon":
        messages.info(
            request,
            _(
                "The figures were refreshed less than a minute ago. Please try "
                "again in a minute."
            ),
        )
    else:
        messages.error(request, _("You may not refresh the figures."))
    return redirect(f"{request.path.rsplit('refresh/', 1)[0]}?{_query(request)}")


@report_viewer_required
def impact(request):
    """Did the training change practice: satisfaction, knowledge gain and
    reported use on the job, from the surveys (see ``impact``)."""
    from . import impact as impact_report
    from .forms import ImpactFilterForm

    form = ImpactFilterForm(request.GET or None, viewer=request.user)
    suppress = not impact_report.exact_numbers_allowed(
        request.user, request.GET.get("suppress") == "0"
    )
    report = impact_report.impact_report(
        request.user, form.filters(), suppress=suppress
    )
    return render(
        request,
        "reports/impact.html",
        {
            "form": form,
            "report": report,
            "suppress": suppress,
            "may_unsuppress": roles.is_administrator(request.user),
            "limit": suppression.threshold(),
            "query": _query(request),
            "unsuppressed_query": _query(request, "suppress", suppress="0"),
            "suppressed_query": _query(request, "suppress"),
        },
    )

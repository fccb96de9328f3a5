"""Exports of the report tables and learner lists, and summary e-mails.
Views hold no rules: tables come from ``exports`` (through the selectors,
which apply the viewer's scope) and writes from ``services``."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from training_platform.accounts import roles
from training_platform.accounts.decorators import (
    coordinator_required,
    report_viewer_required,
)
from training_platform.audit import services as audit
from training_platform.audit.models import AuditAction

from . import exports, project_report, services
from .forms import ProjectReportForm
from .models import ExportStatus, ReportExport

REFRESH_SECONDS = 5


@coordinator_required
def export(request, table, fmt):
    if table not in exports.TABLES or fmt not in exports.FORMATS:
        raise Http404
    query = request.GET
    if table == "learners":
        # A long list is built by a worker, not in the request.
        _form, facts = exports.learner_facts(request.user, query)
        if facts.count() > settings.REPORTS_ASYNC_EXPORT_ROWS:
            job = services.export_request(
                viewer=request.user,
                table=table,
                fmt=fmt,
                params=exports.params_of(query),
                language=translation.get_language() or settings.LANGUAGE_CODE,
            )
            return redirect("reports:export_status", pk=job.pk)
    return exports.response(exports.table_for(request.user, table, query), fmt)


def _own_export(request, pk) -> ReportExport:
    # Someone else's export is not found, whoever asks (nobody learns which
    # exports exist).
    return get_object_or_404(ReportExport, pk=pk, requested_by=request.user)


def _expired(job: ReportExport) -> bool:
    return job.expires_at is not None and job.expires_at <= timezone.now()


def export_state(job: ReportExport | None) -> dict:
    """What a status page says of ``job``: expired, waiting, ready or
    failed (at most one of them true)."""
    expired = job is not None and _expired(job)
    status = None if job is None or expired else job.status
    return {
        "expired": expired,
        "waiting": status in (ExportStatus.PENDING, ExportStatus.RUNNING),
        "ready": status == ExportStatus.READY,
        "failed": status == ExportStatus.FAILED,
    }


def _back_url(job: ReportExport) -> str:
    if job.table == "personal_data":
        return reverse("accounts:data")
    name = "reports:learners" if job.table == "learners" else "reports:dashboard"
    query = exports.query_dict(job.params).urlencode()
    return f"{reverse(name)}?{query}" if query else reverse(name)


@coordinator_required
def export_status(request, pk):
    job = _own_export(request, pk)
    return render(
        request,
        "reports/exports/status.html",
        {
            "export": job,
            **export_state(job),
            "refresh_seconds": REFRESH_SECONDS,
            "filename": _filename(job),
            "back_url": _back_url(job),
        },
    )


def _filename(job: ReportExport) -> str:
    if job.file:
        return job.file.name.rsplit("/", 1)[-1]
    return exports.filename(job.table, job.format, timezone.localdate(job.created_at))


def _gone(request, job):
    return render(
        request,
        "reports/exports/gone.html",
        {"export": job, "back_url": _back_url(job)},
        status=410,
    )


@coordinator_required
def export_download(request, pk):
    return serve_export(request, _own_export(request, pk))


def serve_export(request, job: ReportExport):
    """The file of ``job`` (which the caller found for its owner), or a page
    saying it is gone; recorded in the audit log."""
    if _expired(job):
        return _gone(request, job)
    if job.status != ExportStatus.READY or not job.file:
        if job.table == "personal_data":
            return redirect(_back_url(job))
        return redirect("reports:export_status", pk=job.pk)
    try:
        handle = job.file.open("rb")
    except FileNotFoundError:
        return _gone(request, job)
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=_filename(job),
        content_type=exports.content_type(job.format),
    )
    response["Cache-Control"] = "private, no-store"
    audit.record(
        AuditAction.EXPORT_DOWNLOADED,
        obj=job,
        label=_filename(job),
        details={"table": job.table, "format": job.format},
    )
    return response


@require_POST
@coordinator_required
def summary_send(request):
    query = request.GET.copy()
    query.pop("page", None)
    sent = services.summary_request(
        viewer=request.user,
        query=query.urlencode(),
        language=translation.get_language() or settings.LANGUAGE_CODE,
    )
    if sent:
        messages.success(
            request,
            _("The summary is on its way to %(email)s.")
            % {"email": request.user.email},
        )
    else:
        messages.warning(
            request,
            _(
                "A summary was sent to you less than a minute ago. Please wait a "
                "minute before asking for another."
            ),
        )
    url = reverse("reports:dashboard")
    return redirect(f"{url}?{query.urlencode()}" if query else url)


@coordinator_required
def project_report_view(request):
    """The project report for a donor: a printable page, or the XLSX file
    with one sheet per table (``?format=xlsx``). Suppression is on unless
    ``suppress=0``."""
    form = ProjectReportForm(request.GET or None)
    report = None
    suppress = request.GET.get("suppress", "1") != "0"
    if form.is_bound and form.is_valid():
        project = form.cleaned_data["project"]
        start, end = project_report.period_of(project)
        start = form.cleaned_data.get("date_from") or start
        end = form.cleaned_data.get("date_to") or end
        if start > end:
            start = end
        services.report_refresh_if_stale()
        report = project_report.project_report(
            request.user,
            project=project,
            date_from=start,
            date_to=end,
            suppress=suppress,
        )
        if request.GET.get("format") == "xlsx":
            return exports.project_report_response(report)
    params = request.GET.copy()
    params.pop("format", None)
    return render(
        request,
        "reports/project_report.html",
        {
            "form": form,
            "report": report,
            "suppress": suppress,
            "xlsx_query": f"{params.urlencode()}&format=xlsx",
            "exact_query": _with(params, suppress="0"),
            "suppressed_query": _with(params, suppress="1"),
        },
    )


def _with(params, **values) -> str:
    params = params.copy()
    for name, value in values.items():
        params[name] = value
    return params.urlencode()


@report_viewer_required
def impact_export(request, kind):
    """The impact section as an XLSX (``kind`` "report": its tables, small
    counts suppressed unless asked otherwise) or the anonymised responses
    (``kind`` "responses")."""
    from . import impact
    from .forms import ImpactFilterForm

    if kind not in ("report", "responses"):
        raise Http404
    filters = ImpactFilterForm(request.GET or None, viewer=request.user).filters()
    today = timezone.localdate()
    if kind == "responses":
        # One row per person's answers: for administrators only.
        if not roles.is_administrator(request.user):
            raise PermissionDenied
        return exports.sheets_response(
            impact.response_rows(request.user, filters),
            f"survey-responses-{today:%Y-%m-%d}.xlsx",
        )
    suppress = not impact.exact_numbers_allowed(
        request.user, request.GET.get("suppress") == "0"
    )
    report = impact.impact_report(request.user, filters, suppress=suppress)
    return exports.sheets_response(
        impact.report_sheets(report), f"impact-{today:%Y-%m-%d}.xlsx"
    )

"""Coordinator pages under /coordinator/enrolments/: the approval queue,
enrolments of the coordinator's learners (with withdrawal) and bulk enrolment.
Every query goes through the accounts scoping function; MFA is enforced for
these paths by middleware."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from training_platform import spreadsheets
from training_platform.accounts.decorators import coordinator_required

from .. import bulk, selectors, services
from ..models import BulkEnrolment, EnrolmentStatus
from .forms import BulkUploadForm

PAGE_SIZE = 50


def _courses():
    return selectors.courses_visible().select_related("locale").order_by("title", "id")


def _scoped_enrolment(request, pk):
    enrolment = (
        selectors.enrolments_visible_to(request.user)
        .select_related("user")
        .filter(pk=pk)
        .first()
    )
    if enrolment is None:
        raise Http404
    return enrolment


@coordinator_required
def enrolment_list(request):
    enrolments = (
        selectors.enrolments_visible_to(request.user)
        .select_related("user", "user__country", "course")
        .order_by("-enrolled_at")
    )
    course_key = request.GET.get("course", "")
    status = request.GET.get("status", "")
    if course_key:
        enrolments = enrolments.filter(course_key__in=_keys(course_key))
    if status in EnrolmentStatus.values:
        enrolments = enrolments.filter(status=status)
    page_obj = Paginator(enrolments, PAGE_SIZE).get_page(request.GET.get("page"))
    courses = {}
    for course in _courses():
        courses.setdefault(str(course.translation_key), course)
    return render(
        request,
        "courses/coordinator/enrolments.html",
        {
            "pending": selectors.pending_enrolments_for(request.user)[:200],
            "page_obj": page_obj,
            "courses": courses.items(),
            "statuses": EnrolmentStatus.choices,
            "selected_course": course_key,
            "selected_status": status,
        },
    )


def _keys(value):
    import uuid

    try:
        return [uuid.UUID(value)]
    except ValueError:
        return []


def _next(request):
    from django.urls import reverse

    from training_platform.views import safe_next

    return safe_next(
        request,
        request.POST.get("next"),
        default=reverse("courses_coordinator:enrolments"),
    )


@coordinator_required
@require_POST
def enrolment_approve(request, pk):
    enrolment = _scoped_enrolment(request, pk)
    services.enrolment_approve(enrolment=enrolment, by=request.user)
    messages.success(
        request, _("Approved: %(name)s.") % {"name": enrolment.user.full_name}
    )
    return redirect(_next(request))


@coordinator_required
@require_POST
def enrolment_refuse(request, pk):
    enrolment = _scoped_enrolment(request, pk)
    services.enrolment_refuse(enrolment=enrolment, by=request.user)
    messages.success(
        request, _("Refused: %(name)s.") % {"name": enrolment.user.full_name}
    )
    return redirect(_next(request))


@coordinator_required
@require_POST
def enrolment_withdraw(request, pk):
    enrolment = _scoped_enrolment(request, pk)
    try:
        services.enrolment_withdraw(enrolment=enrolment, by=request.user)
    except services.EnrolmentError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("%(name)s has been withdrawn from the course.")
            % {"name": enrolment.user.full_name},
        )
    return redirect(_next(request))


# ---------------------------------------------------------------- bulk


@coordinator_required
def bulk_upload(request):
    form = BulkUploadForm(
        request.POST or None, request.FILES or None, courses=_courses()
    )
    if request.method == "POST" and form.is_valid():
        try:
            batch = services.bulk_enrolment_upload(
                course=form.cleaned_data["course"],
                by=request.user,
                uploaded_file=form.cleaned_data["file"],
            )
        except bulk.BulkFileError as error:
            form.add_error("file", error.message)
        else:
            return redirect("courses_coordinator:bulk_preview", pk=batch.pk)
    return render(request, "courses/coordinator/bulk_upload.html", {"form": form})


def _own_batch(request, pk):
    return get_object_or_404(BulkEnrolment, pk=pk, created_by=request.user)


@coordinator_required
def bulk_preview(request, pk):
    batch = _own_batch(request, pk)
    course = batch.course.specific
    if request.method == "POST" and batch.status == "preview":
        if request.POST.get("action") == "discard":
            services.bulk_enrolment_discard(batch=batch)
            messages.info(request, _("The file was discarded; nothing was changed."))
            return redirect("courses_coordinator:bulk_upload")
        try:
            batch = services.bulk_enrolment_apply(batch=batch, by=request.user)
        except services.BulkEnrolmentInvalid:
            messages.error(
                request,
                _("The file has errors now; nothing was changed. See the rows below."),
            )
        except services.EnrolmentError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _(
                    "Done: %(created)s new accounts invited, %(enrolled)s existing "
                    "learners enrolled."
                )
                % batch.result,
            )
            return redirect("courses_coordinator:bulk_preview", pk=batch.pk)
    check = bulk.check_rows(rows=batch.rows, course=course, by=request.user)
    step = bulk.step_for(batch)
    return render(
        request,
        "courses/coordinator/bulk_preview.html",
        {
            "batch": batch,
            "course": course,
            "check": check,
            "then": step.describe(batch) if step is not None else [],
            "counts": {
                "create": check.count("create"),
                "enrol": check.count("enrol"),
                "already": check.count("already"),
                "skip": check.count("skip"),
                "errors": check.error_count,
            },
        },
    )


REPORT_COLUMNS = (
    ("line", "Row"),
    ("email", "E-mail"),
    ("full_name", "Full name"),
    ("country", "Country"),
    ("organisation", "Organisation"),
    ("position", "Position"),
    ("action", "Result"),
    ("errors", "Errors"),
    ("warnings", "Notes"),
)


def _report_rows(request, batch):
    check = bulk.check_rows(rows=batch.rows, course=batch.course, by=request.user)
    headers = [_(label) for _key, label in REPORT_COLUMNS]
    rows = []
    for row in check.rows:
        data = row.as_dict()
        rows.append(
            [
                "; ".join(str(v) for v in data[key])
                if isinstance(data[key], list)
                else data[key]
                for key, _label in REPORT_COLUMNS
            ]
        )
    return headers, rows


@coordinator_required
def bulk_report_csv(request, pk):
    batch = _own_batch(request, pk)
    headers, rows = _report_rows(request, batch)
    return spreadsheets.download(
        [headers, *rows], fmt="csv", filename=f"enrolment-report-{batch.pk}"
    )


@coordinator_required
def bulk_report_xlsx(request, pk):
    batch = _own_batch(request, pk)
    headers, rows = _report_rows(request, batch)
    # Text is always a string cell: "=..." stays text, never a formula (F01).
    return spreadsheets.download(
        [headers, *rows], fmt="xlsx", filename=f"enrolment-report-{batch.pk}"
    )

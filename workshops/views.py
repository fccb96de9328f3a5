"""Views of sessions: the learner's page (register, cancel, check in, the
calendar feed) and the staff's attendance register, walk-ins and QR code.
Rules live in services and selectors."""

import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import (
    Http404,
    HttpResponse,
    HttpResponseNotAllowed,
    HttpResponseRedirect,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from courses import bulk
from training_platform.accounts import roles
from training_platform.accounts.decorators import coordinator_required

from . import checkin, ics, integration, selectors, services
from .forms import (
    PAPER_HEADERS,
    PAPER_KINDS,
    AttendanceForm,
    BulkRegisterForm,
    PaperUploadForm,
    WalkInForm,
    paper_file_values,
    paper_grid_changes,
    score_text,
)
from .models import AttendanceStatus, CalendarFeed, SessionDate, SessionPage


def _is_preview(request) -> bool:
    return bool(getattr(request, "is_preview", False))


# ---------------------------------------------------------------- learner


def session_serve_guard(request, session):
    """Sessions are for enrolled learners (and the course's editors), as
    lessons are. Returns a response to send instead, or None."""
    if _is_preview(request):
        return None
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    access = integration.item_access(user=request.user, page=session, request=request)
    session._access = access
    if access.allowed:
        return None
    messages.info(request, _("Enrol in the course to open its sessions."))
    course = access.course
    return HttpResponseRedirect(course.url if course is not None else "/")


def session_context(request, session) -> dict:
    from courses import selectors as course_selectors

    access = getattr(session, "_access", None)
    course = access.course if access else integration.course_for(session)
    enrolment = access.enrolment if access else None
    user = request.user
    preview = _is_preview(request)
    view = selectors.session_view(session=session, user=user, preview=preview)
    outline = None
    if course is not None:
        outline = course_selectors.course_outline(
            course=course, user=user, current_page=session, enrolment=enrolment
        )
    previous, following = outline.neighbours(session) if outline else (None, None)
    base = session.url or ""
    context = {
        "course": course,
        "outline": outline,
        "previous_page": previous,
        "next_page": following,
        "view": view,
        "materials": [] if preview else selectors.session_content(session)["materials"],
        "enrolled": enrolment is not None and enrolment.is_open,
        "show_link": view.registered and bool(session.meeting_link),
        "register_url": base + session.reverse_subpage("register") if base else "",
        "cancel_url": base + session.reverse_subpage("cancel") if base else "",
        "is_preview": _is_preview(request),
        "keeps_register": not preview
        and roles.is_staff_member(user)
        and selectors.may_keep_register(user, session),
    }
    context["registers_in_bulk"] = context["keeps_register"] and (
        roles.is_coordinator(user) or roles.is_administrator(user)
    )
    return context


def _date_from_post(request, session):
    raw = request.POST.get("date", "")
    if not raw.isdigit():
        return None
    return session.dates.filter(pk=int(raw)).first()


def session_register(request, session):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not request.user.is_authenticated:
        return redirect_to_login(session.url)
    try:
        rows = services.registration_create(
            user=request.user, session=session, date=_date_from_post(request, session)
        )
    except services.RegistrationError as error:
        messages.error(request, error.message)
        return HttpResponseRedirect(session.url)
    if any(r.status == "waiting" for r in rows):
        messages.info(
            request,
            _(
                "The session is full: you are on the waiting list. We will write "
                "to you when a place is free."
            ),
        )
    else:
        messages.success(
            request,
            _("You are registered. The invitation is on its way to your e-mail."),
        )
    return HttpResponseRedirect(session.url)


def session_cancel(request, session):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not request.user.is_authenticated:
        return redirect_to_login(session.url)
    date = None if session.every_date_required else _date_from_post(request, session)
    try:
        done = services.session_cancel(
            user=request.user, session=session, by=request.user, date=date
        )
    except services.RegistrationError as error:
        messages.error(request, error.message)
        return HttpResponseRedirect(session.url)
    if done:
        messages.success(request, _("Your registration is cancelled."))
    return HttpResponseRedirect(session.url)


def _date_or_404(pk) -> SessionDate:
    return get_object_or_404(SessionDate.objects.select_related("page"), pk=pk)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def check_in(request, date_id):
    """The page the room's QR code opens: one button records the learner's
    presence (GET shows it, so a scan never records anything by itself)."""
    date = _date_or_404(date_id)
    token = (request.POST.get("t") or request.GET.get("t") or "")[:200]
    error = None
    if request.method == "POST":
        try:
            services.check_in(date=date, user=request.user, token=token)
        except services.RegistrationError as refusal:
            error = refusal.message
        else:
            messages.success(request, _("Welcome! Your attendance is recorded."))
            return redirect(date.page.url or "/")
    return render(
        request,
        "workshops/check_in.html",
        {"date": date, "session": date.page, "token": token, "error": error},
        status=400 if error else 200,
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def calendar_settings(request):
    """The learner's personal calendar address; a new one revokes the old."""
    feed = CalendarFeed.objects.filter(user=request.user).first()
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "revoke":
            CalendarFeed.objects.filter(user=request.user).delete()
            messages.success(request, _("The calendar address no longer works."))
        else:
            token = secrets.token_urlsafe(32)
            CalendarFeed.objects.update_or_create(
                user=request.user, defaults={"token": token}
            )
            messages.success(request, _("Your calendar address is ready."))
        return redirect("workshops:calendar")
    url = (
        request.build_absolute_uri(reverse("workshops:feed", args=[feed.token]))
        if feed
        else ""
    )
    return render(request, "workshops/calendar.html", {"feed": feed, "feed_url": url})


def calendar_feed(request, token):
    """Read by calendar apps without a session: the token is the key."""
    feed = selectors.feed_for_token(token)
    if feed is None or not feed.user.is_active:
        raise Http404
    body = ics.feed(
        selectors.learner_registrations(feed.user), name=_("My training sessions")
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    return response


# ---------------------------------------------------------------- staff


def _register_date_or_403(request, date_id):
    date = _date_or_404(date_id)
    if not selectors.may_keep_register(request.user, date.page):
        raise PermissionDenied
    return date


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def attendance_register(request, date_id):
    """One small form per participant: each tap saves that row alone, with or
    without JavaScript."""
    date = _register_date_or_403(request, date_id)
    if request.method == "POST":
        form = AttendanceForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose present, late, excused or absent."))
            return redirect("workshops:register", date_id=date.pk)
        from training_platform.accounts.models import User

        learner = User.objects.filter(pk=form.cleaned_data["user"]).first()
        if learner is None:
            raise Http404
        try:
            services.attendance_mark(
                date=date,
                user=learner,
                status=form.cleaned_data["status"],
                by=request.user,
            )
        except services.RegistrationError as error:
            messages.error(request, error.message)
        return HttpResponseRedirect(
            reverse("workshops:register", args=[date.pk]) + f"#row-{learner.pk}"
        )
    rows = selectors.register_rows(viewer=request.user, date=date)
    marked = sum(1 for r in rows if r.attendance)
    return render(
        request,
        "workshops/register.html",
        {
            "date": date,
            "session": date.page,
            "rows": rows,
            "marked": marked,
            "statuses": AttendanceStatus.choices,
        },
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def walk_in(request, date_id):
    date = _register_date_or_403(request, date_id)
    form = WalkInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user, _attendance = services.walk_in_add(date=date, by=request.user, **data)
        except PermissionDenied:
            form.add_error(None, _("You may add participants of your countries only."))
        except services.RegistrationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("%(name)s is added and marked present.") % {"name": user.full_name},
            )
            return redirect("workshops:register", date_id=date.pk)
    return render(
        request,
        "workshops/walk_in.html",
        {"date": date, "session": date.page, "form": form},
    )


@login_required
@never_cache
def qr_code(request, date_id):
    """The code shown in the room, renewed every minute."""
    date = _register_date_or_403(request, date_id)
    url = request.build_absolute_uri(
        reverse("workshops:check_in", args=[date.pk]) + "?t=" + checkin.make_token(date)
    )
    return render(
        request,
        "workshops/qr.html",
        {
            "date": date,
            "session": date.page,
            "svg": checkin.qr_svg(url),
            "url": url,
            "window_open": checkin.window_open(date),
            "refresh": checkin.REFRESH_SECONDS,
        },
    )


# ---------------------------------------------------------------- paper tests


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def paper_results(request, session_id):
    """Pre- and post-test scores collected on paper, for the participants the
    viewer may see: typed into the grid, or filled in from a spreadsheet and
    then saved. Only the scores changed in the form are written, so two
    people entering different rows do not undo each other."""
    from assessments import services as assessment_services

    session = get_object_or_404(SessionPage, pk=session_id)
    if not selectors.may_keep_register(request.user, session):
        raise PermissionDenied
    course = integration.course_for(session)
    if course is None:
        raise Http404
    rows = selectors.paper_rows(viewer=request.user, session=session)
    values, row_errors, file_errors, invalid = {}, {}, [], set()
    upload = PaperUploadForm()
    if request.method == "POST" and request.POST.get("action") == "upload":
        upload = PaperUploadForm(request.POST, request.FILES)
        if upload.is_valid():
            try:
                file_rows = bulk.read_rows(
                    upload.cleaned_data["file"],
                    headers=PAPER_HEADERS,
                    header_message=_(
                        "The first row must name the columns: e-mail, pre-test, "
                        "post-test."
                    ),
                )
            except bulk.BulkFileError as error:
                upload.add_error("file", error.message)
            else:
                values, file_errors = paper_file_values(file_rows, rows)
                messages.info(
                    request,
                    _(
                        "The file's scores are in the grid below, not saved yet: "
                        "check them and press Save."
                    ),
                )
    elif request.method == "POST":
        scores, values, invalid, row_errors = paper_grid_changes(request.POST, rows)
        if not row_errors:
            changed = assessment_services.paper_results_save(
                course_key=course.translation_key,
                session_key=session.translation_key,
                scores=scores,
                by=request.user,
            )
            messages.success(
                request,
                ngettext("%(count)s score saved.", "%(count)s scores saved.", changed)
                % {"count": changed},
            )
            return redirect("workshops:paper_results", session_id=session.pk)
        messages.error(request, _("Nothing was saved: correct the rows marked below."))
    grid = [
        {
            "row": row,
            "error": row_errors.get(row.user.pk),
            "fields": [
                {
                    "key": key,
                    "label": label,
                    "saved": saved,
                    "was": score_text(saved),
                    "invalid": (row.user.pk, key) in invalid,
                    "value": values.get((row.user.pk, kind), score_text(saved)),
                }
                for (kind, key), label, saved in (
                    (PAPER_KINDS[0], _("Pre-test"), row.pre),
                    (PAPER_KINDS[1], _("Post-test"), row.post),
                )
            ],
        }
        for row in rows
    ]
    return render(
        request,
        "workshops/paper_results.html",
        {
            "session": session,
            "course": course,
            "grid": grid,
            "upload": upload,
            "file_errors": file_errors,
        },
    )


# ---------------------------------------------------------------- bulk


@coordinator_required
@never_cache
@require_http_methods(["GET", "POST"])
def bulk_register(request, session_id):
    """Upload the course's bulk-enrolment file for a session: the preview and
    the all-or-nothing application are the bulk enrolment's, which then
    registers the learners for the session (``workshops.bulk``)."""
    from courses import services as course_services

    from . import bulk as session_bulk

    session = get_object_or_404(SessionPage, pk=session_id)
    course = integration.course_for(session)
    if course is None:
        raise Http404
    form = BulkRegisterForm(
        request.POST or None, request.FILES or None, session=session
    )
    if not form.dates:
        messages.error(request, _("Every date of this session has passed."))
    elif request.method == "POST" and form.is_valid():
        try:
            batch = course_services.bulk_enrolment_upload(
                course=course,
                by=request.user,
                uploaded_file=form.cleaned_data["file"],
                extra=session_bulk.extra_for(
                    session,
                    None if session.every_date_required else form.chosen_date(),
                ),
            )
        except bulk.BulkFileError as error:
            form.add_error("file", error.message)
        else:
            return redirect("courses_coordinator:bulk_preview", pk=batch.pk)
    return render(
        request,
        "workshops/bulk_register.html",
        {"session": session, "course": course, "form": form},
    )

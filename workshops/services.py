"""Writes about registrations and attendance.

Places on a date are counted and taken while the date's row is locked
(``select_for_update``), so concurrent registrations for the last place queue
up: one gets it, the others join the waiting list in the order they arrived.
A freed place goes to the first learner waiting, in the same transaction.
Unique constraints back every "exactly once" (one active registration per
learner and date, one attendance row per learner and date)."""

import logging
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from training_platform.accounts import roles

from . import integration, selectors
from .models import (
    ATTENDED,
    Attendance,
    AttendanceMethod,
    AttendanceStatus,
    Registration,
    RegistrationSource,
    RegistrationStatus,
    SessionDate,
    SessionPage,
)

logger = logging.getLogger("workshops")


class RegistrationError(Exception):
    """A registration, cancellation or check-in the rules refuse. ``code`` is
    stable, ``message`` is for people."""

    def __init__(self, code: str, message):
        super().__init__(str(message))
        self.code = code
        self.message = message


def _notify(registration, reason):
    from .notifications import registration_notify

    registration_notify(registration, reason=reason)


def _lock_dates(dates) -> list[SessionDate]:
    """Lock the dates' rows in a fixed order (no deadlock between two
    learners registering for several dates). On SQLite the IMMEDIATE
    transaction mode already serialises writers."""
    return list(
        SessionDate.objects.select_for_update()
        .filter(pk__in=[d.pk for d in dates])
        .select_related("page")
        .order_by("pk")
    )


def seats_taken(date) -> int:
    return Registration.objects.filter(
        date=date, status=RegistrationStatus.REGISTERED
    ).count()


def _has_seat(date, session) -> bool:
    return session.capacity is None or seats_taken(date) < session.capacity


def _check_self_service(*, user, session, dates, now):
    if not session.live:
        raise RegistrationError("not_live", _("This session is not published."))
    if not integration.is_enrolled(user, session):
        raise RegistrationError(
            "not_enrolled", _("Enrol in the course to register for its sessions.")
        )
    if session.registration_deadline and now >= session.registration_deadline:
        raise RegistrationError(
            "closed", _("Registration for this session has closed.")
        )
    if any(d.starts_at <= now for d in dates):
        raise RegistrationError(
            "started", _("This date has already started: registration is closed.")
        )


def _dates_to_register(session, date):
    dates = list(session.dates.all().order_by("starts_at", "pk"))
    if not dates:
        raise RegistrationError("no_dates", _("This session has no dates yet."))
    if session.every_date_required:
        return dates
    if date is None:
        raise RegistrationError("choose_date", _("Choose one of the dates."))
    chosen = [d for d in dates if d.pk == getattr(date, "pk", date)]
    if not chosen:
        raise RegistrationError(
            "wrong_date", _("This date is not one of the session's.")
        )
    return chosen


def registration_create(
    *, user, session, date=None, by=None, source=RegistrationSource.SELF
) -> list[Registration]:
    """Register ``user`` for the session: for every date when each is part of
    it, else for ``date``. A full date puts the learner on its waiting list.
    Staff (``by``) may register learners they manage, after the deadline too;
    walk-ins are in the room and take a place beyond the limit. Repeating the
    call returns the existing registrations."""
    session = session.specific if not isinstance(session, SessionPage) else session
    source = RegistrationSource(source)
    now = timezone.now()
    dates = _dates_to_register(session, date)
    if by is None or by.pk == user.pk:
        _check_self_service(user=user, session=session, dates=dates, now=now)
        by = None
        source = RegistrationSource.SELF
    elif not selectors.may_manage(by, session, user):
        raise PermissionDenied
    results = []
    with transaction.atomic():
        locked = _lock_dates(dates)
        if not session.every_date_required and source == RegistrationSource.SELF:
            other = (
                Registration.objects.filter(
                    user=user,
                    session=session,
                    status__in=[
                        RegistrationStatus.REGISTERED,
                        RegistrationStatus.WAITING,
                    ],
                )
                .exclude(date__in=locked)
                .exists()
            )
            if other:
                raise RegistrationError(
                    "other_date",
                    _("You are registered for another date. Cancel it first."),
                )
        for current in locked:
            existing = Registration.objects.filter(
                user=user,
                date=current,
                status__in=[RegistrationStatus.REGISTERED, RegistrationStatus.WAITING],
            ).first()
            if existing is not None:
                results.append(existing)
                continue
            seat = source == RegistrationSource.WALK_IN or _has_seat(current, session)
            try:
                with transaction.atomic():
                    registration = Registration.objects.create(
                        date=current,
                        session=session,
                        user=user,
                        status=RegistrationStatus.REGISTERED
                        if seat
                        else RegistrationStatus.WAITING,
                        queued_at=None if seat else timezone.now(),
                        source=source,
                        registered_by=by,
                    )
            except IntegrityError:
                results.append(
                    Registration.objects.get(
                        user=user,
                        date=current,
                        status__in=[
                            RegistrationStatus.REGISTERED,
                            RegistrationStatus.WAITING,
                        ],
                    )
                )
                continue
            logger.info(
                "registration %s date=%s user=%s status=%s",
                registration.pk,
                current.pk,
                user.pk,
                registration.status,
            )
            _notify(registration, registration.status)
            results.append(registration)
    return results


def _promote(date, session) -> list[Registration]:
    """Give free places to the learners waiting longest."""
    promoted = []
    while _has_seat(date, session):
        first = (
            Registration.objects.filter(date=date, status=RegistrationStatus.WAITING)
            .order_by("queued_at", "pk")
            .first()
        )
        if first is None:
            break
        first.status = RegistrationStatus.REGISTERED
        first.save(update_fields=["status"])
        logger.info("registration %s promoted from the waiting list", first.pk)
        _notify(first, "promoted")
        promoted.append(first)
    return promoted


def registration_cancel(*, registration, by) -> Registration:
    """Cancel one registration: by the learner until the session's cut-off
    (a place on the waiting list any time), by staff any time. The freed
    place goes to the first learner waiting. Repeating it is a no-op."""
    session = registration.session
    is_self = by.pk == registration.user_id
    if not is_self and not selectors.may_manage(by, session, registration.user):
        raise PermissionDenied
    with transaction.atomic():
        locked = _lock_dates([registration.date]) if registration.date_id else []
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if not registration.is_active:
            return registration
        if (
            is_self
            and locked
            and not registration.cancellable_online(
                date=locked[0], session=session, now=timezone.now()
            )
        ):
            raise RegistrationError(
                "cut_off",
                _(
                    "It is too late to cancel online. Tell the trainer or your "
                    "coordinator that you cannot come."
                ),
            )
        was_waiting = registration.status == RegistrationStatus.WAITING
        registration.status = RegistrationStatus.CANCELLED
        registration.cancelled_at = timezone.now()
        registration.sequence += 1
        registration.save(update_fields=["status", "cancelled_at", "sequence"])
        _notify(
            registration,
            "left_waiting_list" if was_waiting else RegistrationStatus.CANCELLED,
        )
        if locked:
            _promote(locked[0], session)
    return registration


def session_cancel(*, user, session, by, date=None) -> list[Registration]:
    """Cancel the learner's registrations for the session (for one date when
    the dates are alternatives and ``date`` is given)."""
    rows = Registration.objects.filter(
        user=user,
        session=session,
        status__in=[RegistrationStatus.REGISTERED, RegistrationStatus.WAITING],
    ).select_related("date", "session")
    if date is not None:
        rows = rows.filter(date=date)
    done = []
    with transaction.atomic():
        for registration in rows.order_by("date_id"):
            done.append(registration_cancel(registration=registration, by=by))
    return done


def capacity_changed(*, session) -> None:
    """More places: learners waiting move up."""
    with transaction.atomic():
        for date in _lock_dates(list(session.dates.all())):
            _promote(date, session)


def date_changed(*, date) -> None:
    """The time of a date changed: every learner on it receives the updated
    invitation (a higher calendar revision)."""
    rows = Registration.objects.filter(
        date=date,
        status__in=[RegistrationStatus.REGISTERED, RegistrationStatus.WAITING],
    )
    for registration in rows:
        registration.sequence += 1
        registration.save(update_fields=["sequence"])
        if registration.status == RegistrationStatus.REGISTERED:
            _notify(registration, "updated")


def date_removed(*, date) -> None:
    """A date was deleted from its session: registrations on it are cancelled
    and the learners receive the calendar cancellation."""
    rows = Registration.objects.filter(
        date=date,
        status__in=[RegistrationStatus.REGISTERED, RegistrationStatus.WAITING],
    )
    now = timezone.now()
    for registration in rows:
        registration.status = RegistrationStatus.CANCELLED
        registration.cancelled_at = now
        registration.sequence += 1
        registration.save(update_fields=["status", "cancelled_at", "sequence"])
        _notify(registration, RegistrationStatus.CANCELLED)


# ---------------------------------------------------------------- attendance


def attendance_percent(*, user, session) -> Decimal:
    """Share of the session's hours the learner attended (present or late).
    All dates count when each is part of the session; otherwise the dates the
    learner registered for (or attended)."""
    dates = list(session.dates.all())
    if not dates:
        return Decimal(0)
    attended = set(
        Attendance.objects.filter(
            date__in=dates, user=user, status__in=ATTENDED
        ).values_list("date_id", flat=True)
    )
    if session.every_date_required:
        counted = dates
    else:
        registered = set(
            Registration.objects.filter(
                date__in=dates, user=user, status=RegistrationStatus.REGISTERED
            ).values_list("date_id", flat=True)
        )
        counted = [d for d in dates if d.pk in registered | attended]
        if not counted:
            return Decimal(0)
        # One of the alternatives attended in full is the whole session.
        if attended:
            counted = [d for d in counted if d.pk in attended][:1]
    total = sum((d.hours for d in counted), Decimal(0))
    if not total:
        return Decimal(0)
    done = sum((d.hours for d in counted if d.pk in attended), Decimal(0))
    return (done * 100 / total).quantize(Decimal("0.01"))


def completion_evaluate(*, user, session):
    """Apply the attendance rule: when it holds the session item is completed
    (and with it, perhaps, the course, exactly once). Completion never goes
    back, as for lessons and assessments."""
    percent = attendance_percent(user=user, session=session)
    if percent >= session.attendance_min_percent:
        return integration.item_complete(user=user, page=session)
    return None


def attendance_mark(*, date, user, status, by) -> Attendance:
    """Record one participant's attendance on one date (the register's row)."""
    status = AttendanceStatus(status)
    session = date.page
    if not selectors.may_manage(by, session, user):
        raise PermissionDenied
    if not selectors.is_participant(date=date, user=user):
        raise RegistrationError(
            "not_registered", _("This person is not registered for this date.")
        )
    with transaction.atomic():
        try:
            with transaction.atomic():
                row, created = Attendance.objects.select_for_update().get_or_create(
                    date=date,
                    user=user,
                    defaults={
                        "status": status,
                        "method": AttendanceMethod.REGISTER,
                        "recorded_by": by,
                    },
                )
        except IntegrityError:
            row, created = (
                Attendance.objects.select_for_update().get(date=date, user=user),
                False,
            )
        if not created and row.status != status:
            row.status = status
            row.method = AttendanceMethod.REGISTER
            row.recorded_by = by
            row.recorded_at = timezone.now()
            row.save(update_fields=["status", "method", "recorded_by", "recorded_at"])
        completion_evaluate(user=user, session=session)
    return row


def check_in(*, date, user, token, now=None) -> Attendance:
    """Self check-in with the QR code shown in the room: the code must be
    genuine, fresh and for this date, the date must be on now, and each
    learner checks in once."""
    from . import checkin

    now = now or timezone.now()
    if not checkin.token_valid(token, date=date, now=now):
        raise RegistrationError(
            "bad_code",
            _("This code is not valid here or has expired. Scan the code shown now."),
        )
    if not checkin.window_open(date, now=now):
        raise RegistrationError(
            "outside_window", _("Check-in is open only while the session is on.")
        )
    session = date.page
    registered = Registration.objects.filter(
        date=date, user=user, status=RegistrationStatus.REGISTERED
    ).exists()
    if not registered:
        raise RegistrationError(
            "not_registered",
            _("You are not registered for this date. Ask the trainer to add you."),
        )
    with transaction.atomic():
        try:
            with transaction.atomic():
                row = Attendance.objects.create(
                    date=date,
                    user=user,
                    status=AttendanceStatus.PRESENT,
                    method=AttendanceMethod.CHECK_IN,
                    recorded_by=user,
                    recorded_at=now,
                )
        except IntegrityError as error:
            raise RegistrationError(
                "already", _("Your attendance for this date is already recorded.")
            ) from error
        completion_evaluate(user=user, session=session)
    logger.info("check-in date=%s user=%s", date.pk, user.pk)
    return row


def walk_in_add(
    *,
    date,
    by,
    email,
    full_name,
    country,
    organisation="",
    position="",
    sex="undisclosed",
    status=AttendanceStatus.PRESENT,
):
    """A participant in the room who had not registered: found by e-mail or
    given a new account (no usable password; the invitation e-mail lets them
    claim it and keep their attendance), enrolled in the course, registered
    for the date beyond its places and marked present."""
    from types import SimpleNamespace

    from training_platform.accounts.models import User
    from training_platform.accounts.selectors import can_see_learner

    session = date.page
    if not selectors.may_keep_register(by, session):
        raise PermissionDenied
    email = User.objects.normalize_email(email).strip().lower()
    with transaction.atomic():
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            if (
                roles.is_coordinator(by)
                and not roles.is_administrator(by)
                and (not selectors.is_session_trainer(by, session))
                and not by.coordinated_countries.filter(pk=country.pk).exists()
            ):
                raise PermissionDenied
            row = SimpleNamespace(
                email=email,
                full_name=full_name.strip(),
                country_id=country.pk,
                organisation_id=None,
                organisation=(organisation or "").strip(),
                position=(position or "").strip(),
            )
            user = integration.learner_create_invited(row=row, page=session, by=by)
            user.sex = sex
            user.save(update_fields=["sex"])
        elif not (
            selectors.is_session_trainer(by, session)
            or roles.is_administrator(by)
            or can_see_learner(by, user)
        ):
            raise PermissionDenied
        integration.enrol_walk_in(user=user, page=session, by=by)
        _walk_in_register(user=user, session=session, date=date, by=by)
        attendance = attendance_mark(date=date, user=user, status=status, by=by)
    return user, attendance


def _walk_in_register(*, user, session, date, by):
    """A walk-in is registered for the day they came, beyond the places (they
    are in the room); on a multi-day session they are added each day."""
    locked = _lock_dates([date])[0]
    existing = Registration.objects.filter(
        user=user,
        date=locked,
        status__in=[RegistrationStatus.REGISTERED, RegistrationStatus.WAITING],
    ).first()
    if existing is not None:
        if existing.status == RegistrationStatus.WAITING:
            existing.status = RegistrationStatus.REGISTERED
            existing.save(update_fields=["status"])
        return [existing]
    return [
        Registration.objects.create(
            date=locked,
            session=session,
            user=user,
            status=RegistrationStatus.REGISTERED,
            source=RegistrationSource.WALK_IN,
            registered_by=by,
        )
    ]

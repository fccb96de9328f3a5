"""Reads about sessions, registrations and attendance."""

from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone

from training_platform import content_cache
from training_platform.accounts import roles
from training_platform.accounts.selectors import (
    can_see_learner,
    scope_to_visible_learners,
)

from .models import (
    Attendance,
    CalendarFeed,
    Registration,
    RegistrationStatus,
    SessionDate,
)

ACTIVE = (RegistrationStatus.REGISTERED, RegistrationStatus.WAITING)


def is_session_trainer(user, session) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    from .models import SessionPage

    memo = session.__dict__.setdefault("_trainer_ids", {})
    if user.pk not in memo:
        memo[user.pk] = SessionPage.trainers.through.objects.filter(
            sessionpage_id=session.pk, user_id=user.pk
        ).exists()
    return memo[user.pk]


def may_keep_register(user, session) -> bool:
    """Who opens a date's attendance register: the session's trainers,
    trainers who may edit the page, coordinators (for learners of their
    countries) and administrators."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if roles.is_administrator(user) or roles.is_coordinator(user):
        return True
    if is_session_trainer(user, session):
        return True
    return roles.is_trainer(user) and session.permissions_for_user(user).can_edit()


def may_manage(by, session, learner) -> bool:
    """Whether ``by`` may register, cancel or mark ``learner`` on the session:
    trainers and administrators for anybody, coordinators only for learners of
    their countries (the one scoping function decides)."""
    if not may_keep_register(by, session):
        return False
    if roles.is_administrator(by) or is_session_trainer(by, session):
        return True
    return can_see_learner(by, learner)


def registrations_visible_to(viewer, session, queryset=None):
    """Registrations of the session that ``viewer`` may see on its register:
    all of them for its trainers, through the scoping function otherwise."""
    queryset = (
        queryset
        if queryset is not None
        else Registration.objects.filter(session=session)
    )
    if not may_keep_register(viewer, session):
        return queryset.none()
    if is_session_trainer(viewer, session) or roles.is_administrator(viewer):
        return queryset
    return scope_to_visible_learners(viewer, queryset)


def is_participant(*, date, user) -> bool:
    return Registration.objects.filter(
        date=date, user=user, status=RegistrationStatus.REGISTERED
    ).exists()


@dataclass
class RegisterRow:
    registration: Registration
    attendance: Attendance | None

    @property
    def status(self):
        return self.attendance.status if self.attendance else ""


def register_rows(*, viewer, date) -> list[RegisterRow]:
    """The date's participants the viewer may see, by name, with their
    attendance (three queries whatever the number of participants)."""
    registrations = list(
        registrations_visible_to(
            viewer,
            date.page,
            Registration.objects.filter(
                date=date, status=RegistrationStatus.REGISTERED
            ),
        )
        .select_related("user", "user__country", "user__organisation")
        .order_by("user__full_name", "user__email")
    )
    marks = {
        a.user_id: a
        for a in Attendance.objects.filter(
            date=date, user_id__in=[r.user_id for r in registrations]
        )
    }
    return [RegisterRow(r, marks.get(r.user_id)) for r in registrations]


@dataclass
class DateView:
    date: SessionDate
    seats_taken: int
    registration: Registration | None = None
    waiting_position: int | None = None
    attendance: Attendance | None = None
    seats_left: int | None = None
    over: bool = False
    can_cancel: bool = False  # Registration.cancellable_online


@dataclass
class SessionView:
    dates: list = field(default_factory=list)
    registered: bool = False
    waiting: bool = False
    can_cancel: bool = False

    @property
    def any_active(self) -> bool:
        return self.registered or self.waiting


def session_content(session) -> dict:
    """The session's dates and materials, the same for every learner: kept
    in the cache until a page changes (publishing saves the dates)."""

    def build():
        return {
            "dates": list(session.dates.all().order_by("starts_at", "pk")),
            "materials": [
                {"title": m.document.title, "url": m.document.url}
                for m in session.materials.select_related("document")
            ],
        }

    if not session.pk:
        return build()
    return content_cache.cached(content_cache.content_key("session", session.pk), build)


def session_view(*, session, user, preview=False) -> SessionView:
    """The session's dates with places taken and the learner's registration,
    waiting-list position and attendance (four queries)."""
    now = timezone.now()
    dates = (
        list(session.dates.all().order_by("starts_at", "pk"))
        if preview
        else session_content(session)["dates"]
    )
    ids = [d.pk for d in dates]
    taken = dict(
        Registration.objects.filter(
            date_id__in=ids, status=RegistrationStatus.REGISTERED
        )
        .values_list("date_id")
        .annotate(n=Count("id"))
    )
    mine, marks, positions = {}, {}, {}
    if getattr(user, "is_authenticated", False) and ids:
        mine = {
            r.date_id: r
            for r in Registration.objects.filter(
                date_id__in=ids, user=user, status__in=ACTIVE
            )
        }
        marks = {
            a.date_id: a for a in Attendance.objects.filter(date_id__in=ids, user=user)
        }
        waiting = [r for r in mine.values() if r.status == RegistrationStatus.WAITING]
        if waiting:
            ahead = Q()
            for r in waiting:
                ahead |= Q(date_id=r.date_id) & (
                    Q(queued_at__lt=r.queued_at) | Q(queued_at=r.queued_at, pk__lt=r.pk)
                )
            counts = dict(
                Registration.objects.filter(status=RegistrationStatus.WAITING)
                .filter(ahead)
                .values_list("date_id")
                .annotate(n=Count("id"))
            )
            positions = {r.date_id: counts.get(r.date_id, 0) + 1 for r in waiting}
    view = SessionView()
    for date in dates:
        registration = mine.get(date.pk)
        seats = taken.get(date.pk, 0)
        view.dates.append(
            DateView(
                date=date,
                seats_taken=seats,
                registration=registration,
                waiting_position=positions.get(date.pk),
                attendance=marks.get(date.pk),
                seats_left=None
                if session.capacity is None
                else max(0, session.capacity - seats),
                over=date.ends_at <= now,
                can_cancel=registration is not None
                and registration.cancellable_online(
                    date=date, session=session, now=now
                ),
            )
        )
        if registration is not None:
            if registration.status == RegistrationStatus.REGISTERED:
                view.registered = True
            else:
                view.waiting = True
    active = [d for d in view.dates if d.registration is not None]
    view.can_cancel = bool(active) and all(d.can_cancel for d in active)
    return view


def waiting_position(registration) -> int | None:
    if registration.status != RegistrationStatus.WAITING:
        return None
    return (
        Registration.objects.filter(
            date_id=registration.date_id, status=RegistrationStatus.WAITING
        )
        .filter(
            Q(queued_at__lt=registration.queued_at)
            | Q(queued_at=registration.queued_at, pk__lt=registration.pk)
        )
        .count()
        + 1
    )


def learner_registrations(user):
    """The learner's registered dates (for the calendar feed), soonest first."""
    return (
        Registration.objects.filter(
            user=user, status=RegistrationStatus.REGISTERED, date__isnull=False
        )
        .select_related("date", "session", "session__venue_country")
        .order_by("date__starts_at")
    )


def feed_for_token(token):
    if not token:
        return None
    return CalendarFeed.objects.select_related("user").filter(token=token).first()


@dataclass
class PaperRow:
    user: object
    pre: object = None  # the saved PaperResult, if any
    post: object = None


def paper_rows(*, viewer, session) -> list[PaperRow]:
    """The session's participants (registered for any of its dates) that the
    viewer may see, by name, with the paper test scores entered for them
    (three queries whatever their number)."""
    from assessments.models import AssessmentKind, PaperResult

    registrations = (
        registrations_visible_to(
            viewer,
            session,
            Registration.objects.filter(
                session=session, status=RegistrationStatus.REGISTERED
            ),
        )
        .select_related("user", "user__country", "user__organisation")
        .order_by("user__full_name", "user__email", "user_id")
    )
    rows: dict = {}
    for registration in registrations:
        rows.setdefault(registration.user_id, PaperRow(registration.user))
    for result in PaperResult.objects.filter(
        session_key=session.translation_key, user_id__in=list(rows)
    ).select_related("entered_by"):
        row = rows[result.user_id]
        if result.kind == AssessmentKind.PRETEST:
            row.pre = result
        else:
            row.post = result
    return list(rows.values())

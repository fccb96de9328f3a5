"""Workshops and webinars as course items (``SessionPage`` under a module),
their dates, learners' registrations and the attendance register.

A session has one or more dates. When every date is required (a two-day
workshop), a learner registers for all of them at once and the attendance
rule counts the hours of all dates; otherwise the dates are alternatives
(the same webinar offered twice) and the learner registers for one."""

import uuid
import zoneinfo
from datetime import datetime, timedelta
from decimal import Decimal

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
)
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from courses.models import CourseItemMixin
from training_platform.content_cache import CachedViewRestrictionsMixin

TIME_ZONE_CHOICES = [
    (name, name)
    for name in sorted(zoneinfo.available_timezones())
    if "/" in name and not name.startswith(("Etc/", "SystemV/", "posix/", "right/"))
] + [("UTC", "UTC")]


class SessionKind(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online (live)")
    HYBRID = "hybrid", _("Hybrid")


class SessionPage(
    CachedViewRestrictionsMixin, RoutablePageMixin, CourseItemMixin, Page
):
    """A workshop or webinar inside a course module."""

    kind = models.CharField(
        _("kind"),
        max_length=12,
        choices=SessionKind.choices,
        default=SessionKind.IN_PERSON,
    )
    description = RichTextField(
        _("description"),
        blank=True,
        features=["bold", "italic", "ol", "ul", "link"],
        help_text=_("What happens in the session and what to bring."),
    )
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=settings.ALL_LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("The language the session is held in."),
    )
    venue_address = models.CharField(_("venue address"), max_length=255, blank=True)
    venue_city = models.CharField(_("city"), max_length=100, blank=True)
    venue_country = models.ForeignKey(
        "accounts.Country",
        verbose_name=_("country"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    meeting_link = models.URLField(
        _("meeting link"),
        blank=True,
        help_text=_(
            "For online and hybrid sessions; shown to registered learners only."
        ),
    )
    trainers = ParentalManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("trainers"),
        blank=True,
        related_name="sessions_trained",
        help_text=_("They keep the attendance register."),
    )
    project = models.ForeignKey(
        "courses.Project",
        verbose_name=_("project"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sessions",
        help_text=_("The project (and donor) the session is reported under."),
    )
    capacity = models.PositiveIntegerField(
        _("places per date"),
        null=True,
        blank=True,
        help_text=_("Leave empty for no limit. Further learners join a waiting list."),
    )
    every_date_required = models.BooleanField(
        _("every date is part of the session"),
        default=True,
        help_text=_(
            "Ticked: the dates are the days of one session (a two-day workshop); "
            "learners register for all of them and the attendance rule counts "
            "them all. Unticked: the dates are alternatives and learners choose one."
        ),
    )
    registration_deadline = models.DateTimeField(
        _("registration closes"),
        null=True,
        blank=True,
        help_text=_("Leave empty to allow registration until the date starts."),
    )
    cancellation_cutoff_hours = models.PositiveIntegerField(
        _("cancellation possible until (hours before)"),
        default=24,
        validators=[MaxValueValidator(24 * 60)],
    )
    attendance_min_percent = models.PositiveSmallIntegerField(
        # xgettext:no-python-format
        _("attendance needed (% of hours)"),
        default=80,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_(
            "The session counts as completed when the learner was present (or "
            "late) for at least this share of the hours."
        ),
    )

    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("kind"), FieldPanel("language")]),
        FieldPanel("description"),
        InlinePanel("dates", heading=_("Dates"), label=_("Date"), min_num=1),
        MultiFieldPanel(
            [
                FieldPanel("venue_address"),
                FieldRowPanel([FieldPanel("venue_city"), FieldPanel("venue_country")]),
                FieldPanel("meeting_link"),
            ],
            heading=_("Where"),
        ),
        FieldPanel("trainers"),
        FieldPanel("project"),
        InlinePanel("materials", heading=_("Materials"), label=_("Document")),
    ]
    settings_panels = [
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [FieldPanel("capacity"), FieldPanel("every_date_required")]
                ),
                FieldRowPanel(
                    [
                        FieldPanel("registration_deadline"),
                        FieldPanel("cancellation_cutoff_hours"),
                    ]
                ),
                FieldRowPanel(
                    [
                        FieldPanel("attendance_min_percent"),
                        FieldPanel("required_for_completion"),
                    ]
                ),
            ],
            heading=_("Registration and attendance"),
        ),
        *Page.settings_panels,
    ]
    search_fields = [*Page.search_fields, index.SearchField("description")]
    parent_page_types = ["courses.ModulePage"]
    subpage_types: list[str] = []
    template = "workshops/session_page.html"

    class Meta:
        verbose_name = _("session (workshop or webinar)")
        verbose_name_plural = _("sessions (workshops and webinars)")

    def __str__(self):
        return self.title

    @property
    def is_online(self) -> bool:
        return self.kind in (SessionKind.ONLINE, SessionKind.HYBRID)

    @property
    def is_in_person(self) -> bool:
        return self.kind in (SessionKind.IN_PERSON, SessionKind.HYBRID)

    def clean(self):
        super().clean()
        if self.kind == SessionKind.ONLINE and not self.meeting_link:
            raise ValidationError(
                {"meeting_link": _("An online session needs a meeting link.")}
            )
        if self.kind == SessionKind.IN_PERSON and not self.venue_city:
            raise ValidationError(
                {"venue_city": _("An in-person session needs the city of its venue.")}
            )

    def get_context(self, request, *args, **kwargs):
        from .views import session_context

        context = super().get_context(request, *args, **kwargs)
        context.update(session_context(request, self))
        return context

    def serve(self, request, *args, **kwargs):
        from .views import session_serve_guard

        response = session_serve_guard(request, self)
        if response is None:
            response = super().serve(request, *args, **kwargs)
        # Registrations and the meeting link are personal.
        response["Cache-Control"] = "private, no-cache"
        return response

    @path("register/", name="register")
    def register_view(self, request):
        from .views import session_register

        return session_register(request, self)

    @path("cancel/", name="cancel")
    def cancel_view(self, request):
        from .views import session_cancel

        return session_cancel(request, self)


class SessionDate(Orderable):
    """One meeting of a session, in the wall-clock time of its time zone."""

    page = ParentalKey(SessionPage, on_delete=models.CASCADE, related_name="dates")
    day = models.DateField(_("day"))
    start_time = models.TimeField(_("starts"))
    end_time = models.TimeField(_("ends"))
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default="Europe/Tirane",
        help_text=_("The time zone of the venue (or of the trainer, online)."),
    )
    # Derived from the four fields above on save, for queries and the clock.
    starts_at = models.DateTimeField(_("starts at"), editable=False, db_index=True)
    ends_at = models.DateTimeField(_("ends at"), editable=False)
    sequence = models.PositiveIntegerField(
        _("revision"),
        default=0,
        editable=False,
        help_text=_("Raised when the time changes (calendar invitations)."),
    )

    panels = [
        FieldRowPanel(
            [
                FieldPanel("day"),
                FieldPanel("start_time"),
                FieldPanel("end_time"),
                FieldPanel("time_zone", widget=forms.Select(choices=TIME_ZONE_CHOICES)),
            ]
        )
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("date")
        verbose_name_plural = _("dates")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="session_date_ends_after_start",
            )
        ]

    def __str__(self):
        local = self.local_start
        return f"{local:%Y-%m-%d %H:%M} {self.time_zone}" if local else str(self.day)

    @property
    def tz(self):
        return zoneinfo.ZoneInfo(self.time_zone or "UTC")

    @property
    def local_start(self):
        return self.starts_at.astimezone(self.tz) if self.starts_at else None

    @property
    def local_end(self):
        return self.ends_at.astimezone(self.tz) if self.ends_at else None

    @property
    def hours(self) -> Decimal:
        seconds = (self.ends_at - self.starts_at).total_seconds()
        return (Decimal(seconds) / Decimal(3600)).quantize(Decimal("0.01"))

    def _compute_instants(self):
        tz = self.tz
        self.starts_at = datetime.combine(self.day, self.start_time, tzinfo=tz)
        self.ends_at = datetime.combine(self.day, self.end_time, tzinfo=tz)

    def clean(self):
        super().clean()
        if self.time_zone:
            try:
                zoneinfo.ZoneInfo(self.time_zone)
            except (zoneinfo.ZoneInfoNotFoundError, ValueError) as error:
                raise ValidationError(
                    {"time_zone": _("Choose a time zone from the list.")}
                ) from error
        if self.start_time and self.end_time and self.end_time <= self.start_time:
            raise ValidationError({"end_time": _("The date must end after it starts.")})

    def save(self, *args, **kwargs):
        self._compute_instants()
        if self.pk:
            old = (
                SessionDate.objects.filter(pk=self.pk)
                .values("starts_at", "ends_at", "sequence")
                .first()
            )
            if old and (old["starts_at"], old["ends_at"]) != (
                self.starts_at,
                self.ends_at,
            ):
                self.sequence = old["sequence"] + 1
                self._time_changed = True
        super().save(*args, **kwargs)
        if getattr(self, "_time_changed", False):
            self._time_changed = False
            from .services import date_changed

            date_changed(date=self)

    def cancellation_closes_at(self, session=None):
        """Until when a learner may cancel a seat online (``session`` spares
        reading the page when the caller has it)."""
        session = session or self.page
        return self.starts_at - timedelta(hours=session.cancellation_cutoff_hours)

    def is_over(self, now=None) -> bool:
        return (now or timezone.now()) >= self.ends_at


class SessionMaterial(Orderable):
    page = ParentalKey(SessionPage, on_delete=models.CASCADE, related_name="materials")
    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("document"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    panels = [FieldPanel("document")]

    class Meta(Orderable.Meta):
        verbose_name = _("material")
        verbose_name_plural = _("materials")


# ------------------------------------------------------------------ records


class RegistrationStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    WAITING = "waiting", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")


class RegistrationSource(models.TextChoices):
    SELF = "self", _("Self-registration")
    STAFF = "staff", _("Registered by staff")
    WALK_IN = "walk_in", _("Walk-in")


ACTIVE_REGISTRATION = Q(status__in=["registered", "waiting"])


class Registration(models.Model):
    """A learner's place (or place in the queue) on one date of a session."""

    uid = models.UUIDField(_("calendar id"), default=uuid.uuid4, unique=True)
    date = models.ForeignKey(
        SessionDate,
        verbose_name=_("date"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="registrations",
    )
    session = models.ForeignKey(
        SessionPage,
        verbose_name=_("session"),
        on_delete=models.CASCADE,
        related_name="registrations",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("learner"),
        on_delete=models.CASCADE,
        related_name="session_registrations",
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=RegistrationStatus.choices,
        default=RegistrationStatus.REGISTERED,
    )
    source = models.CharField(
        _("source"),
        max_length=12,
        choices=RegistrationSource.choices,
        default=RegistrationSource.SELF,
    )
    created_at = models.DateTimeField(_("registered"), default=timezone.now)
    queued_at = models.DateTimeField(
        _("joined the waiting list"), null=True, blank=True
    )
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    sequence = models.PositiveIntegerField(_("calendar revision"), default=0)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "date"],
                condition=ACTIVE_REGISTRATION,
                name="registration_one_active_per_user_date",
            ),
        ]
        indexes = [models.Index(fields=["date", "status", "queued_at"])]

    def __str__(self):
        return f"{self.user} – {self.date}: {self.status}"

    @property
    def is_active(self) -> bool:
        return self.status in (
            RegistrationStatus.REGISTERED,
            RegistrationStatus.WAITING,
        )

    def cancellable_online(self, *, date, session, now) -> bool:
        """The learner may cancel it themselves: a waiting place any time, a
        seat until the session's cut-off before ``date`` starts."""
        return self.status == RegistrationStatus.WAITING or (
            now < date.cancellation_closes_at(session)
        )


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    LATE = "late", _("Late")
    EXCUSED = "excused", _("Excused")
    ABSENT = "absent", _("Absent")


ATTENDED = (AttendanceStatus.PRESENT, AttendanceStatus.LATE)


class AttendanceMethod(models.TextChoices):
    REGISTER = "register", _("Marked in the register")
    CHECK_IN = "check_in", _("Checked in with the QR code")


class Attendance(models.Model):
    """Whether a learner took part in one date: one row per learner and date."""

    date = models.ForeignKey(
        SessionDate,
        verbose_name=_("date"),
        on_delete=models.CASCADE,
        related_name="attendance",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("learner"),
        on_delete=models.CASCADE,
        related_name="session_attendance",
    )
    status = models.CharField(
        _("attendance"), max_length=10, choices=AttendanceStatus.choices
    )
    method = models.CharField(
        _("recorded"), max_length=10, choices=AttendanceMethod.choices
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(
                fields=["date", "user"], name="attendance_one_per_user_date"
            )
        ]

    def __str__(self):
        return f"{self.user} – {self.date}: {self.status}"


class CalendarFeed(models.Model):
    """A learner's personal calendar address; a new token revokes the old."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("learner"),
        on_delete=models.CASCADE,
        related_name="calendar_feed",
    )
    token = models.CharField(_("token"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self):
        return str(self.user)

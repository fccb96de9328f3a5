"""Certificate templates (snippets for trainers), the issued certificates and
their history.

A certificate stores what it says as issued (learner name, course title, dates,
score, the template's content and version), so later edits to the profile, the
course or the template never change it. Status changes go through
``services``; the database holds the "exactly once" rules.
"""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
)
from wagtail.models import Orderable, PreviewableMixin

from . import codes

PLACEHOLDERS = (
    "learner_name",
    "course_title",
    "completion_date",
    "score",
    "hours",
    "certificate_code",
    "expiry_date",
)

# Placeholders of attendance certificates, frozen from the session at issue.
ATTENDANCE_PLACEHOLDERS = ("session_title", "session_dates", "venue")

DEFAULT_TITLE = "Certificate of completion"
DEFAULT_BODY = (
    "This is to certify that\n{learner_name}\nhas successfully completed the "
    "course\n{course_title}\non {completion_date}."
)
DEFAULT_ATTENDANCE_TITLE = "Certificate of attendance"
DEFAULT_ATTENDANCE_BODY = (
    "This is to certify that\n{learner_name}\nattended\n{session_title}\n"
    "{session_dates}, {venue}\n({hours} hours)."
)


class CertificateKind(models.TextChoices):
    COMPLETION = "completion", _("Completion of a course")
    ATTENDANCE = "attendance", _("Attendance of a session")


class PageSize(models.TextChoices):
    A4 = "A4", _("A4")
    LETTER = "letter", _("US Letter")


class Orientation(models.TextChoices):
    LANDSCAPE = "landscape", _("Landscape")
    PORTRAIT = "portrait", _("Portrait")


colour_validator = RegexValidator(
    r"^#[0-9a-fA-F]{6}$", _("Enter a colour as #RRGGBB, for example #1d4e89.")
)


class CertificateTemplate(PreviewableMixin, ClusterableModel):
    """How a certificate looks. Title and body take placeholders in braces:
    {learner_name}, {course_title}, {completion_date}, {score}, {hours},
    {certificate_code}, {expiry_date}."""

    name = models.CharField(
        _("name"), max_length=120, help_text=_("Shown to trainers only.")
    )
    kind = models.CharField(
        _("kind"),
        max_length=12,
        choices=CertificateKind.choices,
        default=CertificateKind.COMPLETION,
        help_text=_(
            "Completion certificates are issued when a learner completes a course; "
            "attendance certificates when a learner attended a session (workshop "
            "or webinar). Attendance certificates may also use {session_title}, "
            "{session_dates} and {venue}."
        ),
    )
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=settings.ALL_LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("The language of the certificate's text, dates and labels."),
    )
    page_size = models.CharField(
        _("page size"), max_length=10, choices=PageSize.choices, default=PageSize.A4
    )
    orientation = models.CharField(
        _("orientation"),
        max_length=10,
        choices=Orientation.choices,
        default=Orientation.LANDSCAPE,
    )
    background = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("background image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "Fills the whole page. A JPEG renders fastest; it is converted to "
            "JPEG in any case."
        ),
    )
    accent_colour = models.CharField(
        _("accent colour"),
        max_length=7,
        default="#1d4e89",
        validators=[colour_validator],
    )
    title = models.CharField(_("title"), max_length=200, default=DEFAULT_TITLE)
    body = models.TextField(
        _("body"),
        default=DEFAULT_BODY,
        help_text=_(
            "Plain text; line breaks are kept. Placeholders: {learner_name}, "
            "{course_title}, {completion_date}, {score}, {hours}, "
            "{certificate_code}, {expiry_date}."
        ),
    )
    bilingual = models.BooleanField(
        _("bilingual (with English)"),
        default=False,
        help_text=_(
            "Print the English title and text below the text in the "
            "certificate's language."
        ),
    )
    secondary_title = models.CharField(
        _("English title"), max_length=200, blank=True, default=DEFAULT_TITLE
    )
    secondary_body = models.TextField(
        _("English body"), blank=True, default=DEFAULT_BODY
    )
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    panels = [
        FieldPanel("name"),
        FieldPanel("kind"),
        FieldRowPanel(
            [FieldPanel("language"), FieldPanel("page_size"), FieldPanel("orientation")]
        ),
        MultiFieldPanel(
            [FieldPanel("background"), FieldPanel("accent_colour")],
            heading=_("Design"),
        ),
        InlinePanel("logos", heading=_("Logos"), label=_("Logo"), max_num=4),
        MultiFieldPanel([FieldPanel("title"), FieldPanel("body")], heading=_("Text")),
        MultiFieldPanel(
            [
                FieldPanel("bilingual"),
                FieldPanel("secondary_title"),
                FieldPanel("secondary_body"),
            ],
            heading=_("Bilingual layout"),
        ),
        InlinePanel(
            "signatories", heading=_("Signatories"), label=_("Signatory"), max_num=3
        ),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = _("certificate template")
        verbose_name_plural = _("certificate templates")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if self.kind == CertificateKind.ATTENDANCE:
            # A new attendance template starts from attendance wording.
            if self.title == DEFAULT_TITLE:
                self.title = DEFAULT_ATTENDANCE_TITLE
            if self.body == DEFAULT_BODY:
                self.body = DEFAULT_ATTENDANCE_BODY
            if self.secondary_title == DEFAULT_TITLE:
                self.secondary_title = DEFAULT_ATTENDANCE_TITLE
            if self.secondary_body == DEFAULT_BODY:
                self.secondary_body = DEFAULT_ATTENDANCE_BODY
        # Every saved change is a new version; certificates record the version
        # and a copy of the content they were issued with.
        if self.pk:
            self.version = (
                type(self).objects.filter(pk=self.pk).values_list("version", flat=True)
            ).first() or self.version
            self.version += 1
        super().save(*args, **kwargs)

    def snapshot(self) -> dict:
        """The content a certificate is rendered from, frozen at issue."""
        return {
            "template_id": self.pk,
            "kind": self.kind,
            "version": self.version,
            "language": self.language,
            "page_size": self.page_size,
            "orientation": self.orientation,
            "background_id": self.background_id,
            "accent_colour": self.accent_colour,
            "title": self.title,
            "body": self.body,
            "bilingual": self.bilingual,
            "secondary_title": self.secondary_title if self.bilingual else "",
            "secondary_body": self.secondary_body if self.bilingual else "",
            "logo_ids": [logo.image_id for logo in self.logos.all() if logo.image_id],
            "signatories": [
                {
                    "name": signatory.name,
                    "title": signatory.title,
                    "signature_id": signatory.signature_id,
                }
                for signatory in self.signatories.all()
            ],
        }

    # Preview in the admin: a sample certificate with a long Cyrillic name.
    preview_modes = [("", _("Image")), ("pdf", _("PDF"))]

    def serve_preview(self, request, mode_name):
        from .views import template_preview

        return template_preview(request, self, mode_name)


class TemplateLogo(Orderable):
    template = ParentalKey(
        CertificateTemplate, on_delete=models.CASCADE, related_name="logos"
    )
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image"),
        on_delete=models.CASCADE,
        related_name="+",
    )

    panels = [FieldPanel("image")]

    class Meta(Orderable.Meta):
        verbose_name = _("logo")
        verbose_name_plural = _("logos")


class TemplateSignatory(Orderable):
    template = ParentalKey(
        CertificateTemplate, on_delete=models.CASCADE, related_name="signatories"
    )
    name = models.CharField(_("name"), max_length=120)
    title = models.CharField(_("position"), max_length=160, blank=True)
    signature = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("signature image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    panels = [FieldPanel("name"), FieldPanel("title"), FieldPanel("signature")]

    class Meta(Orderable.Meta):
        verbose_name = _("signatory")
        verbose_name_plural = _("signatories")


class CertificateStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    ISSUED = "issued", _("Issued")
    REVOKED = "revoked", _("Revoked")
    SUPERSEDED = "superseded", _("Superseded")
    NOT_ELIGIBLE = "not_eligible", _("Not eligible")


class PdfStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


# The statuses a learner's current certificate for a course can have: at most
# one such row per learner, course and round (and per enrolment).
CURRENT_STATUSES = (CertificateStatus.PENDING, CertificateStatus.ISSUED)


# Unguessable names: the files are served only through views that check who
# is asking (D02), never linked from MEDIA_URL.
def pdf_upload_to(instance, filename):
    return f"certificates/pdf/{uuid.uuid4().hex}.pdf"


def png_upload_to(instance, filename):
    return f"certificates/png/{uuid.uuid4().hex}.png"


class CertificateQuerySet(models.QuerySet):
    def current(self):
        return self.filter(status__in=CURRENT_STATUSES)

    def valid(self, now=None):
        now = now or timezone.now()
        return self.filter(status=CertificateStatus.ISSUED).filter(
            Q(expires_at__isnull=True) | Q(expires_at__gt=now)
        )

    def expired(self, now=None):
        now = now or timezone.now()
        return self.filter(status=CertificateStatus.ISSUED, expires_at__lte=now)


class Certificate(models.Model):
    code = models.CharField(
        _("code"), max_length=codes.LENGTH, unique=True, default=codes.generate
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("learner"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="certificates",
    )
    # For an attendance certificate, the session's key (its translation key):
    # one current certificate per learner and session, by the same constraint.
    course_key = models.UUIDField(_("course key"), db_index=True)
    kind = models.CharField(
        _("kind"),
        max_length=12,
        choices=CertificateKind.choices,
        default=CertificateKind.COMPLETION,
        editable=False,
    )
    # What an attendance certificate says of its session, as issued: title,
    # dates ([start, end] ISO 8601 pairs), venue and hours.
    details = models.JSONField(_("session as issued"), default=dict, blank=True)
    enrolment = models.ForeignKey(
        "courses.Enrolment",
        verbose_name=_("enrolment"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="certificates",
    )
    # The course completion this certificate was issued for (its id): a
    # redelivered completion never issues a second certificate, even after a
    # revocation; a new completion (recertification) may.
    completion_ref = models.BigIntegerField(null=True, blank=True, editable=False)
    # The round of the course it was earned in (the enrolment's round number):
    # taking the course again after expiry is a new round with its own
    # certificate, while the expired one stays on record.
    course_round = models.PositiveSmallIntegerField(
        _("round of the course"), default=1, editable=False
    )
    course = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("course"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    template = models.ForeignKey(
        CertificateTemplate,
        verbose_name=_("template"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="certificates",
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=CertificateStatus.choices,
        default=CertificateStatus.PENDING,
        db_index=True,
    )
    # What the certificate says, as issued.
    learner_name = models.CharField(_("name as issued"), max_length=200, blank=True)
    course_title = models.CharField(
        _("course title as issued"), max_length=255, blank=True
    )
    course_title_secondary = models.CharField(
        _("English course title as issued"), max_length=255, blank=True
    )
    language = models.CharField(_("language"), max_length=10, blank=True)
    score = models.DecimalField(
        _("final score"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    hours = models.DecimalField(
        _("hours"), max_digits=6, decimal_places=1, null=True, blank=True
    )
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    issued_at = models.DateTimeField(_("issued"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    template_version = models.PositiveIntegerField(
        _("template version"), null=True, blank=True
    )
    template_snapshot = models.JSONField(_("template as issued"), default=dict)
    # Lifecycle.
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revocation_reason = models.TextField(_("reason for revocation"), blank=True)
    replaces = models.OneToOneField(
        "self",
        verbose_name=_("replaces"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="replaced_by",
    )
    # Documents.
    pdf = models.FileField(_("PDF"), upload_to=pdf_upload_to, blank=True)
    png = models.FileField(_("image"), upload_to=png_upload_to, blank=True)
    pdf_status = models.CharField(
        _("document status"),
        max_length=10,
        choices=PdfStatus.choices,
        default=PdfStatus.PENDING,
    )
    render_attempts = models.PositiveIntegerField(default=0)
    render_error = models.TextField(blank=True)
    rendered_at = models.DateTimeField(null=True, blank=True)
    # E-mail: claimed before sending so that two deliveries send once.
    email_claimed_at = models.DateTimeField(null=True, blank=True)
    email_sent_at = models.DateTimeField(_("e-mail sent"), null=True, blank=True)
    reminder_claimed_at = models.DateTimeField(null=True, blank=True)
    reminder_sent_at = models.DateTimeField(
        _("expiry reminder sent"), null=True, blank=True
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = CertificateQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_at", "-created_at"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        constraints = [
            models.UniqueConstraint(
                "user",
                "course_key",
                "course_round",
                condition=Q(status__in=CURRENT_STATUSES),
                name="certificate_one_current_per_learner_course_round",
            ),
            models.UniqueConstraint(
                "enrolment",
                condition=Q(status__in=CURRENT_STATUSES),
                name="certificate_one_current_per_enrolment",
            ),
            models.UniqueConstraint(
                "completion_ref",
                condition=Q(completion_ref__isnull=False)
                & ~Q(status=CertificateStatus.SUPERSEDED),
                name="certificate_once_per_completion",
            ),
            models.CheckConstraint(
                condition=Q(code__regex=r"^[0-9A-HJKMNP-TV-Z]{28}$"),
                name="certificate_code_canonical",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "pdf_status"]),
            models.Index(fields=["status", "expires_at"]),
        ]
        permissions = [
            ("revoke_certificate", "Can revoke, reissue and regenerate certificates"),
        ]

    def __str__(self):
        return f"{self.learner_name or '—'} · {self.course_title or '—'}"

    @property
    def display_code(self) -> str:
        return codes.format_code(self.code)

    @property
    def is_expired(self) -> bool:
        return bool(
            self.status == CertificateStatus.ISSUED
            and self.expires_at
            and self.expires_at <= timezone.now()
        )

    @property
    def public_status(self) -> str:
        """valid, expired, revoked or superseded (pending and not-eligible
        certificates are not public)."""
        if self.status == CertificateStatus.ISSUED:
            return "expired" if self.is_expired else "valid"
        return self.status

    def get_public_status_display(self):
        return {
            "valid": _("Valid"),
            "expired": _("Expired"),
            "revoked": _("Revoked"),
            "superseded": _("Replaced by a newer certificate"),
            "pending": _("Being issued"),
            "not_eligible": _("Not eligible"),
        }.get(self.public_status, self.public_status)


class EventKind(models.TextChoices):
    CREATED = "created", _("Created")
    ISSUED = "issued", _("Issued")
    NOT_ELIGIBLE = "not_eligible", _("Not eligible")
    RENDERED = "rendered", _("Document produced")
    RENDER_FAILED = "render_failed", _("Document failed")
    EMAILED = "emailed", _("E-mailed to the learner")
    REVOKED = "revoked", _("Revoked")
    SUPERSEDED = "superseded", _("Superseded")
    REISSUED = "reissued", _("Reissued")
    REGENERATED = "regenerated", _("Regenerated")
    REMINDED = "reminded", _("Expiry reminder sent")


class CertificateEvent(models.Model):
    """The history of a certificate: who did what, when and why."""

    certificate = models.ForeignKey(
        Certificate, on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("event"), max_length=16, choices=EventKind.choices)
    at = models.DateTimeField(_("when"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reason = models.TextField(_("reason"), blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("certificate event")
        verbose_name_plural = _("certificate events")

    def __str__(self):
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"


class CourseCertificateRule(Orderable):
    """Which template a course's certificates use and when they are issued.
    Edited on the course page (an inline panel added by this app), so the link
    lives here and never as a field of the course page. Translations of a
    course copy it, so each language may use its own template."""

    course = ParentalKey(
        "wagtailcore.Page",
        on_delete=models.CASCADE,
        related_name="certificate_rules",
    )
    issue_certificates = models.BooleanField(_("issue certificates"), default=True)
    template = models.ForeignKey(
        CertificateTemplate,
        verbose_name=_("certificate template"),
        null=True,
        blank=False,
        on_delete=models.PROTECT,
        related_name="rules",
        limit_choices_to={"kind": CertificateKind.COMPLETION},
    )
    minimum_score = models.DecimalField(
        _("minimum final score (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("Leave empty to issue on completion whatever the score."),
    )
    validity_months = models.PositiveSmallIntegerField(
        _("valid for (months)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(600)],
        help_text=_("Leave empty for a certificate that does not expire."),
    )
    hours = models.DecimalField(
        _("hours of learning"),
        max_digits=6,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("Printed where the template uses {hours}."),
    )

    panels = [
        FieldPanel("issue_certificates"),
        FieldPanel("template"),
        FieldRowPanel(
            [
                FieldPanel("minimum_score"),
                FieldPanel("validity_months"),
                FieldPanel("hours"),
            ]
        ),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("certificate rule")
        verbose_name_plural = _("certificate rules")
        constraints = [
            models.UniqueConstraint("course", name="certificate_rule_one_per_page")
        ]

    def __str__(self):
        return str(self.template or "—")

"""Report tables. The dashboard reads figures from tables built from the
records (enrolments, results, certificates) by ``services.report_refresh``:

- ``EnrolmentFact``: one row per enrolment with everything the reports group
  or filter by, copied from the learner, the results and the certificates at
  refresh time, so that a breakdown is one query on one table;
- ``CourseRollup``, ``LearnerRollup`` and ``MonthRollup``: the facts summed by
  country, course, organisation and sex (and by month), small enough that an
  unfiltered dashboard for all countries reads a few thousand rows.

These tables are derived data: a refresh rebuilds them in one transaction,
and nothing else writes them."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses.models import Enrolment, EnrolmentStatus
from training_platform.accounts.models import Country, Organisation


class EnrolmentFact(models.Model):
    enrolment = models.OneToOneField(
        Enrolment, primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    course_key = models.UUIDField()
    country = models.ForeignKey(
        Country, null=True, on_delete=models.CASCADE, related_name="+"
    )
    sub_region = models.CharField(max_length=32, blank=True)
    organisation = models.ForeignKey(
        Organisation, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    organisation_kind = models.CharField(max_length=32, blank=True)
    sex = models.CharField(max_length=16, blank=True)
    status = models.CharField(max_length=12, choices=EnrolmentStatus.choices)
    enrolled_at = models.DateTimeField()
    enrolled_month = models.DateField()
    completed_at = models.DateTimeField(null=True)
    completed_month = models.DateField(null=True)
    final_score = models.DecimalField(max_digits=7, decimal_places=3, null=True)
    final_passed = models.BooleanField(null=True)
    pre_score = models.DecimalField(max_digits=7, decimal_places=3, null=True)
    post_score = models.DecimalField(max_digits=7, decimal_places=3, null=True)
    certificates_valid = models.PositiveSmallIntegerField(default=0)
    certificates_expired = models.PositiveSmallIntegerField(default=0)
    certificates_revoked = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("enrolment fact")
        verbose_name_plural = _("enrolment facts")
        indexes = [
            models.Index(fields=["country", "course_key"], name="fact_country_course"),
            models.Index(fields=["country", "enrolled_at"], name="fact_country_date"),
            models.Index(fields=["course_key", "country"], name="fact_course_country"),
            models.Index(fields=["organisation"], name="fact_organisation"),
            models.Index(fields=["user"], name="fact_user"),
        ]

    def __str__(self):
        return f"{self.enrolment_id}: {self.status}"


class _Counts(models.Model):
    """The sums every rollup row carries."""

    enrolments = models.PositiveIntegerField(default=0)
    pending = models.PositiveIntegerField(default=0)
    active = models.PositiveIntegerField(default=0)
    completed = models.PositiveIntegerField(default=0)
    withdrawn = models.PositiveIntegerField(default=0)
    scored = models.PositiveIntegerField(default=0)
    score_sum = models.DecimalField(max_digits=14, decimal_places=3, default=0)
    graded = models.PositiveIntegerField(default=0)
    passed = models.PositiveIntegerField(default=0)
    pairs = models.PositiveIntegerField(default=0)
    pre_sum = models.DecimalField(max_digits=14, decimal_places=3, default=0)
    post_sum = models.DecimalField(max_digits=14, decimal_places=3, default=0)
    certificates_valid = models.PositiveIntegerField(default=0)
    certificates_expired = models.PositiveIntegerField(default=0)
    certificates_revoked = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True


class CourseRollup(_Counts):
    """Facts summed by country, course, organisation and sex."""

    country = models.ForeignKey(
        Country, null=True, on_delete=models.CASCADE, related_name="+"
    )
    sub_region = models.CharField(max_length=32, blank=True)
    course_key = models.UUIDField()
    organisation = models.ForeignKey(
        Organisation, null=True, on_delete=models.CASCADE, related_name="+"
    )
    organisation_kind = models.CharField(max_length=32, blank=True)
    sex = models.CharField(max_length=16, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["country", "course_key"], name="rollup_country_course")
        ]

    def __str__(self):
        return f"{self.country_id} · {self.course_key}: {self.enrolments}"


class LearnerRollup(models.Model):
    """Distinct learners (with at least one enrolment that is not waiting for
    approval) by country, organisation and sex: learners cannot be summed
    over courses, since one person may be in several."""

    country = models.ForeignKey(
        Country, null=True, on_delete=models.CASCADE, related_name="+"
    )
    sub_region = models.CharField(max_length=32, blank=True)
    organisation = models.ForeignKey(
        Organisation, null=True, on_delete=models.CASCADE, related_name="+"
    )
    organisation_kind = models.CharField(max_length=32, blank=True)
    sex = models.CharField(max_length=16, blank=True)
    learners = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["country"], name="learner_rollup_country")]

    def __str__(self):
        return f"{self.country_id} · {self.organisation_id}: {self.learners}"


class MonthRollup(models.Model):
    """Enrolments (by month enrolled) and completions (by month completed)."""

    country = models.ForeignKey(
        Country, null=True, on_delete=models.CASCADE, related_name="+"
    )
    sub_region = models.CharField(max_length=32, blank=True)
    course_key = models.UUIDField()
    month = models.DateField()
    enrolments = models.PositiveIntegerField(default=0)
    completions = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["country", "month"], name="month_country")]

    def __str__(self):
        return f"{self.month:%Y-%m}: {self.enrolments}/{self.completions}"


class ReportRefresh(models.Model):
    """The last rebuild of the report tables: when, how many enrolments and
    how long it took (the dashboard says how fresh its figures are)."""

    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True)
    facts = models.PositiveIntegerField(default=0)
    duration_ms = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("report refresh")
        verbose_name_plural = _("report refreshes")
        ordering = ["-started_at"]

    def __str__(self):
        return f"{self.started_at:%Y-%m-%d %H:%M}: {self.facts}"


# ---------------------------------------------------------------- exports


class ExportStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Being prepared")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


def export_upload_to(instance, filename):
    # Unguessable, and served only through a view that checks who asks.
    return f"reports/exports/{uuid.uuid4().hex}/{filename}"


class ReportExport(models.Model):
    """A large export built by a worker and offered for download until it
    expires."""

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.CASCADE,
        related_name="report_exports",
    )
    table = models.CharField(_("table"), max_length=32)
    format = models.CharField(_("format"), max_length=4)
    params = models.JSONField(_("filters"), default=dict)
    language = models.CharField(_("language"), max_length=10, default="en")
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ExportStatus.choices,
        default=ExportStatus.PENDING,
    )
    file = models.FileField(_("file"), upload_to=export_upload_to, blank=True)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("requested"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)

    class Meta:
        verbose_name = _("report export")
        verbose_name_plural = _("report exports")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "expires_at"])]

    def __str__(self):
        return f"{self.table}.{self.format} · {self.status}"


class SummaryKind(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    ON_DEMAND = "on_demand", _("On demand")


class SummaryDelivery(models.Model):
    """A summary e-mail sent (or being sent) to a coordinator. The monthly
    one is sent exactly once per coordinator and month."""

    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("coordinator"),
        on_delete=models.CASCADE,
        related_name="report_summaries",
    )
    kind = models.CharField(
        _("kind"),
        max_length=10,
        choices=SummaryKind.choices,
        default=SummaryKind.MONTHLY,
    )
    period = models.DateField(_("month reported"))
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("summary e-mail")
        verbose_name_plural = _("summary e-mails")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["coordinator", "period"],
                condition=models.Q(kind="monthly"),
                name="summary_monthly_once",
            )
        ]

    def __str__(self):
        return f"{self.coordinator_id} · {self.period:%Y-%m} · {self.kind}"

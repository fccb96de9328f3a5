"""Writes of the reports app: rebuilding the report tables."""

import logging
import time
from datetime import date

from django.db import connection, transaction
from django.db.models import Avg, Count, Q
from django.utils import timezone

from assessments.models import AssessmentKind, AssessmentResult
from certificates.models import Certificate, CertificateStatus
from courses.models import Enrolment, EnrolmentStatus

from . import metrics
from .models import (
    CourseRollup,
    EnrolmentFact,
    LearnerRollup,
    MonthRollup,
    ReportRefresh,
)

logger = logging.getLogger(__name__)

# Learners are read in slices of this many ids, so that memory stays flat
# however many there are.
USER_SLICE = 5_000
BATCH = 5_000
_LOCK_ID = 0x7265706F  # "repo"


def _month(moment) -> date | None:
    if moment is None:
        return None
    return timezone.localtime(moment).date().replace(day=1)


def _by_learner_course(queryset, **aggregates) -> dict:
    return {
        (row.pop("user_id"), row.pop("course_key")): row
        for row in queryset.values("user_id", "course_key").annotate(**aggregates)
    }


def _facts_for(user_ids: range, now) -> list[EnrolmentFact]:
    in_slice = Q(user_id__gte=user_ids.start, user_id__lt=user_ids.stop)
    results = AssessmentResult.objects.filter(in_slice, course_key__isnull=False)
    finals = _by_learner_course(
        results.filter(kind=AssessmentKind.FINAL),
        score=Avg("percent"),
        n=Count("pk"),
        graded=Count("passed"),
        passed=Count("pk", filter=Q(passed=True)),
    )
    tests = _by_learner_course(
        results.filter(kind__in=[AssessmentKind.PRETEST, AssessmentKind.POSTTEST]),
        pre=Avg("percent", filter=Q(kind=AssessmentKind.PRETEST)),
        post=Avg("percent", filter=Q(kind=AssessmentKind.POSTTEST)),
    )
    issued = Q(status=CertificateStatus.ISSUED)
    unexpired = Q(expires_at__isnull=True) | Q(expires_at__gt=now)
    certificates = _by_learner_course(
        Certificate.objects.filter(
            in_slice,
            status__in=[CertificateStatus.ISSUED, CertificateStatus.REVOKED],
        ),
        valid=Count("pk", filter=issued & unexpired),
        expired=Count("pk", filter=issued & ~unexpired),
        revoked=Count("pk", filter=Q(status=CertificateStatus.REVOKED)),
    )
    enrolments = (
        Enrolment.objects.filter(in_slice)
        .values_list(
            "pk",
            "user_id",
            "course_key",
            "status",
            "enrolled_at",
            "completed_at",
            "user__country_id",
            "user__country__sub_region",
            "user__organisation_id",
            "user__organisation__kind",
            "user__sex",
        )
        .order_by()
    )
    facts = []
    for (
        pk,
        user_id,
        course_key,
        status,
        enrolled_at,
        completed_at,
        country_id,
        sub_region,
        organisation_id,
        organisation_kind,
        sex,
    ) in enrolments:
        key = (user_id, course_key)
        final = finals.get(key) or {}
        test = tests.get(key) or {}
        certificate = certificates.get(key) or {}
        final_passed = None
        if final.get("graded"):
            final_passed = final["passed"] == final["n"]
        if status != EnrolmentStatus.COMPLETED:
            completed_at = None
        facts.append(
            EnrolmentFact(
                enrolment_id=pk,
                user_id=user_id,
                course_key=course_key,
                country_id=country_id,
                sub_region=sub_region or "",
                organisation_id=organisation_id,
                organisation_kind=organisation_kind or "",
                sex=sex or "",
                status=status,
                enrolled_at=enrolled_at,
                enrolled_month=_month(enrolled_at),
                completed_at=completed_at,
                completed_month=_month(completed_at),
                final_score=final.get("score"),
                final_passed=final_passed,
                pre_score=test.get("pre"),
                post_score=test.get("post"),
                certificates_valid=certificate.get("valid", 0),
                certificates_expired=certificate.get("expired", 0),
                certificates_revoked=certificate.get("revoked", 0),
            )
        )
    return facts


def _rebuild_facts(now) -> int:
    EnrolmentFact.objects.all().delete()
    bounds = Enrolment.objects.order_by().values_list("user_id", flat=True)
    first = bounds.order_by("user_id").first()
    last = bounds.order_by("-user_id").first()
    if first is None:
        return 0
    count = 0
    for start in range(first, last + 1, USER_SLICE):
        facts = _facts_for(range(start, start + USER_SLICE), now)
        EnrolmentFact.objects.bulk_create(facts, batch_size=BATCH)
        count += len(facts)
    return count


def _rebuild_rollups():
    CourseRollup.objects.all().delete()
    LearnerRollup.objects.all().delete()
    MonthRollup.objects.all().delete()
    facts = EnrolmentFact.objects.order_by()
    dims = (
        "country",
        "sub_region",
        "course_key",
        "organisation",
        "organisation_kind",
        "sex",
    )
    CourseRollup.objects.bulk_create(
        (
            CourseRollup(
                country_id=row.pop("country"),
                organisation_id=row.pop("organisation"),
                **{k: (0 if v is None else v) for k, v in row.items()},
            )
            for row in facts.values(*dims).annotate(
                **metrics.fact_metrics(learners=False)
            )
        ),
        batch_size=BATCH,
    )
    LearnerRollup.objects.bulk_create(
        (
            LearnerRollup(
                country_id=row["country"],
                sub_region=row["sub_region"],
                organisation_id=row["organisation"],
                organisation_kind=row["organisation_kind"],
                sex=row["sex"],
                learners=row["learners"],
            )
            for row in facts.exclude(status=EnrolmentStatus.PENDING)
            .values("country", "sub_region", "organisation", "organisation_kind", "sex")
            .annotate(learners=Count("user", distinct=True))
        ),
        batch_size=BATCH,
    )
    months: dict = {}
    place = ("country", "sub_region", "course_key")
    for row in (
        facts.exclude(status=EnrolmentStatus.PENDING)
        .values(*place, "enrolled_month")
        .annotate(n=Count("pk"))
    ):
        key = (
            row["country"],
            row["sub_region"],
            row["course_key"],
            row["enrolled_month"],
        )
        months.setdefault(key, [0, 0])[0] = row["n"]
    for row in (
        facts.filter(completed_month__isnull=False)
        .values(*place, "completed_month")
        .annotate(n=Count("pk"))
    ):
        key = (
            row["country"],
            row["sub_region"],
            row["course_key"],
            row["completed_month"],
        )
        months.setdefault(key, [0, 0])[1] = row["n"]
    MonthRollup.objects.bulk_create(
        (
            MonthRollup(
                country_id=country,
                sub_region=sub_region,
                course_key=course_key,
                month=month,
                enrolments=enrolments,
                completions=completions,
            )
            for (country, sub_region, course_key, month), (
                enrolments,
                completions,
            ) in months.items()
        ),
        batch_size=BATCH,
    )


def report_refresh(*, now=None) -> ReportRefresh:
    """Rebuild the fact table and the rollups from the records, in one
    transaction: readers see the previous figures until it commits, never a
    half-built set. Two refreshes at once run one after the other."""
    now = now or timezone.now()
    started = time.monotonic()
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_ID])
        count = _rebuild_facts(now)
        _rebuild_rollups()
        refresh = ReportRefresh.objects.create(
            started_at=now,
            finished_at=timezone.now(),
            facts=count,
            duration_ms=int((time.monotonic() - started) * 1000),
        )
        ReportRefresh.objects.filter(started_at__lt=now).exclude(
            pk__in=ReportRefresh.objects.order_by("-started_at").values("pk")[:50]
        ).delete()
    logger.info(
        "Report tables rebuilt: %s enrolments in %s ms", count, refresh.duration_ms
    )
    return refresh

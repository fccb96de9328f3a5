"""Writes of the reports app: rebuilding the report tables."""

import logging
import time
from datetime import date

from django.db import connection, transaction
from django.db.models import Avg, Count, Q
from django.utils import timezone

from assessments import selectors as assessment_selectors
from assessments.models import AssessmentKind, AssessmentResult
from certificates.models import Certificate, CertificateStatus
from courses.models import Enrolment, EnrolmentStatus
from training_platform.accounts import personal_data
from training_platform.audit import services as audit
from training_platform.audit.models import AuditAction

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
    # Online tests and scores entered from paper alike.
    tests = assessment_selectors.pre_post_means(user_filter=in_slice)
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
        if connection.vendor == "postgresql":
            # Every row is new: without fresh statistics the planner takes
            # the tables for empty and picks nested loops over thousands.
            tables = (EnrolmentFact, CourseRollup, LearnerRollup, MonthRollup)
            with connection.cursor() as cursor:
                for model in tables:
                    cursor.execute(f"ANALYZE {model._meta.db_table}")
        refresh = ReportRefresh.objects.create(
            started_at=now,
            finished_at=timezone.now(),
            facts=count,
            duration_ms=int((time.monotonic() - started) * 1000),
        )
        # Only the newest refresh matters: it says how fresh the figures are.
        ReportRefresh.objects.exclude(pk=refresh.pk).delete()
    logger.info(
        "Report tables rebuilt: %s enrolments in %s ms", count, refresh.duration_ms
    )
    return refresh


# ---------------------------------------------------------------- exports
#
# Imports are local to these functions: ``tasks`` imports this module, and
# the exports and e-mails need the forms and selectors only when they run.


REFRESH_REQUEST_SECONDS = 60
_REFRESH_REQUESTED = "reports:refresh-requested"
_REFRESHING = "reports:refreshing"


def report_refresh_request(*, by) -> str:
    """Rebuild the figures now rather than at the next scheduled refresh:
    coordinators and administrators, at most once a minute whoever asks (a
    rebuild reads every enrolment). Returns "refreshed" (done already, when
    tasks run inline), "requested" (a worker will), "too_soon" or
    "forbidden"."""
    from django.core.cache import cache

    from . import tasks

    if not may_read_reports(by):
        return "forbidden"
    if not cache.add(_REFRESH_REQUESTED, True, timeout=REFRESH_REQUEST_SECONDS):
        return "too_soon"
    result = tasks.refresh_reports.delay()
    return "refreshed" if result.ready() else "requested"


def report_refresh_if_stale(*, now=None) -> ReportRefresh | None:
    """Where no scheduler runs (the embedded mode, tasks inline), rebuild
    figures older than REPORTS_REFRESH_MINUTES when someone looks at them.
    One request rebuilds while the others show the figures they have; a
    rebuild that fails leaves the previous figures and is logged."""
    from datetime import timedelta

    from django.conf import settings
    from django.core.cache import cache

    if not settings.REPORTS_REFRESH_ON_REQUEST:
        return None
    now = now or timezone.now()
    last = ReportRefresh.objects.filter(finished_at__isnull=False).first()
    age = timedelta(minutes=settings.REPORTS_REFRESH_MINUTES)
    if last is not None and last.finished_at > now - age:
        return None
    if not cache.add(_REFRESHING, True, timeout=settings.CELERY_TASK_TIME_LIMIT):
        return None
    try:
        return report_refresh()
    except Exception:  # noqa: BLE001 - the dashboard shows the figures it has
        logger.exception("Refreshing the report tables on request failed")
        return None
    finally:
        cache.delete(_REFRESHING)


def _export_publish(export_id):
    """Send the build task to the broker; a broker that is down is logged,
    not raised: the export stays pending and ``exports_resume`` sends it
    again."""
    from . import tasks

    try:
        tasks.build_export.apply_async(
            args=[export_id],
            retry=True,
            retry_policy={"max_retries": 1, "interval_start": 0, "interval_max": 0.2},
        )
    except Exception:  # noqa: BLE001 - any broker failure: resumed later
        logger.warning("could not enqueue export %s", export_id, exc_info=True)


def export_request(*, viewer, table, fmt, params, language):
    """Ask a worker to build an export too large for a request. The task is
    sent once the row is committed."""
    from functools import partial

    from .models import ReportExport

    export = ReportExport.objects.create(
        requested_by=viewer,
        table=table,
        format=fmt,
        params=params,
        language=language,
    )
    transaction.on_commit(partial(_export_publish, export.pk), robust=True)
    audit.record(
        AuditAction.EXPORT_REQUESTED,
        obj=export,
        actor=viewer,
        label=f"{table}.{fmt}",
        details={"table": table, "format": fmt, "filters": params},
    )
    return export


def may_read_reports(user) -> bool:
    from training_platform.accounts import roles

    return bool(
        user is not None
        and user.is_active
        and (roles.is_coordinator(user) or roles.is_administrator(user))
    )


def _export_finish(export, *, status, error="", now=None):
    from datetime import timedelta

    from django.conf import settings

    now = now or timezone.now()
    export.status = status
    export.error = error
    export.finished_at = now
    export.expires_at = now + timedelta(hours=settings.REPORTS_EXPORT_TTL_HOURS)
    export.save(
        update_fields=["status", "error", "file", "rows", "finished_at", "expires_at"]
    )
    return export


def export_build(*, export_id):
    """Build an export's file, once. The row is locked for the whole build,
    so a second delivery of the task while a worker builds it does nothing,
    and a delivery after a worker died builds it again (the lock went with
    the dead worker's connection). The viewer's scope is read again from the
    person who asked, as it is now (E02): someone who is no longer a
    coordinator or administrator gets nothing. Rows are read in chunks and
    written to a temporary file, so memory stays flat."""
    import os
    import tempfile

    from django.core.files import File
    from django.utils import translation
    from django.utils.translation import gettext

    from training_platform.accounts.models import User

    from . import exports
    from .models import ExportStatus, ReportExport

    # Shown on the status page; skipped (not waited for) while another worker
    # holds the row.
    with transaction.atomic():
        waiting = ReportExport.objects.select_for_update(skip_locked=True).filter(
            pk=export_id, status=ExportStatus.PENDING
        )
        if waiting.exists():
            waiting.update(status=ExportStatus.RUNNING)
    with transaction.atomic():
        export = (
            ReportExport.objects.select_for_update(skip_locked=True)
            .filter(pk=export_id)
            .first()
        )
        if export is None or export.status in (
            ExportStatus.READY,
            ExportStatus.FAILED,
        ):
            return export
        viewer = User.objects.filter(pk=export.requested_by_id).first()
        personal = export.table == personal_data.PERSONAL_DATA
        with translation.override(export.language):
            if personal and (viewer is None or not viewer.is_active):
                return _export_finish(
                    export,
                    status=ExportStatus.FAILED,
                    error=gettext("This account is closed."),
                )
            if not personal and not may_read_reports(viewer):
                return _export_finish(
                    export,
                    status=ExportStatus.FAILED,
                    error=gettext(
                        "This export was not built: the person who asked for it "
                        "is no longer a coordinator or an administrator."
                    ),
                )
            saved = None
            try:
                with transaction.atomic(), tempfile.TemporaryDirectory() as folder:
                    path = os.path.join(folder, "export")
                    with open(path, "wb") as file:
                        if personal:
                            # A person's own data (their account page).
                            rows = personal_data.write_json(viewer, file)
                        else:
                            table = exports.table_for(
                                viewer, export.table, export.params
                            )
                            rows = exports.write(table, export.format, file)
                    with open(path, "rb") as file:
                        export.file.save(
                            exports.filename(export.table, export.format),
                            File(file),
                            save=False,
                        )
                    saved = export.file.name
                    export.rows = rows
            except Exception:  # noqa: BLE001 - recorded on the export for its owner
                logger.exception("export %s could not be built", export_id)
                if saved:
                    export.file.storage.delete(saved)
                export.file = ""
                export.rows = 0
                return _export_finish(
                    export,
                    status=ExportStatus.FAILED,
                    error=gettext(
                        "The file could not be built. Please export again; if it "
                        "fails again, choose fewer learners with the filters."
                    ),
                )
        export = _export_finish(export, status=ExportStatus.READY)
    logger.info("export %s built: %s rows", export_id, export.rows)
    return export


def exports_purge(*, now=None) -> int:
    """Delete expired exports, their files first. An export that never
    finished is dropped once it is twice as old as an export may live."""
    from datetime import timedelta

    from django.conf import settings

    from .models import ReportExport

    now = now or timezone.now()
    abandoned = now - timedelta(hours=2 * settings.REPORTS_EXPORT_TTL_HOURS)
    stale = ReportExport.objects.filter(
        Q(expires_at__lte=now) | Q(expires_at__isnull=True, created_at__lte=abandoned)
    )
    count = 0
    for export in stale.iterator():
        if export.file:
            export.file.storage.delete(export.file.name)
        export.delete()
        count += 1
    if count:
        logger.info("%s expired exports deleted", count)
    return count


def exports_resume(*, now=None, after_minutes=10) -> int:
    """Send again the exports still waiting after ``after_minutes``: their
    task was lost (a broker outage when they were asked for)."""
    from datetime import timedelta

    from .models import ExportStatus, ReportExport

    now = now or timezone.now()
    waiting = ReportExport.objects.filter(
        status=ExportStatus.PENDING,
        created_at__lte=now - timedelta(minutes=after_minutes),
        expires_at__isnull=True,
    ).values_list("pk", flat=True)
    ids = list(waiting)
    for export_id in ids:
        _export_publish(export_id)
    return len(ids)


# ---------------------------------------------------------------- summaries

SUMMARY_INTERVAL_SECONDS = 60


def summary_request(*, viewer, query: str, language: str) -> bool:
    """Send the dashboard's summary for the filters in ``query`` to
    ``viewer``, at most once a minute: False when asked again sooner. The
    cache answers at once across processes; the deliveries recorded in the
    database hold the limit when the cache is unavailable."""
    from datetime import timedelta

    from django.core.cache import cache

    from . import summaries, tasks
    from .models import SummaryDelivery, SummaryKind

    now = timezone.now()
    key = f"reports:summary:{viewer.pk}"
    if not cache.add(key, 1, SUMMARY_INTERVAL_SECONDS):
        return False
    recent = SummaryDelivery.objects.filter(
        coordinator=viewer,
        kind=SummaryKind.ON_DEMAND,
        created_at__gt=now - timedelta(seconds=SUMMARY_INTERVAL_SECONDS),
    )
    if recent.exists():
        return False
    delivery = SummaryDelivery.objects.create(
        coordinator=viewer,
        kind=SummaryKind.ON_DEMAND,
        period=summaries.month_start(timezone.localdate(now)),
        created_at=now,
    )
    tasks.send_summary.delay_on_commit(delivery.pk, query, language)
    return True


def _summary_deliver(delivery_id, build) -> bool:
    """Send a claimed summary once: the delivery row is locked while the
    message is sent and marked sent in the same transaction, so a second run
    finds it sent; a failure to send rolls back and leaves it to retry."""
    from .models import SummaryDelivery

    with transaction.atomic():
        delivery = (
            SummaryDelivery.objects.select_for_update().filter(pk=delivery_id).first()
        )
        if delivery is None or delivery.sent_at is not None:
            return False
        message = build(delivery)
        if message is None:
            return False
        message.send()
        delivery.sent_at = timezone.now()
        delivery.save(update_fields=["sent_at"])
    return True


def summary_send(*, delivery_id, query: str, language: str) -> bool:
    """Send an on-demand summary asked for with ``summary_request``."""
    from training_platform.accounts.models import User

    from . import summaries

    def build(delivery):
        viewer = User.objects.filter(pk=delivery.coordinator_id).first()
        if not may_read_reports(viewer):
            return None
        return summaries.summary_message(
            viewer, period=delivery.period, query=query, language=language
        )

    return _summary_deliver(delivery_id, build)


def monthly_summaries_send(*, today=None) -> int:
    """Beat, on the first of the month: one task per active coordinator with
    at least one country who has not had last month's summary yet."""
    from training_platform.accounts import roles
    from training_platform.accounts.models import User

    from . import summaries, tasks
    from .models import SummaryDelivery, SummaryKind

    period = summaries.previous_month(today or timezone.localdate())
    coordinators = set(
        User.objects.filter(
            is_active=True,
            groups__name=roles.COORDINATORS,
            coordinated_countries__isnull=False,
        )
        .exclude(email="")
        .values_list("pk", flat=True)
    )
    sent = set(
        SummaryDelivery.objects.filter(
            kind=SummaryKind.MONTHLY, period=period, sent_at__isnull=False
        ).values_list("coordinator_id", flat=True)
    )
    due = sorted(coordinators - sent)
    for coordinator_id in due:
        tasks.send_monthly_summary.delay(coordinator_id, period.isoformat())
    return len(due)


def monthly_summary_send(*, coordinator_id, period) -> bool:
    """Send ``coordinator_id`` the summary of the month ``period`` (its first
    day), exactly once: the month is claimed with the unique delivery row
    before anything is sent."""
    from training_platform.accounts import roles
    from training_platform.accounts.models import User
    from training_platform.notifications import services as notifications

    from . import summaries
    from .models import SummaryDelivery, SummaryKind

    coordinator = User.objects.filter(pk=coordinator_id, is_active=True).first()
    if (
        coordinator is None
        or not coordinator.email
        or not roles.is_coordinator(coordinator)
        or not coordinator.coordinated_countries.exists()
    ):
        return False
    delivery, _created = SummaryDelivery.objects.get_or_create(
        coordinator=coordinator, kind=SummaryKind.MONTHLY, period=period
    )
    with transaction.atomic():
        delivery = SummaryDelivery.objects.select_for_update().get(pk=delivery.pk)
        if delivery.sent_at is not None:
            return False
        sent = notifications.notify_now(
            recipient=coordinator,
            event=summaries.MONTHLY,
            key=f"monthly:{period.isoformat()}",
            context={"period": period.isoformat()},
        )
        delivery.sent_at = timezone.now()
        delivery.save(update_fields=["sent_at"])
    return sent

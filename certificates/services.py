"""Writes about certificates. Every function is keyword-only, idempotent and
safe under concurrency: the database constraints hold the "exactly once"
rules, status changes are guarded (a repeated call is a no-op), and the work
that needs the broker is enqueued after commit with errors caught, so a broker
outage never fails the transaction that asked for it (K01): the reconciler
(``certificates_reconcile``) finishes whatever was left.

Lifecycle: pending (created on completion) -> issued (the text is frozen) ->
document rendered -> e-mailed. Staff may revoke, reissue after a name
correction (the old one is superseded) or regenerate the document.
"""

import logging
import os
import tempfile
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from training_platform.accounts.text import clean_person_name
from training_platform.audit import services as audit
from training_platform.audit.models import AuditAction

from . import codes, integration, rendering
from .models import (
    Certificate,
    CertificateEvent,
    CertificateKind,
    CertificateStatus,
    CertificateTemplate,
    EventKind,
    PdfStatus,
    pdf_upload_to,
    png_upload_to,
)

logger = logging.getLogger(__name__)

MAX_RENDER_ATTEMPTS = 5
EMAIL_CLAIM_TIMEOUT = timedelta(minutes=15)
NAME_MAX = 200


def _event(certificate, kind, *, actor=None, reason="", **data):
    return CertificateEvent.objects.create(
        certificate=certificate,
        kind=kind,
        actor=actor if getattr(actor, "pk", None) else None,
        reason=reason,
        data=data,
    )


# The certificate row is the outbox: whatever is not published is found by the
# reconciler (beat), so a broker that hangs costs the learner no more than
# ``training_platform.celery.PUBLISH_TIMEOUT`` (K01, K02).


def _publish(task_name, certificate_id):
    """Send a task to the broker once, on a connection whose every socket
    operation is bounded by ``PUBLISH_TIMEOUT``, without retries; a broker
    that is down or does not accept writes is logged, not raised: the
    caller's transaction has committed and the reconciler takes over."""
    from training_platform.celery import publish_bounded

    from . import tasks

    try:
        publish_bounded(getattr(tasks, task_name), [certificate_id])
    except Exception:  # noqa: BLE001 - any broker failure: the reconciler takes over
        logger.warning(
            "could not enqueue %s for certificate %s; the reconciler will retry",
            task_name,
            certificate_id,
            exc_info=True,
        )


def enqueue_on_commit(task_name, certificate_id):
    transaction.on_commit(lambda: _publish(task_name, certificate_id), robust=True)


def add_months(moment, months):
    """``moment`` plus whole calendar months (the last day of a shorter
    month where the day does not exist); None for no months."""
    if not months:
        return None
    month_index = moment.month - 1 + months
    year = moment.year + month_index // 12
    month = month_index % 12 + 1
    day = moment.day
    while True:
        try:
            return moment.replace(year=year, month=month, day=day)
        except ValueError:
            day -= 1


# ---------------------------------------------------------------- creation


def certificate_request(
    *,
    user,
    course_key,
    course=None,
    completed_at=None,
    score=None,
    completion_ref=None,
    enrolment=None,
    schedule=True,
) -> Certificate | None:
    """The pending certificate for ``user``'s completion of a course, created
    exactly once (one current certificate per learner and course, enforced by
    the database), with issuing scheduled after commit. Returns the existing
    current certificate when there is one. One current certificate per round
    of the course: taking the course again after expiry (a new round of the
    enrolment) gets a new certificate and the expired one stays as it was. A
    completion in the same round after expiry supersedes it with a new one."""
    if enrolment is None:
        enrolment = integration.enrolment_for(user=user, course_key=course_key)
    if enrolment is not None:
        course = integration.course_taken(enrolment=enrolment, course=course)
    rule = integration.rule_for(course=course, course_key=course_key)
    if rule is None or not rule.issue_certificates:
        return None
    if completion_ref is not None:
        earlier = (
            Certificate.objects.filter(completion_ref=completion_ref)
            .exclude(status=CertificateStatus.SUPERSEDED)
            .first()
        )
        if earlier is not None:  # this completion was handled (maybe revoked)
            return earlier
    course_round = _round_of(enrolment, user=user, course_key=course_key)
    current = (
        Certificate.objects.current()
        .filter(user=user, course_key=course_key, course_round=course_round)
        .first()
    )
    if current is not None:
        if not current.is_expired:
            return current
        return _recertify(
            current,
            course=course,
            completed_at=completed_at,
            score=score,
            completion_ref=completion_ref,
            enrolment=enrolment,
        )
    try:
        with transaction.atomic():
            certificate = Certificate.objects.create(
                user=user,
                course_key=course_key,
                course=course,
                completed_at=completed_at or timezone.now(),
                score=score,
                status=CertificateStatus.PENDING,
                course_round=course_round,
                completion_ref=completion_ref,
                enrolment=enrolment,
            )
            _event(certificate, EventKind.CREATED)
    except IntegrityError:
        # A concurrent delivery created it first.
        return (
            Certificate.objects.current()
            .filter(user=user, course_key=course_key, course_round=course_round)
            .first()
            or Certificate.objects.filter(completion_ref=completion_ref)
            .exclude(status=CertificateStatus.SUPERSEDED)
            .first()
        )
    if schedule:
        enqueue_on_commit("issue_certificate", certificate.pk)
    return certificate


def _round_of(enrolment, *, user, course_key) -> int:
    """The round of the course a completion belongs to (1 without an
    enrolment)."""
    enrolment = enrolment or integration.enrolment_for(user=user, course_key=course_key)
    return getattr(enrolment, "round_number", None) or 1


def _recertify(expired, *, course, completed_at, score, completion_ref, enrolment):
    with transaction.atomic():
        old = Certificate.objects.select_for_update(of=("self",)).get(pk=expired.pk)
        if old.status != CertificateStatus.ISSUED or not old.is_expired:
            return old
        old.status = CertificateStatus.SUPERSEDED
        old.save(update_fields=["status", "updated_at"])
        certificate = Certificate.objects.create(
            user=old.user,
            course_key=old.course_key,
            course=course or old.course,
            completed_at=completed_at or timezone.now(),
            score=score,
            status=CertificateStatus.PENDING,
            replaces=old,
            completion_ref=completion_ref,
            course_round=old.course_round,
            enrolment=enrolment or old.enrolment,
        )
        _event(old, EventKind.SUPERSEDED, reason="recertification", by=certificate.pk)
        _event(certificate, EventKind.CREATED, reason="recertification")
    enqueue_on_commit("issue_certificate", certificate.pk)
    return certificate


def certificate_issue(*, certificate_id) -> Certificate:
    """Freeze what a pending certificate says and mark it issued; or mark it
    not eligible when the course's minimum score is not met. No-op unless
    pending."""
    with transaction.atomic():
        certificate = (
            Certificate.objects.select_for_update(of=("self",))
            .select_related("user", "course")  # the rule, titles and hours
            .get(pk=certificate_id)
        )
        if certificate.status != CertificateStatus.PENDING:
            return certificate
        if certificate.kind == CertificateKind.ATTENDANCE:
            return _issue_attendance(certificate)
        rule = integration.rule_for(
            course=certificate.course, course_key=certificate.course_key
        )
        template = rule.template if rule else None
        if rule is None or template is None or certificate.user is None:
            certificate.status = CertificateStatus.NOT_ELIGIBLE
            certificate.save(update_fields=["status", "updated_at"])
            _event(certificate, EventKind.NOT_ELIGIBLE, reason="no template")
            return certificate
        score = certificate.score
        if score is None:
            score = integration.final_score(
                user=certificate.user, course_key=certificate.course_key
            )
        if rule.minimum_score is not None and (
            score is None or Decimal(score) < rule.minimum_score
        ):
            certificate.status = CertificateStatus.NOT_ELIGIBLE
            certificate.score = score
            certificate.save(update_fields=["status", "score", "updated_at"])
            _event(
                certificate,
                EventKind.NOT_ELIGIBLE,
                reason="minimum score",
                score=str(score),
                minimum=str(rule.minimum_score),
            )
            return certificate
        now = timezone.now()
        title, secondary = integration.course_titles(
            course=certificate.course,
            course_key=certificate.course_key,
            language=template.language,
        )
        snapshot = template.snapshot()
        certificate.template = template
        certificate.template_version = template.version
        certificate.template_snapshot = snapshot
        certificate.language = template.language
        certificate.learner_name = clean_person_name(
            certificate.user.name_for_certificate
        )[:NAME_MAX]
        certificate.course_title = (title or "")[:255]
        certificate.course_title_secondary = (
            (secondary or "")[:255] if snapshot.get("bilingual") else ""
        )
        certificate.score = score
        certificate.hours = (
            rule.hours
            if rule.hours is not None
            else integration.course_hours(certificate.course)
        )
        certificate.issued_at = now
        certificate.expires_at = add_months(now, rule.validity_months)
        certificate.status = CertificateStatus.ISSUED
        certificate.pdf_status = PdfStatus.PENDING
        certificate.save()
        _event(certificate, EventKind.ISSUED, template_version=template.version)
    return certificate


def attendance_certificate_request(
    *,
    user,
    session_key,
    details: dict,
    session=None,
    template: CertificateTemplate | None = None,
    schedule=True,
) -> Certificate | None:
    """The pending attendance certificate of ``user`` for the session whose
    translation key is ``session_key``, created exactly once (the database
    allows one current certificate per learner and key), with issuing
    scheduled after commit; the existing one when there is one.

    ``details`` is what the certificate will say of the session:
    ``session_title``, ``dates`` (``[start, end, time zone]`` with ISO 8601
    times), ``venue`` and ``hours``. ``template`` defaults to an attendance
    template in the session's language (``integration.attendance_template``);
    without any, nothing is created."""
    current = (
        Certificate.objects.current()
        .filter(user=user, course_key=session_key, kind=CertificateKind.ATTENDANCE)
        .first()
    )
    if current is not None:
        return current
    template = template or integration.attendance_template(session=session)
    if template is None:
        return None
    ends = [end for _start, end, *_zone in details.get("dates") or []]
    try:
        with transaction.atomic():
            certificate = Certificate.objects.create(
                user=user,
                kind=CertificateKind.ATTENDANCE,
                course_key=session_key,
                course=session,
                template=template,
                details=details,
                completed_at=(
                    datetime.fromisoformat(max(ends)) if ends else timezone.now()
                ),
                status=CertificateStatus.PENDING,
            )
            _event(certificate, EventKind.CREATED, reason="attendance")
    except IntegrityError:
        # A concurrent delivery created it first.
        return (
            Certificate.objects.current()
            .filter(user=user, course_key=session_key)
            .first()
        )
    if schedule:
        enqueue_on_commit("issue_certificate", certificate.pk)
    return certificate


def _issue_attendance(certificate) -> Certificate:
    """Freeze an attendance certificate (called by ``certificate_issue``
    under its row lock)."""
    template = certificate.template
    if template is None or certificate.user is None:
        certificate.status = CertificateStatus.NOT_ELIGIBLE
        certificate.save(update_fields=["status", "updated_at"])
        _event(certificate, EventKind.NOT_ELIGIBLE, reason="no template")
        return certificate
    details = certificate.details or {}
    snapshot = template.snapshot()
    certificate.template_version = template.version
    certificate.template_snapshot = snapshot
    certificate.language = template.language
    certificate.learner_name = clean_person_name(certificate.user.name_for_certificate)[
        :NAME_MAX
    ]
    certificate.course_title = str(details.get("session_title") or "")[:255]
    hours = details.get("hours")
    certificate.hours = Decimal(str(hours)) if hours not in (None, "") else None
    certificate.issued_at = timezone.now()
    certificate.expires_at = None
    certificate.status = CertificateStatus.ISSUED
    certificate.pdf_status = PdfStatus.PENDING
    certificate.save()
    _event(certificate, EventKind.ISSUED, template_version=template.version)
    return certificate


# ---------------------------------------------------------------- documents


def _write_atomically(upload_to, data: bytes, certificate) -> str:
    """Store ``data`` under a new name: written to a temporary file in the
    target directory, flushed and renamed, so a reader (or a worker killed
    half-way) never sees a partial document (K06)."""
    from django.core.files.storage import default_storage

    name = default_storage.generate_filename(upload_to(certificate, ""))
    try:
        path = default_storage.path(name)
    except NotImplementedError:  # object storage: a PUT is atomic already
        return default_storage.save(name, ContentFile(data))
    directory = os.path.dirname(path)
    os.makedirs(directory, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=directory, prefix=".tmp-", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, settings.FILE_UPLOAD_PERMISSIONS or 0o644)
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    return name


def certificate_render(*, certificate_id, force=False) -> Certificate:
    """Produce the PDF and PNG of an issued certificate. No-op when they exist
    (unless ``force``) or when the certificate is not issued. Attempts are
    counted in their own transaction before rendering, so a document that
    kills its worker every time stops being retried (K17)."""
    filters = Q(pk=certificate_id, status=CertificateStatus.ISSUED)
    if not force:
        filters &= Q(pdf_status=PdfStatus.PENDING)
    if not Certificate.objects.filter(filters).update(
        render_attempts=F("render_attempts") + 1
    ):
        return Certificate.objects.get(pk=certificate_id)
    with transaction.atomic():
        certificate = Certificate.objects.select_for_update(of=("self",)).get(
            pk=certificate_id
        )
        if certificate.status != CertificateStatus.ISSUED:
            return certificate
        if certificate.pdf_status == PdfStatus.READY and not force:
            return certificate  # a concurrent delivery did it (K08)
        if certificate.render_attempts > MAX_RENDER_ATTEMPTS:
            certificate.pdf_status = PdfStatus.FAILED
            certificate.render_error = "too many attempts"
            certificate.save(update_fields=["pdf_status", "render_error", "updated_at"])
            _event(certificate, EventKind.RENDER_FAILED, reason="too many attempts")
            logger.error(
                "certificate %s: rendering gave up after %s attempts",
                certificate.pk,
                certificate.render_attempts - 1,
            )
            return certificate
        pdf = rendering.render_pdf(
            rendering.CertificateData.from_certificate(certificate)
        )
        png = rendering.render_png(pdf)
        previous = [certificate.pdf.name, certificate.png.name]
        certificate.pdf.name = _write_atomically(pdf_upload_to, pdf, certificate)
        certificate.png.name = _write_atomically(png_upload_to, png, certificate)
        certificate.pdf_status = PdfStatus.READY
        certificate.render_error = ""
        certificate.render_attempts = 0
        certificate.rendered_at = timezone.now()
        certificate.save()
        _event(
            certificate,
            EventKind.RENDERED,
            previous=[name for name in previous if name],
            template_version=certificate.template_version,
        )
        if certificate.email_sent_at is None:
            enqueue_on_commit("email_certificate", certificate.pk)
    return certificate


# ---------------------------------------------------------------- e-mail


def certificate_email_send(*, certificate_id) -> bool:
    """E-mail the learner their certificate, once, through the notifications
    module: one notification per certificate (a database constraint), claimed
    before sending, so two deliveries of the task send one message (K08); a
    failure raises and the task is retried on its own (K22)."""
    from training_platform.notifications import services as notifications

    from .notifications import ISSUED

    certificate = (
        Certificate.objects.select_related("user")
        .filter(
            pk=certificate_id,
            status=CertificateStatus.ISSUED,
            pdf_status=PdfStatus.READY,
            email_sent_at__isnull=True,
        )
        .first()
    )
    if certificate is None:
        return False
    if certificate.user is None or not certificate.user.email:
        Certificate.objects.filter(pk=certificate_id).update(
            email_sent_at=timezone.now()
        )
        return False
    sent = notifications.notify_now(
        recipient=certificate.user,
        event=ISSUED,
        key=f"certificate:{certificate.pk}",
        context={"certificate_id": certificate.pk},
    )
    Certificate.objects.filter(pk=certificate_id).update(email_sent_at=timezone.now())
    if sent:
        _event(certificate, EventKind.EMAILED)
    return sent


def certificate_expiry_reminder_send(*, certificate_id, threshold) -> bool:
    """Remind the learner ``threshold`` days (60, 30 or 7) before expiry; once
    per certificate and threshold, even when beat fires twice. Learners who
    turned reminders off get none."""
    from training_platform.notifications import services as notifications

    from .notifications import EXPIRING

    now = timezone.now()
    certificate = (
        Certificate.objects.select_related("user")
        .filter(pk=certificate_id, status=CertificateStatus.ISSUED, expires_at__gt=now)
        .first()
    )
    if certificate is None or certificate.user is None or not certificate.user.email:
        return False
    sent = notifications.notify_now(
        recipient=certificate.user,
        event=EXPIRING,
        key=f"certificate:{certificate.pk}:expiring:{threshold}",
        context={"certificate_id": certificate.pk, "threshold": threshold},
    )
    if sent:
        Certificate.objects.filter(pk=certificate_id).update(reminder_sent_at=now)
        _event(certificate, EventKind.REMINDED)
    return sent


def certificates_send_expiry_reminders(*, now=None, days=None) -> int:
    """Beat, daily: the reminders due 60, 30 and 7 days before expiry (only
    the thresholds up to ``days`` when given). A send that fails is left to
    the notification's retrying task."""
    from training_platform.notifications.tasks import deliver_notification

    from .notifications import EXPIRY_THRESHOLDS, expiry_threshold

    now = now or timezone.now()
    horizon = days if days is not None else max(EXPIRY_THRESHOLDS)
    due = Certificate.objects.filter(
        status=CertificateStatus.ISSUED,
        expires_at__gt=now,
        expires_at__lte=now + timedelta(days=horizon),
    ).values_list("pk", "expires_at")
    sent = 0
    for pk, expires_at in list(due[:5000]):
        threshold = expiry_threshold(
            (expires_at - now).total_seconds() / 86400, within=days
        )
        if threshold is None:
            continue
        try:
            sent += certificate_expiry_reminder_send(
                certificate_id=pk, threshold=threshold
            )
        except Exception:  # noqa: BLE001 - one bad address must not stop the rest
            logger.warning(
                "expiry reminder for certificate %s failed", pk, exc_info=True
            )
            from training_platform.notifications.models import Notification

            for notification_id in Notification.objects.filter(
                event="certificate_expiring",
                key=f"certificate:{pk}:expiring:{threshold}",
                status="pending",
            ).values_list("pk", flat=True):
                deliver_notification.delay_on_commit(notification_id)
    return sent


def settings_value(name, default):
    return getattr(settings, f"CERTIFICATE_{name}", default)


# ---------------------------------------------------------------- staff actions


def _require_reason(reason):
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give a reason."))
    return reason


def certificate_revoke(*, certificate, by, reason) -> Certificate:
    """Revoke with a reason; the verification page then says revoked. No-op
    on a revoked certificate."""
    reason = _require_reason(reason)
    with transaction.atomic():
        certificate = Certificate.objects.select_for_update(of=("self",)).get(
            pk=certificate.pk
        )
        if certificate.status == CertificateStatus.REVOKED:
            return certificate
        if certificate.status not in (
            CertificateStatus.ISSUED,
            CertificateStatus.PENDING,
        ):
            raise ValidationError(_("Only an issued certificate can be revoked."))
        certificate.status = CertificateStatus.REVOKED
        certificate.revoked_at = timezone.now()
        certificate.revocation_reason = reason
        certificate.save(
            update_fields=["status", "revoked_at", "revocation_reason", "updated_at"]
        )
        _event(certificate, EventKind.REVOKED, actor=by, reason=reason)
        audit.record(
            AuditAction.CERTIFICATE_REVOKED,
            obj=certificate,
            actor=by,
            label=certificate.code,
            details={"reason": reason},
        )
    return certificate


def certificate_reissue(*, certificate, by, reason, learner_name=None) -> Certificate:
    """Replace an issued certificate, typically after a name correction: the
    old one is superseded (and says so when verified), the new one gets a new
    code and the name from ``learner_name`` or the learner's profile; course,
    dates, score and template stay as issued. Both keep their history."""
    reason = _require_reason(reason)
    with transaction.atomic():
        old = (
            Certificate.objects.select_for_update(of=("self",))
            .select_related("user")
            .get(pk=certificate.pk)
        )
        if old.status != CertificateStatus.ISSUED:
            raise ValidationError(_("Only an issued certificate can be reissued."))
        name = clean_person_name(
            learner_name or (old.user.name_for_certificate if old.user else "")
        )[:NAME_MAX]
        if not name:
            raise ValidationError(_("The name on the certificate cannot be empty."))
        old.status = CertificateStatus.SUPERSEDED
        old.save(update_fields=["status", "updated_at"])
        new = Certificate.objects.create(
            code=codes.generate(),
            user=old.user,
            course_key=old.course_key,
            course=old.course,
            template=old.template,
            status=CertificateStatus.ISSUED,
            learner_name=name,
            course_title=old.course_title,
            course_title_secondary=old.course_title_secondary,
            language=old.language,
            score=old.score,
            hours=old.hours,
            completed_at=old.completed_at,
            issued_at=timezone.now(),
            expires_at=old.expires_at,
            template_version=old.template_version,
            template_snapshot=old.template_snapshot,
            replaces=old,
            completion_ref=old.completion_ref,
            course_round=old.course_round,
            enrolment=old.enrolment,
            pdf_status=PdfStatus.PENDING,
        )
        _event(old, EventKind.SUPERSEDED, actor=by, reason=reason, by=new.pk)
        _event(
            new,
            EventKind.REISSUED,
            actor=by,
            reason=reason,
            replaces=old.pk,
            previous_name=old.learner_name,
        )
        audit.record(
            AuditAction.CERTIFICATE_REISSUED,
            obj=new,
            actor=by,
            label=new.code,
            details={"reason": reason, "replaces": old.code},
        )
        enqueue_on_commit("issue_certificate", new.pk)
    return new


def certificate_regenerate(
    *, certificate, by, reason, use_current_template=False
) -> Certificate:
    """Render an issued certificate's document again (same code and text),
    optionally with the template's current version. Kept in the history."""
    reason = _require_reason(reason)
    with transaction.atomic():
        certificate = Certificate.objects.select_for_update(of=("self",)).get(
            pk=certificate.pk
        )
        if certificate.status != CertificateStatus.ISSUED:
            raise ValidationError(_("Only an issued certificate can be regenerated."))
        data = {"previous_version": certificate.template_version}
        if use_current_template and certificate.template_id:
            template = certificate.template
            certificate.template_snapshot = template.snapshot()
            certificate.template_version = template.version
            data["template_version"] = template.version
        certificate.pdf_status = PdfStatus.PENDING
        certificate.render_attempts = 0
        certificate.save()
        _event(certificate, EventKind.REGENERATED, actor=by, reason=reason, **data)
        enqueue_on_commit("issue_certificate", certificate.pk)
    return certificate


# ---------------------------------------------------------------- reconciler


def certificates_reconcile(*, grace=timedelta(minutes=2), limit=500) -> dict:
    """Finish whatever was missed (broker down, worker lost, beat stopped):
    completions without a certificate, pending certificates, documents not
    produced, e-mails not sent. Runs inline, so it works without a broker;
    safe to run concurrently with the tasks and with itself (K01, K04, K21)."""
    cutoff = timezone.now() - grace
    done = {"requested": 0, "issued": 0, "rendered": 0, "emailed": 0, "failed": 0}
    requested = []
    for completion in integration.completions_without_certificate(limit=limit):
        certificate = certificate_request(**completion, schedule=False)
        if certificate is not None:
            done["requested"] += 1
            requested.append(certificate.pk)
    pending = Certificate.objects.filter(
        status=CertificateStatus.PENDING, created_at__lte=cutoff
    ).values_list("pk", flat=True)
    unrendered = Certificate.objects.filter(
        status=CertificateStatus.ISSUED,
        pdf_status=PdfStatus.PENDING,
        updated_at__lte=cutoff,
    ).values_list("pk", flat=True)
    unsent = Certificate.objects.filter(
        status=CertificateStatus.ISSUED,
        pdf_status=PdfStatus.READY,
        email_sent_at__isnull=True,
        rendered_at__lte=cutoff,
    ).values_list("pk", flat=True)
    # Each certificate is taken as far as it goes: issued, rendered, e-mailed.
    for stage, pks in (
        ("issue", requested + list(pending[:limit])),
        ("render", list(unrendered[:limit])),
        ("email", list(unsent[:limit])),
    ):
        for pk in pks:
            _reconcile_one(pk, stage, done)
    if any(done.values()):
        logger.info("certificate reconciler: %s", done)
    return done


def _reconcile_one(pk, stage, done):
    try:
        if stage == "issue":
            certificate = certificate_issue(certificate_id=pk)
            if certificate.status != CertificateStatus.ISSUED:
                return
            done["issued"] += 1
        if stage in ("issue", "render"):
            certificate = certificate_render(certificate_id=pk)
            if certificate.pdf_status != PdfStatus.READY:
                return
            done["rendered"] += 1
            if certificate.email_sent_at is not None:
                return
    except Exception:  # noqa: BLE001 - one bad row must not stop the rest
        done["failed"] += 1
        logger.exception("reconciler: certificate %s failed at %s", pk, stage)
        return
    try:
        done["emailed"] += certificate_email_send(certificate_id=pk)
    except Exception:  # noqa: BLE001 - SMTP down: retried on the next run (K22)
        done["failed"] += 1
        logger.warning("reconciler: e-mail for certificate %s failed", pk)

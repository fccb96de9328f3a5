"""A person's data under their control: everything the platform holds about
them as one JSON file (built by a worker through the report export pipeline,
offered to them only, until it expires), and the erasure of their account.

What counts as theirs is found, not listed: every row of every model whose
``user`` or ``recipient`` points at them (so a model added later is
exported without a change here), with the rows of the same app that hang
from those rows without a person of their own (an attempt's answered slots,
an enrolment's progress, a survey response's answers). Secrets (two-factor
keys, feed tokens, password hashes) are left out."""

from __future__ import annotations

import json
import logging

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

logger = logging.getLogger(__name__)

PERSONAL_DATA = "personal_data"
PERSON_FIELDS = ("user", "recipient")
# Not the person's data (the admin's own records) or secrets.
SKIPPED_APPS = {
    "mfa",
    "sessions",
    "audit",
    "reports",
    "wagtailadmin",
    "wagtailcore",
    "wagtailusers",
    "wagtaildocs",
    "wagtailimages",
}
SECRET_FIELDS = {"password", "token", "secret", "secret_hash"}
PROFILE_FIELDS = (
    "email",
    "full_name",
    "certificate_name",
    "position",
    "sex",
    "preferred_language",
    "consent_at",
    "consent_version",
    "date_joined",
    "last_login",
)


def _person_models():
    """``(model, field name)`` for every model with a foreign key to the
    user model named like a person's own record."""
    user_model = get_user_model()
    found = []
    for model in apps.get_models():
        if model._meta.app_label in SKIPPED_APPS:
            continue
        for field in model._meta.concrete_fields:
            if (
                field.is_relation
                and field.related_model is user_model
                and field.name in PERSON_FIELDS
            ):
                found.append((model, field.name))
    return found


def _has_a_person(model) -> bool:
    user_model = get_user_model()
    return any(
        field.is_relation and field.related_model is user_model
        for field in model._meta.concrete_fields
    )


def _rows(queryset):
    rows = []
    for item in serializers.serialize("python", queryset.order_by("pk")):
        fields = {k: v for k, v in item["fields"].items() if k not in SECRET_FIELDS}
        rows.append({"id": item["pk"], **fields})
    return rows


def collect(user) -> dict:
    """Everything held about ``user``, as plain data."""
    profile = {name: getattr(user, name) for name in PROFILE_FIELDS}
    profile["country"] = str(user.country) if user.country_id else None
    profile["organisation"] = str(user.organisation) if user.organisation_id else None
    profile["roles"] = sorted(user.groups.values_list("name", flat=True))
    records: dict[str, list] = {}
    for model, field in _person_models():
        queryset = model._default_manager.filter(**{field: user})
        rows = _rows(queryset)
        if not rows:
            continue
        records[model._meta.label_lower] = rows
        for relation in model._meta.related_objects:
            child = relation.related_model
            if (
                (relation.one_to_many or relation.one_to_one)
                and child._meta.app_label == model._meta.app_label
                and not _has_a_person(child)
            ):
                children = _rows(
                    child._default_manager.filter(
                        **{f"{relation.field.name}__in": queryset}
                    )
                )
                if children:
                    records.setdefault(child._meta.label_lower, []).extend(children)
    _withhold_grades(user, records)
    return {
        "exported_at": timezone.now(),
        "profile": profile,
        "records": records,
    }


GRADE_FIELDS = ("marks", "percent", "passed", "fraction", "outcome", "details")


def _withhold_grades(user, records):
    """Leave out the grades of attempts whose review does not show them yet
    (an exam's answers after the last attempt, ...): the file must not give
    away what the assessment page keeps back."""
    from assessments.models import Attempt
    from assessments.selectors import review_for

    no_score, no_answers, keys = set(), set(), set()
    for attempt in Attempt.objects.filter(user=user).select_related("page"):
        review = review_for(attempt=attempt) if attempt.page_id else None
        if review is None or not review.score:
            no_score.add(attempt.pk)
            keys.add(str(attempt.assessment_key))
        if review is None or not review.answers:
            no_answers.add(attempt.pk)

    def strip(label, hidden, key):
        for row in records.get(label, []):
            if row.get(key) in hidden:
                for name in GRADE_FIELDS:
                    row.pop(name, None)

    strip("assessments.attempt", no_score, "id")
    strip("assessments.attemptgrade", no_score, "attempt")
    strip("assessments.attemptslot", no_score | no_answers, "attempt")
    strip("assessments.assessmentresult", keys, "assessment_key")


def write_json(user, file) -> int:
    """Write ``collect(user)`` to a binary file; returns how many records."""
    data = collect(user)
    file.write(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1).encode()
    )
    return sum(len(rows) for rows in data["records"].values())


def export_request(*, user, language):
    """Ask a worker to build ``user``'s file (the report export pipeline).
    A file on its way, or made in the last ten minutes, is offered instead
    of a new one: asking again does not start another build."""
    from datetime import timedelta

    from training_platform.reports import services as report_services
    from training_platform.reports.models import ExportStatus

    latest = latest_export(user)
    if latest is not None and (
        latest.status in (ExportStatus.PENDING, ExportStatus.RUNNING)
        or (
            latest.status == ExportStatus.READY
            and latest.created_at > timezone.now() - timedelta(minutes=10)
        )
    ):
        return latest
    return report_services.export_request(
        viewer=user, table=PERSONAL_DATA, fmt="json", params={}, language=language
    )


def latest_export(user):
    from training_platform.reports.models import ReportExport

    return (
        ReportExport.objects.filter(requested_by=user, table=PERSONAL_DATA)
        .order_by("-created_at")
        .first()
    )


# ---------------------------------------------------------------- erasure


ERASED_DOMAIN = "erased.invalid"


def account_erase(*, user, by, revoke_certificates=False, reason=""):
    """Erase ``user``'s personal data in one transaction, at their request
    or by a coordinator or administrator on their request.

    Identifying data goes (name, e-mail address, position, e-mail addresses,
    two-factor methods, notifications, calendar feed, free text of survey
    answers, the actor of the player's raw statements, saved player states,
    exports); the records that report figures count (enrolments, progress,
    attempts, attendance) stay, tied to an anonymous account that
    keeps the country, organisation and sex the figures are broken down by,
    so that figures stay right. Issued certificates keep verifying with the
    name as issued, unless ``revoke_certificates``. The account can no
    longer sign in; the erasure is recorded in the audit log."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator

    from certificates import services as certificate_services
    from certificates.models import Certificate, CertificateStatus
    from courses.h5p.models import H5PStatement, H5PUserState
    from training_platform.audit import services as audit
    from training_platform.audit.models import AuditAction
    from training_platform.notifications.models import (
        Notification,
        NotificationPreference,
    )
    from training_platform.reports.models import ReportExport
    from workshops.models import CalendarFeed

    user_model = get_user_model()
    with transaction.atomic():
        user = user_model.objects.select_for_update().get(pk=user.pk)
        if user.erased_at is not None:
            return user
        revoked = []
        if revoke_certificates:
            for certificate in Certificate.objects.filter(
                user=user,
                status__in=[CertificateStatus.ISSUED, CertificateStatus.PENDING],
            ):
                certificate_services.certificate_revoke(
                    certificate=certificate,
                    by=by,
                    reason=reason or "Revoked at the holder's request",
                )
                revoked.append(certificate.code)
        audit.record(
            AuditAction.ACCOUNT_ERASED,
            obj=user,
            actor=by,
            label=f"#{user.pk}",
            details={"certificates_revoked": revoked, "by_the_person": by == user},
        )
        # Locked: a file a worker is writing now is listed once it is saved.
        files = [
            export.file.name
            for export in ReportExport.objects.select_for_update().filter(
                requested_by=user
            )
            if export.file
        ]
        ReportExport.objects.filter(requested_by=user).delete()
        Notification.objects.filter(recipient=user).delete()
        NotificationPreference.objects.filter(user=user).delete()
        EmailAddress.objects.filter(user=user).delete()
        Authenticator.objects.filter(user=user).delete()
        CalendarFeed.objects.filter(user=user).delete()
        # The player's raw statements carry the person's name and address:
        # the actor goes, the statements (and the attempts and results
        # worked out from them) stay.
        for statement in H5PStatement.objects.filter(user=user).only("body"):
            if "actor" in statement.body:
                statement.body = {
                    **statement.body,
                    "actor": {"objectType": "Agent", "name": f"#{user.pk}"},
                }
                statement.save(update_fields=["body"])
        H5PUserState.objects.filter(user=user).delete()
        _erase_survey_texts(user)
        _erase_bulk_rows(user)
        user._erasing = True  # the role and country changes of an erasure
        user.groups.clear()
        user.coordinated_countries.clear()
        user.email = f"erased-{user.pk}@{ERASED_DOMAIN}"
        user.full_name = ""
        user.certificate_name = ""
        user.position = ""
        user.is_active = False
        user.is_staff = False
        user.is_superuser = False
        user.erased_at = timezone.now()
        user.set_unusable_password()
        # The new password hash ends the person's sessions everywhere.
        user.save()

        def delete_files():
            from django.core.files.storage import default_storage

            for name in files:
                default_storage.delete(name)

        transaction.on_commit(delete_files)
    logger.info("account %s erased", user.pk)
    return user


def _erase_bulk_rows(user):
    """The person's rows in uploaded bulk-enrolment files (before the
    account's address is replaced)."""
    from courses.models import BulkEnrolment

    address = user.email.lower()
    for batch in BulkEnrolment.objects.only("rows").iterator():
        changed = False
        for row in batch.rows:
            if isinstance(row, dict) and str(row.get("email", "")).lower() == address:
                row.update(
                    email=f"erased-{user.pk}@{ERASED_DOMAIN}",
                    full_name="",
                    position="",
                )
                changed = True
        if changed:
            batch.save(update_fields=["rows"])


def _erase_survey_texts(user):
    from surveys.models import SurveyResponse

    responses = SurveyResponse.objects.filter(user=user)
    for relation in SurveyResponse._meta.related_objects:
        child = relation.related_model
        text_fields = [
            f.name
            for f in child._meta.concrete_fields
            if f.get_internal_type() == "TextField"
        ]
        if relation.one_to_many and text_fields:
            child._default_manager.filter(
                **{f"{relation.field.name}__in": responses}
            ).update(**dict.fromkeys(text_fields, ""))
    responses.update(user=None)


# ---------------------------------------------------------------- retention

RETENTION_WARNING = "account_retention_warning"


def register_events():
    from django.utils.translation import gettext_lazy as _

    from training_platform.notifications import registry

    registry.register(
        RETENTION_WARNING,
        label=_("Account to be erased after a long inactivity"),
        template="accounts/email/retention_warning",
        context=_retention_context,
    )


def _retention_context(notification):
    from datetime import date

    from training_platform.notifications.services import absolute

    erase_on = notification.context.get("erase_on")
    return {
        "erase_on": date.fromisoformat(erase_on) if erase_on else None,
        "sign_in_url": absolute(reverse("account_login")),
        "data_url": absolute(reverse("accounts:data")),
    }


def _retention_candidates():
    """Learners' accounts (no staff) with the moment they were last seen."""
    from django.db.models import Max
    from django.db.models.functions import Coalesce, Greatest

    from . import roles

    return (
        get_user_model()
        .objects.filter(is_active=True, erased_at__isnull=True)
        .filter(is_staff=False, is_superuser=False)
        .exclude(groups__name__in=roles.STAFF)
        .annotate(
            last_seen=Greatest(
                Coalesce("last_login", "date_joined"),
                Coalesce(Max("enrolments__last_accessed_at"), "date_joined"),
            )
        )
    )


def retention_apply(*, now=None) -> dict:
    """Warn the learners inactive for ``ACCOUNT_RETENTION_DAYS`` minus the
    warning period, once per stretch of inactivity (the notification's key
    is the moment they were last seen), and erase those who were warned at
    least the warning period ago and have not come back. Idempotent: run it
    twice, nobody is warned or erased twice."""
    from datetime import timedelta

    from django.conf import settings

    from training_platform.notifications.models import Notification
    from training_platform.notifications.services import notify

    days = settings.ACCOUNT_RETENTION_DAYS
    done = {"warned": 0, "erased": 0}
    if days <= 0:
        return done
    now = now or timezone.now()
    notice = timedelta(days=settings.ACCOUNT_RETENTION_WARNING_DAYS)
    retention = timedelta(days=days)
    due = _retention_candidates().filter(last_seen__lte=now - retention + notice)
    for user in due.iterator():
        key = f"retention:{user.last_seen:%Y-%m-%dT%H:%M:%S}"
        warning = Notification.objects.filter(
            recipient=user, event=RETENTION_WARNING, key=key
        ).first()
        if warning is None:
            erase_on = max(user.last_seen + retention, now + notice)
            if notify(
                recipient=user,
                event=RETENTION_WARNING,
                key=key,
                context={"erase_on": erase_on.date().isoformat()},
            ):
                done["warned"] += 1
            continue
        if user.last_seen <= now - retention and warning.created_at <= now - notice:
            account_erase(user=user, by=None)
            done["erased"] += 1
    if any(done.values()):
        logger.info("retention: %(warned)s warned, %(erased)s erased", done)
    return done

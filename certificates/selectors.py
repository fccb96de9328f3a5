"""Reads about certificates. Anything that lists people's certificates goes
through the one scoping function of accounts (``scope_to_visible_learners``)."""

import datetime

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from training_platform.accounts.selectors import scope_to_visible_learners

from . import codes, signing, status_list
from .models import Certificate, CertificateStatus

PUBLIC_STATUSES = (
    CertificateStatus.ISSUED,
    CertificateStatus.REVOKED,
    CertificateStatus.SUPERSEDED,
)


def certificate_for_code(code: str | None) -> Certificate | None:
    """The certificate a typed or scanned code names, if it was ever issued.
    Pending and not-eligible rows are not public."""
    canonical = codes.normalise(code)
    if canonical is None:
        return None
    return Certificate.objects.filter(
        code=canonical, status__in=PUBLIC_STATUSES
    ).first()


def certificates_of(user) -> QuerySet[Certificate]:
    """A learner's own certificates, newest first (D02: nobody else's)."""
    if not getattr(user, "is_authenticated", False):
        return Certificate.objects.none()
    return Certificate.objects.filter(user=user).exclude(
        status=CertificateStatus.NOT_ELIGIBLE
    )


def certificate_of(user, pk) -> Certificate | None:
    return certificates_of(user).filter(pk=pk).first()


def certificates_visible_to(viewer) -> QuerySet[Certificate]:
    """Certificates of the learners ``viewer`` may see (coordinators: their
    countries only; administrators: all)."""
    return scope_to_visible_learners(
        viewer,
        Certificate.objects.exclude(status=CertificateStatus.NOT_ELIGIBLE),
        path="user",
        course_path="course_key",
    )


def status_counts(queryset: QuerySet[Certificate], now=None) -> dict:
    """valid / expired / revoked / superseded / pending counts of a queryset
    (for reports)."""
    now = now or timezone.now()
    issued = Q(status=CertificateStatus.ISSUED)
    unexpired = Q(expires_at__isnull=True) | Q(expires_at__gt=now)
    return queryset.aggregate(
        valid=Count("pk", filter=issued & unexpired),
        expired=Count("pk", filter=issued & Q(expires_at__lte=now)),
        revoked=Count("pk", filter=Q(status=CertificateStatus.REVOKED)),
        superseded=Count("pk", filter=Q(status=CertificateStatus.SUPERSEDED)),
        pending=Count("pk", filter=Q(status=CertificateStatus.PENDING)),
    )


def _iso(moment):
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def credential_for(certificate: Certificate) -> dict:
    """The certificate as a signed Open Badges 3.0 credential. Built from the
    stored fields, and Ed25519 signatures are deterministic, so the same
    certificate always gives the same document."""
    from django.conf import settings

    from .rendering import verify_url

    url = verify_url(certificate.code)
    achievement = {
        "id": f"{settings.SITE_URL}/courses/{certificate.course_key}",
        "type": ["Achievement"],
        "achievementType": "Certificate",
        "name": certificate.course_title,
        "description": certificate.course_title_secondary or certificate.course_title,
        "criteria": {"narrative": "Completion of the course"},
    }
    if certificate.hours is not None:
        achievement["creditsAvailable"] = str(certificate.hours)
    subject = {
        "type": ["AchievementSubject"],
        "identifier": [
            {
                "type": "IdentityObject",
                "identityType": "name",
                "hashed": False,
                "identityHash": certificate.learner_name,
            }
        ],
        "achievement": achievement,
    }
    if certificate.score is not None:
        subject["result"] = [
            {"type": ["Result"], "value": f"{certificate.score.normalize():f}%"}
        ]
    document = {
        "@context": list(signing.CONTEXTS),
        "id": url,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": certificate.course_title,
        "issuer": {
            "id": signing.issuer_did(),
            "type": ["Profile"],
            "name": settings.WAGTAIL_SITE_NAME,
            "url": settings.SITE_URL,
        },
        "validFrom": _iso(certificate.issued_at),
        "credentialSubject": subject,
    }
    if certificate.expires_at:
        document["validUntil"] = _iso(certificate.expires_at)
    # Revocation travels with the file: a verifier reads the certificate's bit
    # in the signed status list (D03).
    document["credentialStatus"] = status_list.entry_for(certificate)
    return signing.sign(document, created=_iso(certificate.issued_at))

"""Fixtures for the certificates tests: a signing key, a course-like page
with a certificate rule, templates and issued certificates."""

import base64
import uuid
from decimal import Decimal

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
)

TEST_KEY = base64.b64encode(
    Ed25519PrivateKey.generate().private_bytes(
        Encoding.Raw, PrivateFormat.Raw, NoEncryption()
    )
).decode()


@pytest.fixture(autouse=True)
def _signing_key(settings):
    from certificates import signing

    settings.CERTIFICATE_SIGNING_KEY = TEST_KEY
    signing.reset_key_cache()
    yield
    signing.reset_key_cache()


@pytest.fixture
def certificate_template(db):
    from certificates.models import CertificateTemplate

    return CertificateTemplate.objects.create(name="Standard", language="en")


@pytest.fixture
def course_page(db):
    """A page standing for a course (any Wagtail page can carry a rule)."""
    from wagtail.models import Page

    root = Page.get_first_root_node()
    page = Page(
        title="Identifying victims of trafficking", slug=f"c-{uuid.uuid4().hex[:8]}"
    )
    root.add_child(instance=page)
    return page


@pytest.fixture
def course(db, certificate_template):
    """A real course (modules and lessons) that issues certificates valid for
    a year."""
    from certificates.models import CourseCertificateRule
    from courses.factories import build_course

    course = build_course(title="Identifying victims", slug="identifying-victims")
    CourseCertificateRule.objects.create(
        course=course, template=certificate_template, validity_months=12
    )
    return course


@pytest.fixture
def rule(course_page, certificate_template):
    from certificates.models import CourseCertificateRule

    return CourseCertificateRule.objects.create(
        course=course_page, template=certificate_template, validity_months=24
    )


@pytest.fixture
def make_certificate(rule, course_page):
    """Create and issue (and by default render) a certificate for ``user``."""

    def make(user, *, render=True, score=Decimal("88")):
        from certificates import services

        certificate = services.certificate_request(
            user=user,
            course_key=course_page.translation_key,
            course=course_page,
            score=score,
        )
        services.certificate_issue(certificate_id=certificate.pk)
        if render:
            services.certificate_render(certificate_id=certificate.pk)
        certificate.refresh_from_db()
        return certificate

    return make

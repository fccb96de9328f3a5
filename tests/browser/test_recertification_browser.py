"""Recertification, the whole road in a browser: the expiry e-mail links to
the course, the learner can take it again once the certificate has expired,
works through it a second time and receives a new certificate, while the old
one stays on record and verifies as expired."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from tests.certificates.conftest import (  # noqa: F401 - fixtures
    _signing_key,
    certificate_template,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(page, live_server, user):
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": session.session_key,
                "url": live_server.url,
            }
        ]
    )


def test_from_the_expiry_email_to_a_new_certificate(
    live_server,
    page,
    screenshot,
    settings,
    learner,
    certificate_template,  # noqa: F811 - the fixture imported above
):
    from certificates import services as certificate_services
    from certificates.models import Certificate, CourseCertificateRule
    from courses import services as course_services
    from courses.factories import build_course
    from tests.browser.helpers import walk_course_to_the_end

    settings.SITE_URL = live_server.url
    course = build_course(
        title="Referral of victims", slug="referral-of-victims", modules=1, lessons=2
    )
    CourseCertificateRule.objects.create(
        course=course, template=certificate_template, validity_months=12
    )
    course_services.enrolment_create(user=learner, course=course, source="self")
    for item in course.get_course_items():
        course_services.item_progress_record(user=learner, page=item, completed=True)
    first = Certificate.objects.get(user=learner)
    assert first.public_status == "valid"

    # Ten days before expiry the reminder goes out, with the course's address.
    Certificate.objects.filter(pk=first.pk).update(
        expires_at=timezone.now() + timedelta(days=10)
    )
    mail.outbox.clear()
    assert certificate_services.certificates_send_expiry_reminders(days=30) == 1
    (reminder,) = mail.outbox
    link = re.search(r"Take the course again: (\S+)", reminder.body).group(1)
    assert link == f"{live_server.url}{course.url}"

    # Before the expiry date the course page says when it becomes possible.
    _log_in(page, live_server, learner)
    page.goto(link)
    panel = page.locator(".enrol-panel")
    assert "valid until" in panel.inner_text()
    assert page.get_by_role("button", name="Take the course again").count() == 0
    screenshot("recertification-before-expiry")

    # The certificate expires; the learner follows the link again.
    Certificate.objects.filter(pk=first.pk).update(
        expires_at=timezone.now() - timedelta(days=1)
    )
    page.goto(link)
    again = page.get_by_role("button", name="Take the course again")
    assert again.is_visible()
    screenshot("recertification-after-expiry")
    with page.expect_navigation():
        again.click()
    assert page.locator("article.lesson h1").is_visible()
    lessons_seen, _ = walk_course_to_the_end(page)
    assert lessons_seen == 2
    bar = page.locator(".enrol-panel [role=progressbar]")
    assert bar.get_attribute("aria-valuenow") == "100"

    # "My learning" shows the new, valid certificate and the expired one.
    second = Certificate.objects.exclude(pk=first.pk).get(user=learner)
    page.goto(f"{live_server.url}/en/my/")
    cards = page.locator(".certificate-card")
    assert cards.count() == 2
    new_card = cards.filter(has_text=second.display_code)
    old_card = cards.filter(has_text=first.display_code)
    assert new_card.locator(".badge-success").is_visible()
    assert old_card.locator(".badge-warning").inner_text() == "Expired"
    screenshot("recertification-my-learning")

    # Anyone checking the codes: the new one is valid, the old one expired.
    page.goto(f"{live_server.url}/en/verify/{second.code}")
    assert "Valid" in page.locator(".verify-verdict").inner_text()
    page.goto(f"{live_server.url}/en/verify/{first.code}")
    assert "Expired" in page.locator(".verify-verdict").inner_text()
    assert not page.console_errors

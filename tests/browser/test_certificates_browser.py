"""A learner finds their certificate and an employer verifies it, on a phone,
in English and in Russian."""

import pytest

from tests.certificates.conftest import (  # noqa: F401 - fixtures
    _signing_key,
    certificate_template,
    course_page,
    make_certificate,
    rule,
)
from tests.certificates.test_worker import worker_media  # noqa: F401 - fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("language", ["en", "ru"])
def test_learner_downloads_and_employer_verifies_on_a_phone(
    live_server,
    page,
    screenshot,
    learner,
    make_certificate,  # noqa: F811 - the fixture imported above
    language,
):
    learner.certificate_name = "Ана Петровић"
    learner.preferred_language = language
    learner.save()
    certificate = make_certificate(learner)

    # The employer types the code (lower case, with spaces) into the form.
    page.goto(f"{live_server.url}/{language}/verify/")
    typed = certificate.display_code.lower().replace("-", " ")
    page.fill("#id_code", typed)
    page.locator("form.verify-form button[type=submit]").click()
    page.wait_for_url(f"**/verify/{certificate.code}*")
    assert page.locator("html").get_attribute("lang") == language
    assert page.locator(".verify-result .badge-success").is_visible()
    assert "Ана Петровић" in page.locator(".verify-facts").inner_text()
    robots = page.locator('meta[name="robots"]').get_attribute("content")
    assert robots.startswith("noindex")
    screenshot(f"certificates-verify-{language}")

    # An unknown code.
    page.goto(f"{live_server.url}/{language}/verify/?code=0000-0000")
    assert page.locator(".message-error").is_visible()
    screenshot(f"certificates-verify-unknown-{language}")
    page.console_errors.clear()  # the 404 of the unknown code itself

    # The learner logs in and sees the certificate on "My learning".
    page.context.add_cookies([])
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(learner.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = learner.get_session_auth_hash()
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
    page.goto(f"{live_server.url}/{language}/my/")
    card = page.locator(".certificate-card")
    assert card.count() == 1
    assert certificate.display_code in card.inner_text()
    assert card.locator("a[href*='linkedin.com/profile/add']").count() == 1
    screenshot(f"certificates-my-learning-{language}")
    with page.expect_download() as download:
        card.locator("a[href$='certificate.pdf']").click()
    assert download.value.suggested_filename == f"certificate-{certificate.code}.pdf"
    assert not page.console_errors


@pytest.mark.parametrize(
    "worker", [False, pytest.param(True, marks=pytest.mark.services)]
)
def test_completing_the_demo_course_issues_a_certificate_whose_qr_opens_verification(
    live_server, page, screenshot, settings, tmp_path, request, worker
):
    """The demo learner (name on certificates in Cyrillic) finishes the demo
    course in the browser; the certificate appears on "My learning" within
    seconds (tasks inline, or on a real worker in the services run), and the
    QR code printed on its PDF opens the verification page."""
    import os
    import re
    import time
    from pathlib import Path

    from django.core.management import call_command

    from tests.browser.helpers import walk_course_to_the_end
    from tests.certificates.test_rendering import decode_qr

    if not worker and os.environ.get("PLATFORM_TEST_SERVICES") == "1":
        pytest.skip("the services run takes the real-worker variant")
    settings.SITE_URL = live_server.url
    if worker:
        request.getfixturevalue("worker_media")
    call_command("seed_demo", stdout=open(tmp_path / "seed.log", "w"))  # noqa: SIM115
    page.goto(f"{live_server.url}/en/accounts/login/")
    page.locator("#id_login").fill("learner@demo.test")
    page.locator("#id_password").fill("demo-password-2026")
    page.locator("form.stack-form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/en/my/"))
    assert page.locator(".certificate-card").count() == 0
    continue_link = page.get_by_role("link", name="Continue where you left off")
    continue_link.first.click()
    page.wait_for_load_state()
    if page.locator("body.page-course").count():  # the course page: go on
        continue_link.first.click()
        page.wait_for_load_state()
    walk_course_to_the_end(page)
    bar = page.locator(".enrol-panel [role=progressbar]")
    assert bar.get_attribute("aria-valuenow") == "100"
    completed = time.monotonic()

    card = page.locator(".certificate-card")
    while True:
        page.goto(f"{live_server.url}/en/my/")
        if card.locator("a[href$='certificate.pdf']").count():
            break
        assert time.monotonic() - completed < 20, "no certificate within 20 s"
        time.sleep(0.5)
    print(f"certificate ready {time.monotonic() - completed:.1f} s after completion")
    assert card.count() == 1
    assert card.locator(".badge-success").is_visible()
    screenshot(f"certificates-after-completion-{'worker' if worker else 'inline'}")
    with page.expect_download() as download:
        card.locator("a[href$='certificate.pdf']").click()
    pdf = Path(download.value.path()).read_bytes()
    (url,) = decode_qr(pdf)
    match = re.fullmatch(r"(https?://[^/]+)(/verify/[0-9A-Z]{28})", url)
    assert match, url
    if not worker:  # the worker process prints its own SITE_URL
        assert match.group(1) == live_server.url
    page.goto(live_server.url + match.group(2))
    assert page.locator(".verify-result .badge-success").is_visible()
    assert "Ана Петровић" in page.locator(".verify-facts").inner_text()
    screenshot(f"certificates-qr-verification-{'worker' if worker else 'inline'}")


def _staff_session(page, live_server, user, mfa):
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.utils import timezone

    mfa(user)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session["account_authentication_methods"] = [
        {"method": "mfa", "type": "totp", "at": timezone.now().timestamp()}
    ]
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


@pytest.mark.viewport({"width": 1280, "height": 900})
def test_administrator_register_and_revocation(
    live_server,
    page,
    screenshot,
    administrator,
    mfa,
    learner,
    make_certificate,  # noqa: F811 - the fixture imported above
):
    certificate = make_certificate(learner)
    _staff_session(page, live_server, administrator, mfa)
    page.goto(f"{live_server.url}/admin/certificates/register/")
    assert page.get_by_text(certificate.learner_name).count() >= 1
    screenshot("certificates-admin-register")
    page.goto(
        f"{live_server.url}/admin/certificates/register/inspect/{certificate.pk}/"
    )
    page.locator("form.certificate-action textarea[name=reason]").first.fill(
        "Issued in error"
    )
    page.locator("form.certificate-action button.no").click()
    page.wait_for_load_state()
    certificate.refresh_from_db()
    assert certificate.status == "revoked"
    screenshot("certificates-admin-inspect-revoked")

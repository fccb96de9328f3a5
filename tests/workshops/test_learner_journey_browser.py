"""An enrolled learner's whole journey through an in-person workshop, on a
phone: open the session page, register with one tap, receive the invitation
(.ics) by e-mail, check in by following the QR code shown in the room, and
receive the attendance certificate, visible on "My certificates"."""

import time
import zoneinfo
from datetime import timedelta
from io import BytesIO

import icalendar
import pytest
from django.core import mail
from django.utils import timezone

from certificates.models import Certificate, CertificateKind, CertificateTemplate
from courses import services as course_services
from courses.factories import build_course
from courses.models import ItemProgress
from tests.browser.helpers import admin_login
from tests.certificates.conftest import _signing_key  # noqa: F401 - fixture
from training_platform.accounts.factories import TrainerFactory
from workshops.factories import build_session
from workshops.models import Attendance, Registration

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Identifying victims: workshop in Tirana"
LENGTH = timedelta(hours=2)
# Venues in zones far apart: in one of them the date starting in twenty
# minutes ends on the same local day, whatever the hour of the test run.
ZONES = [
    "Europe/Tirane",
    "Asia/Tbilisi",
    "Asia/Tokyo",
    "Pacific/Auckland",
    "America/New_York",
    "America/Los_Angeles",
]


def _a_date_about_to_start():
    """(day, start, end, zone) of a date starting in about twenty minutes:
    registration is still open (it closes at the start) and check-in already
    is (it opens thirty minutes before)."""
    start = (timezone.now() + timedelta(minutes=21)).replace(second=0, microsecond=0)
    for name in ZONES:
        local = start.astimezone(zoneinfo.ZoneInfo(name))
        if (local + LENGTH).date() == local.date():
            return local.date(), local.time(), (local + LENGTH).time(), name
    raise AssertionError("no zone where the date fits in one day")  # pragma: no cover


def _wait_for(predicate, *, seconds=20, what="the condition"):
    """The live server works in its own thread; give it a moment."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def _calendar_attachments(message):
    """(content, mimetype) of the message's text/calendar attachments."""
    found = []
    for attachment in message.attachments:
        if isinstance(attachment, tuple):
            _name, content, mimetype = attachment
        else:  # a MIME part
            content = attachment.get_payload(decode=True)
            mimetype = attachment.get_content_type()
        if mimetype and mimetype.split(";")[0].strip() == "text/calendar":
            found.append((content, mimetype))
    return found


def _no_horizontal_scroll(page):
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


def _read_qr_on_the_room_screen(browser, live_server, trainer, secret, date):
    """The trainer opens the date's QR code page (as on the room's screen);
    the code is read from the pixels, as a phone camera would."""
    import zxingcpp
    from PIL import Image

    context = browser.new_context(
        viewport={"width": 1280, "height": 800}, locale="en-GB"
    )
    context.set_default_timeout(15_000)
    try:
        screen = context.new_page()
        admin_login(screen, live_server, trainer, secret)
        screen.goto(f"{live_server.url}/en/workshops/staff/dates/{date.pk}/qr/")
        assert screen.locator("h1").inner_text() == TITLE
        # The window is open: no "check-in opens 30 minutes before" warning.
        assert not screen.locator(".message-warning").count()
        pixels = screen.locator(".qr-code svg").screenshot()
    finally:
        context.close()
    codes = zxingcpp.read_barcodes(Image.open(BytesIO(pixels)))
    assert len(codes) == 1, "the room's screen shows one readable QR code"
    return codes[0].text


def test_learner_registers_checks_in_and_gets_the_attendance_certificate(
    live_server, browser, page, screenshot, settings, learner, mfa
):
    settings.SITE_URL = live_server.url  # links in e-mails and invitations
    trainer = TrainerFactory(email="trainer-qr@example.org")
    secret = mfa(trainer)
    course = build_course(title="Blended", slug="blended-journey", modules=1, lessons=1)
    module = course.get_children().first().specific
    session = build_session(
        module=module,
        title=TITLE,
        trainers=[trainer],
        capacity=12,
        attendance_min_percent=80,
        dates=[_a_date_about_to_start()],
    )
    date = session.dates.get()
    assert date.starts_at > timezone.now()  # registration is still open
    CertificateTemplate.objects.create(
        name="Attendance", language="en", kind=CertificateKind.ATTENDANCE
    )
    course_services.enrolment_create(user=learner, course=course, source="self")
    session_url = live_server.url + session.url

    # 1. The learner signs in on the phone and opens the session page.
    page.goto(f"{live_server.url}/en/accounts/login/?next={session.url}")
    page.locator("#id_login").fill(learner.email)
    page.locator("#id_password").fill("correct-horse-battery")
    page.locator("form.stack-form button[type=submit]").first.click()
    page.wait_for_url(session_url)
    assert page.locator("h1#session-title").inner_text() == TITLE
    assert not Registration.objects.filter(user=learner).exists()

    # 2. One tap registers them for the date.
    mail.outbox.clear()
    register = page.locator(
        "article.session form[action$='/register/'] button[type=submit]"
    )
    assert register.is_visible()
    assert register.bounding_box()["height"] >= 44  # a thumb-sized target
    with page.expect_navigation():
        register.click()
    assert page.url == session_url
    assert "You are registered" in page.locator("body").inner_text()
    slot = page.locator(f"#date-{date.pk}")
    assert slot.locator(".badge-success", has_text="Registered").is_visible()
    registration = Registration.objects.get(user=learner, date=date)
    assert registration.status == "registered" and registration.source == "self"
    assert _no_horizontal_scroll(page) <= 0
    screenshot("workshops-journey-1-registered-phone")

    # 3. The invitation e-mail, with the .ics, reaches the learner.
    def invitations():
        return [
            m for m in mail.outbox if learner.email in m.to and _calendar_attachments(m)
        ]

    message = _wait_for(invitations, what="the invitation e-mail")
    assert len(message) == 1
    message = message[0]
    assert message.to == [learner.email]
    (content, mimetype), *more = _calendar_attachments(message)
    assert not more
    assert "method=request" in mimetype.lower()
    calendar = icalendar.Calendar.from_ical(content)
    assert str(calendar["method"]).upper() == "REQUEST"
    (event,) = calendar.walk("VEVENT")
    assert str(event["summary"]) == TITLE
    assert event.decoded("dtstart") == date.starts_at
    assert event.decoded("dtend") == date.ends_at
    assert "Tirana" in str(event["location"])
    assert str(event["attendee"]).lower() == f"mailto:{learner.email}"
    assert str(event["url"]) == session_url

    # 4. In the room: the learner's phone reads the QR code on the screen and
    #    opens its address; one more tap records the attendance.
    checkin_url = _read_qr_on_the_room_screen(
        browser, live_server, trainer, secret, date
    )
    assert checkin_url.startswith(
        f"{live_server.url}/en/workshops/dates/{date.pk}/check-in/?t="
    )
    page.goto(checkin_url)
    assert page.locator("h1").inner_text() == "Check in"
    assert TITLE in page.locator("main").inner_text()
    assert not page.locator(".message-error").count()
    assert not Attendance.objects.exists()  # opening the code records nothing
    assert _no_horizontal_scroll(page) <= 0
    here = page.get_by_role("button", name="I am here")
    assert here.bounding_box()["height"] >= 44
    with page.expect_navigation():
        here.click()
    assert page.url == session_url
    assert "Your attendance is recorded" in page.locator("body").inner_text()
    assert slot.locator(".badge", has_text="Present").is_visible()
    attendance = Attendance.objects.get(user=learner, date=date)
    assert (attendance.status, attendance.method) == ("present", "check_in")
    assert _no_horizontal_scroll(page) <= 0
    screenshot("workshops-journey-2-checked-in-phone")

    # 5. The attendance rule holds (100 % of the hours): the session item is
    #    completed and the attendance certificate issued, once.
    progress = ItemProgress.objects.get(user=learner, item_key=session.translation_key)
    assert progress.is_completed and progress.source == "server"
    certificate = _wait_for(
        lambda: Certificate.objects.filter(user=learner, status="issued").first(),
        what="the attendance certificate to be issued",
    )
    assert Certificate.objects.filter(user=learner).count() == 1
    assert certificate.kind == CertificateKind.ATTENDANCE
    assert certificate.course_key == session.translation_key
    assert certificate.course_title == TITLE
    assert certificate.hours == 2

    # 6. ... and it is on the learner's certificates page.
    page.goto(f"{live_server.url}/en/certificates/")
    cards = page.locator(".certificate-card")
    assert cards.count() == 1
    assert cards.first.locator("h3").inner_text() == TITLE
    assert certificate.display_code in cards.first.inner_text()
    assert _no_horizontal_scroll(page) <= 0
    screenshot("workshops-journey-3-certificates-phone")
    assert not page.console_errors

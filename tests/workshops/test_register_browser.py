"""A trainer marks attendance on a phone-sized screen, in Russian: one tap
per participant, each row saved on its own, and the page fits the phone."""

import pytest

from courses import services as course_services
from courses.factories import build_course
from tests.browser.helpers import admin_login
from training_platform.accounts.factories import TrainerFactory, UserFactory
from workshops import services
from workshops.factories import build_session
from workshops.models import Attendance

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_trainer_marks_attendance_on_a_phone_in_russian(
    live_server, page, screenshot, mfa
):
    trainer = TrainerFactory(email="trainer-ru@example.org", preferred_language="ru")
    secret = mfa(trainer)
    course = build_course(title="Blended", slug="blended-browser", modules=1, lessons=1)
    module = course.get_children().first().specific
    session = build_session(module=module, trainers=[trainer], capacity=10)
    date = session.dates.get()
    people = [
        UserFactory(full_name="Арта Хоxа", preferred_language="ru"),
        UserFactory(full_name="Бесник Лека", preferred_language="ru"),
    ]
    for person in people:
        course_services.enrolment_create(user=person, course=course, source="self")
        services.registration_create(user=person, session=session, by=trainer)

    admin_login(page, live_server, trainer, secret)
    page.goto(f"{live_server.url}/ru/workshops/staff/dates/{date.pk}/register/")
    first, second = (page.locator(f"#row-{p.pk}") for p in people)
    first.locator("button[value=present]").click()
    page.wait_for_selector(
        f"#row-{people[0].pk} button[value=present][aria-pressed=true]"
    )
    second.locator("button[value=late]").click()
    page.wait_for_selector(f"#row-{people[1].pk} button[value=late][aria-pressed=true]")
    # A correction is one more tap on the same row.
    page.locator(f"#row-{people[1].pk} button[value=excused]").click()
    page.wait_for_selector(
        f"#row-{people[1].pk} button[value=excused][aria-pressed=true]"
    )
    marks = dict(Attendance.objects.values_list("user_id", "status"))
    assert marks == {people[0].pk: "present", people[1].pk: "excused"}
    assert page.locator("html").get_attribute("lang") == "ru"
    assert "09:00–17:00" in page.content()  # the venue's time
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    box = page.locator(f"#row-{people[0].pk} button[value=absent]").bounding_box()
    assert box["height"] >= 44  # a thumb-sized target
    screenshot("workshops-register-phone-ru")
    assert not page.console_errors


def test_trainer_types_paper_scores_on_a_phone(live_server, page, screenshot, mfa):
    """The paper-score grid on a phone, in Russian: a score as points, one
    wrong box refused with the typed values kept, then saved."""
    from assessments.models import PaperResult

    trainer = TrainerFactory(email="trainer-paper@example.org", preferred_language="ru")
    secret = mfa(trainer)
    course = build_course(title="Blended", slug="blended-paper", modules=1, lessons=1)
    module = course.get_children().first().specific
    session = build_session(module=module, trainers=[trainer], capacity=10)
    people = [
        UserFactory(full_name="Арта Хоxа", preferred_language="ru"),
        UserFactory(full_name="Бесник Лека", preferred_language="ru"),
    ]
    for person in people:
        course_services.enrolment_create(user=person, course=course, source="self")
        services.registration_create(user=person, session=session, by=trainer)

    admin_login(page, live_server, trainer, secret)
    page.goto(
        f"{live_server.url}/ru/workshops/staff/sessions/{session.pk}/paper-results/"
    )
    first, second = people
    page.locator(f"input[name=pre-{first.pk}]").fill("14/20")
    page.locator(f"input[name=post-{first.pk}]").fill("18/20")
    page.locator(f"input[name=pre-{second.pk}]").fill("150")
    page.locator(".paper-form button[type=submit]").click()
    page.wait_for_selector(f"#row-{second.pk}.has-error")
    assert page.locator(f"input[name=pre-{first.pk}]").input_value() == "14/20"
    assert not PaperResult.objects.exists()
    screenshot("workshops-paper-scores-error-phone-ru")
    page.locator(f"input[name=pre-{second.pk}]").fill("55")
    page.locator(".paper-form button[type=submit]").click()
    page.wait_for_selector(f"#row-{first.pk} input[value='70']")
    scores = dict(
        PaperResult.objects.filter(kind="pretest").values_list("user_id", "percent")
    )
    assert scores == {first.pk: 70, second.pk: 55}
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    screenshot("workshops-paper-scores-phone-ru")
    assert not page.console_errors

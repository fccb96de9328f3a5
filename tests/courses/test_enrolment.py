"""Enrolment modes, windows, capacity, approval and withdrawal."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.utils import timezone

from courses import services
from courses.factories import build_course, translate_tree
from courses.models import Enrolment
from training_platform.accounts.factories import CoordinatorFactory, UserFactory
from training_platform.accounts.models import Country

pytestmark = pytest.mark.django_db

KEY = "Border-2026"


def make(**fields):
    return build_course(modules=1, lessons=2, **fields)


def test_open_course_self_enrolment_is_active_and_idempotent(course, learner):
    first = services.enrolment_create(user=learner, course=course, source="self")
    again = services.enrolment_create(user=learner, course=course, source="self")
    assert first.pk == again.pk
    assert first.status == "active" and first.source == "self"
    assert Enrolment.objects.filter(user=learner).count() == 1


def test_one_enrolment_per_learner_and_course_is_a_database_rule(course, learner):
    services.enrolment_create(user=learner, course=course, source="self")
    with pytest.raises(IntegrityError):
        Enrolment.objects.create(
            user=learner, course_key=course.translation_key, course=course
        )


def test_translations_are_one_course_for_enrolment(course, learner):
    russian = translate_tree(course, "ru")
    english = services.enrolment_create(user=learner, course=course, source="self")
    from_russian = services.enrolment_create(
        user=learner, course=russian, source="self"
    )
    assert english.pk == from_russian.pk


def test_key_mode_needs_the_right_key(learner):
    course = make(enrolment_mode="key", enrolment_key="Border-2026")
    with pytest.raises(services.EnrolmentError) as error:
        services.enrolment_create(user=learner, course=course, source="self")
    assert error.value.code == "key_required"
    with pytest.raises(services.EnrolmentError) as error:
        services.enrolment_create(
            user=learner, course=course, source="key", key="wrong"
        )
    assert error.value.code == "wrong_key"
    enrolment = services.enrolment_create(
        user=learner, course=course, source="key", key=" border-2026 "
    )
    assert enrolment.status == "active" and enrolment.source == "key"


def test_invitation_mode_refuses_self_enrolment_but_accepts_staff(
    learner, administrator
):
    course = make(enrolment_mode="invitation")
    with pytest.raises(services.EnrolmentError) as error:
        services.enrolment_create(user=learner, course=course, source="self")
    assert error.value.code == "invitation_only"
    enrolment = services.enrolment_create(
        user=learner, course=course, source="bulk", by=administrator
    )
    assert enrolment.status == "active"


def test_approval_mode_waits_for_a_coordinator_of_the_learners_country(learner):
    course = make(enrolment_mode="approval")
    enrolment = services.enrolment_create(user=learner, course=course, source="self")
    assert enrolment.status == "pending" and enrolment.source == "approval"
    other = CoordinatorFactory(countries=list(Country.objects.filter(code="KZ")))
    with pytest.raises(PermissionDenied):
        services.enrolment_approve(enrolment=enrolment, by=other)
    serbia = CoordinatorFactory(countries=list(Country.objects.filter(code="RS")))
    approved = services.enrolment_approve(enrolment=enrolment, by=serbia)
    assert approved.status == "active" and approved.decided_by == serbia
    # Repeating is a no-op.
    assert services.enrolment_approve(enrolment=approved, by=serbia).status == "active"


def test_refused_request_frees_the_place(learner, coordinator):
    course = make(enrolment_mode="approval", capacity=1)
    enrolment = services.enrolment_create(user=learner, course=course, source="self")
    services.enrolment_refuse(enrolment=enrolment, by=coordinator)
    other = UserFactory()
    assert (
        services.enrolment_create(user=other, course=course, source="self").status
        == "pending"
    )


@pytest.mark.parametrize(
    ("opens", "closes", "code"),
    [(1, None, "not_open_yet"), (None, -1, "closed")],
)
def test_enrolment_window_is_enforced(learner, opens, closes, code):
    now = timezone.now()
    course = make(
        enrolment_opens_at=now + timedelta(days=opens) if opens else None,
        enrolment_closes_at=now + timedelta(days=closes) if closes else None,
    )
    with pytest.raises(services.EnrolmentError) as error:
        services.enrolment_create(user=learner, course=course, source="self")
    assert error.value.code == code


def test_open_window_allows_enrolment(learner):
    now = timezone.now()
    course = make(
        enrolment_opens_at=now - timedelta(days=1),
        enrolment_closes_at=now + timedelta(days=1),
    )
    assert services.enrolment_create(user=learner, course=course, source="self")


def test_capacity_counts_all_translations_and_frees_on_withdrawal(learner):
    course = make(capacity=2)
    russian = translate_tree(course, "ru")
    first = services.enrolment_create(user=learner, course=course, source="self")
    services.enrolment_create(user=UserFactory(), course=russian, source="self")
    third = UserFactory()
    with pytest.raises(services.EnrolmentError) as error:
        services.enrolment_create(user=third, course=course, source="self")
    assert error.value.code == "full"
    services.enrolment_withdraw(enrolment=first, by=learner)
    assert services.enrolment_create(user=third, course=russian, source="self")


def test_capacity_applies_to_staff_enrolment_too(learner, administrator):
    course = make(capacity=1)
    services.enrolment_create(user=UserFactory(), course=course, source="self")
    with pytest.raises(services.EnrolmentError):
        services.enrolment_create(
            user=learner, course=course, source="bulk", by=administrator
        )


def test_prerequisites_must_be_completed_first(learner):
    basics = make(title="Basics")
    advanced = make(title="Advanced")
    advanced.prerequisites.add(basics)
    advanced.save_revision().publish()
    with pytest.raises(services.EnrolmentError) as error:
        services.enrolment_create(user=learner, course=advanced, source="self")
    assert error.value.code == "prerequisites"
    services.enrolment_create(user=learner, course=basics, source="self")
    for item in basics.get_course_items():
        services.item_progress_record(user=learner, page=item, completed=True)
    assert services.enrolment_create(user=learner, course=advanced, source="self")


def test_learner_withdraws_and_re_enrols_keeping_progress(course, learner, lessons):
    enrolment = services.enrolment_create(user=learner, course=course, source="self")
    services.item_progress_record(user=learner, page=lessons[0], completed=True)
    withdrawn = services.enrolment_withdraw(enrolment=enrolment, by=learner)
    assert withdrawn.status == "withdrawn" and withdrawn.withdrawn_at
    with pytest.raises(services.NotEnrolled):
        services.item_progress_record(user=learner, page=lessons[1], completed=True)
    again = services.enrolment_create(user=learner, course=course, source="self")
    assert again.pk == enrolment.pk and again.status == "active"
    assert again.item_progress.filter(status="completed").count() == 1


def test_coordinator_withdraws_only_learners_of_their_countries(course, learner):
    enrolment = services.enrolment_create(user=learner, course=course, source="self")
    kazakhstan = CoordinatorFactory(countries=list(Country.objects.filter(code="KZ")))
    with pytest.raises(PermissionDenied):
        services.enrolment_withdraw(enrolment=enrolment, by=kazakhstan)
    another_learner = UserFactory()
    with pytest.raises(PermissionDenied):
        services.enrolment_withdraw(enrolment=enrolment, by=another_learner)
    serbia = CoordinatorFactory(countries=list(Country.objects.filter(code="RS")))
    assert (
        services.enrolment_withdraw(enrolment=enrolment, by=serbia).status
        == "withdrawn"
    )


# ------------------------------------------------------------------ views


def test_enrol_button_enrols_and_opens_the_first_lesson(client, course, learner):
    client.force_login(learner)
    response = client.post(course.url + "enrol/")
    assert response.status_code == 302
    assert response["Location"] == course.get_course_items()[0].url
    assert Enrolment.objects.get(user=learner).status == "active"


def test_enrol_needs_post_and_csrf(course, learner):
    """B10: a cross-site POST without a CSRF token is refused."""
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)
    assert client.get(course.url + "enrol/").status_code == 405
    assert client.post(course.url + "enrol/").status_code == 403
    assert not Enrolment.objects.exists()


def test_course_page_offers_the_action_of_its_mode(client, learner):
    client.force_login(learner)
    cases = {
        "open": "Enrol in this course",
        "key": "Enrolment key",
        "approval": "Ask to enrol",
        "invitation": "by invitation only",
    }
    for mode, text in cases.items():
        course = make(enrolment_mode=mode, enrolment_key=KEY if mode == "key" else "")
        assert text in client.get(course.url).content.decode(), mode


def test_wrong_key_shows_a_message_and_enrols_nobody(client, learner):
    course = make(enrolment_mode="key", enrolment_key=KEY)
    client.force_login(learner)
    response = client.post(course.url + "enrol/", {"key": "nope"}, follow=True)
    assert "not right" in response.content.decode()
    assert not Enrolment.objects.exists()


def test_lessons_are_closed_until_enrolment(client, course, learner, lessons):
    client.force_login(learner)
    response = client.get(lessons[0].url)
    assert response.status_code == 302 and response["Location"] == course.url

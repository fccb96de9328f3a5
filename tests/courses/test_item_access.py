"""One rule decides who opens a lesson, served as a page or through the
documents it uses (E05): ``selectors.course_item_access``."""

import pytest
from django.contrib.auth.models import AnonymousUser

from courses import documents, selectors, services
from courses.models import EnrolmentStatus
from training_platform.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


def served(client, user, lesson):
    client.logout()
    if user is not None:
        client.force_login(user)
    return client.get(lesson.url).status_code == 200


def test_the_lesson_and_its_documents_follow_one_access_rule(
    client, course, lessons, trainer
):
    lesson = lessons[0]
    enrolled, pending, withdrawn, stranger = (UserFactory() for _ in range(4))
    services.enrolment_create(user=enrolled, course=course, source="self")
    services.enrolment_create(user=pending, course=course, source="self")
    pending.enrolments.update(status=EnrolmentStatus.PENDING)
    gone = services.enrolment_create(user=withdrawn, course=course, source="self")
    services.enrolment_withdraw(enrolment=gone, by=withdrawn)

    expected = {
        "enrolled": (enrolled, True),
        "pending": (pending, False),
        "withdrawn": (withdrawn, False),
        "stranger": (stranger, False),
        "trainer": (trainer, True),  # an editor of the course, not enrolled
    }
    for name, (user, allowed) in expected.items():
        rule = selectors.course_item_access(user=user, page=lesson).allowed
        via_documents = documents.user_may_open_course_item(user=user, page=lesson)
        assert rule is allowed, name
        assert via_documents is allowed, name
        assert served(client, user, lesson) is allowed, name
    assert not selectors.course_item_access(user=AnonymousUser(), page=lesson).allowed
    assert not served(client, None, lesson)

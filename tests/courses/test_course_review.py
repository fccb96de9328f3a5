"""Moderated publishing (issue 16): a course with "review by a second
trainer" is published only after another member of its team approves the
change; the person who submitted it cannot approve it, nor can trainers off
the team; an approval publishes the change."""

import pytest
from django.urls import reverse
from wagtail.models import WorkflowPage

from courses import services
from courses.models import CourseRole
from tests.conftest import enable_totp
from training_platform.accounts.factories import AdministratorFactory, TrainerFactory
from training_platform.accounts.models import User

pytestmark = pytest.mark.django_db


def fresh(user):
    return User.objects.get(pk=user.pk)


@pytest.fixture
def reviewed_course(trainer, course):
    co_editor = TrainerFactory(email="co@example.org")
    services.course_team_add(
        course=course, user=co_editor, role=CourseRole.CO_EDITOR, by=trainer
    )
    course.review_before_publishing = True
    course.save_revision(user=trainer).publish(user=trainer)
    return course, co_editor


def test_changes_to_a_reviewed_course_are_published_after_a_second_trainer_approves(
    client, trainer, reviewed_course
):
    course, co_editor = reviewed_course
    assert WorkflowPage.objects.filter(page=course).exists()
    lesson = course.get_course_items()[0].specific
    owner = fresh(trainer)
    assert not lesson.permissions_for_user(owner).can_publish()
    assert lesson.permissions_for_user(owner).can_edit()
    assert lesson.permissions_for_user(owner).can_submit_for_moderation()
    # The editor offers "Submit for moderation", not "Publish".
    enable_totp(trainer)
    client.force_login(trainer)
    editor = client.get(reverse("wagtailadmin_pages:edit", args=[lesson.pk]))
    html = editor.content.decode()
    assert 'name="action-submit"' in html and 'name="action-publish"' not in html

    title = lesson.title
    lesson.title = "First contact, revised"
    lesson.save_revision(user=owner)
    state = lesson.get_workflow().start(lesson, owner)
    task_state = state.current_task_state
    task = task_state.task.specific
    stranger = TrainerFactory(email="stranger@example.org")
    for person in (owner, stranger):
        assert task.get_actions(lesson, fresh(person)) == []
        assert not task.get_task_states_user_can_moderate(fresh(person)).exists()
    lesson.refresh_from_db()
    assert lesson.title == title  # nothing published yet

    reviewer = fresh(co_editor)
    assert [name for name, _label, _modal in task.get_actions(lesson, reviewer)] == [
        "reject",
        "approve",
        "approve",
    ]
    assert task_state in task.get_task_states_user_can_moderate(reviewer)
    task.on_action(task_state, reviewer, "approve")
    lesson.refresh_from_db()
    assert lesson.live and lesson.title == "First contact, revised"


def test_an_administrator_publishes_directly_and_can_turn_the_review_off(
    trainer, reviewed_course
):
    course, _co_editor = reviewed_course
    administrator = AdministratorFactory()
    assert course.permissions_for_user(administrator).can_publish()
    course.review_before_publishing = False
    course.save_revision(user=administrator).publish(user=administrator)
    assert not WorkflowPage.objects.filter(page=course).exists()
    assert (
        course.get_course_items()[0].permissions_for_user(fresh(trainer)).can_publish()
    )


def test_a_rejected_change_stays_unpublished(trainer, reviewed_course):
    course, co_editor = reviewed_course
    lesson = course.get_course_items()[0].specific
    title = lesson.title
    lesson.title = "Not like this"
    lesson.save_revision(user=trainer)
    state = lesson.get_workflow().start(lesson, fresh(trainer))
    task_state = state.current_task_state
    task_state.task.specific.on_action(task_state, fresh(co_editor), "reject")
    lesson.refresh_from_db()
    assert lesson.title == title
    state.refresh_from_db()
    assert state.status == state.STATUS_NEEDS_CHANGES

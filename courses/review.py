"""Moderated publishing of a course: "review by a second trainer".

A course with ``review_before_publishing`` gets Wagtail's workflow "Review by
a second trainer" (one ``CourseTeamReviewTask``) on its page in every
language, so on all its modules and items. Trainers of the course then
cannot publish directly: they submit a change for moderation, and another
member of the course team (or an administrator) approves it, which publishes
it. The person who submitted a change cannot approve it."""

from django.db import transaction
from django.utils.translation import gettext_noop

from training_platform.accounts import roles

from .permissions import (
    can_edit_course,
    course_key_of,
    course_paths_editable_by,
    remembered,
    team_limited,
)

REVIEW_NAME = gettext_noop("Review by a second trainer")


def ensure_review_workflow():
    """The workflow and its one task (idempotent; after every migrate)."""
    from wagtail.models import Workflow, WorkflowTask

    from .models import CourseTeamReviewTask

    with transaction.atomic():
        task = CourseTeamReviewTask.objects.filter(name=REVIEW_NAME).first()
        if task is None:
            task = CourseTeamReviewTask.objects.create(name=REVIEW_NAME)
        workflow, _created = Workflow.objects.get_or_create(name=REVIEW_NAME)
        WorkflowTask.objects.get_or_create(
            workflow=workflow, task=task, defaults={"sort_order": 0}
        )
    return workflow


def sync_course_workflow(course) -> None:
    """Give the course's pages (every language) the review workflow, or
    take it away, after the course was published."""
    from wagtail.models import WorkflowPage

    from .models import CoursePage

    pages = list(
        CoursePage.objects.filter(
            translation_key=course.translation_key, alias_of__isnull=True
        )
    )
    workflow = ensure_review_workflow()
    for page in pages:
        if course.review_before_publishing:
            WorkflowPage.objects.update_or_create(
                page=page, defaults={"workflow": workflow}
            )
        else:
            WorkflowPage.objects.filter(page=page, workflow=workflow).delete()


def review_paths(user) -> tuple:
    """Paths of the user's courses that publish after review."""

    def compute():
        from .models import CoursePage

        paths = course_paths_editable_by(user)
        return tuple(
            CoursePage.objects.filter(
                path__in=paths, review_before_publishing=True
            ).values_list("path", flat=True)
        )

    return remembered(user, "_review_paths", compute)


def publishes_after_review(user, page) -> bool:
    """Whether ``user`` (a trainer limited to their courses) must submit
    changes to ``page`` for review instead of publishing them."""
    return team_limited(user) and any(
        page.path.startswith(path) for path in review_paths(user)
    )


def may_review(user, page) -> bool:
    """Administrators, and members of the page's course team other than
    the person who submitted the change."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    state = page.current_workflow_state
    if state is not None and state.requested_by_id == user.pk:
        return False
    if roles.is_administrator(user):
        return True
    return can_edit_course(user, course_key_of(page))


def reviewable_task_states(task, user):
    from wagtail.models import Page, TaskState

    states = task.task_states.filter(status=TaskState.STATUS_IN_PROGRESS)
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return states.none()
    states = states.exclude(workflow_state__requested_by=user)
    if roles.is_administrator(user):
        return states
    paths = course_paths_editable_by(user)
    if not paths:
        return states.none()
    from django.db.models import Q

    in_courses = Q(pk__in=[])
    for path in paths:
        in_courses |= Q(path__startswith=path)
    ids = [
        str(pk) for pk in Page.objects.filter(in_courses).values_list("pk", flat=True)
    ]
    return states.filter(workflow_state__object_id__in=ids)

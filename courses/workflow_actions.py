"""Wagtail imports ``WAGTAIL_FINISH_WORKFLOW_ACTION`` while its own models
load, so this module imports nothing at the top."""


def publish_approved(workflow_state, user=None):
    """``WAGTAIL_FINISH_WORKFLOW_ACTION``: an approved change is published.
    After a course team review the approval is the permission (the trainers
    of such a course have no publish permission of their own); any other
    workflow publishes as Wagtail does, with the approver's permission."""
    from wagtail.workflows import publish_workflow_state

    from .models import CourseTeamReviewTask

    reviewed = CourseTeamReviewTask.objects.filter(
        workflow_tasks__workflow=workflow_state.workflow
    ).exists()
    if not reviewed:
        return publish_workflow_state(workflow_state, user=user)
    revision = workflow_state.content_object.get_latest_revision()
    return revision.publish(user=user, skip_permission_checks=True)

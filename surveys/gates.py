from django.urls import reverse


def feedback_first(user, certificate) -> str | None:
    """A course that requires its feedback survey asks it before the
    certificate is downloaded."""
    from . import selectors

    due = selectors.feedback_due(user=user, course_key=certificate.course_key)
    if due is None or not due[1]:
        return None
    return reverse("surveys:feedback", kwargs={"course_key": certificate.course_key})


def feedback_next_step(user, course_key) -> dict | None:
    """On a completed course's page: the feedback survey, while unanswered."""
    from django.utils.translation import gettext as _

    from . import selectors

    due = selectors.feedback_due(user=user, course_key=course_key)
    if due is None:
        return None
    _survey, required = due
    return {
        "url": reverse("surveys:feedback", kwargs={"course_key": course_key}),
        "label": _("Tell us about the course"),
        "note": _("Answer a few questions before you download your certificate.")
        if required
        else _("A few questions help us improve the course."),
    }

"""K02: a broker that stops accepting writes never holds up the learner.

The learner's last step commits the completion and asks for a certificate;
the task is published after commit. With Redis writes paused
(``CLIENT PAUSE ... WRITE``) the publish must give up within a short bound,
the request must return in under a second, and the pending certificate must
be issued later by the reconciler: nothing lost. A private redis-server is
used, so the shared one is never paused."""

import time
from datetime import timedelta

import pytest

from certificates import services
from certificates.models import Certificate, CertificateStatus, CourseCertificateRule

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def paused_broker(settings, scratch_redis):
    """A private Redis as the Celery broker (tasks really published, not run
    inline), whose writes the test can pause."""
    from training_platform.celery import app

    port, client = scratch_redis
    url = f"redis://127.0.0.1:{port}/0"
    previous = app.conf.broker_url, app.conf.task_always_eager
    settings.CELERY_BROKER_URL = url
    app.conf.broker_url = url
    app.conf.task_always_eager = False
    app._pool = None
    app.amqp._producer_pool = None
    try:
        yield client
    finally:
        client.execute_command("CLIENT", "UNPAUSE")
        app.conf.broker_url, app.conf.task_always_eager = previous
        app._pool = None
        app.amqp._producer_pool = None


def test_last_lesson_returns_fast_when_broker_writes_are_paused_K02(
    client, learner, certificate_template, paused_broker
):
    from courses import services as course_services
    from courses.factories import build_course

    course = build_course(title="Referral", slug="referral")
    CourseCertificateRule.objects.create(course=course, template=certificate_template)
    course_services.enrolment_create(user=learner, course=course, source="self")
    *first, last = course.get_course_items()
    for item in first:
        course_services.item_progress_record(user=learner, page=item, completed=True)
    client.force_login(learner)
    assert client.get(last.url).status_code == 200  # a warm process, as in use

    paused_broker.execute_command("CLIENT", "PAUSE", "60000", "WRITE")
    started = time.monotonic()
    response = client.post(last.url + last.reverse_subpage("complete"))
    elapsed = time.monotonic() - started

    assert response.status_code == 302
    assert elapsed < 1.0, f"the learner waited {elapsed:.2f} s for the broker"
    assert learner.enrolments.get().status == "completed"
    certificate = Certificate.objects.get(user=learner)
    assert certificate.status == CertificateStatus.PENDING

    # The broker comes back; the reconciler (beat) issues what was left.
    paused_broker.execute_command("CLIENT", "UNPAUSE")
    services.certificates_reconcile(grace=timedelta(0))
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.ISSUED
    assert certificate.pdf_status == "ready"
    assert Certificate.objects.filter(user=learner).count() == 1


def test_a_notification_never_holds_up_the_learner_when_the_broker_is_paused_K02(
    client, learner, paused_broker
):
    """K02: the "course completed" e-mail of a course without a certificate is
    queued after commit on a bounded connection; the row stays pending and
    ``resend_stalled`` queues it again once the broker is back."""
    from courses import services as course_services
    from courses.factories import build_course
    from training_platform.notifications.models import Notification
    from training_platform.notifications.services import (
        notifications_resend_stalled,
    )

    course = build_course(title="Referral basics", slug="referral-basics")
    course_services.enrolment_create(user=learner, course=course, source="self")
    *first, last = course.get_course_items()
    for item in first:
        course_services.item_progress_record(user=learner, page=item, completed=True)
    client.force_login(learner)
    assert client.get(last.url).status_code == 200

    paused_broker.execute_command("CLIENT", "PAUSE", "60000", "WRITE")
    started = time.monotonic()
    response = client.post(last.url + last.reverse_subpage("complete"))
    elapsed = time.monotonic() - started
    assert response.status_code == 302
    assert elapsed < 1.0, f"the learner waited {elapsed:.2f} s for the broker"
    notification = Notification.objects.get(recipient=learner, event="course_completed")
    assert notification.status == "pending"

    paused_broker.execute_command("CLIENT", "UNPAUSE")
    # Nothing lost: pending and unclaimed, it is queued again. (In the
    # services run the session's real worker may be sending it already.)
    notification.refresh_from_db()
    if notification.status == "pending" and notification.claimed_at is None:
        queued = notifications_resend_stalled(older_than=timedelta(0))
        notification.refresh_from_db()
        # Queued again, unless the worker claimed it in between.
        assert (
            queued == 1
            or notification.claimed_at is not None
            or (notification.status == "sent")
        )
    else:
        assert notification.status in ("pending", "sent")

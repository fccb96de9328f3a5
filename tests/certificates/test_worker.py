"""Exactly once with a real Celery worker, Redis and PostgreSQL (services
run): a worker killed while rendering (K06) and a task delivered twice at
once (K08) each leave one certificate, one document and one e-mail."""

import io
import os
import signal
import subprocess
import time
import uuid

import pytest

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def _wait(predicate, seconds, message):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.02)
    pytest.fail(message)


def _children(pid):
    output = subprocess.run(
        ["pgrep", "-P", str(pid)], capture_output=True, text=True, check=False
    ).stdout
    return [int(line) for line in output.split()]


@pytest.fixture
def worker_media(real_celery, settings):
    """Share the worker's media directory, so that both sides see the files."""
    with open(f"/proc/{real_celery.pid}/environ", "rb") as stream:
        variables = dict(
            item.split(b"=", 1) for item in stream.read().split(b"\0") if b"=" in item
        )
    settings.MEDIA_ROOT = variables[b"MEDIA_ROOT"].decode()
    return settings.MEDIA_ROOT


@pytest.fixture
def slow_template(db, worker_media):
    """A template with a large PNG background: the first render has to decode
    and scale it, which keeps the worker busy long enough to be killed."""
    from django.core.files.images import ImageFile
    from PIL import Image as PILImage
    from wagtail.images import get_image_model

    from certificates.models import CertificateTemplate

    picture = PILImage.radial_gradient("L").resize((5000, 3500)).convert("RGB")
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG", compress_level=1)
    image = get_image_model().objects.create(
        title="Large background",
        file=ImageFile(buffer, name=f"bg-{uuid.uuid4().hex}.png"),
    )
    return CertificateTemplate.objects.create(
        name="Slow", language="en", background=image
    )


def _setup(course_page, template, learner):
    from certificates.models import CourseCertificateRule

    CourseCertificateRule.objects.create(course=course_page, template=template)


def test_worker_killed_while_rendering_gives_one_certificate_and_email_K06(
    real_celery, learner, course_page, slow_template
):
    from certificates import services
    from certificates.models import Certificate, EventKind, PdfStatus

    _setup(course_page, slow_template, learner)
    certificate = services.certificate_request(
        user=learner, course_key=course_page.translation_key, course=course_page
    )
    _wait(
        lambda: Certificate.objects.filter(
            pk=certificate.pk, render_attempts__gte=1
        ).exists(),
        60,
        "the worker did not start rendering",
    )
    children = _children(real_celery.pid)
    assert children, "no pool processes to kill"
    for pid in children:
        os.kill(pid, signal.SIGKILL)
    certificate.refresh_from_db()
    assert certificate.pdf_status == PdfStatus.PENDING, "killed too late"
    assert not certificate.pdf
    # The pool starts new processes; the task is redelivered and finishes.
    _wait(
        lambda: Certificate.objects.filter(
            pk=certificate.pk, email_sent_at__isnull=False
        ).exists(),
        90,
        "the certificate was not finished after the worker was killed",
    )
    certificate.refresh_from_db()
    assert Certificate.objects.filter(user=learner).count() == 1
    assert certificate.pdf_status == PdfStatus.READY
    assert certificate.pdf.read().startswith(b"%PDF")
    assert certificate.events.filter(kind=EventKind.RENDERED).count() == 1
    time.sleep(1)
    assert certificate.events.filter(kind=EventKind.EMAILED).count() == 1


def test_task_delivered_twice_at_once_on_the_worker_K08(
    real_celery, worker_media, learner, course_page, certificate_template
):
    from certificates import services, tasks
    from certificates.models import Certificate, EventKind

    _setup(course_page, certificate_template, learner)
    # Created without its own enqueue, then delivered twice at the same time.
    certificate = Certificate.objects.create(
        user=learner, course_key=course_page.translation_key, course=course_page
    )
    tasks.issue_certificate.delay(certificate.pk)
    tasks.issue_certificate.delay(certificate.pk)
    _wait(
        lambda: Certificate.objects.filter(
            pk=certificate.pk, email_sent_at__isnull=False
        ).exists(),
        60,
        "the certificate was not issued",
    )
    time.sleep(2)
    assert certificate.events.filter(kind=EventKind.ISSUED).count() == 1
    assert certificate.events.filter(kind=EventKind.RENDERED).count() == 1
    assert certificate.events.filter(kind=EventKind.EMAILED).count() == 1
    assert services.certificates_reconcile()["emailed"] == 0

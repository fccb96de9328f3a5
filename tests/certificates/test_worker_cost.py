"""What the worker spends on one certificate (issue 12): the queries of the
issuing task are bounded, and the shared image, encoded by the certificates'
own fast PNG writer, shows exactly the pixels of the rendered page."""

from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from certificates import rendering, services, tasks
from certificates.models import CertificateStatus, PdfStatus

pytestmark = pytest.mark.django_db

# Issue (the row locked with its learner and course, rule, score, titles,
# template, save, event) and render (attempt, lock, save, event), each in its
# own transaction.
ISSUE_TASK_QUERIES = 16


def test_issuing_task_runs_within_a_fixed_number_of_queries(
    learner, rule, course_page, django_capture_on_commit_callbacks
):
    certificate = services.certificate_request(
        user=learner,
        course_key=course_page.translation_key,
        course=course_page,
        schedule=False,
    )
    with (
        django_capture_on_commit_callbacks(execute=False),
        CaptureQueriesContext(connection) as queries,
    ):
        tasks.issue_certificate(certificate.pk)
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.ISSUED
    assert certificate.pdf_status == PdfStatus.READY
    assert len(queries) <= ISSUE_TASK_QUERIES, "\n".join(
        query["sql"][:120] for query in queries
    )


def test_shared_image_shows_exactly_the_rendered_page():
    import pypdfium2 as pdfium
    from PIL import Image

    pdf = rendering.render_pdf(
        rendering.CertificateData(
            code="7K3MQ9XA7K3MQ9XA7K3MQ9XA7K3M",
            learner_name="Ana Petrović",
            course_title="Identifying victims",
            template={"title": "Certificate", "body": "{learner_name}"},
        )
    )
    png = rendering.render_png(pdf, width_px=800)
    document = pdfium.PdfDocument(pdf)
    try:
        page = document[0]
        expected = page.render(scale=800 / page.get_width()).to_pil()
        page.close()
    finally:
        document.close()
    Image.open(BytesIO(png)).verify()  # chunks and checksums
    decoded = Image.open(BytesIO(png))
    assert decoded.mode == "RGB"
    assert decoded.size == expected.size
    assert decoded.tobytes() == expected.convert("RGB").tobytes()


def test_png_writer_keeps_every_pixel_of_any_image():
    from PIL import Image

    image = Image.radial_gradient("L").resize((301, 77)).convert("RGBA")
    decoded = Image.open(BytesIO(rendering._png(image)))
    assert decoded.size == (301, 77)
    assert decoded.tobytes() == image.convert("RGB").tobytes()

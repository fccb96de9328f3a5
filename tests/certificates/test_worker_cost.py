"""What the worker spends on one certificate (issue 12): the queries of the
issuing task are bounded, the shared image is encoded without the slow PNG
optimiser and shows exactly the pixels of the rendered page."""

from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from certificates import rendering, services, tasks
from certificates.models import CertificateStatus, PdfStatus

pytestmark = pytest.mark.django_db

# Issue (lock, rule, score, titles, template, save, event) and render
# (attempt, lock, save, event), each in its own transaction.
ISSUE_TASK_QUERIES = 19


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


def test_shared_image_is_encoded_quickly_and_shows_the_rendered_page(monkeypatch):
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
    saved = []
    original_save = Image.Image.save

    def save(image, fp, format=None, **params):  # noqa: A002 - Pillow's name
        saved.append(params)
        return original_save(image, fp, format=format, **params)

    monkeypatch.setattr(Image.Image, "save", save)
    png = rendering.render_png(pdf, width_px=800)
    # The optimiser tries every zlib setting: several times slower for a
    # file a few per cent smaller.
    assert not saved[0].get("optimize")
    document = pdfium.PdfDocument(pdf)
    try:
        page = document[0]
        expected = page.render(scale=800 / page.get_width()).to_pil()
        page.close()
    finally:
        document.close()
    decoded = Image.open(BytesIO(png))
    assert decoded.size == expected.size
    assert decoded.convert("RGB").tobytes() == expected.convert("RGB").tobytes()

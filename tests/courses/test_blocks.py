"""Every lesson block renders, with accessible markup."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.blocks import StructBlockValidationError
from wagtail.documents import get_document_model

from courses import services
from courses.blocks import VideoBlock
from courses.demo import _draw
from courses.factories import build_course

pytestmark = pytest.mark.django_db


def document(name, data=b"data"):
    item = get_document_model()(title=name)
    item.file = SimpleUploadedFile(name, data)
    item.save()
    return item


def test_a_lesson_with_every_block_renders(client, learner):
    import io

    from django.core.files.images import ImageFile
    from wagtail.images import get_image_model

    image = get_image_model()(title="Diagram")
    image.file = ImageFile(io.BytesIO(_draw("referral")), name="diagram.png")
    image.save()
    video = document("talk.mp4")
    captions = document("talk.vtt", b"WEBVTT\n")
    handout = document("handout.pdf", b"%PDF-1.4")
    body = [
        ("rich_text", "<p>Read this first.</p>"),
        ("image", {"image": image, "alt_text": "Five steps", "caption": "Pathway"}),
        (
            "video",
            {
                "title": "A first interview",
                "video_file": video,
                "captions": captions,
                "captions_language": "en",
                "transcript": "<p>Good morning.</p>",
            },
        ),
        ("document", {"document": handout, "title": "Handout", "description": ""}),
        ("callout", {"kind": "case_study", "title": "Case", "body": "<p>Twelve</p>"}),
        (
            "accordion",
            {"title": "FAQ", "items": [{"heading": "Why?", "body": "<p>Because</p>"}]},
        ),
        ("h5p", {"title": "Quiz"}),
    ]
    course = build_course(modules=1, lessons=1, lesson_kwargs={"body": body})
    lesson = course.get_course_items()[0]
    services.enrolment_create(user=learner, course=course, source="self")
    client.force_login(learner)
    html = client.get(lesson.url).content.decode()
    assert 'alt="Five steps"' in html and "Pathway" in html
    assert "<video" in html and 'kind="captions"' in html and "Good morning" in html
    assert "Handout" in html and "(PDF" in html
    assert "callout-case_study" in html and "<details" in html
    assert "Quiz" in html


def test_video_needs_exactly_one_source():
    block = VideoBlock()
    with pytest.raises((StructBlockValidationError, ValidationError)):
        block.clean(block.to_python({"title": "Nothing", "captions_language": "en"}))

"""Uploaded files with DEBUG off, as in production: image renditions are
public (the site's pages show them), every other upload goes through a view
that checks access and is never read straight from MEDIA_ROOT (E05)."""

import io
import os
import re
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from django.core.files.images import ImageFile
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from courses.demo import _draw
from courses.factories import build_course

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _debug_off(settings):
    settings.DEBUG = False


def make_image(title="Referral pathway"):
    image = get_image_model()(title=title)
    image.file = ImageFile(io.BytesIO(_draw("referral")), name="pathway.png")
    image.save()
    return image


def test_course_cover_rendition_shown_on_the_catalogue_page_is_served(client):
    course = build_course(modules=1, lessons=1, cover_image=make_image())

    page = client.get(course.url).content.decode()
    src = re.search(r'<img[^>]+class="course-hero-image"[^>]*>', page).group(0)
    url = re.search(r'src="([^"]+)"', src).group(1)
    assert url.startswith("/media/images/")

    response = client.get(url)

    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert b"".join(response.streaming_content)[:3] == b"\xff\xd8\xff"
    assert "public" in response["Cache-Control"]


def test_rendition_is_revalidated_with_if_modified_since(client):
    rendition = make_image().get_rendition("fill-100x100|format-png")
    first = client.get(rendition.url)

    again = client.get(
        rendition.url, headers={"if-modified-since": first["Last-Modified"]}
    )

    assert again.status_code == 304


def test_private_uploads_are_never_served_from_media_E05(client, settings):
    image = make_image()
    document = get_document_model()(title="Referral form")
    document.file = SimpleUploadedFile("referral-form.pdf", b"%PDF-1.4 secret")
    document.save()
    media = Path(settings.MEDIA_ROOT)
    for folder in ("certificates", "h5p", "reports/exports"):
        (media / folder).mkdir(parents=True, exist_ok=True)
        (media / folder / "private.png").write_bytes(b"\x89PNG private")
    (media / "images").mkdir(parents=True, exist_ok=True)
    (media / "images" / "note.pdf").write_bytes(b"%PDF-1.4 not an image")

    for url in (
        image.file.url,  # the original, whatever was uploaded
        document.file.url,
        "/media/certificates/private.png",
        "/media/h5p/private.png",
        "/media/reports/exports/private.png",
        "/media/images/note.pdf",
        "/media/images/../certificates/private.png",
        "/media/images/%2e%2e/certificates/private.png",
        "/media/images/",
        "/media/images",
    ):
        # A folder may first be redirected to its language prefix.
        response = client.get(url, follow=True)
        assert response.status_code == 404, url
        assert b"private" not in response.content, url


PRODUCTION_SCRIPT = """
import django, sys
django.setup()
from django.test import Client
from django.urls import Resolver404, resolve

client = Client()
response = client.get(
    "/media/images/cover.fill-640x360.format-jpeg.jpg",
    secure=True,
    HTTP_HOST="training.example.org",
)
print("rendition", response.status_code, response["Content-Type"])
for path in ("/media/documents/handout.pdf", "/media/original_images/cover.png"):
    try:
        resolve(path)
    except Resolver404:
        print("unrouted", path)
    else:
        print("routed", path)
"""


def test_renditions_are_served_and_other_uploads_unrouted_with_production_settings(
    tmp_path,
):
    from tests.test_project import PRODUCTION_ENV

    media = tmp_path / "media"
    (media / "images").mkdir(parents=True)
    (media / "images" / "cover.fill-640x360.format-jpeg.jpg").write_bytes(
        b"\xff\xd8\xff\xe0 jpeg"
    )
    (media / "documents").mkdir()
    (media / "documents" / "handout.pdf").write_bytes(b"%PDF-1.4")
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DJANGO_SETTINGS_MODULE", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(PRODUCTION_ENV)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "training_platform.settings",
            "ALLOWED_HOSTS": "training.example.org,testserver",
            # No request below may need the database or the cache.
            "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}",
            "CACHE_URL": "locmemcache://",
            "MEDIA_ROOT": str(media),
        }
    )
    result = subprocess.run(
        [sys.executable, "-c", PRODUCTION_SCRIPT],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "rendition 200 image/jpeg" in lines
    assert "unrouted /media/documents/handout.pdf" in lines
    assert "unrouted /media/original_images/cover.png" in lines


def png_declaring(width, height):
    """A tiny PNG whose header declares ``width`` × ``height`` pixels."""

    def chunk(kind, data):
        crc = struct.pack(">I", zlib.crc32(kind + data))
        return struct.pack(">I", len(data)) + kind + data + crc

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IEND", b"")


def png_of(width, height):
    """A real black-and-white PNG of ``width`` × ``height`` pixels."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("1", (width, height)).save(buffer, "PNG")
    return buffer.getvalue()


def image_form(administrator, name, data):
    from wagtail.images.forms import get_image_form

    form_class = get_image_form(get_image_model())
    upload = SimpleUploadedFile(name, data)
    return form_class(data={"title": name}, files={"file": upload}, user=administrator)


@pytest.mark.parametrize(
    "name, data, code",
    [
        # Beyond Pillow's own decompression-bomb limit.
        ("huge.png", png_declaring(50_000, 50_000), "file_too_many_pixels"),
        # 49 M pixels: below Pillow's limit, above the platform's cap.
        ("large.png", png_of(7_000, 7_000), "file_too_many_pixels"),
        ("scan.tiff", b"II*\x00" + bytes(64), "invalid_image_extension"),
    ],
    ids=["50000x50000", "7000x7000", "tiff"],
)
def test_h02_image_uploads_are_capped_in_pixels_and_formats(
    administrator, name, data, code
):
    assert image_form(administrator, "small.png", png_of(64, 64)).is_valid()
    form = image_form(administrator, name, data)
    assert not form.is_valid()
    assert form.errors.as_data()["file"][0].code == code


def test_h04_documents_are_never_svg_or_html_and_are_served_sandboxed(
    client, administrator
):
    """H04: the document form refuses SVG and HTML; a document is served by
    Wagtail's view with a CSP that runs nothing and ``nosniff``, never from
    MEDIA_URL."""
    from wagtail.documents.forms import get_document_form

    def form(name, data):
        upload = SimpleUploadedFile(name, data)
        form_class = get_document_form(get_document_model())
        return form_class(
            data={"title": name}, files={"file": upload}, user=administrator
        )

    assert form("handout.pdf", b"%PDF-1.4 handout").is_valid()
    for name in ("drawing.svg", "page.html", "page.htm"):
        assert not form(name, b"<svg onload=alert(1)><script>x</script>").is_valid()
    document = get_document_model()(title="Referral form")
    document.file = SimpleUploadedFile("referral-form.pdf", b"%PDF-1.4 form")
    document.save()

    response = client.get(document.url)

    assert response.status_code == 200
    assert response["Content-Security-Policy"] == "default-src 'none'"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert client.get(document.file.url).status_code == 404

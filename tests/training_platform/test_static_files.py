"""Static files in production: hashed names, compressed copies and a one-year
immutable cache (issue 12). The embedded mode and the other tests use the plain
storage, which needs no collectstatic."""

import gzip
import re

import brotli
import pytest
from django.core.management import call_command
from django.test import Client

pytestmark = pytest.mark.django_db

PRODUCTION_STORAGE = "whitenoise.storage.CompressedManifestStaticFilesStorage"


@pytest.fixture
def collected(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": PRODUCTION_STORAGE},
    }
    # The admin's files and the H5P player are left out to keep this quick;
    # the site's pages reference neither.
    call_command(
        "collectstatic",
        interactive=False,
        verbosity=0,
        ignore_patterns=["wagtail*", "vendor"],
    )
    return settings.STATIC_ROOT


def test_pages_link_hashed_static_files_served_compressed_for_a_year(collected):
    client = Client()
    page = client.get("/en/accounts/login/")
    assert page.status_code == 200
    match = re.search(r'href="(/static/css/site\.[0-9a-f]{12}\.css)"', page.text)
    assert match, "the stylesheet is not linked under a hashed name"
    url = match.group(1)
    original = (collected / "css" / "site.css").read_bytes()

    for coding, decompress in (("br", brotli.decompress), ("gzip", gzip.decompress)):
        response = client.get(url, HTTP_ACCEPT_ENCODING=coding)
        assert response.status_code == 200
        assert response["Content-Encoding"] == coding
        body = b"".join(response.streaming_content)
        assert decompress(body) == original
        assert len(body) < len(original)
        assert response["Cache-Control"] == "max-age=31536000, public, immutable"
        assert "Accept-Encoding" in response["Vary"]
        assert "Cookie" not in response["Vary"]
        assert not response.cookies

    # An unhashed name is still served (for old links) but not kept a year.
    plain = client.get("/static/css/site.css")
    assert plain.status_code == 200
    assert "immutable" not in plain["Cache-Control"]

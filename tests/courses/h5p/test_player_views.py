"""The player page and package files: signed URLs, the content origin, and the
headers that keep them from running anything on a real origin (A13, A23, A24)."""

import gzip
import io
import json
import time

import brotli
import pytest
from django.contrib.staticfiles import finders
from django.test import Client

from courses.h5p import assets, package_builder, tokens
from courses.h5p.services import content_import

from .conftest import quiz_with, zip_bytes

pytestmark = pytest.mark.django_db

CONTENT = "localhost"


@pytest.fixture
def content_client():
    return Client(HTTP_HOST=CONTENT)


@pytest.fixture
def launch(learner, quiz_content):
    return tokens.launch_token(
        user=learner,
        content=quiz_content,
        parent_origin="http://127.0.0.1:8000",
        activity_key=quiz_content.activity_key,
    )


def files_url(content, path):
    return f"/h5p/files/{tokens.files_token(content)}/{path}"


def test_player_page_is_sandboxed_and_frameable_only_by_the_site(
    content_client, launch
):
    """A24: the player's CSP lets images and requests go to the content
    origin only, and it sends no Referer."""
    response = content_client.get(f"/h5p/play/{launch}/")
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert csp.startswith("sandbox allow-scripts;")
    assert "allow-same-origin" not in csp
    assert "frame-ancestors http://127.0.0.1:8000" in csp
    assert "connect-src http://localhost" in csp  # A24: no attacker hosts
    assert "img-src http://localhost data: blob:" in csp
    assert "default-src 'none'" in csp
    assert "X-Frame-Options" not in response
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Referrer-Policy"] == "no-referrer"
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    assert '"embedType"' not in page  # options live in the script, config only
    assert "http://localhost/h5p/files/" in page


def test_player_answers_only_on_the_content_origin(launch):
    response = Client(HTTP_HOST="127.0.0.1").get(f"/h5p/play/{launch}/")
    assert response.status_code == 404


def test_player_refuses_forged_and_expired_launches(content_client, launch, settings):
    assert content_client.get(f"/h5p/play/{launch[:-2]}xx/").status_code == 404
    settings.H5P_LAUNCH_MAX_AGE = -1
    assert content_client.get(f"/h5p/play/{launch}/").status_code == 404


def test_configured_content_origin_is_used_and_enforced(settings, launch):
    settings.ALLOWED_HOSTS = ["127.0.0.1", "localhost", "h5p.example.net"]
    settings.H5P_CONTENT_ORIGIN = "https://h5p.example.net"
    assert Client(HTTP_HOST="localhost").get(f"/h5p/play/{launch}/").status_code == 404
    response = Client(HTTP_HOST="h5p.example.net").get(
        f"/h5p/play/{launch}/", secure=True
    )
    assert response.status_code == 200
    assert "https://h5p.example.net/h5p/files/" in response.content.decode()


def test_package_files_are_served_with_their_exact_type_and_a_sandbox(
    content_client, quiz_content
):
    library = quiz_content.main_library
    response = content_client.get(
        files_url(quiz_content, f"libraries/{library.folder_name}/quiz.js")
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert response["Content-Security-Policy"].startswith("sandbox;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Access-Control-Allow-Origin"] == "*"
    content_json = content_client.get(files_url(quiz_content, "content/content.json"))
    assert content_json["Content-Type"] == "application/json; charset=utf-8"
    h5p_json = content_client.get(files_url(quiz_content, "h5p.json"))
    assert h5p_json.json()["mainLibrary"] == "H5P.PlatformQuiz"


def test_a13_svg_is_served_as_an_image_in_a_sandbox(content_client):
    svg = '<svg xmlns="http://www.w3.org/2000/svg"><rect width="1" height="1"/></svg>'
    content = content_import(
        file=io.BytesIO(zip_bytes(quiz_with({"content/images/a.svg": svg})))
    )
    response = content_client.get(files_url(content, "content/images/a.svg"))
    assert response["Content-Type"] == "image/svg+xml"
    assert "sandbox" in response["Content-Security-Policy"]
    assert "script-src" not in response["Content-Security-Policy"]


def test_cors_preflight_is_answered(content_client, quiz_content):
    response = content_client.options(
        files_url(quiz_content, "content/content.json"),
        HTTP_ORIGIN="null",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
    )
    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "GET" in response["Access-Control-Allow-Methods"]


def test_files_outside_the_manifest_or_closure_are_not_served(
    content_client, quiz_content
):
    assert (
        content_client.get(files_url(quiz_content, "content/../h5p.json")).status_code
        == 404
    )
    assert (
        content_client.get(files_url(quiz_content, "content/nope.png")).status_code
        == 404
    )
    other = content_import(
        file=io.BytesIO(
            zip_bytes(
                {
                    **package_builder.quiz_files(),
                    "h5p.json": json.dumps(
                        package_builder.h5p_json(
                            "x", main="H5P.Other", dependencies=[("H5P.Other", 2, 1)]
                        )
                    ),
                    "H5P.Other-2.1/library.json": json.dumps(
                        package_builder.library_json("H5P.Other", 2, 1)
                    ),
                    "H5P.Other-2.1/quiz.js": "x",
                    "H5P.Other-2.1/quiz.css": "x",
                }
            )
        )
    )
    # The quiz library is not in the other content's closure.
    url = files_url(other, "libraries/H5P.PlatformQuiz-1.0/quiz.js")
    assert content_client.get(url).status_code == 404


def test_files_token_expires(content_client, quiz_content, settings):
    settings.H5P_FILES_TOKEN_WINDOW = 60
    token = tokens.files_token(quiz_content, now=time.time() - 1000)
    response = content_client.get(f"/h5p/files/{token}/content/content.json")
    assert response.status_code == 404


def test_files_are_not_served_on_the_site_origin(quiz_content):
    response = Client(HTTP_HOST="127.0.0.1").get(
        files_url(quiz_content, "content/content.json")
    )
    assert response.status_code == 404


def asset_url(path):
    return f"/h5p/assets/{assets.version()}/{path}"


def needs_h5p_standalone():
    if not finders.find("vendor/h5p-standalone/main.bundle.js"):
        pytest.skip("h5p-standalone is not installed (npm ci)")


def test_player_assets_are_served_with_cors_and_nosniff(content_client):
    needs_h5p_standalone()
    response = content_client.get(asset_url("vendor/h5p-standalone/main.bundle.js"))
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"].startswith("sandbox;")
    assert content_client.get(asset_url("css/site.css")).status_code == 404
    assert content_client.get(asset_url("h5p/../css/site.css")).status_code == 404


def test_player_page_links_its_assets_on_versioned_urls(content_client, launch):
    page = content_client.get(f"/h5p/play/{launch}/").content.decode()
    version = assets.version()
    assert len(version) == 12
    for path in (
        "vendor/h5p-standalone/main.bundle.js",
        "vendor/h5p-standalone/frame.bundle.js",
        "vendor/h5p-standalone/styles/h5p.css",
        "h5p/js/player.js",
    ):
        assert f"http://localhost/h5p/assets/{version}/{path}" in page


def test_player_assets_are_compressed_and_kept_a_year_without_cookies(
    content_client,
):
    """The 144 KB frame bundle travels compressed, once a year, and nothing
    about it depends on the visitor (no Vary: Cookie, no cookie set)."""
    path = "vendor/h5p-standalone/frame.bundle.js"
    needs_h5p_standalone()
    plain = content_client.get(asset_url(path))
    original = b"".join(plain.streaming_content) if plain.streaming else plain.content
    assert "Content-Encoding" not in plain
    for coding, decompress in (("gzip", gzip.decompress), ("br", brotli.decompress)):
        response = content_client.get(
            asset_url(path), HTTP_ACCEPT_ENCODING=f"{coding}, deflate"
        )
        assert response.status_code == 200
        assert response["Content-Encoding"] == coding
        assert len(response.content) < len(original) / 2
        assert decompress(response.content) == original
        assert int(response["Content-Length"]) == len(response.content)
        assert response["Content-Type"] == "text/javascript; charset=utf-8"
        assert response["Cache-Control"] == "public, max-age=31536000, immutable"
        vary = response.get("Vary", "")
        assert "Accept-Encoding" in vary
        assert "Cookie" not in vary
        assert not response.cookies
        assert response["Access-Control-Allow-Origin"] == "*"
        assert response["Content-Security-Policy"].startswith("sandbox;")


def test_player_assets_of_another_version_are_not_kept(content_client):
    """A page rendered by a server with other assets (during a deploy) still
    plays, but its URL must not pin this server's file for a year."""
    needs_h5p_standalone()
    response = content_client.get(
        "/h5p/assets/0123456789ab/vendor/h5p-standalone/main.bundle.js"
    )
    assert response.status_code == 200
    assert "immutable" not in response["Cache-Control"]
    assert "max-age=31536000" not in response["Cache-Control"]


def test_library_files_are_kept_while_their_url_names_the_installed_files(
    content_client, quiz_content
):
    """Library files are immutable under a storage prefix, and the files token
    names the prefixes: the browser keeps them (privately: the URL is a signed
    grant that expires, so no shared cache may keep serving it)."""
    library = quiz_content.main_library
    url = files_url(quiz_content, f"libraries/{library.folder_name}/quiz.js")
    response = content_client.get(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, max-age=31536000, immutable"
    assert "Cookie" not in response.get("Vary", "")
    assert not response.cookies
    content = content_client.get(files_url(quiz_content, "content/content.json"))
    assert content["Cache-Control"] == "private, max-age=31536000, immutable"

    # An upgrade installs the library under a new prefix: the content gets new
    # URLs, and a grant naming the old files is no longer kept for long.
    old_token = tokens.files_token(quiz_content)
    type(library).objects.filter(pk=library.pk).update(
        storage_prefix=library.storage_prefix.rstrip("/") + "-upgraded/"
    )
    assert tokens.files_token(quiz_content) != old_token
    stale = content_client.get(f"/h5p/files/{old_token}/content/content.json")
    assert stale.status_code == 200
    assert stale["Cache-Control"] == "private, max-age=3600"

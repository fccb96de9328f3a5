"""H5P endpoints.

On the content origin (no session; signed URL tokens): the player page, the
package files and the player's own assets. They are served with
``Access-Control-Allow-Origin: *`` (the sandboxed frame's origin is "null"),
``X-Content-Type-Options: nosniff`` and a ``Content-Security-Policy`` with
``sandbox``, so opening one directly never runs it on any real origin.

On the site origin (session + CSRF): the xAPI statements and the resume state
that the lesson page forwards from the frame.
"""

import functools
import json
import logging
import secrets
from pathlib import PurePosixPath

from django.http import (
    FileResponse,
    HttpResponse,
    JsonResponse,
)
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.views.decorators.cache import never_cache
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_http_methods, require_POST

from . import assets, conf, progress, selectors, services, tokens
from .storage import h5p_storage

logger = logging.getLogger("courses.h5p")

MIME_TYPES = {
    "json": "application/json",
    "js": "text/javascript",
    "css": "text/css",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "webp": "image/webp",
    "bmp": "image/bmp",
    "tif": "image/tiff",
    "tiff": "image/tiff",
    "svg": "image/svg+xml",
    "eot": "application/vnd.ms-fontobject",
    "ttf": "font/ttf",
    "otf": "font/otf",
    "woff": "font/woff",
    "woff2": "font/woff2",
    "webm": "video/webm",
    "mp4": "video/mp4",
    "ogv": "video/ogg",
    "ogg": "audio/ogg",
    "oga": "audio/ogg",
    "mp3": "audio/mpeg",
    "m4a": "audio/mp4",
    "wav": "audio/wav",
    "vtt": "text/vtt",
    "webvtt": "text/vtt",
    "pdf": "application/pdf",
    "gltf": "model/gltf+json",
    "glb": "model/gltf-binary",
}
TEXT_TYPES = {"txt", "md", "textile", "diff", "patch", "csv"}
FILES_CSP = "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:"
# Kept by the learner's browser only: a package file URL is a signed grant that
# expires, which a shared cache would outlive.
FILES_CACHE = "private, max-age=3600"
FILES_CACHE_IMMUTABLE = "private, max-age=31536000, immutable"
ASSETS_CACHE = "public, max-age=31536000, immutable"
ASSETS_CACHE_OTHER_VERSION = "public, max-age=300"


def own_answers(view):
    """Keep this view's 404 answers from becoming language redirects
    (see urls_root)."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        request.urlconf = "courses.h5p.urls_root"
        return view(request, *args, **kwargs)

    return wrapped


def _content_type(name):
    extension = PurePosixPath(name).suffix[1:].lower()
    if extension in TEXT_TYPES:
        return "text/plain; charset=utf-8"
    content_type = MIME_TYPES.get(extension, "application/octet-stream")
    if content_type.startswith("text/") or content_type == "application/json":
        content_type += "; charset=utf-8"
    return content_type


def _isolate(response, *, csp=FILES_CSP, cache=FILES_CACHE):
    response["Access-Control-Allow-Origin"] = "*"
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = csp
    response["Referrer-Policy"] = "no-referrer"
    response["Cache-Control"] = cache
    return response


def _preflight():
    response = HttpResponse(status=204)
    response["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
    response["Access-Control-Allow-Headers"] = "Content-Type, Range"
    response["Access-Control-Max-Age"] = "86400"
    return _isolate(response)


def _not_found():
    return _isolate(HttpResponse(status=404, content_type="text/plain"))


def _serve_storage(name, *, cache=FILES_CACHE):
    storage = h5p_storage()
    try:
        handle = storage.open(name, "rb")
    except (FileNotFoundError, OSError):
        return _not_found()
    response = FileResponse(handle, content_type=_content_type(name))
    return _isolate(response, cache=cache)


# --------------------------------------------------------- content origin


@own_answers
@xframe_options_exempt
@require_http_methods(["GET", "HEAD", "OPTIONS"])
def package_file(request, token, path):
    if request.method == "OPTIONS":
        return _preflight()
    if not selectors.is_content_request(request):
        return _not_found()
    grant = tokens.read_files_grant(token)
    content = selectors.content_by_uuid_hex(grant[0]) if grant else None
    if content is None:
        return _not_found()

    def cache():
        # The token names the storage prefixes it was issued for: while they
        # are the installed ones, this URL always serves these bytes.
        if grant[1] and grant[1] == tokens.files_version(content):
            return FILES_CACHE_IMMUTABLE
        return FILES_CACHE

    if path == "h5p.json":
        response = HttpResponse(
            json.dumps(content.h5p_json), content_type=_content_type(path)
        )
        return _isolate(response)
    head, _, rest = path.partition("/")
    if head == "content":
        if rest not in content.manifest:
            return _not_found()
        return _serve_storage(content.storage_prefix + rest, cache=cache())
    if head == "libraries":
        folder, _, relative = rest.partition("/")
        library = _library_for(content, folder)
        if library is None or relative not in library.manifest:
            return _not_found()
        return _serve_storage(library.storage_prefix + relative, cache=cache())
    return _not_found()


def _library_for(content, folder):
    machine_name, _, version = folder.rpartition("-")
    major, _, minor = version.partition(".")
    if not (major.isdigit() and minor.isdigit()):
        return None
    return content.libraries.filter(
        machine_name=machine_name,
        major_version=int(major),
        minor_version=int(minor),
    ).first()


@own_answers
@xframe_options_exempt
@require_http_methods(["GET", "HEAD", "OPTIONS"])
def player_asset(request, version, path):
    """h5p-standalone and the player script, served with the same headers as
    package files (fonts need CORS from the frame's "null" origin), compressed
    when the browser accepts it, and kept for a year under their version."""
    if request.method == "OPTIONS":
        return _preflight()
    asset = assets.load(path)
    if asset is None:
        return _not_found()
    coding = assets.choose_encoding(asset, request.META.get("HTTP_ACCEPT_ENCODING"))
    body = asset.encoded[coding] if coding else asset.body
    response = HttpResponse(body, content_type=_content_type(path))
    if coding:
        response["Content-Encoding"] = coding
    if asset.encoded:
        patch_vary_headers(response, ("Accept-Encoding",))
    response["Content-Length"] = str(len(body))
    current = version == assets.version()
    # Another version: a page rendered by a server with other assets (during
    # a deploy); it plays, but this file must not stay under that URL.
    return _isolate(
        response, cache=ASSETS_CACHE if current else ASSETS_CACHE_OTHER_VERSION
    )


def _player_csp(origin, parent_origin, nonce):
    return "; ".join(
        [
            "sandbox allow-scripts",
            "default-src 'none'",
            f"script-src {origin} 'nonce-{nonce}'",
            f"style-src {origin} 'unsafe-inline'",
            f"img-src {origin} data: blob:",
            f"font-src {origin} data:",
            f"media-src {origin} data: blob:",
            f"connect-src {origin}",
            "frame-src 'none'",
            "worker-src 'none'",
            "form-action 'none'",
            "base-uri 'none'",
            f"frame-ancestors {parent_origin}",
        ]
    )


@own_answers
@never_cache
@xframe_options_exempt
@require_http_methods(["GET", "HEAD", "OPTIONS"])
def player(request, launch):
    if request.method == "OPTIONS":
        return _preflight()
    if not selectors.is_content_request(request):
        return _not_found()
    payload = tokens.read_launch(launch)
    content = selectors.content_by_uuid_hex(payload["c"]) if payload else None
    if content is None:
        return _isolate(
            HttpResponse(status=404, content_type="text/plain"), cache="no-store"
        )
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(pk=payload["u"], is_active=True).first()
    if user is None:
        return _not_found()
    origin = selectors.site_origin(request)
    files = f"{origin}/h5p/files/{tokens.files_token(content)}"
    nonce = secrets.token_urlsafe(16)

    def asset(path):
        return assets.url(origin, path)

    config = {
        "contentId": content.uuid.hex[:12],
        "title": content.title,
        "h5pJsonPath": files,
        "contentJsonPath": f"{files}/content",
        "librariesPath": f"{files}/libraries",
        "frameJs": asset("vendor/h5p-standalone/frame.bundle.js"),
        "frameCss": asset("vendor/h5p-standalone/styles/h5p.css"),
        "origin": origin,
        "parentOrigin": payload["o"],
        "objectIri": f"{payload['o']}/h5p/activity/{content.uuid}",
        "state": selectors.user_state_for(user=user, content=content),
        "saveFreq": 15,
    }
    response = render(
        request,
        "h5p/player.html",
        {
            "config": config,
            "nonce": nonce,
            "main_js": asset("vendor/h5p-standalone/main.bundle.js"),
            "player_js": asset("h5p/js/player.js"),
        },
    )
    return _isolate(
        response,
        csp=_player_csp(origin, payload["o"], nonce),
        cache="no-store",
    )


# ----------------------------------------------------------- site origin


def _json_error(status, code):
    return JsonResponse({"error": code}, status=status)


def _read_json_body(request, limit):
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > limit:
        return None, _json_error(413, "too-large")
    body = request.read(limit + 1)
    if len(body) > limit:
        return None, _json_error(413, "too-large")
    try:
        from .validation import parse_json_bytes

        data = parse_json_bytes(body, max_depth=24)
    except ValueError:
        return None, _json_error(400, "malformed")
    if not isinstance(data, dict):
        return None, _json_error(400, "malformed")
    return data, None


def _launch_for(request, data):
    """Resolve and check the launch token sent with a statement or state."""
    payload = (
        tokens.read_launch(data.get("launch"))
        if isinstance(data.get("launch"), str)
        else None
    )
    if payload is None:
        return None, _json_error(403, "launch-invalid")
    if payload.get("u") != request.user.pk:
        return None, _json_error(403, "launch-other-user")
    content = selectors.content_by_uuid_hex(payload.get("c"))
    if content is None:
        return None, _json_error(404, "content-gone")
    lesson_id = payload.get("l")
    facts, enrolment, refusal = _lesson_check(request.user, lesson_id)
    if refusal is not None:
        return None, refusal
    return (
        services.Launch(
            user_id=payload["u"],
            content=content,
            context_key=payload.get("x") or "",
            lesson_id=lesson_id,
            activity_key=payload.get("k") or content.activity_key,
            pass_threshold=int(payload.get("t") or 0),
            grade_policy=payload.get("g") or "best",
            lesson=facts,
            enrolment=enrolment,
        ),
        None,
    )


def _lesson_check(user, lesson_id):
    """B04: the lesson must still be published, and the learner enrolled in
    its course (when the courses app offers the check). The lesson's facts
    come from the cache; the enrolment is read (one query).
    Returns (facts, enrolment, refusal)."""
    if not lesson_id:
        return None, None, None
    facts = progress.lesson_facts(lesson_id)
    if not facts.exists or not facts.live:
        return facts, None, _json_error(404, "lesson-gone")
    if facts.course is None:
        return facts, None, None
    enrolment = progress.current_enrolment(user=user, course=facts.course)
    if enrolment is None or not enrolment.is_open:
        return facts, None, _json_error(403, "not-enrolled")
    return facts, enrolment, None


@own_answers
@require_POST
def statements(request):
    if not request.user.is_authenticated:
        return _json_error(403, "login-required")
    limit = (
        conf.get("H5P_MAX_STATEMENT_BYTES") * conf.get("H5P_MAX_BATCH_STATEMENTS")
        + 8192
    )
    data, error = _read_json_body(request, limit)
    if error:
        return error
    launch, error = _launch_for(request, data)
    if error:
        return error
    batch = data.get("statements")
    if batch is None and "statement" in data:
        batch = [data["statement"]]
    if not isinstance(batch, list) or not batch:
        return _json_error(400, "no-statements")
    if len(batch) > conf.get("H5P_MAX_BATCH_STATEMENTS"):
        return _json_error(413, "batch-too-large")
    try:
        stored, duplicates = services.statements_record(
            user=request.user, launch=launch, statements=batch
        )
    except services.StatementRefused as refused:
        logger.warning(
            "h5p.xapi.refused user=%s content=%s code=%s",
            request.user.pk,
            launch.content.uuid,
            refused.code,
        )
        return _json_error(refused.status, refused.code)
    # A statement sent again (after a lost answer) gets the same news.
    state = progress.page_state(user=request.user, launch=launch)
    return JsonResponse({"stored": stored, "duplicates": duplicates, **state})


@own_answers
@require_POST
def state(request):
    if not request.user.is_authenticated:
        return _json_error(403, "login-required")
    data, error = _read_json_body(request, conf.get("H5P_MAX_STATE_BYTES") + 8192)
    if error:
        return error
    launch, error = _launch_for(request, data)
    if error:
        return error
    try:
        services.user_state_save(
            user=request.user, content=launch.content, data=data.get("data")
        )
    except services.StateRejected as rejected:
        return _json_error(rejected.status, rejected.code)
    return JsonResponse({"saved": True})

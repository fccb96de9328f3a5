"""Uploaded files under MEDIA_URL.

Only image renditions (``images/``, written by Wagtail for the sizes the pages
show) are public. Every other upload (original images, documents, H5P
packages, certificates, report exports) has its own view that checks who is
asking, and is never read straight from MEDIA_ROOT by URL."""

import posixpath

from django.conf import settings
from django.http import Http404
from django.views import static

PUBLIC_PREFIXES = ("images/",)
PUBLIC_EXTENSIONS = (".avif", ".gif", ".jpeg", ".jpg", ".png", ".webp")
# Renditions keep their name while the original image stays the same; a day
# bounds how long a replaced image can linger in browsers and proxies.
PUBLIC_MAX_AGE = 60 * 60 * 24


def public_media_name(path: str) -> str | None:
    """The storage name ``path`` refers to when it is a public file, else None."""
    name = posixpath.normpath(path).lstrip("/")
    if (
        ".." in name.split("/")
        or not name.startswith(PUBLIC_PREFIXES)
        or not name.lower().endswith(PUBLIC_EXTENSIONS)
    ):
        return None
    return name


def public_media(request, path):
    """An image rendition, with caching headers (the production proxy may also
    serve the same folder itself; see docs/deploy.md)."""
    name = public_media_name(path)
    if name is None:
        raise Http404
    response = static.serve(request, name, document_root=settings.MEDIA_ROOT)
    response["Cache-Control"] = f"public, max-age={PUBLIC_MAX_AGE}"
    return response

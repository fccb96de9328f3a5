"""The player's own assets (h5p-standalone and ``h5p/js/player.js``).

They are static files, but the sandboxed frame loads them from the content
origin with the same isolation headers as package files, so the app serves
them itself rather than whitenoise. Their URLs carry a version, a digest of
every asset file, so a browser keeps them for a year and a new release of any
of them gives every URL a new address (stylesheets reach fonts by relative
URLs, so one version for the whole set keeps those links versioned too).
Each file is read and compressed once per process.
"""

import functools
import gzip
import hashlib
from dataclasses import dataclass
from pathlib import PurePosixPath

import brotli
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage

PREFIXES = ("vendor/h5p-standalone/", "h5p/")
# Formats that are already compressed gain nothing from gzip or brotli.
COMPRESSIBLE = {"js", "css", "json", "svg", "ttf", "otf", "eot", "txt", "map"}
# Not worth a second representation below this size.
MIN_COMPRESS_BYTES = 512


@dataclass(frozen=True)
class Asset:
    body: bytes
    encoded: dict  # content coding ("br", "gzip") -> bytes


def is_allowed(path):
    return path.startswith(PREFIXES) and ".." not in path.split("/")


def _read(path):
    found = finders.find(path)
    try:
        if found:
            with open(found, "rb") as handle:
                return handle.read()
        with staticfiles_storage.open(path) as handle:
            return handle.read()
    except (FileNotFoundError, OSError, ValueError):
        return None


def _listed_paths():
    paths = set()
    for finder in finders.get_finders():
        for path, _storage in finder.list(["*.d.ts"]):
            path = path.replace("\\", "/")
            if path.startswith(PREFIXES):
                paths.add(path)
    return sorted(paths)


@functools.cache
def version():
    """A digest of every player asset: changes when any of them does."""
    digest = hashlib.sha256()
    for path in _listed_paths():
        body = _read(path)
        if body is not None:
            digest.update(path.encode() + b"\0")
            digest.update(hashlib.sha256(body).digest())
    return digest.hexdigest()[:12]


@functools.lru_cache(maxsize=64)
def load(path):
    """The asset's bytes and their compressed forms, or None."""
    if not is_allowed(path):
        return None
    body = _read(path)
    if body is None:
        return None
    encoded = {}
    extension = PurePosixPath(path).suffix[1:].lower()
    if extension in COMPRESSIBLE and len(body) >= MIN_COMPRESS_BYTES:
        encoded["br"] = brotli.compress(body, quality=11)
        encoded["gzip"] = gzip.compress(body, compresslevel=9, mtime=0)
        encoded = {k: v for k, v in encoded.items() if len(v) < len(body)}
    return Asset(body=body, encoded=encoded)


def accepted_codings(header):
    """Content codings the client accepts (q=0 refuses one)."""
    codings = set()
    for part in (header or "").split(","):
        name, _, params = part.strip().partition(";")
        name = name.strip().lower()
        quality = params.strip().lower()
        if quality.startswith("q=") and quality[2:].strip() in {"0", "0.0", "0.00"}:
            continue
        if name:
            codings.add(name)
    return codings


def choose_encoding(asset, accept_encoding):
    accepted = accepted_codings(accept_encoding)
    for coding in ("br", "gzip"):
        if coding in asset.encoded and coding in accepted:
            return coding
    return None


def url(origin, path):
    return f"{origin}/h5p/assets/{version()}/{path}"

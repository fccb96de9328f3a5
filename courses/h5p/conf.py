"""H5P settings with their defaults. Every value can be overridden in the
Django settings (``H5P_MAX_TOTAL_BYTES = ...``); README lists the ones read
from the environment."""

from django.conf import settings

MiB = 1024 * 1024

DEFAULTS = {
    # Import limits, checked on the ZIP central directory before any byte is
    # inflated (A07, A09, A19) and again while streaming (A08).
    "H5P_MAX_UPLOAD_BYTES": 64 * MiB,
    "H5P_MAX_TOTAL_BYTES": 64 * MiB,
    "H5P_MAX_FILE_BYTES": 16 * MiB,
    "H5P_MAX_FILES": 5000,
    "H5P_MAX_COMPRESSION_RATIO": 100,
    # Entries smaller than this are not held to the ratio: tiny repetitive
    # JSON files compress far better than 100:1 and inflate to nothing.
    "H5P_RATIO_CHECK_MIN_BYTES": 64 * 1024,
    "H5P_MAX_PATH_LENGTH": 400,
    "H5P_MAX_JSON_BYTES": 16 * MiB,
    "H5P_MAX_METADATA_JSON_BYTES": 1 * MiB,
    "H5P_MAX_JSON_DEPTH": 64,
    "H5P_MAX_SVG_BYTES": 2 * MiB,
    # The newest H5P core API the bundled player (h5p-standalone 3.8.2) offers.
    "H5P_CORE_API": (1, 27),
    # Storage alias (settings.STORAGES) for libraries and content files.
    "H5P_STORAGE": "default",
    "H5P_STORAGE_PREFIX": "h5p",
    # Player and package files: where they are served from, and how long the
    # signed URLs stay valid.
    "H5P_CONTENT_ORIGIN": "",
    "H5P_LAUNCH_MAX_AGE": 24 * 3600,
    "H5P_FILES_TOKEN_WINDOW": 6 * 3600,
    # xAPI and resume state.
    "H5P_MAX_STATEMENT_BYTES": 64 * 1024,
    "H5P_MAX_BATCH_STATEMENTS": 20,
    "H5P_MAX_STATE_BYTES": 256 * 1024,
    "H5P_MAX_STATE_BYTES_PER_USER": 8 * MiB,
    "H5P_FUTURE_TIMESTAMP_TOLERANCE": 300,
    "H5P_DEFAULT_PASS_THRESHOLD": 50,
}


def get(name):
    return getattr(settings, name, DEFAULTS[name])

"""The fonts certificates are printed with, and a font configuration that knows
only them.

The fonts come from npm packages (``package.json``, installed by ``npm ci``):
Noto Sans for Latin (with the region's diacritics), Cyrillic (with the
Kazakh, Kyrgyz, Tajik and Uzbek letters of cyrillic-ext), Greek and Devanagari;
Noto Sans Georgian, Armenian, Arabic and Hebrew for those scripts. They ship as
WOFF2 subsets; on first use each is converted once to TrueType in a cache
directory. The renderer's fontconfig sees that directory and nothing else, so a
certificate never picks a font from the host by chance: a character no bundled
font covers prints as a missing-glyph box everywhere, not differently on each
server.
"""

import hashlib
import logging
import os
import tempfile
import threading
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

logger = logging.getLogger(__name__)


# (npm package, file prefix, subsets). Weights 400 and 700, upright.
PACKAGES = [
    (
        "@fontsource/noto-sans",
        "noto-sans",
        [
            "latin",
            "latin-ext",
            "cyrillic",
            "cyrillic-ext",
            "greek",
            "greek-ext",
            "vietnamese",
            "devanagari",
        ],
    ),
    ("@fontsource/noto-sans-georgian", "noto-sans-georgian", ["georgian"]),
    ("@fontsource/noto-sans-armenian", "noto-sans-armenian", ["armenian"]),
    ("@fontsource/noto-sans-arabic", "noto-sans-arabic", ["arabic"]),
    ("@fontsource/noto-sans-hebrew", "noto-sans-hebrew", ["hebrew"]),
]
WEIGHTS = (400, 700)

# The npm packages split each font into subsets that all carry the same family
# name; the PDF writer would merge same-named faces into one embedded font and
# mix up their glyphs. Each subset therefore gets a family of its own
# ("Certificate latin-ext", ...) and the stylesheet lists them all.
FAMILY_PREFIX = "Certificate"


def families() -> list[str]:
    """The font-family list of the certificate stylesheet, in fallback order."""
    return [
        f"{FAMILY_PREFIX} {subset}"
        for _package, _prefix, subsets in PACKAGES
        for subset in subsets
    ]


def css_font_family() -> str:
    return ", ".join(f'"{name}"' for name in families())


def node_modules() -> Path:
    return Path(
        getattr(settings, "CERTIFICATE_FONTS_NODE_MODULES", None)
        or Path(settings.BASE_DIR) / "node_modules"
    )


def _sources() -> list[tuple[Path, str]]:
    root = node_modules()
    found = []
    for package, prefix, subsets in PACKAGES:
        for subset in subsets:
            for weight in WEIGHTS:
                name = f"{prefix}-{subset}-{weight}-normal.woff2"
                found.append((root / package / "files" / name, subset))
    return found


def source_files() -> list[Path]:
    """The WOFF2 files the certificate fonts are built from."""
    return [path for path, _subset in _sources()]


def missing_source_files() -> list[Path]:
    return [path for path in source_files() if not path.is_file()]


def _cache_dir(files: list[Path]) -> Path:
    digest = hashlib.sha256()
    for path in files:
        stat = path.stat()
        digest.update(f"{path.name}:{stat.st_size}:{int(stat.st_mtime)}".encode())
    base = getattr(settings, "CERTIFICATE_FONT_CACHE_DIR", None) or (
        Path(tempfile.gettempdir()) / f"training-platform-fonts-{os.getuid()}"
    )
    return Path(base) / digest.hexdigest()[:16]


def _convert(source: Path, target: Path, family: str) -> None:
    from fontTools.ttLib import TTFont

    font = TTFont(str(source))
    font.flavor = None
    names = font["name"]
    style = names.getDebugName(2) or "Regular"
    for name_id in (16, 17, 21, 22):  # typographic / WWS names would win
        names.removeNames(nameID=name_id)
    postscript = f"{family}-{style}".replace(" ", "")
    for name_id, value in (
        (1, family),
        (3, f"{postscript};training-platform"),
        (4, f"{family} {style}"),
        (6, postscript),
    ):
        names.setName(value, name_id, 3, 1, 0x409)
        names.setName(value, name_id, 1, 0, 0)
    handle, temporary = tempfile.mkstemp(dir=target.parent, suffix=".part")
    os.close(handle)
    try:
        font.save(temporary)
        os.replace(temporary, target)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def font_directory() -> Path:
    """The directory of TrueType fonts, built from the npm packages on first
    use (several processes may do it at once: each file is written to a
    temporary name and renamed)."""
    missing = missing_source_files()
    if missing:
        raise ImproperlyConfigured(
            "Certificate fonts are missing (run `npm ci --ignore-scripts`): "
            + ", ".join(str(p) for p in missing[:3])
        )
    directory = _cache_dir(source_files())
    fonts = directory / "fonts"
    fonts.mkdir(parents=True, exist_ok=True)
    for source, subset in _sources():
        target = fonts / (source.name.removesuffix(".woff2") + ".ttf")
        if not target.exists():
            _convert(source, target, f"{FAMILY_PREFIX} {subset}")
    return directory


_CONFIG_LOCK = threading.Lock()
_FONT_CONFIG = None


def font_config():
    """A WeasyPrint ``FontConfiguration`` whose fontconfig knows only the
    bundled fonts. Built once per process and reused by every render."""
    global _FONT_CONFIG
    with _CONFIG_LOCK:
        if _FONT_CONFIG is None:
            _FONT_CONFIG = _build_font_config()
        return _FONT_CONFIG


def _build_font_config():
    from weasyprint.text.fonts import FontConfiguration

    directory = font_directory()
    conf = directory / "fonts.conf"
    if not conf.exists():
        cache = directory / "cache"
        cache.mkdir(exist_ok=True)
        xml = (
            '<?xml version="1.0"?>\n'
            '<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n'
            "<fontconfig>\n"
            f"  <dir>{directory / 'fonts'}</dir>\n"
            f"  <cachedir>{cache}</cachedir>\n"
            "</fontconfig>\n"
        )
        handle, temporary = tempfile.mkstemp(dir=directory, suffix=".part")
        with os.fdopen(handle, "w") as stream:
            stream.write(xml)
        os.replace(temporary, conf)
    # fontconfig reads FONTCONFIG_FILE when the configuration is loaded, which
    # FontConfiguration() does; it is restored straight after.
    previous = os.environ.get("FONTCONFIG_FILE")
    os.environ["FONTCONFIG_FILE"] = str(conf)
    try:
        config = FontConfiguration()
    finally:
        if previous is None:
            os.environ.pop("FONTCONFIG_FILE", None)
        else:
            os.environ["FONTCONFIG_FILE"] = previous
    return config

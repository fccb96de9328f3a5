"""Certificate documents: HTML -> PDF with WeasyPrint, PDF -> PNG with PDFium.

Everything the page needs is inlined as ``data:`` URLs (images, the QR code)
and the fonts come from the bundled font configuration (``fonts.py``), so the
URL fetcher refuses every other scheme and every file outside the bundled
assets: a name such as ``<img src="http://127.0.0.1:6379/">`` is text, and even
markup that slipped through could not reach the network or the disk (D04).
"""

import base64
import logging
import re
import struct
import zlib
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.html import escape, linebreaks
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from . import codes, fonts

logger = logging.getLogger(__name__)
# WeasyPrint reports each rendering step at INFO.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

ASSETS_DIR = Path(__file__).resolve().parent / "static" / "certificates"
_PLACEHOLDER_RE = re.compile(r"\{(\w+)\}")

PAGE_SIZES_MM = {"A4": (210, 297), "letter": (215.9, 279.4)}


class BlockedURL(ValueError):
    """A resource URL the certificate renderer does not fetch."""


def _url_fetcher_class():
    from weasyprint.urls import URLFetcher

    class CertificateURLFetcher(URLFetcher):
        """Fetches ``data:`` URLs and files under the bundled assets only: no
        network, no other files, no redirects (D04)."""

        def __init__(self):
            super().__init__(
                allowed_protocols={"data", "file"}, allow_redirects=False, timeout=2
            )

        def fetch(self, url, headers=None):
            scheme = url.split(":", 1)[0].lower()
            if scheme == "file":
                from urllib.parse import unquote, urlsplit

                path = Path(unquote(urlsplit(url).path)).resolve()
                if not path.is_relative_to(ASSETS_DIR):
                    logger.warning("certificate renderer refused %s", url[:200])
                    raise BlockedURL(f"not a bundled asset: {url[:200]}")
            elif scheme != "data":
                logger.warning("certificate renderer refused %s", url[:200])
                raise BlockedURL(f"blocked URL: {url[:200]}")
            return super().fetch(url, headers)

    return CertificateURLFetcher


_FETCHER_CLASS = None


def url_fetcher():
    global _FETCHER_CLASS
    if _FETCHER_CLASS is None:
        _FETCHER_CLASS = _url_fetcher_class()
    return _FETCHER_CLASS()


def verify_url(code: str) -> str:
    """The public verification URL printed and encoded in the QR code: the
    site and the code, nothing personal (D08)."""
    return f"{settings.SITE_URL}/verify/{code}"


def qr_data_url(url: str) -> str:
    import segno

    return segno.make(url, error="m").svg_data_uri(border=0, dark="#000")


def image_data_url(image_id, spec: str) -> str | None:
    """A Wagtail image as a ``data:`` URL, or None when it is gone."""
    if not image_id:
        return None
    from wagtail.images import get_image_model

    image = get_image_model().objects.filter(pk=image_id).first()
    if image is None:
        return None
    try:
        rendition = image.get_rendition(spec)
        with rendition.file.open("rb") as stream:
            data = stream.read()
    except (OSError, ValueError) as error:
        logger.warning("certificate image %s unavailable: %s", image_id, error)
        return None
    mime = "image/jpeg" if "format-jpeg" in spec else "image/png"
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


@dataclass
class CertificateData:
    """Everything printed on one certificate."""

    code: str
    learner_name: str
    course_title: str
    template: dict
    course_title_secondary: str = ""
    completed_at: datetime | None = None
    issued_at: datetime | None = None
    expires_at: datetime | None = None
    score: Decimal | None = None
    hours: Decimal | None = None
    extra: dict = field(default_factory=dict)

    @classmethod
    def from_certificate(cls, certificate):
        return cls(
            code=certificate.code,
            learner_name=certificate.learner_name,
            course_title=certificate.course_title,
            course_title_secondary=certificate.course_title_secondary,
            template=certificate.template_snapshot or {},
            completed_at=certificate.completed_at,
            issued_at=certificate.issued_at,
            expires_at=certificate.expires_at,
            score=certificate.score,
            hours=certificate.hours,
            extra=certificate.details or {},
        )


def _date(value, language):
    if not value:
        return ""
    with translation.override(language):
        return formats.date_format(timezone.localtime(value), "DATE_FORMAT")


def _number(value):
    if value is None:
        return ""
    text = f"{Decimal(value).normalize():f}"
    return text


def placeholder_values(data: CertificateData, language: str) -> dict:
    values = {
        "learner_name": data.learner_name,
        "course_title": data.course_title,
        "completion_date": _date(data.completed_at or data.issued_at, language),
        "score": f"{_number(data.score)}%" if data.score is not None else "",
        "hours": _number(data.hours),
        "certificate_code": codes.format_code(data.code),
        "expiry_date": _date(data.expires_at, language),
    }
    if data.extra:
        values.update(session_values(data.extra, language))
    return values


def _session_date(start: datetime, end: datetime, language: str) -> str:
    with translation.override(language):
        day = formats.date_format(start, "DATE_FORMAT")
        hours = (
            f"{formats.time_format(start, 'TIME_FORMAT')}–"
            f"{formats.time_format(end, 'TIME_FORMAT')}"
        )
        if start.date() != end.date():
            return f"{day} {hours.split('–')[0]} – " + formats.date_format(
                end, "DATE_FORMAT"
            )
        return f"{day}, {hours}"


def session_values(details: dict, language: str) -> dict:
    """The attendance placeholders from what the certificate froze of its
    session: the dates in the session's own time zone, in the language of
    the certificate."""
    dates = []
    for start, end, *zone in details.get("dates") or []:
        start, end = datetime.fromisoformat(start), datetime.fromisoformat(end)
        if zone and zone[0]:
            start = start.astimezone(ZoneInfo(zone[0]))
            end = end.astimezone(ZoneInfo(zone[0]))
        dates.append(_session_date(start, end, language))
    return {
        "session_title": details.get("session_title") or "",
        "session_dates": "; ".join(dates),
        "venue": details.get("venue") or "",
    }


def fill(text: str, values: dict) -> str:
    """Template text with its placeholders filled in, as HTML: the text and the
    values are escaped, each value is isolated for bidirectional text (D06)
    and line breaks are kept."""
    parts = []
    position = 0
    for match in _PLACEHOLDER_RE.finditer(text or ""):
        parts.append(escape(text[position : match.start()]))
        key = match.group(1)
        if key in values:
            parts.append(
                f'<bdi class="ph ph-{key}" dir="auto">{escape(values[key])}</bdi>'
            )
        else:
            parts.append(escape(match.group(0)))
        position = match.end()
    parts.append(escape((text or "")[position:]))
    html = "".join(parts)
    return mark_safe(linebreaks(html, autoescape=False))  # noqa: S308 - escaped


def _name_size(name: str) -> str:
    """A smaller type size for long names, so that the page never overflows
    (D07)."""
    length = len(name or "")
    if length <= 32:
        return "30pt"
    if length <= 56:
        return "22pt"
    if length <= 100:
        return "16pt"
    return "11pt"


def html_for(data: CertificateData) -> str:
    template = data.template or {}
    language = template.get("language") or settings.LANGUAGE_CODE
    values = placeholder_values(data, language)
    page_size = template.get("page_size") or "A4"
    orientation = template.get("orientation") or "landscape"
    width, height = PAGE_SIZES_MM.get(page_size, PAGE_SIZES_MM["A4"])
    if orientation == "landscape":
        width, height = height, width
    url = verify_url(data.code)
    bilingual = bool(template.get("bilingual"))
    secondary_values = dict(values)
    if data.course_title_secondary:
        secondary_values["course_title"] = data.course_title_secondary
    secondary_values.update(
        {
            "completion_date": _date(data.completed_at or data.issued_at, "en"),
            "expiry_date": _date(data.expires_at, "en"),
        }
    )
    with translation.override(language):
        labels = {
            "code": _("Certificate code"),
            "verify": _("Verify at"),
            "issued": _("Issued"),
            "expires": _("Valid until"),
        }
    if bilingual and language != "en":
        with translation.override("en"):
            labels = {
                key: f"{value} / {_(english)}"
                for (key, value), english in zip(
                    labels.items(),
                    ["Certificate code", "Verify at", "Issued", "Valid until"],
                    strict=True,
                )
            }
    context = {
        "font_family": fonts.css_font_family(),
        "width_mm": width,
        "height_mm": height,
        "landscape": orientation == "landscape",
        "accent": template.get("accent_colour") or "#1d4e89",
        "language": language,
        "title": template.get("title") or "",
        "body": fill(template.get("body") or "", values),
        "bilingual": bilingual,
        "secondary_title": template.get("secondary_title") or "",
        "secondary_body": fill(template.get("secondary_body") or "", secondary_values)
        if bilingual
        else "",
        "name_size": _name_size(data.learner_name),
        "background": image_data_url(
            template.get("background_id"), "max-1800x1800|format-jpeg|jpegquality-80"
        ),
        "logos": [
            src
            for src in (
                image_data_url(pk, "max-600x240|format-png")
                for pk in template.get("logo_ids", [])
            )
            if src
        ],
        "signatories": [
            {
                "name": signatory.get("name", ""),
                "title": signatory.get("title", ""),
                "signature": image_data_url(
                    signatory.get("signature_id"), "max-500x200|format-png"
                ),
            }
            for signatory in template.get("signatories", [])
        ],
        "qr": qr_data_url(url),
        "verify_url": url,
        "code": codes.format_code(data.code),
        "issued": _date(data.issued_at, language),
        "expires": _date(data.expires_at, language),
        "labels": labels,
    }
    return render_to_string("certificates/pdf/certificate.html", context)


def render_pdf(data: CertificateData) -> bytes:
    from weasyprint import HTML

    html = html_for(data)
    return HTML(string=html, url_fetcher=url_fetcher(), base_url=None).write_pdf(
        font_config=fonts.font_config()
    )


def render_png(pdf: bytes, width_px: int = 1600) -> bytes:
    """The first page of ``pdf`` as a PNG image ``width_px`` wide, for sharing."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    try:
        page = document[0]
        scale = width_px / page.get_width()
        image = page.render(scale=scale, rev_byteorder=True).to_pil()
        page.close()
        return _png(image)
    finally:
        document.close()


def _png(image) -> bytes:
    """``image`` as an 8-bit RGB PNG with unfiltered rows. A certificate is
    mostly flat colour, which zlib packs well without PNG's per-row filters:
    Pillow's encoder tries every filter on every row and takes about twice
    as long (five times with ``optimize``) for a file of about the same
    size."""
    if image.mode != "RGB":
        image = image.convert("RGB")
    width, height = image.size
    pixels = image.tobytes()
    stride = width * 3
    rows = b"".join(
        b"\0" + pixels[offset : offset + stride]
        for offset in range(0, stride * height, stride)
    )

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data))
        )

    return b"".join(
        [
            b"\x89PNG\r\n\x1a\n",
            chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)),
            chunk(b"IDAT", zlib.compress(rows, 3)),
            chunk(b"IEND", b""),
        ]
    )


def pdf_text(pdf: bytes) -> str:
    """The text of every page, as PDF readers extract it."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    try:
        texts = []
        for index in range(len(document)):
            page = document[index]
            textpage = page.get_textpage()
            texts.append(textpage.get_text_range())
            textpage.close()
            page.close()
        return "\n".join(texts)
    finally:
        document.close()


def pdf_page_count(pdf: bytes) -> int:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    try:
        return len(document)
    finally:
        document.close()


def harfbuzz_subset_available() -> bool:
    """WeasyPrint subsets fonts with libharfbuzz-subset when it is there and
    falls back to a pure-Python subsetter about five times slower."""
    import ctypes

    for name in ("libharfbuzz-subset.so.0", "libharfbuzz-subset.0.dylib"):
        try:
            ctypes.CDLL(name)
            return True
        except OSError:
            continue
    return False

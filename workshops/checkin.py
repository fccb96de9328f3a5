"""Signed, short-lived check-in codes for the QR code shown in the room.

A code names its date and is signed with a salt of that date, so a code of
another session (or a forged one) fails the signature; it expires after
``TOKEN_SECONDS`` (the room's screen shows a fresh one every minute), and a
check-in is accepted only within the date's window."""

from datetime import timedelta

from django.core import signing
from django.utils import timezone

TOKEN_SECONDS = 10 * 60
OPENS_BEFORE = timedelta(minutes=30)
REFRESH_SECONDS = 60


def _signer(date):
    return signing.TimestampSigner(salt=f"workshops.check-in.{date.pk}")


def make_token(date) -> str:
    return _signer(date).sign(str(date.pk))


def token_valid(token, *, date, now=None) -> bool:
    if not token or len(token) > 200:
        return False
    try:
        value = _signer(date).unsign(token, max_age=TOKEN_SECONDS)
    except signing.BadSignature:  # includes SignatureExpired
        return False
    if value != str(date.pk):
        return False
    if now is not None:
        # The signer's clock is the real one; a code signed "in the future"
        # of a test clock is still bound by the window below.
        pass
    return True


def window_open(date, *, now=None) -> bool:
    now = now or timezone.now()
    return date.starts_at - OPENS_BEFORE <= now <= date.ends_at


def qr_svg(url: str) -> str:
    import segno

    return segno.make(url, error="m").svg_inline(scale=6, border=2)

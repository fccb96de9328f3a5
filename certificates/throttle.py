"""A small fixed-window rate limit in the shared cache, per client address,
for the public verification pages (D01). The client address is the one
allauth trusts (``TRUSTED_PROXY_COUNT``), so a forged X-Forwarded-For does not
buy more guesses (G08). When the cache is unreachable the lookups are allowed
(the codes are 140-bit random; the limit is a second line of defence)."""

import logging
import time

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)

# (requests, seconds) windows; every window must hold.
DEFAULT_LIMITS = ((20, 60), (200, 3600))


def client_address(request) -> str:
    from allauth.account.adapter import get_adapter

    try:
        return get_adapter(request).get_client_ip(request) or "unknown"
    except Exception:  # noqa: BLE001 - misconfigured proxy count: use the socket
        return request.META.get("REMOTE_ADDR", "unknown")


def allow(request, scope: str, limits=None) -> bool:
    """Count one request of ``scope`` for the client; False once any window
    is full."""
    limits = limits or getattr(settings, "CERTIFICATE_VERIFY_LIMITS", DEFAULT_LIMITS)
    address = client_address(request)
    now = int(time.time())
    allowed = True
    for count, seconds in limits:
        key = f"certificates:rl:{scope}:{seconds}:{now // seconds}:{address}"
        try:
            cache.add(key, 0, timeout=seconds + 5)
            used = cache.incr(key)
        except Exception:  # noqa: BLE001 - cache down: fail open, see above
            logger.warning("verification rate limit unavailable", exc_info=True)
            return True
        if used > count:
            allowed = False
    if not allowed:
        logger.warning("verification rate limit reached for %s (%s)", address, scope)
    return allowed

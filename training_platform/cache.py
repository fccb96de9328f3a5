"""A Redis cache that keeps the site up when Redis is down (K03).

The cache holds only rate-limit counters and other disposable values, so when
Redis cannot be reached every operation degrades to a miss and logs a warning:
pages and logins keep working. Rate limits (and the single use of a TOTP
code) fail open for that time; they come back as soon as Redis does. Timeouts
are short so that a dead Redis costs a request half a second, not a hang."""

import functools
import logging

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# ``add`` reports success: callers use it as a lock (allauth's rate limiter),
# and a lock that can never be taken would turn every login into a 429.
_FALLBACKS = {
    "add": True,
    "get": None,
    "set": None,
    "touch": False,
    "delete": False,
    "get_many": {},
    "has_key": False,
    "set_many": [],
    "delete_many": None,
    "clear": None,
}


def _degrade(name, fallback):
    method = getattr(RedisCache, name)

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except RedisError as error:
            logger.warning("cache unavailable (%s): %s treated as a miss", error, name)
            if name == "get":
                return kwargs.get("default", args[1] if len(args) > 1 else None)
            if name == "incr":
                return kwargs.get("delta", args[1] if len(args) > 1 else 1)
            return fallback

    return wrapper


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        params = dict(params)
        options = dict(params.get("OPTIONS") or {})
        options.setdefault("socket_connect_timeout", 0.5)
        options.setdefault("socket_timeout", 0.5)
        params["OPTIONS"] = options
        super().__init__(server, params)


for _name, _fallback in {**_FALLBACKS, "incr": None}.items():
    setattr(ResilientRedisCache, _name, _degrade(_name, _fallback))

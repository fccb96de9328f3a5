"""Behaviour when a service is missing (K03) and proxy headers (G08)."""

import time

import pytest
from django.core.cache import caches
from django.test import override_settings

pytestmark = pytest.mark.django_db

DEAD_REDIS = {
    "default": {
        "BACKEND": "training_platform.cache.ResilientRedisCache",
        # Nothing listens on port 1.
        "LOCATION": "redis://127.0.0.1:1/0",
    }
}


def test_pages_and_login_work_when_the_cache_redis_is_down_K03(client, learner):
    # Changing CACHES makes Django drop its cache connections (test signal).
    with override_settings(CACHES=DEAD_REDIS):
        assert type(caches["default"]).__name__ == "ResilientRedisCache"
        started = time.monotonic()
        assert client.get("/en/").status_code == 200
        response = client.post(
            "/en/accounts/login/",
            {"login": learner.email, "password": "correct-horse-battery"},
        )
        assert response.status_code == 302
        assert client.get("/en/my/").status_code == 200
        # Short socket timeouts: a dead Redis costs little per request.
        assert time.monotonic() - started < 10


def test_resilient_cache_degrades_to_misses():
    from training_platform.cache import ResilientRedisCache

    cache = ResilientRedisCache("redis://127.0.0.1:1/0", {})
    assert cache.get("x", "fallback") == "fallback"
    assert cache.add("x", 1) is True
    cache.set("x", 1)
    assert cache.get_many(["x"]) == {}
    assert cache.incr("x", 3) == 3


def test_spoofed_forwarded_for_does_not_reset_the_ip_limit_G08(client):
    """With no trusted proxy, X-Forwarded-For is ignored: changing it on every
    attempt does not escape the per-IP limit of failed logins."""
    statuses = []
    for n in range(12):
        response = client.post(
            "/en/accounts/login/",
            {"login": f"nobody{n}@example.org", "password": "wrong"},
            HTTP_X_FORWARDED_FOR=f"203.0.113.{n}",
        )
        statuses.append(
            response.status_code == 429 or b"Too many failed" in response.content
        )
    # The eleventh failure from the same address within a minute is refused.
    assert statuses[:10] == [False] * 10
    assert statuses[10] is True

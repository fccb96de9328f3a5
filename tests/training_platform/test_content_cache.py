"""The content cache's versions are read from the cache once per request
(each read is a round trip to Redis), and a change is still seen at once:
within the request that makes it, and by the next request (issue 12)."""

import pytest
from django.core.cache import cache
from django.core.signals import request_finished, request_started

from training_platform import content_cache

pytestmark = pytest.mark.django_db


def count_reads(monkeypatch):
    reads = []
    original = cache.get

    def get(key, *args, **kwargs):
        if str(key).startswith(
            (content_cache.CONTENT_VERSION_KEY, content_cache.AUTH_VERSION_KEY)
        ):
            reads.append(key)
        return original(key, *args, **kwargs)

    monkeypatch.setattr(cache, "get", get)
    return reads


def test_content_version_is_read_once_per_request(monkeypatch):
    reads = count_reads(monkeypatch)
    request_started.send(sender=None)
    try:
        first = content_cache.content_key("a")
        for _ in range(5):
            assert content_cache.content_key("a") == first
        content_cache.auth_version(7)
        content_cache.auth_version(7)
    finally:
        request_finished.send(sender=None)
    assert sorted(reads) == sorted(
        [
            content_cache.CONTENT_VERSION_KEY,
            content_cache.AUTH_VERSION_KEY,
            f"{content_cache.AUTH_VERSION_KEY}:7",
        ]
    )


def test_a_change_is_seen_within_the_request_and_by_the_next_one():
    request_started.send(sender=None)
    try:
        before = content_cache.content_key("a")
        user_before = content_cache.auth_version(7)
        content_cache.bump_content_version()
        content_cache.bump_user_auth_version(instance=None, reverse=True, pk_set={7})
        during = content_cache.content_key("a")
        assert during != before
        assert content_cache.auth_version(7) != user_before
    finally:
        request_finished.send(sender=None)
    # Another process changes the content between two requests.
    cache.set(content_cache.CONTENT_VERSION_KEY, "elsewhere", None)
    request_started.send(sender=None)
    try:
        assert content_cache.content_key("a") == "content:elsewhere:a"
    finally:
        request_finished.send(sender=None)


def test_outside_a_request_every_read_goes_to_the_cache():
    content_cache.content_key("a")
    cache.set(content_cache.CONTENT_VERSION_KEY, "changed", None)
    assert content_cache.content_key("a") == "content:changed:a"

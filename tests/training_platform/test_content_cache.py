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
        assert content_cache.content_key("a").endswith(":elsewhere:a")
    finally:
        request_finished.send(sender=None)


def test_outside_a_request_every_read_goes_to_the_cache():
    content_cache.content_key("a")
    cache.set(content_cache.CONTENT_VERSION_KEY, "changed", None)
    assert content_cache.content_key("a").endswith(":changed:a")


def test_entries_of_another_release_are_never_read(tmp_path, settings):
    """The content keys carry a digest of the platform's code and templates:
    after a deploy that changes what a cached value holds, the old entries
    (built by the old code) are not read although no page changed."""
    package = tmp_path / "app"
    package.mkdir()
    (package / "__init__.py").write_text("")
    template = package / "templates" / "outline.html"
    template.parent.mkdir()
    template.write_text("{{ page.url }}")
    settings.BASE_DIR = tmp_path
    content_cache.code_version.cache_clear()
    try:
        before = content_cache.code_version()
        template.write_text("{{ page.outline_url }}")
        content_cache.code_version.cache_clear()
        after = content_cache.code_version()
    finally:
        content_cache.code_version.cache_clear()
    assert before != after
    assert content_cache.code_version() in content_cache.content_key("outline", 1)

"""What every visitor sees alike, kept in the Django cache (``CACHE_URL``).

Entries are keyed by a content version that any change to a page bumps
(publish, unpublish, move, delete, save) through Wagtail's and Django's
signals, so a trainer's publish is seen on the next request without a manual
step. A second version covers roles and permissions. Nothing stored here may
depend on who asks: per-learner data (enrolment, progress) is read for each
request and merged in Python.

Each request reads a version from the cache once (a round trip to Redis per
read otherwise, many per page): the versions are kept for the request
between Django's ``request_started`` and ``request_finished`` signals, and a
change made during the request updates them at once.

Two levels: the shared cache, and a small store in each process's memory in
front of it. Every key read through ``cached`` carries the versions it
depends on, so the memory store needs no invalidation of its own: a bump
makes new keys, and the old entries age out of the store."""

import collections
import functools
import hashlib
import threading
import uuid
from pathlib import Path

from django.core.cache import cache

CONTENT_VERSION_KEY = "content:version"
AUTH_VERSION_KEY = "content:auth-version"
TIMEOUT = 60 * 60 * 24
LOCAL_ENTRIES = 2048


class _LocalStore:
    """A bounded least-recently-used map, safe across threads."""

    def __init__(self, size):
        self.size = size
        self.entries = collections.OrderedDict()
        self.lock = threading.Lock()

    def get(self, key, default=None):
        with self.lock:
            try:
                self.entries.move_to_end(key)
            except KeyError:
                return default
            return self.entries[key]

    def set(self, key, value):
        with self.lock:
            self.entries[key] = value
            self.entries.move_to_end(key)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)

    def clear(self):
        with self.lock:
            self.entries.clear()


local = _LocalStore(LOCAL_ENTRIES)
_MISSING = object()

_request = threading.local()


def _begin_request(**kwargs):
    _request.versions = {}


def _end_request(**kwargs):
    _request.versions = None


def _remember(key, value):
    versions = getattr(_request, "versions", None)
    if versions is not None:
        versions[key] = value


def _version(key, timeout=None) -> str:
    versions = getattr(_request, "versions", None)
    if versions is not None and key in versions:
        return versions[key]
    value = cache.get(key)
    if value is None:
        value = uuid.uuid4().hex
        if not cache.add(key, value, timeout):
            value = cache.get(key) or value
    if versions is not None:
        versions[key] = value
    return value


def _set_version(key, timeout=None):
    value = uuid.uuid4().hex
    cache.set(key, value, timeout)
    _remember(key, value)


def content_version() -> str:
    return _version(CONTENT_VERSION_KEY)


def auth_version(user_id=None) -> str:
    """Changes when roles or permissions change: for everybody (a group's
    permissions), or, with ``user_id``, for that user's own groups and
    permissions, so that signing up a learner keeps everyone else's cache."""
    if user_id is None:
        return _version(AUTH_VERSION_KEY)
    # A user's stamp may lapse: a new one only costs that user a rebuild.
    own = _version(f"{AUTH_VERSION_KEY}:{user_id}", TIMEOUT)
    return f"{_version(AUTH_VERSION_KEY)}.{own}"


def bump_content_version(**kwargs):
    _set_version(CONTENT_VERSION_KEY)


def bump_auth_version(**kwargs):
    _set_version(AUTH_VERSION_KEY)


def bump_user_auth_version(*, instance, reverse, pk_set, **kwargs):
    """A user's groups or permissions changed, from either side of the
    relation; a clear from the group's side names nobody: everybody's."""
    if not reverse:
        user_ids = [instance.pk]
    elif pk_set is None:
        bump_auth_version()
        return
    else:
        user_ids = pk_set
    for user_id in user_ids:
        _set_version(f"{AUTH_VERSION_KEY}:{user_id}", TIMEOUT)


@functools.cache
def code_version() -> str:
    """A digest of the platform's code and templates: what is cached is built
    by them (a new deploy may store other attributes or markup), so entries
    of another release are never read."""
    from django.conf import settings

    digest = hashlib.blake2b(digest_size=6)
    root = Path(settings.BASE_DIR)
    packages = [
        top
        for top in sorted(root.iterdir())
        if (top / "__init__.py").exists() and top.name not in ("tests", "bench")
    ]
    for package in packages:
        for path in sorted(package.rglob("*")):
            if path.suffix in (".py", ".html"):
                digest.update(str(path.relative_to(root)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def content_key(*parts) -> str:
    return ":".join(["content", code_version(), content_version(), *map(str, parts)])


def cached(key, build, timeout=TIMEOUT):
    """The value under ``key``, built and stored when missing (a cache that is
    down only costs the build). ``key`` must carry the versions the value
    depends on (``content_key``): it is also kept in process memory."""
    value = local.get(key, _MISSING)
    if value is not _MISSING:
        return value
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, timeout)
    local.set(key, value)
    return value


def request_memo(request, name, build):
    """``build()`` once per request (stored on the request object)."""
    if request is None:
        return build()
    memo = request.__dict__.setdefault("_content_memo", {})
    if name not in memo:
        memo[name] = build()
    return memo[name]


def connect_signals():
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group, Permission
    from django.core.signals import request_finished, request_started
    from django.db.models.signals import m2m_changed, post_delete, post_save
    from wagtail.models import Locale, Page, PageViewRestriction, Site
    from wagtail.signals import page_published, page_unpublished, post_page_move

    request_started.connect(_begin_request, dispatch_uid="content-cache-begin")
    request_finished.connect(_end_request, dispatch_uid="content-cache-end")

    def on_page_change(sender, instance=None, **kwargs):
        if isinstance(instance, Page):
            bump_content_version()

    post_save.connect(on_page_change, dispatch_uid="content-cache-page-save")
    post_delete.connect(on_page_change, dispatch_uid="content-cache-page-delete")
    for signal, uid in (
        (page_published, "published"),
        (page_unpublished, "unpublished"),
        (post_page_move, "moved"),
    ):
        signal.connect(bump_content_version, dispatch_uid=f"content-cache-{uid}")
    for model in (PageViewRestriction, Site, Locale):
        post_save.connect(
            bump_content_version, sender=model, dispatch_uid=f"cc-save-{model}"
        )
        post_delete.connect(
            bump_content_version, sender=model, dispatch_uid=f"cc-delete-{model}"
        )
    user_model = get_user_model()
    for through in (user_model.groups.through, user_model.user_permissions.through):
        m2m_changed.connect(
            bump_user_auth_version, sender=through, dispatch_uid=f"cc-auth-{through}"
        )
    m2m_changed.connect(
        bump_auth_version,
        sender=Group.permissions.through,
        dispatch_uid="cc-auth-group-permissions",
    )
    for model in (Group, Permission):
        post_delete.connect(
            bump_auth_version, sender=model, dispatch_uid=f"cc-auth-del-{model}"
        )


class CachedViewRestrictionsMixin:
    """For page types learners open all the time: Wagtail checks the view
    restrictions of the page and its ancestors on every serve (two queries);
    the answer is the same for everyone and kept here until a page or a
    restriction changes. The result is still a queryset (evaluated)."""

    def get_view_restrictions(self):
        parent = super()
        if not self.pk:
            return parent.get_view_restrictions()
        restrictions = cached(
            content_key("view-restrictions", self.pk),
            lambda: list(parent.get_view_restrictions()),
        )
        from wagtail.models import PageViewRestriction

        queryset = PageViewRestriction.objects.filter(
            pk__in=[r.pk for r in restrictions]
        )
        queryset._result_cache = restrictions
        return queryset

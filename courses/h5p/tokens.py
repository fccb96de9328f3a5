"""Signed, expiring URL tokens.

A sandboxed frame has an opaque origin and sends no session cookie, so the
player page and the package files are reached with tokens in the URL path:

- the launch token is issued when the server renders an activity for a
  learner; it names the user, the content, the lesson and the grading
  settings, and the xAPI endpoint requires it with every statement (B01);
- the files token opens one content's files (and its libraries) for a while;
  it is the same for everybody during a time window, so browsers can cache,
  and it names the storage prefixes of the files it opens (``files_version``)
  so that what a URL serves never changes.
"""

import hashlib
import time

from django.core import signing

from . import conf

LAUNCH_SALT = "courses.h5p.launch"
FILES_SALT = "courses.h5p.files"


def launch_token(
    *,
    user,
    content,
    parent_origin,
    activity_key,
    context_key="",
    lesson_id=None,
    pass_threshold=None,
    grade_policy=None,
):
    payload = {
        "u": user.pk,
        "c": content.uuid.hex,
        "o": parent_origin,
        "k": activity_key,
        "x": context_key,
        "l": lesson_id,
        "t": content.pass_threshold if pass_threshold is None else pass_threshold,
        "g": grade_policy or content.grade_policy,
    }
    return signing.dumps(payload, salt=LAUNCH_SALT, compress=True)


def read_launch(token):
    """The launch payload, or None when forged or expired."""
    try:
        payload = signing.loads(
            token, salt=LAUNCH_SALT, max_age=conf.get("H5P_LAUNCH_MAX_AGE")
        )
    except (signing.BadSignature, ValueError, TypeError):
        return None
    return payload if isinstance(payload, dict) else None


def files_version(content):
    """A digest of where the content's files and its libraries' files are
    stored. Files under a storage prefix never change (an upgrade installs a
    library under a new prefix), so a URL whose token names the current
    prefixes always serves the same bytes and browsers may keep them."""
    prefixes = sorted(content.libraries.values_list("storage_prefix", flat=True))
    digest = hashlib.sha256()
    for prefix in [content.storage_prefix, *prefixes]:
        digest.update(prefix.encode() + b"\0")
    return digest.hexdigest()[:12]


def files_token(content, *, now=None):
    window = conf.get("H5P_FILES_TOKEN_WINDOW")
    now = time.time() if now is None else now
    expires = (int(now // window) + 2) * window
    return signing.Signer(salt=FILES_SALT).sign_object(
        {"c": content.uuid.hex, "e": expires, "v": files_version(content)}
    )


def read_files_grant(token, *, now=None):
    """The (content uuid hex, files version) a token grants, or None when
    forged or expired. Tokens issued before versions existed have none."""
    try:
        payload = signing.Signer(salt=FILES_SALT).unsign_object(token)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    now = time.time() if now is None else now
    if not isinstance(payload, dict) or payload.get("e", 0) < now:
        return None
    if not isinstance(payload.get("c"), str):
        return None
    return payload["c"], payload.get("v")


def read_files_token(token, *, now=None):
    """The content's uuid hex, or None."""
    grant = read_files_grant(token, now=now)
    return grant[0] if grant else None

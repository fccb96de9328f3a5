"""Validation of the xAPI statements that H5P content reports (B02, B08, B09).

Only the parts the platform reads are strictly typed; the rest must still be
JSON of bounded size, depth and width."""

import hashlib
import json
import math
import re
import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from . import conf

VERB_PREFIXES = (
    "http://adlnet.gov/expapi/verbs/",
    "https://w3id.org/xapi/adl/verbs/",
    "http://activitystrea.ms/schema/1.0/",
)
SCORED_VERBS = {"answered", "completed", "passed", "failed"}
COMPLETION_VERBS = {
    "answered",
    "completed",
    "passed",
    "failed",
    "consume",
    "consumed",
    "experienced",
}
TOP_KEYS = {
    "id",
    "actor",
    "verb",
    "object",
    "result",
    "context",
    "timestamp",
    "stored",
    "authority",
    "version",
    "attachments",
}
RESULT_KEYS = {"score", "success", "completion", "response", "duration", "extensions"}
SCORE_KEYS = {"scaled", "raw", "min", "max"}
IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:\S+$")
MAX_DEPTH = 16
MAX_FIELDS = 1000


class StatementInvalid(Exception):
    def __init__(self, code, status=400):
        self.code = code
        self.status = status
        super().__init__(code)


@dataclass
class ParsedStatement:
    id: uuid.UUID
    verb: str
    verb_name: str
    top_level: bool
    score: dict | None
    success: bool | None
    completion: bool | None
    timestamp: object
    actor: dict | None
    body: dict
    sha256: str


def canonical(value):
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _shape(value):
    """Depth and number of fields, iteratively."""
    fields = 0
    deepest = 0
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        deepest = max(deepest, depth)
        if isinstance(item, dict):
            fields += len(item)
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            fields += len(item)
            stack.extend((v, depth + 1) for v in item)
        if deepest > MAX_DEPTH or fields > MAX_FIELDS:
            break
    return deepest, fields


def _number(value):
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise StatementInvalid("score-not-number")
    if isinstance(value, float) and not math.isfinite(value):
        raise StatementInvalid("score-not-finite")
    return float(value)


def _score(result):
    score = result.get("score")
    if score is None:
        return None
    if not isinstance(score, dict) or not set(score) <= SCORE_KEYS:
        raise StatementInvalid("score-shape")
    values = {key: _number(value) for key, value in score.items()}
    if "scaled" in values and not -1 <= values["scaled"] <= 1:
        raise StatementInvalid("score-scaled-range")
    low, high, raw = values.get("min"), values.get("max"), values.get("raw")
    if high is not None and high < 0:
        raise StatementInvalid("score-max-negative")
    if low is not None and high is not None and low > high:
        raise StatementInvalid("score-min-above-max")
    if raw is not None and high is not None and raw > high:
        raise StatementInvalid("score-raw-above-max")
    if raw is not None and raw < (0 if low is None else low):
        # Without a minimum a score starts at 0: a negative raw score is a
        # forged one (B01, B02).
        raise StatementInvalid("score-raw-below-min")
    if not values or (values.get("max") == 0 and "scaled" not in values):
        return None  # nothing to grade (content without scored parts)
    return values


def _is_top_level(statement):
    context = statement.get("context")
    if context is None:
        return True
    if not isinstance(context, dict):
        raise StatementInvalid("context-shape")
    activities = context.get("contextActivities")
    if activities is None:
        return True
    if not isinstance(activities, dict):
        raise StatementInvalid("context-shape")
    parent = activities.get("parent")
    if parent in (None, [], {}):
        return True
    if not isinstance(parent, (list, dict)):
        raise StatementInvalid("context-shape")
    return False


def _timestamp(value):
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > 64:
        raise StatementInvalid("timestamp")
    try:
        parsed = parse_datetime(value)
    except ValueError as exc:
        raise StatementInvalid("timestamp") from exc
    if parsed is None:
        raise StatementInvalid("timestamp")
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed, timezone.utc)
    now = timezone.now()
    tolerance = timedelta(seconds=conf.get("H5P_FUTURE_TIMESTAMP_TOLERANCE"))
    # The server's clock orders events; a future claim is clamped (B09).
    return min(parsed, now) if parsed > now + tolerance else parsed


def parse_statement(statement):
    if not isinstance(statement, dict):
        raise StatementInvalid("not-object")
    text = canonical(statement)
    if len(text.encode("utf-8")) > conf.get("H5P_MAX_STATEMENT_BYTES"):
        raise StatementInvalid("too-large", status=413)
    depth, fields = _shape(statement)
    if depth > MAX_DEPTH or fields > MAX_FIELDS:
        raise StatementInvalid("too-complex")
    if not set(statement) <= TOP_KEYS:
        raise StatementInvalid("unknown-field")
    try:
        statement_id = uuid.UUID(str(statement.get("id")))
    except ValueError as exc:
        raise StatementInvalid("id") from exc
    if str(statement_id) != str(statement.get("id")).lower():
        raise StatementInvalid("id")
    verb = statement.get("verb")
    if not isinstance(verb, dict) or not isinstance(verb.get("id"), str):
        raise StatementInvalid("verb")
    verb_id = verb["id"]
    if len(verb_id) > 512 or not IRI.match(verb_id):
        raise StatementInvalid("verb")
    target = statement.get("object")
    if (
        not isinstance(target, dict)
        or not isinstance(target.get("id"), str)
        or len(target["id"]) > 2048
        or not IRI.match(target["id"])
    ):
        raise StatementInvalid("object")
    actor = statement.get("actor")
    if actor is not None and not isinstance(actor, dict):
        raise StatementInvalid("actor")
    result = statement.get("result")
    score = success = completion = None
    if result is not None:
        if not isinstance(result, dict) or not set(result) <= RESULT_KEYS:
            raise StatementInvalid("result-shape")
        success = result.get("success")
        completion = result.get("completion")
        if success is not None and not isinstance(success, bool):
            raise StatementInvalid("result-success")
        if completion is not None and not isinstance(completion, bool):
            raise StatementInvalid("result-completion")
        score = _score(result)
    verb_name = verb_id.rstrip("/").rsplit("/", 1)[-1]
    if not verb_id.startswith(VERB_PREFIXES):
        verb_name = ""  # a custom verb never produces a result
    return ParsedStatement(
        id=statement_id,
        verb=verb_id,
        verb_name=verb_name,
        top_level=_is_top_level(statement),
        score=score,
        success=success,
        completion=completion,
        timestamp=_timestamp(statement.get("timestamp")),
        actor=actor,
        body=statement,
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
    )


def actor_names_another_user(actor, user):
    """True when the statement's actor explicitly names a different person
    registered on the platform (B03). Anonymous actors (H5P's random account)
    are simply ignored: the session's user is the learner."""
    if not isinstance(actor, dict):
        return False
    mbox = actor.get("mbox")
    if isinstance(mbox, str) and mbox.lower().startswith("mailto:"):
        email = mbox[7:].strip()
        if email.casefold() != (user.email or "").casefold():
            return (
                get_user_model()
                .objects.filter(email__iexact=email)
                .exclude(pk=user.pk)
                .exists()
            )
    account = actor.get("account")
    if isinstance(account, dict) and isinstance(account.get("name"), str):
        name = account["name"]
        if name.isdigit() and int(name) != user.pk:
            return get_user_model().objects.filter(pk=int(name)).exists()
    return False

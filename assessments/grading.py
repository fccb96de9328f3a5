"""Pure-Python graders. Nothing here touches the database: a grader takes a
question snapshot (``QuestionVersion.data``) and a learner's response and
returns the share of the marks earned as an exact ``Fraction`` in [0, 1].

Responses, one shape per kind:

- single: ``{"choice": "<key>"}``
- multiple: ``{"choices": ["<key>", ...]}``
- truefalse: ``{"value": true}``
- short: ``{"text": "..."}``
- numeric: ``{"value": "3.5"}`` (a string, as typed)
- matching: ``{"pairs": {"<prompt key>": "<answer key>", ...}}``

``validate`` checks a response against the snapshot (ids must belong to the
question) before it is stored; ``grade`` is tolerant, so that a response saved
against an older version can be regraded against a corrected one.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from fractions import Fraction

MAX_TEXT = 500
MAX_NUMBER_CHARS = 40

CORRECT = "correct"
PARTIAL = "partial"
INCORRECT = "incorrect"
UNANSWERED = "unanswered"


class InvalidResponse(ValueError):
    """The response does not fit the question (unknown ids, wrong shape)."""


@dataclass
class Outcome:
    fraction: Fraction
    state: str
    feedback: list[str] = field(default_factory=list)
    detail: dict = field(default_factory=dict)


def _outcome(fraction, feedback=(), **detail):
    fraction = min(Fraction(1), max(Fraction(0), Fraction(fraction)))
    if fraction == 1:
        state = CORRECT
    elif fraction == 0:
        state = INCORRECT
    else:
        state = PARTIAL
    return Outcome(fraction, state, [f for f in feedback if f], detail)


UNANSWERED_OUTCOME = Outcome(Fraction(0), UNANSWERED)


# ---------------------------------------------------------------- normalisation


_SPACES = re.compile(r"\s+", re.UNICODE)


def normalise_text(text, *, case_sensitive=False, trim_spaces=True, diacritics=True):
    """The form in which short answers are compared. ``diacritics=False``
    drops combining marks (``Petrović`` -> ``Petrovic``; ``ё`` -> ``е``)."""
    text = unicodedata.normalize("NFC", str(text))
    if trim_spaces:
        text = _SPACES.sub(" ", text).strip()
    if not diacritics:
        decomposed = unicodedata.normalize("NFD", text)
        text = unicodedata.normalize(
            "NFC", "".join(c for c in decomposed if not unicodedata.combining(c))
        )
    if not case_sensitive:
        text = text.casefold()
    return text


def parse_number(raw) -> Decimal | None:
    """A number as a learner types it: ``3.5``, ``3,5``, ``1 000``, ``-2e3``.
    Returns None for anything that is not a finite number."""
    if raw is None:
        return None
    text = str(raw).strip().replace("\u00a0", "").replace("\u202f", "")
    text = text.replace(" ", "").replace("\u2212", "-")
    if not text or len(text) > MAX_NUMBER_CHARS:
        return None
    if "," in text and "." not in text and text.count(",") == 1:
        text = text.replace(",", ".")
    if not re.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d{1,4})?", text):
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


# ---------------------------------------------------------------- validation


def validate(data, response):
    """Return the response in canonical form or raise ``InvalidResponse``.
    ``None`` (no answer) is always valid."""
    if response is None:
        return None
    if not isinstance(response, dict):
        raise InvalidResponse("response must be an object")
    kind = data["kind"]
    if kind == "single":
        choice = response.get("choice")
        if choice is None or choice == "":
            return None
        if not isinstance(choice, str) or choice not in {
            c["key"] for c in data["choices"]
        }:
            raise InvalidResponse("unknown choice")
        return {"choice": choice}
    if kind == "multiple":
        chosen = response.get("choices", [])
        if not isinstance(chosen, list) or not all(isinstance(c, str) for c in chosen):
            raise InvalidResponse("choices must be a list")
        if len(set(chosen)) != len(chosen):
            raise InvalidResponse("duplicate choice")
        keys = [c["key"] for c in data["choices"]]
        if not set(chosen) <= set(keys):
            raise InvalidResponse("unknown choice")
        ordered = [k for k in keys if k in set(chosen)]
        return {"choices": ordered} if ordered else None
    if kind == "truefalse":
        value = response.get("value")
        if value is None:
            return None
        if not isinstance(value, bool):
            raise InvalidResponse("value must be true or false")
        return {"value": value}
    if kind == "short":
        text = response.get("text", "")
        if not isinstance(text, str) or len(text) > MAX_TEXT:
            raise InvalidResponse("text too long")
        if "\x00" in text:
            raise InvalidResponse("invalid character")
        return {"text": text} if text.strip() else None
    if kind == "numeric":
        value = response.get("value", "")
        if not isinstance(value, str) or len(value) > MAX_NUMBER_CHARS:
            raise InvalidResponse("number too long")
        # An unparsable number is kept (and graded wrong) so the learner sees
        # what they typed; only its size is limited.
        return {"value": value} if value.strip() else None
    if kind == "matching":
        pairs = response.get("pairs", {})
        if not isinstance(pairs, dict):
            raise InvalidResponse("pairs must be an object")
        prompts = {p["key"] for p in data["prompts"]}
        answers = {a["key"] for a in data["answers"]}
        clean = {}
        for prompt, answer in pairs.items():
            if prompt not in prompts:
                raise InvalidResponse("unknown item")
            if answer is None or answer == "":
                continue
            if not isinstance(answer, str) or answer not in answers:
                raise InvalidResponse("unknown answer")
            clean[prompt] = answer
        return {"pairs": clean} if clean else None
    raise InvalidResponse("unknown question type")


# ---------------------------------------------------------------- graders


def grade(data, response) -> Outcome:
    if response is None:
        return UNANSWERED_OUTCOME
    grader = GRADERS[data["kind"]]
    return grader(data, response)


def _grade_single(data, response):
    chosen = response.get("choice")
    for choice in data["choices"]:
        if choice["key"] == chosen:
            return _outcome(1 if choice["correct"] else 0, [choice.get("feedback")])
    return _outcome(0)


def multiple_fraction(
    *, correct: set, wrong: set, chosen: set, partial: bool, penalty: bool
) -> Fraction:
    """Partial credit: each correct choice ticked earns 1/|correct|; with the
    penalty each wrong choice ticked costs 1/|wrong|, so ticking everything
    scores 0. All-or-nothing: full marks only for exactly the correct set."""
    chosen = chosen & (correct | wrong)
    if not partial:
        return Fraction(1 if chosen == correct else 0)
    if not correct:
        return Fraction(1 if not chosen else 0)
    earned = Fraction(len(chosen & correct), len(correct))
    if penalty and wrong:
        earned -= Fraction(len(chosen & wrong), len(wrong))
    return min(Fraction(1), max(Fraction(0), earned))


def _grade_multiple(data, response):
    chosen = set(response.get("choices") or [])
    correct = {c["key"] for c in data["choices"] if c["correct"]}
    wrong = {c["key"] for c in data["choices"] if not c["correct"]}
    fraction = multiple_fraction(
        correct=correct,
        wrong=wrong,
        chosen=chosen,
        partial=data.get("scoring") == "partial",
        penalty=bool(data.get("penalty")),
    )
    feedback = [c.get("feedback") for c in data["choices"] if c["key"] in chosen]
    return _outcome(fraction, feedback)


def _grade_truefalse(data, response):
    value = response.get("value")
    if not isinstance(value, bool):
        return _outcome(0)
    feedback = data.get("feedback_true") if value else data.get("feedback_false")
    return _outcome(1 if value == data["answer"] else 0, [feedback])


def _grade_short(data, response):
    options = {
        "case_sensitive": data.get("case_sensitive", False),
        "trim_spaces": data.get("trim_spaces", True),
        "diacritics": not data.get("ignore_diacritics", False),
    }
    given = normalise_text(response.get("text", ""), **options)
    best = None
    for accepted in data["accepted"]:
        if normalise_text(accepted["text"], **options) == given:
            credit = Fraction(Decimal(str(accepted["credit"]))) / 100
            if best is None or credit > best[0]:
                best = (credit, accepted.get("feedback"))
    if best is None:
        return _outcome(0)
    return _outcome(best[0], [best[1]])


def _grade_numeric(data, response):
    value = parse_number(response.get("value"))
    if value is None:
        return _outcome(0, detail={"unparsable": True})
    best = None
    for answer in data["numeric"]:
        target = Decimal(str(answer["value"]))
        tolerance = abs(Decimal(str(answer["tolerance"])))
        if abs(value - target) <= tolerance:
            credit = Fraction(Decimal(str(answer["credit"]))) / 100
            if best is None or credit > best[0]:
                best = (credit, answer.get("feedback"))
    if best is None:
        return _outcome(0)
    return _outcome(best[0], [best[1]])


def _grade_matching(data, response):
    """Each item matched correctly earns an equal share."""
    prompts = data["prompts"]
    if not prompts:
        return _outcome(0)
    pairs = response.get("pairs") or {}
    right = sum(1 for p in prompts if pairs.get(p["key"]) == p["answer"])
    return _outcome(Fraction(right, len(prompts)))


GRADERS = {
    "single": _grade_single,
    "multiple": _grade_multiple,
    "truefalse": _grade_truefalse,
    "short": _grade_short,
    "numeric": _grade_numeric,
    "matching": _grade_matching,
}


def marks_for(fraction: Fraction, max_marks: Decimal) -> Decimal:
    return (
        Decimal(fraction.numerator) * Decimal(max_marks) / fraction.denominator
    ).quantize(Decimal("0.001"))


def fraction_decimal(fraction: Fraction) -> Decimal:
    return (Decimal(fraction.numerator) / Decimal(fraction.denominator)).quantize(
        Decimal("0.0000001")
    )


# ---------------------------------------------------------------- correct answers


def correct_response(data):
    """A response that earns full marks (used by tests and by the review to
    show the right answer)."""
    kind = data["kind"]
    if kind == "single":
        key = next((c["key"] for c in data["choices"] if c["correct"]), None)
        return {"choice": key} if key else None
    if kind == "multiple":
        return {"choices": [c["key"] for c in data["choices"] if c["correct"]]}
    if kind == "truefalse":
        return {"value": data["answer"]}
    if kind == "short":
        best = max(data["accepted"], key=lambda a: Decimal(str(a["credit"])))
        return {"text": best["text"]}
    if kind == "numeric":
        best = max(data["numeric"], key=lambda a: Decimal(str(a["credit"])))
        return {"value": str(best["value"])}
    if kind == "matching":
        return {"pairs": {p["key"]: p["answer"] for p in data["prompts"]}}
    return None

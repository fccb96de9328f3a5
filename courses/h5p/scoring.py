"""The maximum score of an H5P package, read from its own parameters.

Each function mirrors the ``getMaxScore`` of the content type's JavaScript
(and its ``presave.js``, H5P's own server-side reading of the maximum). A
content type that is not listed here, or parameters that do not say enough,
give ``None``: the maximum is then not known to the server, and no learner's
statement may decide it for the others (B02)."""

import re

BLANK = re.compile(r"\*[^*]+\*")


def _mapping(value):
    return value if isinstance(value, dict) else {}


def _positive_number(value, default):
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
        return None
    return float(value)


def _one(params):
    return 1.0


def _multi_choice(params):
    answers = params.get("answers")
    if not isinstance(answers, list) or not answers:
        return None
    behaviour = _mapping(params.get("behaviour"))
    weight = _positive_number(params.get("weight"), 1.0)
    correct = [_mapping(a) for a in answers if _mapping(a).get("correct") is True]
    kind = behaviour.get("type", "auto")
    single_answer = len(correct) == 1 if kind == "auto" else kind == "single"
    if single_answer or behaviour.get("singlePoint", True) or not correct:
        return weight
    total = 0.0
    for answer in correct:
        value = _positive_number(answer.get("weight", 1), None)
        if value is None:
            return None
        total += value
    return total


def _blanks(params):
    questions = params.get("questions")
    if not isinstance(questions, list) or not questions:
        return None  # the library's defaults decide; not read here
    if not all(isinstance(q, str) for q in questions):
        return None
    total = sum(len(BLANK.findall(q)) for q in questions)
    return float(total) or None


def _drag_question(params):
    behaviour = _mapping(params.get("behaviour"))
    if behaviour.get("singlePoint") is True:
        return _positive_number(params.get("weight"), 1.0)
    task = _mapping(_mapping(params.get("question")).get("task"))
    zones = task.get("dropZones")
    elements = task.get("elements")
    if not isinstance(zones, list) or not isinstance(elements, list):
        return None
    correct_zones = {}
    for zone_index, zone in enumerate(zones):
        for element in _mapping(zone).get("correctElements") or []:
            correct_zones.setdefault(str(element), []).append(zone_index)
    if not correct_zones:
        return 1.0
    total = 0
    for index, element in enumerate(elements):
        zones_for = correct_zones.get(str(index))
        if zones_for:
            total += len(zones_for) if _mapping(element).get("multiple") else 1
    return float(total) or None


def _question_set(params):
    questions = params.get("questions")
    if not isinstance(questions, list) or not questions:
        return None
    pool = params.get("poolSize")
    if (
        isinstance(pool, int)
        and not isinstance(pool, bool)
        and 0 < pool < len(questions)
    ):
        return None  # a random subset: the maximum differs between attempts
    total = 0.0
    for question in questions:
        question = _mapping(question)
        value = max_score(question.get("library"), _mapping(question.get("params")))
        if value is None:
            return None
        total += value
    return total


DERIVERS = {
    "H5P.PlatformQuiz": _one,
    "H5P.TrueFalse": _one,
    "H5P.MultiChoice": _multi_choice,
    "H5P.Blanks": _blanks,
    "H5P.DragQuestion": _drag_question,
    "H5P.QuestionSet": _question_set,
}


def max_score(library, params):
    """``library`` is a machine name or "Name major.minor" (sub-content)."""
    if not isinstance(library, str) or not isinstance(params, dict):
        return None
    derive = DERIVERS.get(library.split(" ", 1)[0])
    if derive is None:
        return None
    value = derive(params)
    return value if value is not None and value > 0 else None

from django.test import TestCase

from assessments import grading, services
from assessments.models import AttemptSlot


def submit(**kwargs):
    """``services.attempt_submit`` and what it leaves for after the commit
    (course progress and completion), as a committed request would."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return services.attempt_submit(**kwargs)


def correct_answers(attempt, positions=None):
    slots = AttemptSlot.objects.filter(attempt=attempt).select_related("version")
    return {
        s.position: grading.correct_response(s.version.data)
        for s in slots
        if positions is None or s.position in positions
    }


def wrong_answers(attempt):
    answers = {}
    for slot in AttemptSlot.objects.filter(attempt=attempt).select_related("version"):
        data = slot.version.data
        kind = data["kind"]
        if kind == "single":
            answers[slot.position] = {
                "choice": next(c["key"] for c in data["choices"] if not c["correct"])
            }
        elif kind == "multiple":
            answers[slot.position] = {
                "choices": [c["key"] for c in data["choices"] if not c["correct"]]
            }
        elif kind == "truefalse":
            answers[slot.position] = {"value": not data["answer"]}
        elif kind == "short":
            answers[slot.position] = {"text": "something else"}
        elif kind == "numeric":
            answers[slot.position] = {"value": "-123456"}
        elif kind == "matching":
            wrong = {}
            keys = [a["key"] for a in data["answers"]]
            for prompt in data["prompts"]:
                wrong[prompt["key"]] = next(k for k in keys if k != prompt["answer"])
            answers[slot.position] = {"pairs": wrong}
    return answers


def slot_of_kind(attempt, kind):
    for slot in AttemptSlot.objects.filter(attempt=attempt).select_related("version"):
        if slot.version.data["kind"] == kind:
            return slot
    raise LookupError(kind)


def answer_in_browser(page, attempt, right=True):
    """Fill the attempt's form in a Playwright page with the right (or wrong)
    answers, as a learner would."""
    answers = correct_answers(attempt) if right else wrong_answers(attempt)
    for slot in AttemptSlot.objects.filter(attempt=attempt).select_related("version"):
        response = answers[slot.position]
        name = f"q{slot.position}"
        kind = slot.version.data["kind"]
        if kind == "single":
            page.locator(f"input[name={name}][value='{response['choice']}']").check()
        elif kind == "multiple":
            for key in response["choices"]:
                page.locator(f"input[name={name}][value='{key}']").check()
        elif kind == "truefalse":
            value = "true" if response["value"] else "false"
            page.locator(f"input[name={name}][value={value}]").check()
        elif kind in ("short", "numeric"):
            key = "text" if kind == "short" else "value"
            page.locator(f"#{name}-input").fill(response[key])
        elif kind == "matching":
            for prompt, answer in response["pairs"].items():
                page.locator(f"select[name='{name}-{prompt}']").select_option(answer)

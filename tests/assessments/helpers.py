from assessments import grading
from assessments.models import AttemptSlot


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

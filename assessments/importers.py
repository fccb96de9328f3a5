"""Parsers for the text formats trainers already use for question banks:
Moodle's Aiken (multiple choice) and GIFT (multiple choice, multiple answers,
true/false, short answer, numeric, matching). Parsers only read text: they
return the questions found and a list of errors, each with the question's
number and line. ``services.questions_import`` saves nothing when there is
an error."""

import html
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

MAX_IMPORT_CHARS = 1_000_000
MAX_QUESTIONS = 1000


@dataclass
class ParsedQuestion:
    kind: str
    text: str
    line: int
    title: str = ""
    number: int = 0
    choices: list = field(default_factory=list)  # (text, correct, feedback)
    scoring: str = "all"
    penalty: bool = False
    correct_answer: bool | None = None
    feedback_true: str = ""
    feedback_false: str = ""
    accepted: list = field(default_factory=list)  # (text, credit, feedback)
    numeric: list = field(default_factory=list)  # (value, tolerance, credit, fb)
    pairs: list = field(default_factory=list)  # (prompt, answer)
    general_feedback: str = ""


@dataclass
class ImportProblem:
    number: int
    line: int
    message: str

    def __str__(self):
        return _("Question %(number)s (line %(line)s): %(message)s") % {
            "number": self.number,
            "line": self.line,
            "message": self.message,
        }


@dataclass
class Parsed:
    questions: list[ParsedQuestion] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)


def _blocks(text):
    """Blank-line separated blocks as (first line number, [lines])."""
    block, start = [], 0
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            if not block:
                start = number
            block.append(line.rstrip())
        elif block:
            yield start, block
            block = []
    if block:
        yield start, block


def _check_size(text, result):
    if len(text) > MAX_IMPORT_CHARS:
        result.problems.append(
            ImportProblem(
                0, 0, _("The file is too large (at most 1,000,000 characters).")
            )
        )
        return False
    return True


def _title_from(text):
    plain = re.sub(r"<[^>]+>", "", text)
    plain = html.unescape(plain).strip()
    return (plain[:77] + "...") if len(plain) > 80 else plain


def _html(text):
    """Plain text from a file becomes a paragraph of rich text."""
    return "<p>" + html.escape(text.strip()).replace("\n", "<br>") + "</p>"


# ---------------------------------------------------------------- Aiken


_AIKEN_OPTION = re.compile(r"^([A-Z])[.)]\s+(.*)$")
_AIKEN_ANSWER = re.compile(r"^ANSWER:\s*([A-Z])\s*$")


def parse_aiken(text: str) -> Parsed:
    result = Parsed()
    if not _check_size(text, result):
        return result
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    number = 0
    index = 0
    while index < len(lines):
        if not lines[index].strip():
            index += 1
            continue
        number += 1
        start = index + 1
        question_lines, options, answer, problem = [], [], None, None
        while index < len(lines) and lines[index].strip():
            line = lines[index].strip()
            option = _AIKEN_OPTION.match(line)
            answer_match = _AIKEN_ANSWER.match(line)
            if answer_match:
                answer = answer_match.group(1)
                index += 1
                break
            if option and (question_lines or options):
                letter = option.group(1)
                expected = chr(ord("A") + len(options))
                if letter != expected and problem is None:
                    problem = _("Option %(letter)s is out of order.") % {
                        "letter": letter
                    }
                options.append((letter, option.group(2).strip()))
            elif options:
                problem = problem or _("Text after the options must be an ANSWER line.")
            else:
                question_lines.append(line)
            index += 1
        if problem is None:
            if not question_lines:
                problem = _("The question text is missing.")
            elif len(options) < 2:
                problem = _("A question needs at least two options (A. and B.).")
            elif answer is None:
                problem = _("The ANSWER line is missing.")
            elif answer not in {letter for letter, _text in options}:
                problem = _("The answer %(letter)s is not one of the options.") % {
                    "letter": answer
                }
        if problem:
            result.problems.append(ImportProblem(number, start, problem))
            # Skip to the end of this block.
            while index < len(lines) and lines[index].strip():
                index += 1
            continue
        body = " ".join(question_lines)
        result.questions.append(
            ParsedQuestion(
                kind="single",
                text=_html(body),
                title=_title_from(body),
                line=start,
                number=number,
                choices=[(t, letter == answer, "") for letter, t in options],
            )
        )
        if len(result.questions) > MAX_QUESTIONS:
            result.problems.append(
                ImportProblem(number, start, _("Too many questions in one file."))
            )
            break
    if not result.questions and not result.problems:
        result.problems.append(ImportProblem(0, 0, _("No questions were found.")))
    return result


# ---------------------------------------------------------------- GIFT


class GiftError(ValueError):
    pass


_SPECIAL = "~=#{}:"


def _unescape(text):
    return re.sub(
        r"\\([~=#{}:\\n])", lambda m: "\n" if m.group(1) == "n" else m.group(1), text
    ).strip()


def _find_unescaped(text, chars, start=0):
    index = start
    while index < len(text):
        char = text[index]
        if char == "\\":
            index += 2
            continue
        if char in chars:
            return index
        index += 1
    return -1


def _split_unescaped(text, separator):
    parts, current, index = [], "", 0
    while index < len(text):
        if text[index] == "\\" and index + 1 < len(text):
            current += text[index : index + 2]
            index += 2
            continue
        if text.startswith(separator, index):
            parts.append(current)
            current = ""
            index += len(separator)
            continue
        current += text[index]
        index += 1
    parts.append(current)
    return parts


def _strip_format(text):
    return re.sub(r"^\[(html|moodle|plain|markdown)\]", "", text.strip())


def _tokens(answer):
    """Split ``=a#fb ~%50%b`` into [(prefix, weight, text, feedback)]."""
    tokens = []
    index = 0
    answer = answer.strip()
    if answer and answer[0] not in "=~":
        raise GiftError(_("Each answer must start with = or ~."))
    while index < len(answer):
        prefix = answer[index]
        end = _find_unescaped(answer, "=~", index + 1)
        # "->" in matching pairs is not a separator.
        body = answer[index + 1 : end if end != -1 else len(answer)]
        index = end if end != -1 else len(answer)
        weight = None
        match = re.match(r"^\s*%(-?\d+(?:\.\d+)?)%", body)
        if match:
            weight = Decimal(match.group(1))
            body = body[match.end() :]
        feedback = ""
        hash_at = _find_unescaped(body, "#")
        if hash_at != -1:
            feedback = _unescape(body[hash_at + 1 :])
            body = body[:hash_at]
        tokens.append((prefix, weight, _unescape(body), feedback))
    return tokens


def _parse_number(text):
    try:
        value = Decimal(text.strip())
    except InvalidOperation as error:
        raise GiftError(
            _("'%(text)s' is not a number.") % {"text": text.strip()}
        ) from error
    if not value.is_finite():
        raise GiftError(_("'%(text)s' is not a number.") % {"text": text.strip()})
    return value


def _numeric_answer(spec):
    spec = spec.strip()
    if ".." in spec:
        low, high = (_parse_number(p) for p in spec.split("..", 1))
        if high < low:
            raise GiftError(_("The range must go from low to high."))
        return (low + high) / 2, (high - low) / 2
    if ":" in spec:
        value, tolerance = spec.split(":", 1)
        return _parse_number(value), abs(_parse_number(tolerance))
    return _parse_number(spec), Decimal(0)


def _gift_answer(question, answer):
    general_at = answer.find("####")
    if general_at != -1:
        question.general_feedback = _html(_unescape(answer[general_at + 4 :]))
        answer = answer[:general_at]
    answer = answer.strip()
    if not answer:
        raise GiftError(_("Essay questions ({}) are not supported."))
    if answer.startswith("#"):
        question.kind = "numeric"
        body = answer[1:].strip()
        if body.startswith("="):
            for _prefix, weight, text, feedback in _tokens(body):
                value, tolerance = _numeric_answer(text)
                credit = weight if weight is not None else Decimal(100)
                question.numeric.append((value, tolerance, credit, feedback))
        else:
            feedback = ""
            hash_at = _find_unescaped(body, "#")
            if hash_at != -1:
                feedback = _unescape(body[hash_at + 1 :])
                body = body[:hash_at]
            value, tolerance = _numeric_answer(_unescape(body))
            question.numeric.append((value, tolerance, Decimal(100), feedback))
        if not any(c == 100 for _v, _t, c, _f in question.numeric):
            # xgettext:no-python-format
            raise GiftError(_("A numeric question needs an answer with 100% credit."))
        return
    head = _split_unescaped(answer, "#")
    if head[0].strip().upper() in ("T", "TRUE", "F", "FALSE"):
        question.kind = "truefalse"
        question.correct_answer = head[0].strip().upper() in ("T", "TRUE")
        # GIFT: the first feedback is for a wrong answer, the second for a right one.
        wrong_fb = _unescape(head[1]) if len(head) > 1 else ""
        right_fb = _unescape(head[2]) if len(head) > 2 else ""
        if question.correct_answer:
            question.feedback_true, question.feedback_false = right_fb, wrong_fb
        else:
            question.feedback_false, question.feedback_true = right_fb, wrong_fb
        return
    tokens = _tokens(answer)
    if all(p == "=" for p, *_rest in tokens) and any(
        "->" in t for _p, _w, t, _f in tokens
    ):
        question.kind = "matching"
        for _prefix, _weight, text, _feedback in tokens:
            if "->" not in text:
                raise GiftError(_("Each matching pair needs 'item -> answer'."))
            prompt, matched = (part.strip() for part in text.split("->", 1))
            if not matched:
                raise GiftError(_("A matching pair has no answer."))
            question.pairs.append((prompt, matched))
        if len([p for p, _a in question.pairs if p]) < 2:
            raise GiftError(_("A matching question needs at least two pairs."))
        return
    if all(p == "=" for p, *_rest in tokens):
        question.kind = "short"
        for _prefix, weight, text, feedback in tokens:
            if not text:
                raise GiftError(_("An accepted answer is empty."))
            credit = weight if weight is not None else Decimal(100)
            question.accepted.append((text, credit, feedback))
        if not any(c == 100 for _t, c, _f in question.accepted):
            raise GiftError(
                # xgettext:no-python-format
                _("A short answer question needs an answer with 100% credit.")
            )
        return
    if len(tokens) < 2:
        raise GiftError(_("A choice question needs at least two choices."))
    equals = [t for t in tokens if t[0] == "="]
    weighted = [t for t in tokens if t[0] == "~" and t[1] is not None and t[1] > 0]
    for _prefix, _weight, text, _feedback in tokens:
        if not text:
            raise GiftError(_("A choice is empty."))
    if len(equals) == 1 and not weighted:
        question.kind = "single"
        question.choices = [(t, p == "=", f) for p, _w, t, f in tokens]
        return
    if not equals and weighted:
        question.kind = "multiple"
        question.scoring = "partial"
        question.penalty = any(
            w is not None and w < 0 for p, w, _t, _f in tokens if p == "~"
        )
        question.choices = [(t, w is not None and w > 0, f) for _p, w, t, f in tokens]
        return
    raise GiftError(
        _("Mark one right answer with =, or give weights like ~%50% to several.")
    )


def parse_gift(text: str) -> Parsed:
    result = Parsed()
    if not _check_size(text, result):
        return result
    # Comments are whole lines starting with //.
    lines = [
        "" if line.lstrip().startswith("//") else line
        for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    ]
    number = 0
    for start, block in _blocks("\n".join(lines)):
        source = "\n".join(block).strip()
        if source.startswith("$CATEGORY:"):
            continue
        number += 1
        question = ParsedQuestion(kind="", text="", line=start, number=number)
        try:
            title_match = re.match(r"^::(.*?)::", source, re.S)
            if title_match:
                question.title = _unescape(title_match.group(1))[:255]
                source = source[title_match.end() :]
            opening = _find_unescaped(source, "{")
            if opening == -1:
                raise GiftError(_("The answers in { } are missing."))
            closing = _find_unescaped(source, "}", opening)
            if closing == -1:
                raise GiftError(_("A closing } is missing."))
            if _find_unescaped(source, "{", closing + 1) != -1:
                raise GiftError(_("Only one answer block { } per question."))
            before = _strip_format(source[:opening])
            after = source[closing + 1 :].strip()
            body = _unescape(before)
            if after:
                body = f"{body} _____ {_unescape(after)}"
            if not body.strip():
                raise GiftError(_("The question text is missing."))
            question.text = _html(body)
            question.title = question.title or _title_from(body)
            _gift_answer(question, source[opening + 1 : closing])
        except GiftError as error:
            result.problems.append(ImportProblem(number, start, str(error)))
            continue
        result.questions.append(question)
        if len(result.questions) > MAX_QUESTIONS:
            result.problems.append(
                ImportProblem(number, start, _("Too many questions in one file."))
            )
            break
    if not result.questions and not result.problems:
        result.problems.append(ImportProblem(0, 0, _("No questions were found.")))
    return result


FORMATS = {"aiken": parse_aiken, "gift": parse_gift}


def guess_format(text: str) -> str:
    return "aiken" if re.search(r"^ANSWER:\s*[A-Z]\s*$", text, re.M) else "gift"

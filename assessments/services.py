"""Writes: question versions, attempts (start, save, submit, time-out, abandon),
grades across attempts, regrading.

The attempt state machine is enforced by the database, not only here:
every change to an attempt is a conditional ``UPDATE ... WHERE state IN
('inprogress','overdue') AND sequence = %s``; the row lock it takes serialises
saves and submissions of one attempt, and the constraints on ``Attempt`` and
``AttemptGrade`` make "one open attempt", "unique attempt number" and "one
final grade" hold whatever the code above does."""

import hashlib
import json
import logging
import random
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, connection, models, transaction
from django.db.models import Case, F, Value, When
from django.utils.translation import gettext_lazy as _

from . import clock, grading, integration
from .models import (
    OPEN_STATES,
    AssessmentKind,
    AssessmentResult,
    Attempt,
    AttemptGrade,
    AttemptSlot,
    AttemptState,
    GradeReason,
    GradingMethod,
    Navigation,
    OverdueHandling,
    Question,
    QuestionKind,
    QuestionVersion,
)

logger = logging.getLogger("assessments")

HUNDRED = Decimal("100")


def grace_period():
    from datetime import timedelta

    return timedelta(seconds=getattr(settings, "ASSESSMENTS_GRACE_SECONDS", 60))


# ---------------------------------------------------------------- errors


class AttemptError(Exception):
    """A refused request; ``message`` is safe to show to the learner."""

    code = "refused"
    status = 400
    message = _("This request cannot be processed.")

    def __init__(self, message=None, **extra):
        super().__init__(str(message or self.message))
        if message:
            self.message = message
        self.extra = extra


class NotAvailable(AttemptError):
    code = "not_available"
    status = 403
    message = _("This assessment is not open now.")


class NotEnrolled(AttemptError):
    code = "not_enrolled"
    status = 403
    message = _("Enrol in the course to take this assessment.")


class NoAttemptsLeft(AttemptError):
    code = "no_attempts_left"
    status = 403
    message = _("You have used all the attempts allowed.")


class NotReady(AttemptError):
    code = "not_ready"
    status = 409
    message = _("This assessment has no questions yet. Please try again later.")


class AttemptClosed(AttemptError):
    code = "closed"
    status = 409
    message = _("This attempt has already been submitted.")


class DeadlinePassed(AttemptError):
    code = "deadline_passed"
    status = 409
    message = _("The time for this attempt is over; your saved answers were submitted.")


class StaleSequence(AttemptError):
    code = "stale"
    status = 409
    message = _(
        "This attempt was changed in another tab or window. Reload the page to "
        "see your latest answers before you continue."
    )


class InvalidAnswer(AttemptError):
    code = "invalid"
    status = 400
    message = _("An answer does not belong to this attempt.")


class PretestFirst(AttemptError):
    code = "pretest_first"
    status = 403
    message = _("Take the pre-test first: the course opens after it.")


class OutOfSequence(AttemptError):
    code = "out_of_sequence"
    status = 400
    message = _("This assessment is answered page by page, in order.")


# ---------------------------------------------------------------- questions


def question_snapshot(question) -> dict:
    """Everything a learner sees and a grader needs, as plain JSON."""
    data = {
        "kind": question.kind,
        "title": question.title,
        "text": question.text,
        "image": question.image_id,
        "points": str(question.points),
        "general_feedback": question.general_feedback,
        "objective": question.objective_id,
        "language": question.language,
        "shuffle": question.shuffle_choices,
    }
    kind = question.kind
    if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        data["choices"] = [
            {
                "key": str(c.key),
                "text": c.text,
                "correct": bool(c.correct),
                "feedback": c.feedback,
            }
            for c in question.choices.all()
        ]
        if kind == QuestionKind.MULTIPLE:
            data["scoring"] = question.scoring
            data["penalty"] = question.wrong_choice_penalty
    elif kind == QuestionKind.TRUE_FALSE:
        data["answer"] = question.correct_answer
        data["feedback_true"] = question.feedback_true
        data["feedback_false"] = question.feedback_false
    elif kind == QuestionKind.SHORT:
        data["accepted"] = [
            {"text": a.text, "credit": str(a.credit), "feedback": a.feedback}
            for a in question.accepted_answers.all()
        ]
        data["case_sensitive"] = question.case_sensitive
        data["trim_spaces"] = question.trim_spaces
        data["ignore_diacritics"] = question.ignore_diacritics
    elif kind == QuestionKind.NUMERIC:
        data["numeric"] = [
            {
                "value": _plain(a.value),
                "tolerance": _plain(a.tolerance),
                "credit": str(a.credit),
                "feedback": a.feedback,
            }
            for a in question.numeric_answers.all()
        ]
    elif kind == QuestionKind.MATCHING:
        answers = {}
        prompts = []
        for pair in question.pairs.all():
            text = pair.answer.strip()
            answer_key = answers.setdefault(text, str(pair.key))
            if pair.prompt.strip():
                prompts.append(
                    {"key": str(pair.key), "text": pair.prompt, "answer": answer_key}
                )
        data["prompts"] = prompts
        data["answers"] = [{"key": k, "text": t} for t, k in answers.items()]
    return data


def _plain(value: Decimal) -> str:
    text = format(Decimal(value).normalize(), "f")
    return text if text != "-0" else "0"


def question_problems(data) -> list[str]:
    """What keeps a question from being usable, as messages for the trainer."""
    kind = data["kind"]
    problems = []
    if kind in ("single", "multiple"):
        choices = data.get("choices", [])
        correct = [c for c in choices if c["correct"]]
        if len(choices) < 2:
            problems.append(_("Give at least two choices."))
        if kind == "single" and len(correct) != 1:
            problems.append(_("Mark exactly one choice as correct."))
        if kind == "multiple" and not correct:
            problems.append(_("Mark at least one choice as correct."))
    elif kind == "truefalse":
        if data.get("answer") is None:
            problems.append(_("Say whether the statement is true or false."))
    elif kind == "short":
        if not any(Decimal(a["credit"]) == HUNDRED for a in data.get("accepted", [])):
            # xgettext:no-python-format
            problems.append(_("Give at least one accepted answer with 100% credit."))
    elif kind == "numeric":
        if not any(Decimal(a["credit"]) == HUNDRED for a in data.get("numeric", [])):
            # xgettext:no-python-format
            problems.append(_("Give at least one numeric answer with 100% credit."))
    elif kind == "matching" and len(data.get("prompts", [])) < 2:
        problems.append(_("Give at least two pairs to match."))
    return [str(p) for p in problems]


def _fingerprint(data) -> str:
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def question_version_sync(*, question, by=None) -> QuestionVersion:
    """Make the question's current version match its content. An unchanged
    question keeps its version; a changed one that no attempt has used is
    updated in place; a changed one that has been used gets a new version, so
    attempts keep exactly what they showed."""
    data = question_snapshot(question)
    fingerprint = _fingerprint(data)
    with transaction.atomic():
        # The question row lock serialises concurrent syncs of one question.
        Question.objects.select_for_update().filter(pk=question.pk).first()
        latest = (
            QuestionVersion.objects.select_for_update()
            .filter(question=question)
            .order_by("-number")
            .first()
        )
        changed_in_place = False
        if latest is not None and latest.fingerprint == fingerprint:
            version = latest
        elif (
            latest is not None
            and not latest.slots.exists()
            and not latest.graded_slots.exists()
        ):
            latest.data = data
            latest.fingerprint = fingerprint
            latest.save(update_fields=["data", "fingerprint"])
            version = latest
            changed_in_place = True
        else:
            version = QuestionVersion.objects.create(
                question=question,
                number=(latest.number + 1) if latest else 1,
                data=data,
                fingerprint=fingerprint,
                created_by=by if getattr(by, "pk", None) else None,
            )
        if question.current_version_id != version.pk:
            Question.objects.filter(pk=question.pk).update(current_version=version)
            question.current_version = version
        if version is not latest or changed_in_place:
            _forget_question_plans()
            transaction.on_commit(_forget_question_plans)
    return version


def question_current_version(question) -> QuestionVersion:
    if question.current_version_id:
        return question.current_version
    return question_version_sync(question=question)


# ---------------------------------------------------------------- attempts


QUESTIONS_VERSION_KEY = "assessments:questions-version"


def _questions_version() -> str:
    from training_platform import content_cache

    return content_cache._version(QUESTIONS_VERSION_KEY)


def _forget_question_plans():
    from django.core.cache import cache

    cache.delete(QUESTIONS_VERSION_KEY)


def _build_plan(page):
    items = page.fixed_questions.all()
    if isinstance(items, models.QuerySet):  # saved rows, not a form's edits
        items = items.select_related("question__current_version")
    fixed = []
    for item in items:
        version = question_current_version(item.question)
        fixed.append((item.question_id, version.pk, version.data, item.points))
    return fixed, list(page.random_rules.all())


def _plan(page):
    """The fixed questions of ``page`` (question id, current version id and
    content, points) and its random rules: the same for every learner, kept
    in the content cache until a page or a question's version changes."""
    from training_platform import content_cache

    return content_cache.cached(
        content_cache.content_key("assessment-plan", page.pk, _questions_version()),
        lambda: _build_plan(page),
    )


def _draw(page, rng, plan=None) -> list[tuple[int, int, dict, Decimal | None]]:
    """(question id, version id, version content, points) of the questions
    an attempt shows."""
    chosen: list[tuple[int, int, dict, Decimal | None]] = []
    seen: set[int] = set()
    fixed, rules = plan or _plan(page)
    for question_id, version_id, data, points in fixed:
        if question_id not in seen:
            seen.add(question_id)
            chosen.append((question_id, version_id, data, points))
    for rule in rules:
        ids = sorted(
            set(rule.candidates().exclude(pk__in=seen).values_list("pk", flat=True))
        )
        if len(ids) < rule.count:
            raise NotReady()
        picked = rng.sample(ids, rule.count)
        questions = Question.objects.select_related("current_version").in_bulk(picked)
        for pk in picked:
            seen.add(pk)
            version = question_current_version(questions[pk])
            chosen.append((pk, version.pk, version.data, rule.points))
    if not chosen:
        raise NotReady()
    if page.shuffle_questions:
        rng.shuffle(chosen)
    return chosen


def preview_questions(page, rng) -> list[dict]:
    """The questions one attempt at ``page`` would show, drawn as for a
    learner from the page as edited (unsaved changes included), as the
    learner's form shows them. Nothing is recorded. Raises ``NotReady``."""
    from .selectors import question_view

    chosen = _draw(page, rng, plan=_build_plan(page))
    return [
        question_view(
            data,
            position=position,
            order=_choice_order(data, page.shuffle_choices, rng),
            max_marks=points or Decimal(data["points"]),
        )
        for position, (_question_id, _version_id, data, points) in enumerate(
            chosen, start=1
        )
    ]


def _choice_order(data, shuffle, rng) -> list[str]:
    if data["kind"] in ("single", "multiple"):
        keys = [c["key"] for c in data["choices"]]
        if shuffle and data.get("shuffle", True):
            rng.shuffle(keys)
        return keys
    if data["kind"] == "matching":
        keys = [a["key"] for a in data["answers"]]
        rng.shuffle(keys)
        return keys
    return []


def _deadline(page, now):
    deadline = None
    if page.time_limit_minutes:
        from datetime import timedelta

        deadline = now + timedelta(minutes=page.time_limit_minutes)
    if page.closes_at and (deadline is None or page.closes_at < deadline):
        deadline = page.closes_at
    return deadline


def attempt_start(*, user, page, rng=None) -> Attempt:
    """Start an attempt, or return the learner's attempt in progress. At most
    ``max_attempts`` attempts even under concurrent starts (C09): the number
    is unique per learner and assessment, and only one may be open."""
    rng = rng or random.SystemRandom()
    now = clock.now()
    key = page.translation_key
    # The learner's attempts at this assessment, read once: the open one,
    # the numbers used and the attempts of this round all come from them.
    earlier = _attempts_of(user, key)
    open_attempt = next((a for a in earlier if a.is_open), None)
    if open_attempt is not None:
        open_attempt = attempt_refresh(attempt=open_attempt)
        if open_attempt.is_open:
            return open_attempt
    if page.opens_at and now < page.opens_at:
        raise NotAvailable()
    if page.closes_at and now >= page.closes_at:
        raise NotAvailable()
    enrolment = integration.enrolment_for(user, page)
    if not integration.may_take_with(enrolment):
        raise NotEnrolled()
    from .selectors import pretest_gate_for

    if pretest_gate_for(page=page, user=user) is not None:
        raise PretestFirst()
    course_key = integration.course_key_for(page)
    round_started = integration.round_started_for(enrolment)
    for _try in range(5):
        if _try:
            earlier = _attempts_of(user, key)
        number = max((a.number for a in earlier), default=0) + 1
        # The number is unique per learner and assessment (C09); the limit
        # applies per round of the course.
        if page.max_attempts:
            used = sum(
                1
                for a in earlier
                if round_started is None or a.started_at >= round_started
            )
            if used >= page.max_attempts:
                raise NoAttemptsLeft()
        drawn = _draw(page, rng)
        per_page = page.questions_per_page or len(drawn)
        slots = []
        for position, (question_id, version_id, data, points) in enumerate(
            drawn, start=1
        ):
            slots.append(
                AttemptSlot(
                    position=position,
                    page_number=(position - 1) // per_page,
                    question_id=question_id,
                    version_id=version_id,
                    max_marks=points or Decimal(data["points"]),
                    order=_choice_order(data, page.shuffle_choices, rng),
                )
            )
        try:
            with transaction.atomic():
                attempt = Attempt.objects.create(
                    user=user,
                    page=page,
                    assessment_key=key,
                    course_key=course_key,
                    kind=page.kind,
                    number=number,
                    state=AttemptState.IN_PROGRESS,
                    started_at=now,
                    deadline=_deadline(page, now),
                    page_count=(len(slots) - 1) // per_page + 1,
                    max_marks=sum((s.max_marks for s in slots), Decimal(0)),
                )
                for slot in slots:
                    slot.attempt = attempt
                AttemptSlot.objects.bulk_create(slots)
        except IntegrityError:
            # Another request started an attempt at the same moment.
            open_attempt = _open_attempt(user, key)
            if open_attempt is not None:
                return open_attempt
            continue
        logger.info(
            "attempt started id=%s user=%s assessment=%s number=%s",
            attempt.pk,
            user.pk,
            key,
            number,
        )
        return attempt
    raise NoAttemptsLeft()


def _attempts_of(user, key):
    return list(
        Attempt.objects.filter(user=user, assessment_key=key).select_related("page")
    )


def _open_attempt(user, key):
    attempt = (
        Attempt.objects.filter(user=user, assessment_key=key, state__in=OPEN_STATES)
        .select_related("page")
        .first()
    )
    if attempt is None:
        return None
    attempt = attempt_refresh(attempt=attempt)
    return attempt if attempt.is_open else None


def slots_by_position(attempt) -> dict:
    """The attempt's questions with their versions, by position, in one query
    (read once per request and shared by the form, the checks and grading)."""
    return {
        s.position: s
        for s in AttemptSlot.objects.filter(attempt_id=attempt.pk)
        .select_related("version")
        .order_by("position")
    }


def _validated(attempt, answers: dict, slots=None) -> dict[int, dict | None]:
    """Check every answer against the attempt's own questions (C01, C10)
    before anything is written."""
    if not isinstance(answers, dict):
        raise InvalidAnswer()
    if slots is None:
        slots = {
            s.position: s
            for s in attempt.slots.select_related("version").filter(
                position__in=[p for p in answers if isinstance(p, int)]
            )
        }
    clean = {}
    for position, response in answers.items():
        slot = slots.get(position) if isinstance(position, int) else None
        if slot is None:
            raise InvalidAnswer()
        try:
            clean[position] = grading.validate(slot.version.data, response)
        except grading.InvalidResponse as error:
            raise InvalidAnswer() from error
        if attempt.page.navigation == Navigation.SEQUENTIAL and (
            slot.page_number != attempt.current_page
        ):
            raise OutOfSequence()
    return clean


def _write_responses(attempt, clean, slots, now):
    """All the answers of a request in one UPDATE."""
    if not clean:
        return
    if slots is None:
        slots = {
            s.position: s
            for s in AttemptSlot.objects.filter(
                attempt_id=attempt.pk, position__in=list(clean)
            ).only("pk", "position")
        }
    changed = []
    for position, response in clean.items():
        slot = slots[position]
        slot.response = response
        slot.answered_at = now
        changed.append(slot)
    _slots_update(changed, ["response", "answered_at"])


def _slots_update(slots, fields):
    """Write ``fields`` of ``slots`` in one UPDATE. On PostgreSQL from arrays
    of values (``unnest``): Django's ``bulk_update`` builds a CASE expression
    per field and row, which costs more to build than the query takes."""
    if not slots:
        return
    if connection.vendor != "postgresql":
        AttemptSlot.objects.bulk_update(slots, fields)
        return
    sets, arrays, params = [], ["%s::bigint[]"], [[s.pk for s in slots]]
    for name in fields:
        field = AttemptSlot._meta.get_field(name)
        kind, cast = _SLOT_ARRAY_TYPES[name]
        if name == "response":
            values = [
                None if s.response is None else json.dumps(s.response) for s in slots
            ]
        else:
            values = [getattr(s, field.attname) for s in slots]
        sets.append(f'"{field.column}" = v."{field.column}"{cast}')
        arrays.append(f"%s::{kind}[]")
        params.append(values)
    columns = ", ".join(
        ['"id"'] + [f'"{AttemptSlot._meta.get_field(n).column}"' for n in fields]
    )
    table = AttemptSlot._meta.db_table
    # Only model metadata and fixed names are formatted in; values are params.
    sql = " ".join(
        [
            f'UPDATE "{table}" AS s SET',
            ", ".join(sets),
            f"FROM unnest({', '.join(arrays)}) AS v({columns})",
            'WHERE s."id" = v."id"',
        ]
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


_SLOT_ARRAY_TYPES = {
    "response": ("text", "::jsonb"),
    "answered_at": ("timestamptz", ""),
    "graded_version": ("bigint", ""),
    "fraction": ("numeric", ""),
    "marks": ("numeric", ""),
    "outcome": ("text", ""),
}


def _explain_refusal(attempt_id, sequence, batch, now):
    fresh = Attempt.objects.select_related("page").get(pk=attempt_id)
    if batch and fresh.last_batch == batch and fresh.sequence == sequence + 1:
        return fresh  # the same batch sent again (lost response): already saved
    if not fresh.is_open:
        raise AttemptClosed(sequence=fresh.sequence)
    if fresh.deadline and now > fresh.deadline + grace_period():
        attempt_finalize_overdue(attempt=fresh)
        raise DeadlinePassed()
    raise StaleSequence(sequence=fresh.sequence)


def attempt_save(
    *,
    attempt,
    sequence: int,
    answers: dict,
    batch: str = "",
    page_to=None,
    slots=None,
) -> Attempt:
    """Save answers (position -> response). The caller presents the sequence
    number it last saw; a stale one (another tab) is refused and nothing is
    overwritten (C05). Saves are accepted until the deadline plus the grace
    period, by the server's clock (C03, C04). ``slots`` (from
    ``slots_by_position``) spares reading the questions again."""
    now = clock.now()
    clean = _validated(attempt, answers, slots)
    updates = {
        "sequence": F("sequence") + 1,
        "last_batch": batch[:64],
        "last_saved_at": now,
    }
    query = Attempt.objects.filter(
        pk=attempt.pk, state__in=OPEN_STATES, sequence=sequence
    )
    if attempt.deadline:
        query = query.filter(deadline__gte=now - grace_period())
        updates["state"] = Case(
            When(deadline__lt=now, then=Value(AttemptState.OVERDUE)),
            default=F("state"),
        )
    if page_to is not None:
        page_to = _check_page_move(attempt, page_to)
        updates["current_page"] = page_to
    with transaction.atomic():
        # The conditional update takes the row lock: the answers below are
        # written only by the request that presented the current sequence.
        saved = query.update(**updates) == 1
        if saved:
            _write_responses(attempt, clean, slots, now)
    if not saved:
        # Outside the failed transaction: a refusal may finalise the attempt.
        return _explain_refusal(attempt.pk, sequence, batch, now)
    # What the update wrote, without reading the row again.
    attempt.sequence = sequence + 1
    attempt.last_batch = batch[:64]
    attempt.last_saved_at = now
    if attempt.deadline and attempt.deadline < now:
        attempt.state = AttemptState.OVERDUE
    if page_to is not None:
        attempt.current_page = page_to
    return attempt


def _check_page_move(attempt, page_to):
    if not isinstance(page_to, int) or not 0 <= page_to < attempt.page_count:
        raise OutOfSequence()
    if attempt.page.navigation == Navigation.SEQUENTIAL and page_to not in (
        attempt.current_page,
        attempt.current_page + 1,
    ):
        raise OutOfSequence()
    return page_to


def attempt_submit(
    *,
    attempt,
    answers: dict | None = None,
    sequence=None,
    batch: str = "",
    slots=None,
) -> Attempt:
    """Finish the attempt and grade it. Concurrent submissions give one
    finished attempt and one grade (C06); a submission after the deadline
    plus the grace period processes no answers and the attempt is finalised
    by the server's clock (C03).

    The questions are read and graded before the transaction; the one
    conditional UPDATE that closes the attempt also checks that its sequence
    is still the one read before the questions, so no save came in between
    (every save moves the sequence). ``slots`` must have been read after
    ``attempt``."""
    now = clock.now()
    clean = _validated(attempt, answers, slots) if answers else {}
    if attempt.deadline and now > attempt.deadline + grace_period():
        finished = attempt_finalize_overdue(attempt=attempt)
        if clean:
            raise DeadlinePassed()
        return finished
    if clean and sequence is None:
        raise StaleSequence()
    for _try in range(3):
        if attempt.is_open and (not clean or sequence == attempt.sequence):
            if slots is None:
                slots = slots_by_position(attempt)
            finished = _submit_once(attempt, slots, clean, batch, now)
            if finished is not None:
                return finished
        fresh = Attempt.objects.select_related("page").get(pk=attempt.pk)
        if not fresh.is_open:
            return fresh
        if clean and fresh.sequence != sequence:
            raise StaleSequence(sequence=fresh.sequence)
        # A save came in between: grade what it saved, and finish after it
        # (its answers carry a time later than this submission's first read).
        attempt, slots = fresh, None
        now = max(now, clock.now())
    raise StaleSequence(sequence=attempt.sequence)


def _submit_once(attempt, slots, clean, batch, now):
    """Grade ``slots`` (with ``clean`` answers on top) and close the attempt
    if its sequence is still ``attempt.sequence``; None when it moved."""
    ordered = list(slots.values())
    for position, response in clean.items():
        slots[position].response = response
        slots[position].answered_at = now
    marks, details = _grade_slots(ordered)
    percent = _percent(marks, attempt.max_marks)
    passed = _passed(attempt.page, percent)
    with transaction.atomic():
        # The conditional update locks the row: saves and other submissions of
        # this attempt wait here and then see it finished.
        closed = Attempt.objects.filter(
            pk=attempt.pk, state__in=OPEN_STATES, sequence=attempt.sequence
        ).update(
            sequence=F("sequence") + 1,
            last_batch=batch[:64],
            state=AttemptState.FINISHED,
            finished_at=now,
            timed_out=False,
            marks=marks,
            percent=percent,
            passed=passed,
        )
        if closed != 1:
            return None
        fields = ["graded_version", "fraction", "marks", "outcome"]
        if clean:
            fields += ["response", "answered_at"]
        _slots_update(ordered, fields)
        AttemptGrade.objects.create(
            attempt_id=attempt.pk,
            reason=GradeReason.FINISH,
            marks=marks,
            max_marks=attempt.max_marks,
            percent=percent,
            passed=passed,
            details=details,
        )
        assessment_result_update(user=attempt.user, page=attempt.page)
    attempt.sequence += 1
    attempt.last_batch = batch[:64]
    attempt.state = AttemptState.FINISHED
    attempt.finished_at = now
    attempt.timed_out = False
    attempt.marks, attempt.percent, attempt.passed = marks, percent, passed
    logger.info(
        "attempt finished id=%s user=%s percent=%s timed_out=%s",
        attempt.pk,
        attempt.user_id,
        percent,
        False,
    )
    return attempt


def attempt_refresh(*, attempt) -> Attempt:
    """Apply the server's clock to an open attempt: overdue after the
    deadline, finalised after the grace period."""
    if not attempt.is_open or not attempt.deadline:
        return attempt
    now = clock.now()
    if now > attempt.deadline + grace_period():
        return attempt_finalize_overdue(attempt=attempt)
    if now > attempt.deadline and attempt.state == AttemptState.IN_PROGRESS:
        Attempt.objects.filter(pk=attempt.pk, state=AttemptState.IN_PROGRESS).update(
            state=AttemptState.OVERDUE
        )
        attempt.refresh_from_db()
    return attempt


def attempt_finalize_overdue(*, attempt) -> Attempt:
    """Finish (with the answers saved so far) or abandon an attempt whose
    time and grace period are over. Idempotent."""
    now = clock.now()
    with transaction.atomic():
        locked = Attempt.objects.filter(
            pk=attempt.pk,
            state__in=OPEN_STATES,
            deadline__lt=now - grace_period(),
        ).update(sequence=F("sequence") + 1)
        if locked != 1:
            return Attempt.objects.select_related("page").get(pk=attempt.pk)
        page = attempt.page
        if page.overdue_handling == OverdueHandling.ABANDON:
            Attempt.objects.filter(pk=attempt.pk).update(
                state=AttemptState.ABANDONED, finished_at=now, timed_out=True
            )
            logger.info("attempt abandoned by the clock id=%s", attempt.pk)
            return Attempt.objects.select_related("page").get(pk=attempt.pk)
        return _finish(attempt.pk, now=now, timed_out=True)


def attempts_finalize_overdue(*, limit=500) -> int:
    """The periodic sweep: finalise every attempt past its deadline and grace."""
    cutoff = clock.now() - grace_period()
    done = 0
    for attempt in Attempt.objects.filter(
        state__in=OPEN_STATES, deadline__lt=cutoff
    ).select_related("page")[:limit]:
        attempt_finalize_overdue(attempt=attempt)
        done += 1
    return done


def attempt_abandon(*, attempt, by=None) -> Attempt:
    """Close an open attempt without grading it (staff action). It still
    counts as one of the attempts allowed."""
    now = clock.now()
    Attempt.objects.filter(pk=attempt.pk, state__in=OPEN_STATES).update(
        state=AttemptState.ABANDONED,
        finished_at=now,
        sequence=F("sequence") + 1,
    )
    attempt.refresh_from_db()
    return attempt


def _grade_slots(slots, *, use_current=False):
    """Grade slots in memory; returns (marks, details)."""
    total = Decimal(0)
    details = {}
    for slot in slots:
        version = slot.question.current_version if use_current else slot.version
        version = version or slot.version
        outcome = grading.grade(version.data, slot.response)
        slot.graded_version = version
        slot.fraction = grading.fraction_decimal(outcome.fraction)
        slot.marks = grading.marks_for(outcome.fraction, slot.max_marks)
        slot.outcome = outcome.state
        total += slot.marks
        details[str(slot.position)] = str(slot.marks)
    return total, details


def _percent(marks, max_marks) -> Decimal:
    if not max_marks:
        return Decimal(0)
    percent = (Decimal(marks) * HUNDRED / Decimal(max_marks)).quantize(Decimal("0.001"))
    return min(HUNDRED, max(Decimal(0), percent))


def _passed(page, percent):
    if page.kind == AssessmentKind.PRETEST:
        return None
    return percent >= page.pass_mark


def _finish(attempt_id, *, now, timed_out) -> Attempt:
    """Grade and close an attempt whose row this transaction has locked."""
    attempt = Attempt.objects.select_related("page", "user").get(pk=attempt_id)
    slots = list(
        AttemptSlot.objects.filter(attempt_id=attempt_id).select_related("version")
    )
    marks, details = _grade_slots(slots)
    AttemptSlot.objects.bulk_update(
        slots, ["graded_version", "fraction", "marks", "outcome"]
    )
    percent = _percent(marks, attempt.max_marks)
    passed = _passed(attempt.page, percent)
    closed = Attempt.objects.filter(pk=attempt_id, state__in=OPEN_STATES).update(
        state=AttemptState.FINISHED,
        finished_at=now,
        timed_out=timed_out,
        marks=marks,
        percent=percent,
        passed=passed,
    )
    if closed != 1:  # pragma: no cover - the caller holds the row lock
        raise AttemptClosed()
    AttemptGrade.objects.create(
        attempt_id=attempt_id,
        reason=GradeReason.FINISH,
        marks=marks,
        max_marks=attempt.max_marks,
        percent=percent,
        passed=passed,
        details=details,
    )
    attempt.state = AttemptState.FINISHED
    attempt.finished_at = now
    attempt.timed_out = timed_out
    attempt.marks, attempt.percent, attempt.passed = marks, percent, passed
    logger.info(
        "attempt finished id=%s user=%s percent=%s timed_out=%s",
        attempt_id,
        attempt.user_id,
        percent,
        timed_out,
    )
    assessment_result_update(user=attempt.user, page=attempt.page)
    return attempt


# ---------------------------------------------------------------- results


def overall_grade(method, attempts):
    """The grade across finished attempts (ordered by number), and the
    attempt it comes from (None for the average)."""
    attempts = [a for a in attempts if a.state == AttemptState.FINISHED]
    if not attempts:
        return None, None
    if method == GradingMethod.FIRST:
        return attempts[0].percent, attempts[0]
    if method == GradingMethod.LAST:
        return attempts[-1].percent, attempts[-1]
    if method == GradingMethod.AVERAGE:
        mean = sum((a.percent for a in attempts), Decimal(0)) / len(attempts)
        return mean.quantize(Decimal("0.001")), None
    best = max(attempts, key=lambda a: (a.percent, -a.number))
    return best.percent, best


def assessment_result_update(*, user, page) -> AssessmentResult | None:
    """Recompute the learner's grade for the assessment (one upsert) and feed
    it to course progress (server-graded) in the same transaction: the
    learner's next page already counts it."""
    key = page.translation_key
    attempts = list(
        Attempt.objects.filter(
            user=user, assessment_key=key, state=AttemptState.FINISHED
        )
        .order_by("number")
        .only("pk", "number", "state", "percent", "course_key")
    )
    percent, counted = overall_grade(page.grading_method, attempts)
    if percent is None:
        return None
    passed = _passed(page, percent)
    result = AssessmentResult(
        user=user,
        assessment_key=key,
        course_key=attempts[-1].course_key,
        page=page,
        kind=page.kind,
        percent=percent,
        passed=passed,
        attempts_finished=len(attempts),
        counted_attempt=counted,
    )
    AssessmentResult.objects.bulk_create(
        [result],
        update_conflicts=True,
        unique_fields=["user", "assessment_key"],
        update_fields=[
            "course_key",
            "page",
            "kind",
            "percent",
            "passed",
            "attempts_finished",
            "counted_attempt",
            "updated_at",
        ],
    )
    integration.progress_record(user=user, page=page, percent=percent, passed=passed)
    return result


# ---------------------------------------------------------------- regrading


@dataclass
class RegradeSummary:
    attempts: int = 0
    changed: int = 0


def question_regrade(*, question, by=None, note="") -> RegradeSummary:
    """Regrade every finished attempt that used ``question`` against its
    current version (after a trainer corrected it). The previous grades stay
    in the history; results and course progress are updated."""
    version = question_version_sync(question=question, by=by)
    summary = RegradeSummary()
    attempt_ids = (
        AttemptSlot.objects.filter(question=question, attempt__state="finished")
        .values_list("attempt_id", flat=True)
        .distinct()
    )
    for attempt_id in list(attempt_ids):
        with transaction.atomic():
            attempt = (
                Attempt.objects.select_for_update()
                .select_related("page", "user")
                .get(pk=attempt_id)
            )
            slots = list(
                AttemptSlot.objects.filter(attempt=attempt).select_related(
                    "version", "graded_version", "question__current_version"
                )
            )
            for slot in slots:
                if slot.question_id == question.pk:
                    slot.question.current_version = version
            before = attempt.percent
            marks, details = _grade_slots(slots, use_current=True)
            AttemptSlot.objects.bulk_update(
                slots, ["graded_version", "fraction", "marks", "outcome"]
            )
            percent = _percent(marks, attempt.max_marks)
            passed = _passed(attempt.page, percent)
            summary.attempts += 1
            if percent == before and marks == attempt.marks:
                continue
            summary.changed += 1
            Attempt.objects.filter(pk=attempt.pk).update(
                marks=marks, percent=percent, passed=passed
            )
            AttemptGrade.objects.create(
                attempt=attempt,
                reason=GradeReason.REGRADE,
                marks=marks,
                max_marks=attempt.max_marks,
                percent=percent,
                passed=passed,
                details=details,
                note=note[:255],
                created_by=by if getattr(by, "pk", None) else None,
            )
            assessment_result_update(user=attempt.user, page=attempt.page)
    logger.info(
        "question regraded id=%s version=%s attempts=%s changed=%s",
        question.pk,
        version.number,
        summary.attempts,
        summary.changed,
    )
    return summary


# ---------------------------------------------------------------- import


@dataclass
class ImportResult:
    questions: list
    problems: list
    format: str


def questions_import(
    *, bank, text, fmt="auto", language="en", objective=None, tags=(), by=None
) -> ImportResult:
    """Import Aiken or GIFT text into ``bank``: all questions, or none when
    any question has an error (the errors name the question and line)."""
    from . import importers
    from .models import AcceptedAnswer, Choice, MatchingPair, NumericAnswer

    if fmt == "auto":
        fmt = importers.guess_format(text)
    parsed = importers.FORMATS[fmt](text)
    if parsed.problems:
        return ImportResult([], parsed.problems, fmt)
    created = []
    with transaction.atomic():
        for item in parsed.questions:
            question = Question.objects.create(
                bank=bank,
                created_by=by if getattr(by, "is_authenticated", False) else None,
                kind=item.kind,
                title=item.title[:255] or "-",
                text=item.text,
                general_feedback=item.general_feedback,
                language=language,
                objective=objective,
                scoring=item.scoring,
                wrong_choice_penalty=item.penalty,
                correct_answer=item.correct_answer,
                feedback_true=item.feedback_true,
                feedback_false=item.feedback_false,
            )
            Choice.objects.bulk_create(
                Choice(question=question, sort_order=i, text=t, correct=c, feedback=f)
                for i, (t, c, f) in enumerate(item.choices)
            )
            AcceptedAnswer.objects.bulk_create(
                AcceptedAnswer(
                    question=question, sort_order=i, text=t[:255], credit=c, feedback=f
                )
                for i, (t, c, f) in enumerate(item.accepted)
            )
            NumericAnswer.objects.bulk_create(
                NumericAnswer(
                    question=question,
                    sort_order=i,
                    value=v,
                    tolerance=tol,
                    credit=c,
                    feedback=f,
                )
                for i, (v, tol, c, f) in enumerate(item.numeric)
            )
            MatchingPair.objects.bulk_create(
                MatchingPair(question=question, sort_order=i, prompt=p, answer=a[:255])
                for i, (p, a) in enumerate(item.pairs)
            )
            if tags:
                question.tags.add(*tags)
                question.save()
            question = Question.objects.get(pk=question.pk)
            version = question_version_sync(question=question, by=by)
            problems = question_problems(version.data)
            if problems:
                from .importers import ImportProblem

                transaction.set_rollback(True)
                return ImportResult(
                    [],
                    [ImportProblem(item.number, item.line, p) for p in problems],
                    fmt,
                )
            created.append(question)
    logger.info(
        "questions imported bank=%s count=%s format=%s", bank.pk, len(created), fmt
    )
    return ImportResult(created, [], fmt)


# ---------------------------------------------------------------- paper tests


def paper_results_save(*, course_key, session_key, scores: dict, by) -> int:
    """Write the pre- and post-test scores collected on paper at a session.
    ``scores`` maps ``(user_id, kind)`` to a percentage (a ``Decimal`` from
    0 to 100) or None to remove the score. All or nothing; a score that does
    not change keeps who entered it. Returns how many scores changed."""
    from .models import AssessmentKind, PaperResult

    kinds = {AssessmentKind.PRETEST, AssessmentKind.POSTTEST}
    for (_user_id, kind), percent in scores.items():
        if kind not in kinds:
            raise ValueError(f"not a pre- or post-test: {kind!r}")
        if percent is not None and not Decimal(0) <= Decimal(percent) <= 100:
            raise ValueError(f"score out of range: {percent}")
    changed = 0
    with transaction.atomic():
        existing = {
            (r.user_id, r.kind): r
            for r in PaperResult.objects.select_for_update().filter(
                session_key=session_key,
                user_id__in={user_id for user_id, _kind in scores},
            )
        }
        for (user_id, kind), percent in scores.items():
            current = existing.get((user_id, kind))
            if percent is None:
                if current is not None:
                    current.delete()
                    changed += 1
                continue
            percent = Decimal(percent).quantize(Decimal("0.001"))
            if current is not None and current.percent == percent:
                continue
            PaperResult.objects.update_or_create(
                user_id=user_id,
                session_key=session_key,
                kind=kind,
                defaults={
                    "course_key": course_key,
                    "percent": percent,
                    "entered_by": by,
                },
            )
            changed += 1
    logger.info(
        "paper results saved session=%s by=%s changed=%s",
        session_key,
        getattr(by, "pk", None),
        changed,
    )
    return changed

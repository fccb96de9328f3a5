"""The attempt state machine: start, save with the sequence check, submit,
deadlines with the grace period, automatic finish, attempt limits, grading
across attempts and review options."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from assessments import selectors, services
from assessments.factories import make_assessment, make_question
from assessments.models import (
    AssessmentResult,
    Attempt,
    AttemptGrade,
    AttemptSlot,
    AttemptState,
)

from .helpers import correct_answers, slot_of_kind, wrong_answers

pytestmark = pytest.mark.django_db


def test_start_creates_slots_with_versions_and_resumes_the_open_attempt(
    learner, quiz, questions
):
    attempt = services.attempt_start(user=learner, page=quiz)
    assert attempt.state == AttemptState.IN_PROGRESS
    assert attempt.number == 1
    assert attempt.slots.count() == len(questions)
    assert attempt.max_marks == Decimal("6")
    for slot in attempt.slots.all():
        assert slot.version == slot.question.current_version
    again = services.attempt_start(user=learner, page=quiz)
    assert again.pk == attempt.pk


def test_full_marks_pass_and_feed_the_result(learner, quiz):
    attempt = services.attempt_start(user=learner, page=quiz)
    attempt = services.attempt_save(
        attempt=attempt, sequence=0, answers=correct_answers(attempt)
    )
    assert attempt.sequence == 1
    attempt = services.attempt_submit(attempt=attempt)
    assert attempt.state == AttemptState.FINISHED
    assert attempt.percent == Decimal("100")
    assert attempt.passed is True
    assert AttemptGrade.objects.filter(attempt=attempt, reason="finish").count() == 1
    result = AssessmentResult.objects.get(user=learner)
    assert result.percent == Decimal("100") and result.passed


def test_wrong_answers_fail(learner, quiz):
    attempt = services.attempt_start(user=learner, page=quiz)
    attempt = services.attempt_submit(
        attempt=attempt, answers=wrong_answers(attempt), sequence=0
    )
    assert attempt.percent == Decimal("0")
    assert attempt.passed is False


def test_partial_credit_counts_in_the_attempt_grade(learner, quiz):
    attempt = services.attempt_start(user=learner, page=quiz)
    multiple = slot_of_kind(attempt, "multiple")
    correct_keys = [c["key"] for c in multiple.version.data["choices"] if c["correct"]]
    attempt = services.attempt_submit(
        attempt=attempt,
        answers={multiple.position: {"choices": correct_keys[:2]}},
        sequence=0,
    )
    # Two of three correct choices: 2/3 of one mark out of six.
    assert attempt.marks == Decimal("0.667")
    assert attempt.percent == Decimal("11.117")


def test_stale_sequence_is_refused_and_nothing_is_overwritten_c05(learner, quiz):
    attempt = services.attempt_start(user=learner, page=quiz)
    single = slot_of_kind(attempt, "single")
    right = correct_answers(attempt, [single.position])
    services.attempt_save(attempt=attempt, sequence=0, answers=right)
    # A second tab still holds sequence 0.
    with pytest.raises(services.StaleSequence) as refused:
        services.attempt_save(
            attempt=attempt, sequence=0, answers={single.position: None}
        )
    assert refused.value.extra["sequence"] == 1
    single.refresh_from_db()
    assert single.response == right[single.position]


def test_a_resent_batch_is_accepted_once(learner, quiz):
    """A save whose response was lost is sent again with the same batch id
    and sequence: it is acknowledged, not refused as stale."""
    attempt = services.attempt_start(user=learner, page=quiz)
    answers = correct_answers(attempt, [1])
    services.attempt_save(attempt=attempt, sequence=0, answers=answers, batch="b-1")
    again = services.attempt_save(
        attempt=attempt, sequence=0, answers=answers, batch="b-1"
    )
    assert again.sequence == 1
    with pytest.raises(services.StaleSequence):
        services.attempt_save(attempt=attempt, sequence=0, answers=answers, batch="b-2")


def test_answer_for_a_question_outside_the_attempt_is_refused_c01(
    learner, quiz, module_page
):
    attempt = services.attempt_start(user=learner, page=quiz)
    with pytest.raises(services.InvalidAnswer):
        services.attempt_save(attempt=attempt, sequence=0, answers={99: None})
    with pytest.raises(services.InvalidAnswer):
        services.attempt_save(
            attempt=attempt, sequence=0, answers={"1": {"choice": "x"}}
        )
    attempt.refresh_from_db()
    assert attempt.sequence == 0


def test_choice_of_another_question_is_refused_c10(learner, quiz):
    attempt = services.attempt_start(user=learner, page=quiz)
    single = slot_of_kind(attempt, "single")
    multiple = slot_of_kind(attempt, "multiple")
    foreign = multiple.version.data["choices"][0]["key"]
    with pytest.raises(services.InvalidAnswer):
        services.attempt_save(
            attempt=attempt, sequence=0, answers={single.position: {"choice": foreign}}
        )
    single.refresh_from_db()
    assert single.response is None


def test_submit_twice_gives_one_grade_c06(learner, quiz):
    attempt = services.attempt_start(user=learner, page=quiz)
    first = services.attempt_submit(attempt=attempt)
    second = services.attempt_submit(attempt=attempt)
    assert first.pk == second.pk and second.state == AttemptState.FINISHED
    assert AttemptGrade.objects.filter(attempt=attempt).count() == 1


def test_a_save_landing_while_a_submission_grades_finishes_after_it_c07(
    learner, quiz, frozen_clock, monkeypatch
):
    """C07: the submission reads the clock, then a save lands (later by the
    clock) before it closes the attempt. The submission grades the saved
    answers again, and the attempt finishes no earlier than they were saved."""
    attempt = services.attempt_start(user=learner, page=quiz)
    answers = correct_answers(attempt)
    first_position = min(answers)
    grade = services._grade_slots
    calls = []

    def grade_with_a_save_in_between(slots):
        calls.append(1)
        if len(calls) == 1:
            frozen_clock.advance(seconds=3)
            services.attempt_save(
                attempt=Attempt.objects.select_related("page").get(pk=attempt.pk),
                sequence=0,
                answers={first_position: answers[first_position]},
            )
        return grade(slots)

    monkeypatch.setattr(services, "_grade_slots", grade_with_a_save_in_between)
    finished = services.attempt_submit(
        attempt=Attempt.objects.select_related("page").get(pk=attempt.pk)
    )
    assert len(calls) == 2  # graded again after the save
    slot = AttemptSlot.objects.get(attempt=attempt, position=first_position)
    assert slot.answered_at == frozen_clock.current
    finished.refresh_from_db()
    assert finished.state == AttemptState.FINISHED
    assert finished.finished_at >= slot.answered_at
    assert slot.marks == slot.max_marks


def test_save_after_finish_is_refused_c07(learner, quiz):
    attempt = services.attempt_start(user=learner, page=quiz)
    services.attempt_submit(attempt=attempt)
    with pytest.raises(services.AttemptClosed):
        services.attempt_save(
            attempt=attempt, sequence=1, answers=correct_answers(attempt)
        )
    assert all(s.response is None for s in attempt.slots.all())


def test_attempt_limit(learner, quiz):
    for _ in range(2):
        services.attempt_submit(attempt=services.attempt_start(user=learner, page=quiz))
    with pytest.raises(services.NoAttemptsLeft):
        services.attempt_start(user=learner, page=quiz)
    assert Attempt.objects.filter(user=learner).count() == 2


def test_database_refuses_a_second_open_attempt_and_duplicate_numbers_c09(
    learner, quiz
):
    attempt = services.attempt_start(user=learner, page=quiz)
    values = {
        "user": learner,
        "page": quiz,
        "assessment_key": quiz.translation_key,
        "kind": quiz.kind,
        "started_at": attempt.started_at,
    }
    with pytest.raises(IntegrityError), transaction.atomic():
        Attempt.objects.create(number=2, **values)
    services.attempt_submit(attempt=attempt)
    with pytest.raises(IntegrityError), transaction.atomic():
        Attempt.objects.create(number=1, **values)


def test_database_refuses_a_finished_attempt_without_grade(learner, quiz):
    attempt = services.attempt_start(user=learner, page=quiz)
    with pytest.raises(IntegrityError), transaction.atomic():
        Attempt.objects.filter(pk=attempt.pk).update(state="finished")
    with pytest.raises(IntegrityError), transaction.atomic():
        AttemptGrade.objects.bulk_create(
            [
                AttemptGrade(
                    attempt=attempt,
                    reason="finish",
                    marks=1,
                    max_marks=1,
                    percent=100,
                )
                for _ in range(2)
            ]
        )


# ---------------------------------------------------------------- time


@pytest.fixture
def timed_quiz(module_page, questions):
    return make_assessment(
        module_page,
        title="Timed",
        questions=[questions["single"], questions["truefalse"]],
        time_limit_minutes=10,
        max_attempts=3,
    )


def test_deadline_from_the_server_clock(learner, timed_quiz, frozen_clock):
    attempt = services.attempt_start(user=learner, page=timed_quiz)
    assert attempt.deadline == frozen_clock.current + __import__("datetime").timedelta(
        minutes=10
    )


def test_save_within_grace_period_is_accepted_and_marks_overdue(
    learner, timed_quiz, frozen_clock, settings
):
    settings.ASSESSMENTS_GRACE_SECONDS = 60
    attempt = services.attempt_start(user=learner, page=timed_quiz)
    frozen_clock.advance(minutes=10, seconds=30)
    attempt = services.attempt_save(
        attempt=attempt, sequence=0, answers=correct_answers(attempt, [1])
    )
    assert attempt.state == AttemptState.OVERDUE
    attempt = services.attempt_submit(attempt=attempt)
    assert attempt.state == AttemptState.FINISHED
    assert not attempt.timed_out


def test_save_after_grace_is_refused_and_the_attempt_finishes_with_saved_answers_c03(
    learner, timed_quiz, frozen_clock
):
    attempt = services.attempt_start(user=learner, page=timed_quiz)
    attempt = services.attempt_save(
        attempt=attempt, sequence=0, answers=correct_answers(attempt)
    )
    frozen_clock.advance(minutes=12)
    with pytest.raises(services.DeadlinePassed):
        services.attempt_save(
            attempt=attempt, sequence=1, answers=wrong_answers(attempt)
        )
    attempt.refresh_from_db()
    assert attempt.state == AttemptState.FINISHED
    assert attempt.timed_out
    assert attempt.percent == Decimal("100")


def test_submit_after_grace_ignores_the_answers_sent_c03_c04(
    learner, timed_quiz, frozen_clock
):
    """The browser's timer may say there is time left: the server's clock
    decides; answers sent after the grace period are not processed."""
    attempt = services.attempt_start(user=learner, page=timed_quiz)
    frozen_clock.advance(minutes=11, seconds=1)
    with pytest.raises(services.DeadlinePassed):
        services.attempt_submit(
            attempt=attempt, answers=correct_answers(attempt), sequence=0
        )
    attempt.refresh_from_db()
    assert attempt.state == AttemptState.FINISHED
    assert attempt.percent == Decimal("0")


def test_periodic_sweep_finishes_overdue_attempts_once(
    learner, trainer, timed_quiz, frozen_clock
):
    mine = services.attempt_start(user=learner, page=timed_quiz)
    services.attempt_save(attempt=mine, sequence=0, answers=correct_answers(mine))
    frozen_clock.advance(minutes=5)
    other = services.attempt_start(user=trainer, page=timed_quiz)
    frozen_clock.advance(minutes=6, seconds=1)
    assert services.attempts_finalize_overdue() == 1
    assert services.attempts_finalize_overdue() == 0
    mine.refresh_from_db()
    other.refresh_from_db()
    assert mine.state == AttemptState.FINISHED and mine.percent == 100
    assert other.state == AttemptState.IN_PROGRESS
    assert AttemptGrade.objects.filter(attempt=mine).count() == 1


def test_overdue_handling_abandon(learner, timed_quiz, frozen_clock):
    timed_quiz.overdue_handling = "abandon"
    timed_quiz.save()
    attempt = services.attempt_start(user=learner, page=timed_quiz)
    frozen_clock.advance(minutes=20)
    attempt = services.attempt_refresh(attempt=attempt)
    assert attempt.state == AttemptState.ABANDONED
    assert attempt.percent is None
    assert not AssessmentResult.objects.exists()


def test_resuming_an_expired_attempt_finishes_it_and_starts_a_new_one(
    learner, timed_quiz, frozen_clock
):
    first = services.attempt_start(user=learner, page=timed_quiz)
    frozen_clock.advance(hours=1)
    second = services.attempt_start(user=learner, page=timed_quiz)
    first.refresh_from_db()
    assert first.state == AttemptState.FINISHED
    assert second.number == 2


def test_window_closes_before_the_time_limit(
    learner, module_page, questions, frozen_clock
):
    import datetime as dt

    page = make_assessment(
        module_page,
        title="Closing",
        questions=[questions["single"]],
        time_limit_minutes=60,
        closes_at=frozen_clock.current + dt.timedelta(minutes=5),
    )
    attempt = services.attempt_start(user=learner, page=page)
    assert attempt.deadline == page.closes_at
    frozen_clock.advance(minutes=7)
    with pytest.raises(services.NotAvailable):
        services.attempt_start(user=learner, page=page)


def test_not_yet_open(learner, module_page, questions, frozen_clock):
    import datetime as dt

    page = make_assessment(
        module_page,
        title="Later",
        questions=[questions["single"]],
        opens_at=frozen_clock.current + dt.timedelta(days=1),
    )
    with pytest.raises(services.NotAvailable):
        services.attempt_start(user=learner, page=page)


def test_time_limits_are_utc_and_ignore_dst_k23(learner, timed_quiz, settings):
    """The deadline is an instant: a DST change in the display time zone
    (Europe/Chisinau, last Sunday of October) neither adds nor removes time."""
    import datetime as dt
    from zoneinfo import ZoneInfo

    from assessments import clock

    settings.TIME_ZONE = "Europe/Chisinau"
    local = ZoneInfo("Europe/Chisinau")
    start = dt.datetime(2026, 10, 25, 3, 55, tzinfo=local)  # just before 04:00 -> 03:00
    original = clock.now
    try:
        clock.now = lambda: start
        attempt = services.attempt_start(user=learner, page=timed_quiz)
        assert (attempt.deadline - attempt.started_at) == dt.timedelta(minutes=10)
        clock.now = lambda: start + dt.timedelta(minutes=9)
        services.attempt_save(attempt=attempt, sequence=0, answers={1: None})
    finally:
        clock.now = original


# ------------------------------------------------ grading across attempts


@pytest.mark.parametrize(
    ("method", "expected"),
    [
        ("highest", "100.000"),
        ("last", "0.000"),
        ("first", "50.000"),
        ("average", "50.000"),
    ],
)
def test_grading_methods_across_attempts(
    method, expected, learner, module_page, questions
):
    page = make_assessment(
        module_page,
        title=f"Method {method}",
        questions=[questions["single"], questions["truefalse"]],
        max_attempts=3,
        grading_method=method,
    )
    plans = ["half", "all", "none"]
    for plan in plans:
        attempt = services.attempt_start(user=learner, page=page)
        if plan == "all":
            answers = correct_answers(attempt)
        elif plan == "half":
            answers = correct_answers(attempt, [1])
        else:
            answers = wrong_answers(attempt)
        services.attempt_submit(attempt=attempt, answers=answers, sequence=0)
    result = AssessmentResult.objects.get(
        user=learner, assessment_key=page.translation_key
    )
    assert result.percent == Decimal(expected)
    assert result.attempts_finished == 3


def test_pretest_never_passes_or_fails(learner, module_page, questions):
    page = make_assessment(
        module_page, title="Pre", kind="pretest", questions=[questions["single"]]
    )
    attempt = services.attempt_start(user=learner, page=page)
    attempt = services.attempt_submit(
        attempt=attempt, answers=correct_answers(attempt), sequence=0
    )
    assert attempt.passed is None
    assert page.completion_requires_pass() is False


# ---------------------------------------------------------------- review options


def make_review_page(module_page, questions, **options):
    return make_assessment(
        module_page,
        title="Review " + "-".join(f"{k}{v}" for k, v in options.items()),
        questions=[questions["single"]],
        **options,
    )


def test_review_after_each_attempt(learner, module_page, questions):
    page = make_review_page(
        module_page,
        questions,
        review_score="attempt",
        review_answers="attempt",
        review_feedback="attempt",
        max_attempts=2,
    )
    attempt = services.attempt_start(user=learner, page=page)
    assert selectors.review_for(attempt=attempt) == selectors.Review(
        False, False, False
    )
    attempt = services.attempt_submit(attempt=attempt)
    assert selectors.review_for(attempt=attempt) == selectors.FULL_REVIEW


def test_review_after_last_attempt(learner, module_page, questions):
    page = make_review_page(
        module_page,
        questions,
        review_score="attempt",
        review_answers="last",
        review_feedback="never",
        max_attempts=2,
    )
    first = services.attempt_submit(
        attempt=services.attempt_start(user=learner, page=page)
    )
    review = selectors.review_for(attempt=first)
    assert review.score and not review.answers and not review.feedback
    services.attempt_submit(attempt=services.attempt_start(user=learner, page=page))
    review = selectors.review_for(attempt=first)
    assert review.answers and not review.feedback


def test_review_after_close(learner, module_page, questions, frozen_clock):
    import datetime as dt

    page = make_review_page(
        module_page,
        questions,
        review_score="close",
        review_answers="close",
        review_feedback="close",
        closes_at=frozen_clock.current + dt.timedelta(hours=1),
    )
    attempt = services.attempt_submit(
        attempt=services.attempt_start(user=learner, page=page)
    )
    assert not selectors.review_for(attempt=attempt).any
    frozen_clock.advance(hours=2)
    assert selectors.review_for(attempt=attempt) == selectors.FULL_REVIEW


def test_review_never(learner, module_page, questions):
    page = make_review_page(
        module_page,
        questions,
        review_score="never",
        review_answers="never",
        review_feedback="never",
    )
    attempt = services.attempt_submit(
        attempt=services.attempt_start(user=learner, page=page)
    )
    assert not selectors.review_for(attempt=attempt).any


# ---------------------------------------------------------------- random questions


def test_random_questions_from_a_tag_without_repeats(learner, module_page):
    tagged = [make_question("truefalse", tags=["indicators"]) for _ in range(5)]
    make_question("truefalse", tags=["other"])
    page = make_assessment(
        module_page,
        title="Random",
        questions=[tagged[0]],
        random_rules=[{"tag": "indicators", "count": 3}],
    )
    attempt = services.attempt_start(user=learner, page=page)
    ids = list(attempt.slots.values_list("question_id", flat=True))
    assert len(ids) == 4 == len(set(ids))
    assert set(ids) <= {q.pk for q in tagged}


def test_not_enough_questions_for_a_rule(learner, module_page):
    bank_question = make_question("truefalse")
    page = make_assessment(
        module_page,
        title="Too few",
        random_rules=[{"bank": bank_question.bank, "count": 5}],
    )
    with pytest.raises(services.NotReady):
        services.attempt_start(user=learner, page=page)
    assert not Attempt.objects.exists()


def test_sequential_navigation_refuses_jumping_ahead_c08(
    learner, module_page, questions
):
    page = make_assessment(
        module_page,
        title="Sequential",
        questions=[questions["single"], questions["truefalse"], questions["numeric"]],
        questions_per_page=1,
        navigation="sequential",
    )
    attempt = services.attempt_start(user=learner, page=page)
    assert attempt.page_count == 3
    with pytest.raises(services.OutOfSequence):
        services.attempt_save(
            attempt=attempt, sequence=0, answers=correct_answers(attempt, [3])
        )
    with pytest.raises(services.OutOfSequence):
        services.attempt_save(attempt=attempt, sequence=0, answers={}, page_to=2)
    attempt = services.attempt_save(
        attempt=attempt, sequence=0, answers=correct_answers(attempt, [1]), page_to=1
    )
    assert attempt.current_page == 1
    # No going back either.
    with pytest.raises(services.OutOfSequence):
        services.attempt_save(
            attempt=attempt, sequence=1, answers=correct_answers(attempt, [1])
        )
    with pytest.raises(services.OutOfSequence):
        services.attempt_save(attempt=attempt, sequence=1, answers={}, page_to=0)


def test_the_overdue_sweep_is_scheduled_and_idempotent(
    learner, timed_quiz, frozen_clock, settings
):
    from assessments.tasks import finalize_overdue_attempts
    from training_platform.celery import app

    schedule = app.conf.beat_schedule["assessments-finalize-overdue-attempts"]
    assert schedule["task"] == finalize_overdue_attempts.name
    attempt = services.attempt_start(user=learner, page=timed_quiz)
    frozen_clock.advance(minutes=30)
    finalize_overdue_attempts.delay()
    finalize_overdue_attempts.delay()
    attempt.refresh_from_db()
    assert attempt.state == AttemptState.FINISHED
    assert AttemptGrade.objects.filter(attempt=attempt).count() == 1

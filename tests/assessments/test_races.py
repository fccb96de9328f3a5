"""Races against PostgreSQL (CI's services run): concurrent submissions,
two tabs saving, answers racing a finish, concurrent starts, and the
database connection dying in the middle of a finish."""

import threading
from decimal import Decimal

import pytest
from django.db import close_old_connections, connection, connections

from assessments import services
from assessments.factories import make_assessment
from assessments.models import Attempt, AttemptGrade, AttemptSlot, AttemptState

from .helpers import correct_answers, slot_of_kind

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def run_together(count, function):
    """Run ``function(index)`` in ``count`` threads released at once; returns
    the results (or exceptions) in order."""
    barrier = threading.Barrier(count)
    results = [None] * count

    def worker(index):
        try:
            barrier.wait(timeout=30)
            results[index] = function(index)
        except Exception as error:  # noqa: BLE001 - reported to the test
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def test_database_is_postgresql():
    assert connection.vendor == "postgresql"


def test_20_concurrent_submissions_give_one_grade_c06(learner, quiz):
    attempt = services.attempt_start(user=learner, page=quiz)
    services.attempt_save(attempt=attempt, sequence=0, answers=correct_answers(attempt))

    def submit(_index):
        fresh = Attempt.objects.select_related("page").get(pk=attempt.pk)
        return services.attempt_submit(attempt=fresh)

    results = run_together(20, submit)
    errors = [r for r in results if isinstance(r, Exception)]
    assert not errors, errors
    assert {r.state for r in results} == {AttemptState.FINISHED}
    assert {r.percent for r in results} == {Decimal("100.000")}
    assert AttemptGrade.objects.filter(attempt=attempt).count() == 1
    attempt.refresh_from_db()
    assert attempt.state == AttemptState.FINISHED


def test_two_tabs_saving_alternately_stale_one_refused_nothing_lost_c05_c07(
    learner, quiz
):
    attempt = services.attempt_start(user=learner, page=quiz)
    single = slot_of_kind(attempt, "single")
    truefalse = slot_of_kind(attempt, "truefalse")
    keys = [c["key"] for c in single.version.data["choices"]]
    seen = [0, 0]  # the sequence each tab last saw
    accepted = {}
    refusals = 0
    for round_number in range(10):
        tab = round_number % 2
        # What a stale tab would send: blanks that must not overwrite anything.
        blanks = {single.position: None, truefalse.position: None}
        try:
            saved = services.attempt_save(
                attempt=attempt, sequence=seen[tab], answers=blanks
            )
        except services.StaleSequence as refusal:
            refusals += 1
            seen[tab] = refusal.extra["sequence"]  # the tab reloads
        else:
            assert round_number == 0, "a stale save was accepted"
            seen[tab] = saved.sequence
        answer = {
            single.position: {"choice": keys[round_number % 2]},
            truefalse.position: {"value": round_number % 3 == 0},
        }
        saved = services.attempt_save(
            attempt=attempt, sequence=seen[tab], answers=answer
        )
        seen[tab] = saved.sequence
        accepted.update(answer)
        for position, response in accepted.items():
            slot = AttemptSlot.objects.get(attempt=attempt, position=position)
            assert slot.response == response
    assert refusals == 9


def test_concurrent_saves_with_one_sequence_one_wins_c05(learner, quiz):
    attempt = services.attempt_start(user=learner, page=quiz)
    single = slot_of_kind(attempt, "single")
    keys = [c["key"] for c in single.version.data["choices"]]

    def save(index):
        fresh = Attempt.objects.select_related("page").get(pk=attempt.pk)
        return services.attempt_save(
            attempt=fresh,
            sequence=0,
            answers={single.position: {"choice": keys[index % 2]}},
        )

    results = run_together(8, save)
    winners = [r for r in results if isinstance(r, Attempt)]
    losers = [r for r in results if isinstance(r, services.StaleSequence)]
    assert len(winners) == 1 and len(losers) == 7
    single.refresh_from_db()
    winner_index = results.index(winners[0])
    assert single.response == {"choice": keys[winner_index % 2]}


def test_answers_racing_a_finish_never_land_in_a_finished_attempt_c07(learner, quiz):
    for _round in range(5):
        Attempt.objects.filter(user=learner).delete()
        quiz.max_attempts = 0
        quiz.save()
        attempt = services.attempt_start(user=learner, page=quiz)
        answers = correct_answers(attempt)

        def act(index, attempt=attempt, answers=answers):
            fresh = Attempt.objects.select_related("page").get(pk=attempt.pk)
            if index == 0:
                return services.attempt_submit(attempt=fresh)
            return services.attempt_save(
                attempt=fresh, sequence=index - 1, answers={index: answers[index]}
            )

        results = run_together(4, act)
        attempt.refresh_from_db()
        assert attempt.state == AttemptState.FINISHED
        for slot in AttemptSlot.objects.filter(attempt=attempt):
            if slot.answered_at is not None:
                assert slot.answered_at <= attempt.finished_at
                assert slot.marks == slot.max_marks  # graded with the answer
        for result in results[1:]:
            assert isinstance(
                result,
                Attempt | services.StaleSequence | services.AttemptClosed,
            ), result


def test_concurrent_starts_never_exceed_the_limit_c09(learner, module_page, questions):
    page = make_assessment(
        module_page, title="Limited", questions=[questions["single"]], max_attempts=2
    )

    def start(_index):
        fresh = type(page).objects.get(pk=page.pk)
        attempt = services.attempt_start(user=learner, page=fresh)
        return services.attempt_submit(attempt=attempt)

    for _round in range(3):
        run_together(10, start)
    assert Attempt.objects.filter(user=learner).count() == 2
    assert sorted(
        Attempt.objects.filter(user=learner).values_list("number", flat=True)
    ) == [1, 2]


def test_database_connection_killed_during_finish_k12(learner, quiz, monkeypatch):
    """The server process of the finishing transaction dies: the attempt is
    still in progress (nothing half-written); a retry finishes it once."""
    from assessments import services as module

    attempt = services.attempt_start(user=learner, page=quiz)
    services.attempt_save(attempt=attempt, sequence=0, answers=correct_answers(attempt))
    real_update = module.assessment_result_update

    def die(**kwargs):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(pg_backend_pid())")

    monkeypatch.setattr(module, "assessment_result_update", die)
    with pytest.raises(Exception):  # noqa: B017 - the driver's connection error
        services.attempt_submit(attempt=attempt)
    connection.close()
    close_old_connections()
    attempt.refresh_from_db()
    assert attempt.state == AttemptState.IN_PROGRESS
    assert not AttemptGrade.objects.filter(attempt=attempt).exists()
    monkeypatch.setattr(module, "assessment_result_update", real_update)
    finished = services.attempt_submit(attempt=attempt)
    again = services.attempt_submit(attempt=attempt)
    assert finished.state == again.state == AttemptState.FINISHED
    assert finished.percent == again.percent == Decimal("100.000")
    assert AttemptGrade.objects.filter(attempt=attempt).count() == 1

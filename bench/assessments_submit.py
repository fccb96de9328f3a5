"""Attempt-submission latency with 64 concurrent learners, over real HTTP
against a running server (gunicorn, 5 sync workers) on PostgreSQL.

Each round: every learner starts an attempt and saves their answers, then
all of them press "Submit" at the same instant; the submit request's latency
is recorded. It also reports the autosave latency, and checks that every
attempt finished exactly once with exactly one grade (L03 shape: a timed
exam ending for everybody at once).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tp_assessments \\
        .venv/bin/python bench/assessments_submit.py --learners 64 --rounds 5
"""

import argparse
import os
import random
import secrets
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "training_platform.settings")


def setup_django():
    import django

    django.setup()


def prepare(learner_count, questions_count):
    """Learners with sessions, and a quiz; returns (quiz url, [(session, csrf)])."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command

    from assessments.factories import make_assessment, make_question
    from training_platform.accounts.factories import UserFactory

    call_command("migrate", verbosity=0)
    parent = bench_parent()
    stamp = secrets.token_hex(3)
    kinds = ["single", "multiple", "truefalse", "short", "numeric", "matching"]
    questions = [
        make_question(kinds[i % len(kinds)], title=f"Bench {stamp} {i}")
        for i in range(questions_count)
    ]
    quiz = make_assessment(
        parent,
        title=f"Bench quiz {stamp}",
        slug=f"bench-{stamp}",
        questions=questions,
        max_attempts=0,
        time_limit_minutes=30,
        shuffle_choices=True,
    )
    clients = []
    for index in range(learner_count):
        user = UserFactory(email=f"bench-{stamp}-{index}@example.org")
        enrol(user, quiz)
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        clients.append((session.session_key, secrets.token_hex(16), user.pk))
    return quiz, clients


def bench_parent():
    """A fresh course with one module for the benchmark's quiz."""
    from courses.factories import build_course

    token = secrets.token_hex(3)
    course = build_course(
        modules=1, lessons=0, title=f"Bench {token}", slug=f"bench-course-{token}"
    )
    return course.get_children().first().specific


def enrol(user, quiz):
    from assessments import integration

    integration.course_services.enrolment_create(
        user=user, course=integration.course_for(quiz), source="bulk"
    )


def http_session(base, session_key, csrf):
    http = requests.Session()
    host = base.split("//", 1)[1].split(":")[0]
    http.cookies.set("sessionid", session_key, domain=host)
    http.cookies.set("csrftoken", csrf, domain=host)
    http.headers.update({"X-CSRFToken": csrf, "Referer": base + "/"})
    return http


def answers_for(attempt_id):
    """A correct answer for every question, as the browser would post it."""
    from assessments import grading
    from assessments.models import AttemptSlot

    data = {}
    positions = []
    for slot in AttemptSlot.objects.filter(attempt_id=attempt_id).select_related(
        "version"
    ):
        response = grading.correct_response(slot.version.data)
        name = f"q{slot.position}"
        positions.append(str(slot.position))
        kind = slot.version.data["kind"]
        if kind == "single":
            data[name] = response["choice"]
        elif kind == "multiple":
            data[name] = response["choices"]
        elif kind == "truefalse":
            data[name] = "true" if response["value"] else "false"
        elif kind == "short":
            data[name] = response["text"]
        elif kind == "numeric":
            data[name] = response["value"]
        elif kind == "matching":
            for prompt, answer in response["pairs"].items():
                data[f"{name}-{prompt}"] = answer
    data["slots"] = ",".join(positions)
    return data


def percentile(values, fraction):
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def run_round(base, quiz, clients, spread=0.0):
    from assessments.models import Attempt

    https = [http_session(base, key, csrf) for key, csrf, _pk in clients]
    attempt_ids = []
    for http in https:
        response = http.post(f"{base}/en/assessments/start/{quiz.pk}/", timeout=30)
        response.raise_for_status()
        attempt_ids.append(int(response.url.rstrip("/").split("/")[-1]))
    save_times = []
    for http, attempt_id in zip(https, attempt_ids, strict=True):
        data = answers_for(attempt_id)
        data["sequence"] = str(Attempt.objects.get(pk=attempt_id).sequence)
        started = time.perf_counter()
        response = http.post(
            f"{base}/en/assessments/attempt/{attempt_id}/save/",
            data=data,
            headers={"Accept": "application/json"},
            timeout=30,
        )
        save_times.append(time.perf_counter() - started)
        assert response.json()["ok"], response.text
    barrier = threading.Barrier(len(https))
    submit_times = [0.0] * len(https)
    statuses = [0] * len(https)

    delays = [random.uniform(0, spread) for _ in https]  # noqa: S311

    def submit(index):
        barrier.wait()
        time.sleep(delays[index])
        started = time.perf_counter()
        response = https[index].post(
            f"{base}/en/assessments/attempt/{attempt_ids[index]}/submit/",
            data={"slots": ""},
            headers={"Accept": "application/json"},
            timeout=60,
        )
        submit_times[index] = time.perf_counter() - started
        statuses[index] = response.status_code

    threads = [threading.Thread(target=submit, args=(i,)) for i in range(len(https))]
    wall = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - wall
    return attempt_ids, save_times, submit_times, statuses, wall


def check(attempt_ids):
    from assessments.models import Attempt, AttemptGrade

    finished = Attempt.objects.filter(pk__in=attempt_ids, state="finished")
    full = finished.filter(percent=100).count()
    grades = AttemptGrade.objects.filter(attempt_id__in=attempt_ids).count()
    return finished.count(), full, grades


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=64)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--questions", type=int, default=10)
    parser.add_argument("--workers", type=int, default=5)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument(
        "--spread",
        type=float,
        default=0.0,
        help="seconds over which the submissions are spread (0: all at once)",
    )
    args = parser.parse_args()
    if "postgres" not in os.environ.get("DATABASE_URL", ""):
        sys.exit("Set DATABASE_URL to a PostgreSQL database (see the docstring).")
    setup_django()
    quiz, clients = prepare(args.learners, args.questions)
    base = f"http://127.0.0.1:{args.port}"
    env = dict(os.environ, DEBUG="0")
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "training_platform.wsgi",
            f"--bind=127.0.0.1:{args.port}",
            f"--workers={args.workers}",
            "--log-level=warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        for _ in range(100):
            try:
                requests.get(f"{base}/healthz/", timeout=5)
                break
            except requests.RequestException:
                time.sleep(0.2)
        all_saves, all_submits, walls, failures = [], [], [], 0
        totals = [0, 0, 0, 0]
        for round_number in range(args.rounds):
            ids, saves, submits, statuses, wall = run_round(
                base, quiz, clients, args.spread
            )
            finished, full, grades = check(ids)
            failures += sum(1 for s in statuses if s != 200)
            totals = [
                totals[0] + len(ids),
                totals[1] + finished,
                totals[2] + full,
                totals[3] + grades,
            ]
            all_saves += saves
            all_submits += submits
            walls.append(wall)
            print(
                f"round {round_number + 1}: submit p50 "
                f"{statistics.median(submits) * 1000:.0f} ms, p95 "
                f"{percentile(submits, 0.95) * 1000:.0f} ms, all {len(ids)} in "
                f"{wall:.2f} s"
            )
    finally:
        server.terminate()
        server.wait(timeout=20)
    print(
        f"\n{args.learners} concurrent learners, {args.rounds} rounds, "
        f"{args.questions} questions, submissions spread over {args.spread:g} s, "
        f"gunicorn {args.workers} sync workers, PostgreSQL"
    )
    print(
        f"submit: p50 {statistics.median(all_submits) * 1000:.0f} ms, "
        f"p95 {percentile(all_submits, 0.95) * 1000:.0f} ms, "
        f"max {max(all_submits) * 1000:.0f} ms; "
        f"slowest round {max(walls):.2f} s for all submissions"
    )
    print(
        f"autosave (sequential): p50 {statistics.median(all_saves) * 1000:.0f} ms, "
        f"p95 {percentile(all_saves, 0.95) * 1000:.0f} ms"
    )
    print(
        f"attempts {totals[0]}, finished {totals[1]}, full marks {totals[2]}, "
        f"grades {totals[3]}, failed requests {failures}"
    )
    if not (totals[0] == totals[1] == totals[2] == totals[3]) or failures:
        sys.exit("lost, duplicated or wrong grades")


if __name__ == "__main__":
    main()

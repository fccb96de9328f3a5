"""Coordinator dashboard latency over real HTTP (gunicorn, one sync worker) on
PostgreSQL with a large data set: median and p95 of warm requests, for a
coordinator of two countries and for an administrator (all countries),
unfiltered (rollups) and with a filter that reads the fact table; also the
time to rebuild the report tables and the queries per request.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/platform_bench \\
        .venv/bin/python manage.py generate_load_data \\
        --learners 100000 --courses 20 --countries 20
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/platform_bench \\
        .venv/bin/python bench/reports_dashboard.py [--refresh] [--requests 20]
"""

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "training_platform.settings")


def setup_django():
    import django

    django.setup()


def staff_session(user) -> str:
    """A signed-in session that has passed the second factor."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.utils import timezone

    if not Authenticator.objects.filter(user=user, type="totp").exists():
        TOTP.activate(user, generate_totp_secret())
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session["account_authentication_methods"] = [
        {"method": "mfa", "type": "totp", "at": timezone.now().timestamp()}
    ]
    session.create()
    return session.session_key


def viewers():
    """A coordinator of the two largest countries and an administrator."""
    from django.db.models import Count

    from training_platform.accounts.factories import (
        AdministratorFactory,
        CoordinatorFactory,
    )
    from training_platform.accounts.models import Country

    largest = list(Country.objects.annotate(n=Count("users")).order_by("-n")[:2])
    coordinator = CoordinatorFactory(
        email="bench-coordinator@bench.example", countries=largest
    )
    coordinator.coordinated_countries.set(largest)
    administrator = AdministratorFactory(email="bench-admin@bench.example")
    return coordinator, administrator, largest


def queries_per_request(user, url, params):
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    client.cookies["sessionid"] = staff_session(user)
    client.get(url, params)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200, response.status_code
    return len(captured)


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def measure(base, session_key, path, params, n):
    http = requests.Session()
    http.cookies.set("sessionid", session_key, domain="127.0.0.1")
    for _ in range(3):  # warm
        response = http.get(base + path, params=params, timeout=60)
        response.raise_for_status()
        assert "stat-grid" in response.text or "learner-list" in response.text
    times = []
    for _ in range(n):
        start = time.perf_counter()
        response = http.get(base + path, params=params, timeout=60)
        times.append(time.perf_counter() - start)
        response.raise_for_status()
    return statistics.median(times) * 1000, percentile(times, 0.95) * 1000


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument(
        "--refresh", action="store_true", help="rebuild the report tables first"
    )
    args = parser.parse_args()
    if "postgres" not in os.environ.get("DATABASE_URL", ""):
        sys.exit("Set DATABASE_URL to a PostgreSQL database (see the docstring).")
    setup_django()
    from courses.models import Enrolment, ItemProgress
    from training_platform.accounts.models import User
    from training_platform.reports.models import EnrolmentFact
    from training_platform.reports.services import report_refresh

    learners = User.objects.count()
    enrolments = Enrolment.objects.count()
    progress = ItemProgress.objects.count()
    print(f"data: {learners} people, {enrolments} enrolments, {progress} progress rows")
    if args.refresh or not EnrolmentFact.objects.exists():
        refresh = report_refresh()
        print(
            f"report tables rebuilt: {refresh.facts} facts in {refresh.duration_ms} ms"
        )
    coordinator, administrator, countries = viewers()
    print("coordinator of " + " and ".join(c.name for c in countries))

    cases = [
        ("coordinator, unfiltered", coordinator, "/en/coordinator/", {}),
        ("administrator, unfiltered", administrator, "/en/coordinator/", {}),
        ("coordinator, women only", coordinator, "/en/coordinator/", {"sex": "female"}),
        (
            "administrator, women only",
            administrator,
            "/en/coordinator/",
            {"sex": "female"},
        ),
        (
            "coordinator, learners behind 'completed' (page 1)",
            coordinator,
            "/en/coordinator/learners/",
            {"metric": "completed"},
        ),
    ]
    counts = {name: queries_per_request(u, p, q) for name, u, p, q in cases}
    sessions = {user.pk: staff_session(user) for user in (coordinator, administrator)}
    base = f"http://127.0.0.1:{args.port}"
    env = dict(os.environ, DEBUG="0")
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "training_platform.wsgi",
            f"--bind=127.0.0.1:{args.port}",
            "--workers=1",
            "--log-level=warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        for _ in range(150):
            try:
                requests.get(f"{base}/healthz/", timeout=5)
                break
            except requests.RequestException:
                time.sleep(0.2)
        print(f"\n{args.requests} warm requests each, gunicorn 1 sync worker:")
        for name, user, path, params in cases:
            p50, p95 = measure(base, sessions[user.pk], path, params, args.requests)
            print(
                f"  {name:<52} median {p50:6.1f} ms  p95 {p95:6.1f} ms  "
                f"{counts[name]} queries"
            )
    finally:
        server.terminate()
        server.wait(timeout=20)


if __name__ == "__main__":
    main()

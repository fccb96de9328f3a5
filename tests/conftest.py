"""Shared fixtures: isolated media, users per role, MFA helpers and the
headless-browser fixtures (Playwright driving Debian's Chromium)."""

import os
import shutil

import pytest

# Playwright's sync API keeps an event loop in the test thread; Django refuses
# ORM calls in such a thread unless told that this is intended.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
ARTIFACTS = os.path.join(os.path.dirname(os.path.dirname(__file__)), "test-artifacts")


@pytest.fixture(autouse=True)
def _isolated_media(settings, tmp_path_factory):
    settings.MEDIA_ROOT = str(tmp_path_factory.mktemp("media"))


@pytest.fixture(autouse=True)
def _clear_cache():
    # Rate-limit counters live in the cache; each test starts fresh.
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture
def learner(db):
    from training_platform.accounts.factories import UserFactory

    return UserFactory(email="learner@example.org", full_name="Ana Petrović")


@pytest.fixture
def trainer(db):
    from training_platform.accounts.factories import TrainerFactory

    return TrainerFactory(email="trainer@example.org", full_name="Nino Beridze")


@pytest.fixture
def coordinator(db):
    from training_platform.accounts.factories import CoordinatorFactory
    from training_platform.accounts.models import Country

    return CoordinatorFactory(
        email="coordinator@example.org",
        full_name="Elira Hoxha",
        countries=list(Country.objects.filter(code__in=["RS", "AL"])),
    )


@pytest.fixture
def administrator(db):
    from training_platform.accounts.factories import AdministratorFactory

    return AdministratorFactory(email="admin@example.org", full_name="Admin User")


@pytest.fixture(autouse=True)
def trainer_on_the_course_team(request):
    """A test that has both a ``trainer`` and a ``course`` has the trainer
    on the course's team, as the trainer who made it would be (D09: a
    trainer edits and sees the results of their own courses only). Tests of
    a trainer off the team use another trainer."""
    if {"trainer", "course"} <= set(request.fixturenames):
        from courses.services import course_owner_set_up

        course = request.getfixturevalue("course")
        if hasattr(course, "translation_key"):
            course_owner_set_up(course=course, by=request.getfixturevalue("trainer"))


def enable_totp(user):
    """Give ``user`` an activated TOTP authenticator; returns the secret."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


@pytest.fixture
def mfa():
    return enable_totp


# ---------------------------------------------------------------- browser


def _browser_required():
    return os.environ.get("REQUIRE_BROWSER") == "1"


@pytest.fixture(scope="session")
def _playwright():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - the test extra installs it
        if _browser_required():
            pytest.fail("playwright is not installed but REQUIRE_BROWSER=1")
        pytest.skip("playwright is not installed")
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        if _browser_required():
            pytest.fail(f"Chromium not found at {CHROMIUM} but REQUIRE_BROWSER=1")
        pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(_playwright):
    browser = _playwright.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
    )
    yield browser
    browser.close()


@pytest.fixture
def browser_context(browser, request):
    """A fresh context (no cookies) per test, phone-sized unless the test is
    marked otherwise; the console errors are collected."""
    marker = request.node.get_closest_marker("viewport")
    viewport = marker.args[0] if marker else {"width": 390, "height": 844}
    context = browser.new_context(viewport=viewport, locale="en-GB")
    context.set_default_timeout(15_000)
    yield context
    context.close()


@pytest.fixture
def page(browser_context):
    page = browser_context.new_page()
    page.console_errors = []
    page.on(
        "console",
        lambda msg: (
            page.console_errors.append(msg.text) if msg.type == "error" else None
        ),
    )
    yield page


@pytest.fixture
def screenshot(page, request):
    """Save a full-page screenshot under test-artifacts/ for review."""

    def take(name):
        os.makedirs(ARTIFACTS, exist_ok=True)
        path = os.path.join(ARTIFACTS, f"{name}.png")
        page.screenshot(path=path, full_page=True)
        return path

    return take


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "viewport(size): browser viewport for the test, as a dict"
    )


@pytest.fixture
def scratch_redis():
    """A private redis-server on a free port, so a test may change its policy
    or pause it without disturbing anybody. Yields (port, client)."""
    import shutil
    import socket
    import subprocess
    import time

    binary = shutil.which("redis-server")
    if not binary:
        pytest.skip("redis-server is not installed")
    import redis

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", ""]
        + ["--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    client = redis.Redis(port=port)
    for _ in range(50):
        try:
            client.ping()
            break
        except redis.exceptions.ConnectionError:
            time.sleep(0.1)
    try:
        yield port, client
    finally:
        process.terminate()
        process.wait(timeout=10)


# ---------------------------------------------------------------- services
#
# ``make test`` runs everything on the embedded default (SQLite, eager tasks).
# With PLATFORM_TEST_SERVICES=1 (CI's second run, with DATABASE_URL pointing at
# PostgreSQL and CELERY_BROKER_URL at Redis) the same suite runs against the real
# services, and the tests marked ``services`` run too; elsewhere they are
# skipped, or fail when REQUIRE_SERVICES=1.

SERVICES_MODE = os.environ.get("PLATFORM_TEST_SERVICES") == "1"


def pytest_collection_modifyitems(config, items):
    if SERVICES_MODE:
        return
    reason = "needs PostgreSQL, Redis and a Celery worker (PLATFORM_TEST_SERVICES=1)"
    for item in items:
        if "services" in item.keywords:
            if os.environ.get("REQUIRE_SERVICES") == "1":
                item.add_marker(
                    pytest.mark.xfail(reason=reason, strict=True, run=False)
                )
            else:
                item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="session")
def celery_worker_process(django_db_setup, django_db_blocker):
    """A real ``celery -A training_platform worker`` on the test database and
    the Redis broker. Tests that use it need committed data:
    ``@pytest.mark.django_db(transaction=True)``. Yields the Popen object, so a
    test can kill it (K06)."""
    import subprocess
    import sys
    import time

    from django.conf import settings
    from django.db import connection

    if not SERVICES_MODE:
        pytest.skip("needs PLATFORM_TEST_SERVICES=1")
    database = connection.settings_dict
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "training_platform.test_settings",
            "DATABASE_URL": (
                f"postgres://{database['USER']}:{database['PASSWORD'] or ''}@"
                f"{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}/"
                f"{database['NAME']}"
            ),
            "CELERY_TASK_ALWAYS_EAGER": "0",
            "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        }
    )
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    log = open(os.path.join(_artifacts_dir(), "celery-worker.log"), "w")  # noqa: SIM115
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "training_platform",
            "worker",
            "--loglevel=INFO",
            "--concurrency=2",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        cwd=os.path.dirname(os.path.dirname(__file__)),
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    from training_platform.celery import app

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail("the Celery worker exited at start; see celery-worker.log")
        try:
            if app.control.ping(timeout=1):
                break
        except Exception:  # noqa: BLE001 - the broker may still be starting
            time.sleep(0.5)
    else:
        process.kill()
        pytest.fail("the Celery worker did not answer within 60 s")
    yield process
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
    log.close()


@pytest.fixture
def real_celery(celery_worker_process, settings):
    """Send tasks to the real broker and worker for this test instead of running
    them inline."""
    from training_platform.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = False
    settings.CELERY_TASK_ALWAYS_EAGER = False
    yield celery_worker_process
    app.conf.task_always_eager = previous


def _artifacts_dir():
    os.makedirs(ARTIFACTS, exist_ok=True)
    return ARTIFACTS


AXE = os.path.join(
    os.path.dirname(os.path.dirname(__file__)), "node_modules", "axe-core", "axe.min.js"
)


@pytest.fixture
def axe():
    """Run axe-core (WCAG 2.1 A and AA rules) on the current page and return
    the violations of impact 'serious' or 'critical'."""

    def check(page, *, exclude=()):
        if not os.path.exists(AXE):
            pytest.fail("axe-core is missing: run `npm ci --ignore-scripts`")
        # Evaluated through the DevTools protocol: the site's CSP forbids inline
        # scripts, and a test must not weaken it.
        with open(AXE, encoding="utf-8") as source:
            page.evaluate(source.read())
        results = page.evaluate(
            """async (exclude) => await axe.run(
                {exclude: exclude.map((selector) => [selector])},
                {runOnly: {type: 'tag',
                           values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}}
            )""",
            list(exclude),
        )
        return [
            {
                "id": violation["id"],
                "impact": violation["impact"],
                "help": violation["help"],
                "nodes": [node["target"] for node in violation["nodes"]][:5],
            }
            for violation in results["violations"]
            if violation["impact"] in ("serious", "critical")
        ]

    return check

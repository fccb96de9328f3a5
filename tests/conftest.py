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

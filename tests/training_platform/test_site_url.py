"""The site's public address in the embedded mode follows the port it is
served on (``make run PORT=8101``): certificate links, QR codes, e-mails and
the issuer DID all come from ``SITE_URL``."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

PRINT = (
    "import django, json; django.setup(); "
    "from django.conf import settings; "
    "from certificates.rendering import verify_url; "
    "from certificates.signing import issuer_did; "
    "print(json.dumps({'site': settings.SITE_URL, "
    "'csrf': settings.CSRF_TRUSTED_ORIGINS, 'hosts': settings.ALLOWED_HOSTS, "
    "'verify': verify_url('ABC'), 'did': issuer_did()}))"
)


def embedded(**variables) -> dict:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SITE_URL", "PORT", "HOST", "PLATFORM_ENV", "ALLOWED_HOSTS"}
        and not k.startswith("DJANGO_")
    }
    env["DJANGO_SETTINGS_MODULE"] = "training_platform.settings"
    env.update(variables)
    result = subprocess.run(
        [sys.executable, "-c", PRINT], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_site_url_follows_the_port_in_the_embedded_mode():
    got = embedded(PORT="8101")
    assert got["site"] == "http://127.0.0.1:8101"
    assert got["verify"] == "http://127.0.0.1:8101/verify/ABC"
    assert got["did"] == "did:web:127.0.0.1%3A8101"
    assert "http://127.0.0.1:8101" in got["csrf"]


def test_site_url_follows_the_host_and_a_wildcard_host_is_linked_locally():
    assert embedded(HOST="localhost", PORT="8102")["site"] == "http://localhost:8102"
    every_interface = "0.0.0.0"  # noqa: S104 - what make run is given
    assert embedded(HOST=every_interface, PORT="8103")["site"] == (
        "http://127.0.0.1:8103"
    )
    assert embedded()["site"] == "http://127.0.0.1:8000"


def test_an_explicit_site_url_wins():
    got = embedded(PORT="8101", SITE_URL="https://training.example.org/")
    assert got["site"] == "https://training.example.org"


def test_a_port_that_is_not_a_number_is_refused_clearly():
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.pop("SITE_URL", None)
    env.update(DJANGO_SETTINGS_MODULE="training_platform.settings", PORT="80a1")
    result = subprocess.run(
        [sys.executable, "-c", PRINT], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "PORT must be a port number" in result.stderr


@pytest.mark.skipif(not Path("/usr/bin/make").exists(), reason="needs make")
def test_make_run_serves_and_seeds_with_the_port_it_is_given():
    result = subprocess.run(
        ["make", "-n", "run", "PORT=8101"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    lines = result.stdout.splitlines()
    seed = next(line for line in lines if "seed_demo" in line)
    serve = next(line for line in lines if "runserver" in line)
    assert "PORT=8101" in seed
    assert serve.endswith("127.0.0.1:8101")
    readme = (ROOT / "README.md").read_text()
    assert "| `PORT` |" in readme and "make run PORT=" in readme

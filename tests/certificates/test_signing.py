"""The signing key: required in production, generated privately in the
embedded mode; the DID document publishes the matching public key."""

import os
import stat
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from certificates import signing


def test_production_refuses_to_start_without_a_signing_key():
    env = {
        key: value
        for key, value in os.environ.items()
        if key != "CERTIFICATE_SIGNING_KEY"
    } | {
        "PLATFORM_ENV": "production",
        "SECRET_KEY": "x" * 60,
        "ALLOWED_HOSTS": "training.example.org",
        "SITE_URL": "https://training.example.org",
        "DATABASE_URL": "postgres://u@127.0.0.1:5432/x",
        "CACHE_URL": "locmemcache://",
        "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
        "EMAIL_URL": "smtp://127.0.0.1:25",
        "DJANGO_SETTINGS_MODULE": "training_platform.settings",
    }
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "CERTIFICATE_SIGNING_KEY must be set" in result.stderr


def test_a_broken_key_is_refused(settings):
    settings.CERTIFICATE_SIGNING_KEY = "not-a-key"
    signing.reset_key_cache()
    with pytest.raises(ImproperlyConfigured):
        signing.load_signing_key()


def test_embedded_mode_generates_a_private_key_file_once(settings, tmp_path):
    settings.CERTIFICATE_SIGNING_KEY = ""
    settings.VAR_DIR = tmp_path
    signing.reset_key_cache()
    first = signing.load_signing_key()
    path = signing.key_file()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert str(path).startswith(str(tmp_path))
    assert not str(path).startswith(str(settings.MEDIA_ROOT))
    second = signing.load_signing_key()
    assert signing.public_key_multibase(first.public_key()) == (
        signing.public_key_multibase(second.public_key())
    )


def test_did_document_publishes_the_signing_key(client):
    document = client.get("/.well-known/did.json").json()
    assert document["id"] == signing.issuer_did()
    key = signing.public_key_from_multibase(
        document["verificationMethod"][0]["publicKeyMultibase"]
    )
    assert signing.public_key_multibase(key) == signing.public_key_multibase()


def test_base58_round_trip():
    for data in (b"", b"\0\0ab", os.urandom(64)):
        assert signing.base58btc_decode(signing.base58btc(data)) == data

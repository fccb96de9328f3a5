"""Project-level guarantees: importable Celery, settings that refuse unsafe
production starts, clean deploy checks."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PRODUCTION_ENV = {
    "PLATFORM_ENV": "production",
    "SECRET_KEY": "x7Jq2vN9pL4sT8wZ1cR6yH3mK5bF0dG2aE9uV7iO4nX1qW8zC3tY6rB5",
    "ALLOWED_HOSTS": "training.example.org",
    "SITE_URL": "https://training.example.org",
    "DATABASE_URL": "postgres://platform@127.0.0.1:5432/platform",
    "CACHE_URL": "rediscache://127.0.0.1:6379/1",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
    "EMAIL_URL": "smtp://mail.example.org:587",
    "CERTIFICATE_SIGNING_KEY": "dGVzdC1vbmx5LWVkMjU1MTkta2V5LTMyLWJ5dGVzISE=",
}


def run(args, env_overrides, *, drop=()):
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True
    )


def test_no_top_level_package_shadows_the_standard_library():
    for name in ("platform", "site", "email", "secrets", "types", "calendar"):
        assert not (ROOT / name / "__init__.py").exists(), name
        assert not (ROOT / f"{name}.py").exists(), name


def test_celery_imports_from_the_project_root():
    result = run(
        [
            "-c",
            "import platform, celery; from celery import Celery; "
            "from training_platform import celery_app; "
            "print(platform.python_version(), celery_app.main)",
        ],
        {},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("training_platform")


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}
    result = run(["manage.py", "check"], env, drop=("SECRET_KEY",))
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_a_weak_secret_key():
    result = run(["manage.py", "check"], {**PRODUCTION_ENV, "SECRET_KEY": "short"})
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_a_broker():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "CELERY_BROKER_URL"}
    result = run(["manage.py", "check"], env, drop=("CELERY_BROKER_URL",))
    assert result.returncode != 0
    assert "CELERY_BROKER_URL must be set" in result.stderr


def test_check_deploy_is_clean_with_production_settings():
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], PRODUCTION_ENV
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout

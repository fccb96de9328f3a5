"""Settings for the test suite: the normal settings with faster password hashing
and in-memory e-mail. Everything else (database, broker) still comes from the
environment, so the same suite runs embedded and against real services."""

from .settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {  # noqa: F405
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True

# Tasks run inline unless a test asks for the real worker (``real_celery``).
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)  # noqa: F405

# The embedded test database is a file, not memory: the live server for browser
# tests then serves every request on its own connection, as in production,
# instead of sharing one in-memory connection between request threads.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    import os as _os

    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": str(
            Path(env.str("VAR_DIR", default=str(BASE_DIR / "var")))  # noqa: F405
            / f"test-{_os.getpid()}.sqlite3"
        )
    }

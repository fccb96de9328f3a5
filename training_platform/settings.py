"""Settings for the training platform.

Everything comes from environment variables. The embedded default (no variables
set) runs on SQLite with Celery in eager mode and the console e-mail backend.
With ``PLATFORM_ENV=production`` there is no default for secrets or services and
the process refuses to start when one is missing. README.md lists every variable.
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from django.conf.locale import LANG_INFO
from django.core.exceptions import ImproperlyConfigured

PROJECT_DIR = Path(__file__).resolve().parent
BASE_DIR = PROJECT_DIR.parent

env = environ.Env()

PLATFORM_ENV = env.str("PLATFORM_ENV", default="embedded")
if PLATFORM_ENV not in {"embedded", "production"}:
    raise ImproperlyConfigured(
        f"PLATFORM_ENV must be 'embedded' or 'production', not {PLATFORM_ENV!r}"
    )
PRODUCTION = PLATFORM_ENV == "production"


def required(name, cast=str):
    """A variable that production must set; the embedded mode never calls this."""
    value = env.str(name, default="").strip()
    if not value:
        raise ImproperlyConfigured(
            f"{name} must be set when PLATFORM_ENV=production (see README.md)"
        )
    return cast(value)


if PRODUCTION:
    SECRET_KEY = required("SECRET_KEY")
    if len(SECRET_KEY) < 50 or SECRET_KEY.startswith("django-insecure"):
        raise ImproperlyConfigured("SECRET_KEY must be a random string of 50+ chars")
    DEBUG = env.bool("DEBUG", default=False)
    ALLOWED_HOSTS = required("ALLOWED_HOSTS", lambda v: v.split(","))
    SITE_URL = required("SITE_URL").rstrip("/")
else:
    SECRET_KEY = env.str(
        "SECRET_KEY",
        default="embedded-demo-secret-key-not-for-production-use-0123456789",
    )
    DEBUG = env.bool("DEBUG", default=True)
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
    # The development server's address (``make run HOST=... PORT=...``): links
    # in certificates and e-mails point where the demo is actually served.
    HOST = env.str("HOST", default="127.0.0.1").strip() or "127.0.0.1"
    PORT = env.str("PORT", default="8000").strip()
    if not PORT.isdigit() or not 0 < int(PORT) < 65536:
        raise ImproperlyConfigured(f"PORT must be a port number, not {PORT!r}")
    # A server listening on every interface is reached locally on loopback.
    _any = {"0.0.0.0", "::", "[::]"}  # noqa: S104 - compared, not bound
    _link_host = "127.0.0.1" if HOST in _any else HOST
    if ":" in _link_host and not _link_host.startswith("["):
        _link_host = f"[{_link_host}]"  # an IPv6 address in a URL
    if _link_host not in ALLOWED_HOSTS and "*" not in ALLOWED_HOSTS:
        ALLOWED_HOSTS.append(_link_host)
    SITE_URL = env.str("SITE_URL", default=f"http://{_link_host}:{PORT}").rstrip("/")

CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[SITE_URL])

# Application definition. Dependencies point one way:
# accounts <- courses <- assessments <- workshops <- certificates <- surveys
# <- reports.
INSTALLED_APPS = [
    "training_platform.accounts",
    "training_platform.notifications",
    "training_platform.audit",
    "training_platform.home",
    "courses",
    "courses.h5p",
    "assessments",
    "workshops",
    "certificates",
    "surveys",
    "training_platform.reports",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.embeds",
    "wagtail.sites",
    "training_platform.accounts.users_app.PlatformUsersAppConfig",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "training_platform.staticfiles.StaticFilesMiddleware",
    # H5P package files and player assets, before sessions (see its docstring).
    "courses.h5p.middleware.ContentFilesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "training_platform.middleware.CacheControlMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # The request being served, for the audit log (who, from which address).
    "training_platform.audit.context.AuditRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "training_platform.accounts.middleware.UserLanguageMiddleware",
    "training_platform.accounts.middleware.StaffMFAMiddleware",
    "training_platform.accounts.middleware.ConsentMiddleware",
    "training_platform.middleware.AdminAccessMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "training_platform.middleware.SecurityHeadersMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last: it runs the admin page edit view inside the page's row lock.
    "training_platform.page_editing.PageEditLockMiddleware",
]

ROOT_URLCONF = "training_platform.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PROJECT_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "training_platform.context_processors.platform",
            ],
        },
    },
]

WSGI_APPLICATION = "training_platform.wsgi.application"

# Database
if PRODUCTION:
    DATABASES = {"default": env.db_url_config(required("DATABASE_URL"))}
else:
    DATABASES = {
        "default": env.db_url(
            "DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
        )
    }
_db = DATABASES["default"]
if _db["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and IMMEDIATE transactions let two writers queue for the lock instead
    # of failing with "database is locked" (K24).
    _db.setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
else:
    _db["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    _db["CONN_HEALTH_CHECKS"] = True
    _db.setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: rate limits (allauth) and throttles need a cache shared by all processes
# in production.
if PRODUCTION:
    CACHES = {"default": env.cache_url_config(required("CACHE_URL"))}
else:
    CACHES = {
        "default": env.cache_url(
            "CACHE_URL", default="locmemcache://training-platform-embedded"
        )
    }
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    CACHES["default"]["BACKEND"] = "training_platform.cache.ResilientRedisCache"

# Sessions live in the database so that pages and logins keep working when Redis
# is down (K03). With a cache shared by all processes (Redis) they are read
# through it (one round trip instead of a query; a cache that is down falls
# back to the database); a cache of one process (locmem) would let another
# process keep a session that was ended.
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if CACHES["default"]["BACKEND"] == "training_platform.cache.ResilientRedisCache"
    else "django.contrib.sessions.backends.db"
)
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=60 * 60 * 24 * 14)

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
_validators = "django.contrib.auth.password_validation"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"{_validators}.UserAttributeSimilarityValidator"},
    {
        "NAME": f"{_validators}.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": f"{_validators}.CommonPasswordValidator"},
    {"NAME": f"{_validators}.NumericPasswordValidator"},
]

# django-allauth
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = env.str(
    "ACCOUNT_EMAIL_VERIFICATION", default="mandatory" if PRODUCTION else "optional"
)
if PRODUCTION and ACCOUNT_EMAIL_VERIFICATION != "mandatory":
    raise ImproperlyConfigured("E-mail verification is mandatory in production")
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_SIGNUP_FORM_CLASS = "training_platform.accounts.forms.ProfileSignupForm"
ACCOUNT_ADAPTER = "training_platform.accounts.adapter.AccountAdapter"
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if PRODUCTION else "http"
# allauth's defaults (10 failed logins a minute per IP, 5 per account in five
# minutes, ...) are kept; they are spelt out so that a change is deliberate.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "confirm_email": "1/3m/key",
    "change_password": "5/m/user",
    # Wrong enrolment keys (courses.enrolment_keys), per learner and address.
    "enrolment_key": "10/10m/user,30/d/user,60/10m/ip,300/d/ip",
}
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = env.str("MFA_TOTP_ISSUER", default="Training platform")
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home:dashboard"
ACCOUNT_LOGOUT_REDIRECT_URL = "/"

# Staff must have MFA before they reach these areas (see accounts.middleware).
# Paths are given without the language prefix.
MFA_REQUIRED_PATH_PREFIXES = ["/admin/", "/coordinator/", "/workshops/staff/"]

# The version of the data-processing notice learners agree to at sign-up.
PRIVACY_POLICY_VERSION = env.str("PRIVACY_POLICY_VERSION", default="2026-11")
# Where the privacy notice is published (shown on the consent page), if anywhere.
PRIVACY_NOTICE_URL = env.str("PRIVACY_NOTICE_URL", default="")

# Internationalisation
LANGUAGE_CODE = "en"
# Every language of the region has a catalogue (``make messages``); the
# interface strings of those marked complete are all translated (a test holds
# them to it), the others fall back to English. PLATFORM_LANGUAGES says which
# the site offers (default: the complete ones).
ALL_LANGUAGES = [
    ("en", "English"),
    ("ru", "Русский"),
    ("uk", "Українська"),
    ("sr", "Српски"),
    ("sr-latn", "Srpski (latinica)"),
    ("ka", "ქართული"),
    ("sq", "Shqip"),
    ("hy", "Հայերեն"),
    ("ro", "Română"),
    ("az", "Azərbaycan dili"),
    ("kk", "Қазақ тілі"),
    ("ky", "Кыргызча"),
    ("uz", "Oʻzbekcha"),
    ("tg", "Тоҷикӣ"),
    ("bs", "Bosanski"),
    ("hr", "Hrvatski"),
    ("cnr", "Crnogorski"),
    ("mk", "Македонски"),
    ("tr", "Türkçe"),
]
COMPLETE_LANGUAGES = ["en", "ru", "uk", "sr", "sr-latn", "ka", "sq"]
_offered = env.list("PLATFORM_LANGUAGES", default=COMPLETE_LANGUAGES)
LANGUAGES = [(code, name) for code, name in ALL_LANGUAGES if code in _offered]
if not LANGUAGES or LANGUAGES[0][0] != LANGUAGE_CODE:
    raise ImproperlyConfigured("PLATFORM_LANGUAGES must include en.")
# Montenegrin (ISO 639-3 ``cnr``) is not among Django's languages yet.
LANG_INFO["cnr"] = {
    "bidi": False,
    "code": "cnr",
    "name": "Montenegrin",
    "name_local": "Crnogorski",
}
# The second holds translations of libraries that lack a language of the
# region (django-allauth has no Albanian); ``make messages`` leaves it alone.
LOCALE_PATHS = [PROJECT_DIR / "locale", PROJECT_DIR / "locale_vendor"]
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_NAME = "platform_language"
LANGUAGE_COOKIE_SAMESITE = "Lax"
WAGTAIL_I18N_ENABLED = True
# The languages courses are written or translated in (Wagtail locales). An
# interface language without its own courses shows the English ones under its
# own address prefix (Wagtail's language variants), so the learner stays in
# their language around the English text.
_content = env.list("PLATFORM_CONTENT_LANGUAGES", default=["en", "ru"])
WAGTAIL_CONTENT_LANGUAGES = [
    (code, name) for code, name in LANGUAGES if code in _content
]
for _code, _name in LANGUAGES:
    if _code not in _content:
        LANG_INFO[_code] = {**LANG_INFO[_code], "fallback": [LANGUAGE_CODE]}
# Submitting a page for translation (wagtail-localize) creates the translated
# page as a draft; it goes live when the translation is published (E05), not
# because its source is live.
WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE = False

# Static and media files
STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "static_collected")))
STATICFILES_DIRS = [
    PROJECT_DIR / "static",
    ("vendor/h5p-standalone", BASE_DIR / "node_modules" / "h5p-standalone" / "dist"),
]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# H5P player and package files: served from this origin when set (production:
# a separate registrable domain whose host is also in ALLOWED_HOSTS). Empty: a
# site reached as 127.0.0.1:<port> serves them as localhost:<port>, any other
# site from its own origin (still in a sandboxed frame). See courses/h5p.
H5P_CONTENT_ORIGIN = env.str("H5P_CONTENT_ORIGIN", default="").rstrip("/")
# Request limits (L12): 2.5 MB non-file body, 1000 fields, 100 files.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
DATA_UPLOAD_MAX_NUMBER_FILES = 100
FILE_UPLOAD_PERMISSIONS = 0o644

# E-mail
if PRODUCTION:
    vars().update(env.email_url_config(required("EMAIL_URL")))
else:
    vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="Training platform <no-reply@localhost>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery. Without a broker the tasks run inline (eager), which is the embedded
# default; production needs a broker and fails at start without one.
if PRODUCTION:
    CELERY_BROKER_URL = required("CELERY_BROKER_URL")
else:
    CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="memory://")
CELERY_TASK_ALWAYS_EAGER = env.bool(
    "CELERY_TASK_ALWAYS_EAGER", default=CELERY_BROKER_URL == "memory://"
)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_VISIBILITY_TIMEOUT = env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_BROKER_VISIBILITY_TIMEOUT,
    # A publish that cannot reach the broker gives up quickly: the request that
    # triggered it has already committed, and reconcilers pick the work up (K01).
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 1,
    "socket_timeout": 5,
    "socket_connect_timeout": 2,
}
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Every task's hard limit stays below the visibility timeout (L10, K10).
CELERY_TASK_TIME_LIMIT = min(600, CELERY_BROKER_VISIBILITY_TIMEOUT - 60)
CELERY_TASK_SOFT_TIME_LIMIT = CELERY_TASK_TIME_LIMIT - 30
CELERY_WORKER_SOFT_SHUTDOWN_TIMEOUT = 10
CELERY_WORKER_ENABLE_SOFT_SHUTDOWN_ON_IDLE = True
CELERY_TIMEZONE = TIME_ZONE
# Periodic tasks. Apps append their own entries in their AppConfig.ready().
CELERY_BEAT_SCHEDULE: dict = {
    "clear-expired-sessions": {
        "task": "training_platform.accounts.tasks.clear_expired_sessions",
        "schedule": crontab(minute=17, hour=3),
    },
    "certificates-reconcile": {
        "task": "certificates.tasks.reconcile_certificates",
        "schedule": 300.0,
    },
    "certificates-expiry-reminders": {
        "task": "certificates.tasks.send_expiry_reminders",
        "schedule": crontab(minute=41, hour=6),
    },
    "accounts-retention": {
        "task": "training_platform.accounts.tasks.apply_retention",
        "schedule": crontab(minute=29, hour=4),
    },
}

# Data protection. Learners' accounts inactive for ACCOUNT_RETENTION_DAYS are
# erased (0 keeps them), after an e-mail ACCOUNT_RETENTION_WARNING_DAYS before.
ACCOUNT_RETENTION_DAYS = env.int("ACCOUNT_RETENTION_DAYS", default=3 * 365)
ACCOUNT_RETENTION_WARNING_DAYS = env.int("ACCOUNT_RETENTION_WARNING_DAYS", default=30)

# Certificates. The Ed25519 key that signs the verifiable credentials (PEM, or
# the raw 32-byte key in base64); the embedded mode generates one in VAR_DIR.
VAR_DIR = Path(env.str("VAR_DIR", default=str(BASE_DIR / "var")))
if PRODUCTION:
    CERTIFICATE_SIGNING_KEY = required("CERTIFICATE_SIGNING_KEY")
else:
    CERTIFICATE_SIGNING_KEY = env.str("CERTIFICATE_SIGNING_KEY", default="")
# Where the npm font packages are (see certificates/fonts.py).
CERTIFICATE_FONTS_NODE_MODULES = Path(
    env.str("CERTIFICATE_FONTS_NODE_MODULES", default=str(BASE_DIR / "node_modules"))
)

# Reports. Counts below the threshold show as "< 5" where suppression is on
# (by default in everything that leaves the platform); the report tables are
# rebuilt every REPORTS_REFRESH_MINUTES; exports of more rows than
# REPORTS_ASYNC_EXPORT_ROWS are built by a worker and kept for
# REPORTS_EXPORT_TTL_HOURS.
REPORTS_SUPPRESSION_THRESHOLD = env.int("REPORTS_SUPPRESSION_THRESHOLD", default=5)
REPORTS_REFRESH_MINUTES = env.int("REPORTS_REFRESH_MINUTES", default=10)
# Without a worker and beat (tasks inline), stale figures are rebuilt when a
# coordinator opens the dashboard instead.
REPORTS_REFRESH_ON_REQUEST = env.bool(
    "REPORTS_REFRESH_ON_REQUEST", default=CELERY_TASK_ALWAYS_EAGER
)
REPORTS_ASYNC_EXPORT_ROWS = env.int("REPORTS_ASYNC_EXPORT_ROWS", default=5000)
REPORTS_EXPORT_TTL_HOURS = env.int("REPORTS_EXPORT_TTL_HOURS", default=24)

# Wagtail
WAGTAIL_SITE_NAME = env.str("SITE_NAME", default="Protection Training Platform")
WAGTAILADMIN_BASE_URL = SITE_URL
WAGTAILADMIN_LOGIN_URL = "account_login"
WAGTAIL_PASSWORD_RESET_ENABLED = False
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = [
    *["csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "xlsx"],
    # Lesson videos and their captions (courses.blocks.VideoBlock).
    *["mp4", "webm", "vtt"],
]
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
WAGTAIL_ENABLE_UPDATE_CHECK = False
# An approved "review by a second trainer" publishes the change (courses.review).
WAGTAIL_FINISH_WORKFLOW_ACTION = "courses.workflow_actions.publish_approved"
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
WAGTAILEMBEDS_RESPONSIVE_HTML = True

# Security
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool(
        "SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True
    )
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "celery": {"level": "INFO"},
        "django_tasks": {"level": "WARNING"},
    },
}

PASSWORD_RESET_TIMEOUT = 60 * 60 * 24 * 3

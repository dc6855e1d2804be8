"""Settings for coalition, read from the environment (see README)."""

import base64
import hashlib
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from .database import BASE_DIR, database_url


def env_bool(name: str, default: bool = False) -> bool:
    """Return the environment variable `name` read as a yes/no flag."""
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def csp_hash(text: str) -> str:
    """Return the Content-Security-Policy source expression allowing exactly this inline text."""
    return f"'sha256-{base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()}'"


DEBUG = env_bool("DJANGO_DEBUG", default=False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY is not set. Set it, or set DJANGO_DEBUG=1 for local development.")
    # Only ever used with DEBUG on: a local, throwaway key.
    SECRET_KEY = "insecure-development-key-do-not-use-in-production"
if SECRET_KEY.startswith("replace-with"):
    # The README's example environment names its key this way: copied as it is, it would be a published key.
    raise ImproperlyConfigured("DJANGO_SECRET_KEY is the README's placeholder: generate a key of your own.")

ALLOWED_HOSTS = [h.strip() for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "").split(",") if h.strip()]
if DEBUG and not ALLOWED_HOSTS:
    ALLOWED_HOSTS = ["localhost", "127.0.0.1", "[::1]"]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("DJANGO_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]

# Behind a TLS-terminating proxy that sets X-Forwarded-Proto (and strips it from clients), requests
# are https; without this the admin login's Origin check fails with a CSRF 403.
if env_bool("DJANGO_SECURE_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT")
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_SECURE_HSTS_SECONDS") or 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS")
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "axes",
    "csp",
    "django_countries",
    "django_filters",
    "import_export",
    "ninja",
    "simple_history",
    "coalition",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "coalition.middleware.RejectControlCharactersMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes requires: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "coalition.urls"
WSGI_APPLICATION = "coalition.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        database_url(),
        # Kept open between requests (checked before reuse): opening a PostgreSQL connection costs more than
        # serving a cached page.
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}

# Public pages are cached per worker process, keyed by the data version (coalition/caching.py): a write makes
# every page afresh, so no entry is ever stale and none needs deleting.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "default"},
    "pages": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "pages",
        "TIMEOUT": None,
        "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("COALITION_PAGE_CACHE_ENTRIES", "2000"))},
    },
}
COALITION_PAGE_CACHE = "pages"

# The change feed holds back changes younger than this: a transaction committing late can stamp its history rows
# a moment before changes a client has already been given.
CHANGE_FEED_SETTLE_SECONDS = int(os.environ.get("CHANGE_FEED_SETTLE_SECONDS", "5"))
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Foreign keys and constraints are enforced by SQLite itself; WAL lets readers and the
    # read-only research layer work while an editor saves.
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = "PRAGMA journal_mode=WAL;"
    DATABASES["default"]["OPTIONS"]["transaction_mode"] = "IMMEDIATE"

# Where the published SQLite file of the public data is kept between data changes (/data/coalition.sqlite).
COALITION_PUBLISHED_DIR = Path(os.environ.get("COALITION_PUBLISHED_DIR") or BASE_DIR / "published")

# The app's migrations live in the top-level `migrations/` package.
MIGRATION_MODULES = {"coalition": "migrations"}

# Where the articles behind the Source records live, byte for byte.
SEEDS_DIR = BASE_DIR / "seeds"
FIXTURE_DIRS = [BASE_DIR / "seeds", BASE_DIR / "fixtures"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

LOGIN_URL = "admin:login"

AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses a locked-out username or address before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Five failed logins for one username, or from one address, lock it out for the cool-off period,
# even with the right password; every failure and lockout is logged by the "axes" logger.
AXES_FAILURE_LIMIT = 5
# No start-up banner on every command; failures are still logged with the username and the address.
AXES_VERBOSE = False
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("DJANGO_LOGIN_COOLOFF_MINUTES") or 15))
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "coalition/lockout.html"
# The log names the username and address tried (axes masks them by default; passwords are never logged).
AXES_SENSITIVE_PARAMETERS = []
# The client's address: REMOTE_ADDR, or behind N reverse proxies the address the outermost of them
# saw, read from X-Forwarded-For counting from the right (entries further left can be forged).
COALITION_TRUSTED_PROXY_COUNT = int(os.environ.get("DJANGO_TRUSTED_PROXY_COUNT") or 0)
AXES_CLIENT_IP_CALLABLE = "coalition.middleware.client_ip_address"

# An editor's session ends after a working day without a request.
SESSION_COOKIE_AGE = 8 * 60 * 60
SESSION_SAVE_EVERY_REQUEST = True

# django-import-export: importing and exporting each need their own permission, so that
# researchers can export without being able to import.
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "import"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "export"
IMPORT_EXPORT_USE_TRANSACTIONS = True
# Each imported record's history row says who imported it from which file; an admin log entry per row of a
# 50,000-row file would say it again.
IMPORT_EXPORT_SKIP_ADMIN_LOG = True
# Larger files are refused by the import form (bytes).
COALITION_IMPORT_MAX_BYTES = int(os.environ.get("COALITION_IMPORT_MAX_BYTES", 16 * 1024 * 1024))
# The longest cell an import takes (characters): a whole article fits; a runaway cell does not.
COALITION_IMPORT_MAX_CELL_CHARACTERS = int(os.environ.get("COALITION_IMPORT_MAX_CELL_CHARACTERS", 200_000))
# An XLSX is a zip of XML: the most it may unpack to, as a multiple of the largest file taken.
COALITION_IMPORT_MAX_XLSX_EXPANSION = 4

SIMPLE_HISTORY_REVERT_DISABLED = False

if not DEBUG:
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", default=True)
    CSRF_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", default=True)

# Content Security Policy (django-csp): nothing but this site's own files. No page has an inline
# script; the one inline event handler (django-import-export's "select all" on the export page) is
# blocked and replaced by coalition/static/coalition/export.js. The only inline styles are style
# attributes in third-party admin templates (django-import-export's export page, django-simple-history's
# history list) and the plain 500 page: they are allowed by their hashes ('unsafe-hashes' makes hashes
# apply to style attributes) rather than by 'unsafe-inline', which would let injected markup restyle
# the page. tests/test_deploy.py renders the pages and fails on any inline code the policy blocks.
INLINE_STYLES_ALLOWED = [
    "padding: 0;",
    "font-weight: bold;",
    "border-top: 0",
    "font-family: system-ui, sans-serif; max-width: 40rem; margin: 2rem auto; padding: 0 1rem;",
]
_csp = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, "'unsafe-hashes'", *(csp_hash(style) for style in INLINE_STYLES_ALLOWED)],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Report-only first, to see what a policy would block without blocking it.
if env_bool("DJANGO_CSP_REPORT_ONLY"):
    CONTENT_SECURITY_POLICY_REPORT_ONLY = _csp
else:
    CONTENT_SECURITY_POLICY = _csp

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    # Failed logins and lockouts are warnings of the "axes" logger, with username and address; its
    # information messages (successful logins, clean-ups) would only clutter every command's output.
    "loggers": {"axes": {"level": "WARNING"}},
}

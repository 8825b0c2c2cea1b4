"""Django settings for Corridor, configured from the environment.

DATABASE_URL   sqlite:///… (default: var/corridor.sqlite3) or postgres://user@host:port/db
SECRET_KEY     required when DEBUG is off; otherwise a per-installation key is kept in var/secret_key
DEBUG          1/0 (default 0)
ALLOWED_HOSTS  comma-separated (default 127.0.0.1,localhost,[::1])
REDIS_URL      optional: cache (and sessions through it) in Redis instead of the database
CORRIDOR_VAR   where files the platform writes live (default: ./var)
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
import sys
from pathlib import Path
from typing import Any

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("CORRIDOR_VAR", BASE_DIR / "var")).resolve()
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = _env_bool("DEBUG", False)
# Under pytest static files are served from the finders, without a collectstatic manifest.
TESTING = _env_bool("CORRIDOR_TESTING", False) or "pytest" in sys.modules


# Production means DEBUG off outside the test suite: it needs an explicit SECRET_KEY, HTTPS settings on.
PRODUCTION = not DEBUG and not TESTING
# Placeholders that must never sign production sessions (Django's own "django-insecure-" prefix too).
_PLACEHOLDER_KEYS = {"changeme", "change-me", "secret", "dev", "development", "corridor", "insecure"}


def _secret_key_problem(key: str) -> str | None:
    """Why ``key`` may not be a production SECRET_KEY, or None if it may."""
    if not key:
        return "SECRET_KEY is not set. In production (DEBUG=0) set the SECRET_KEY environment variable to a long random value, e.g. the output of: python -c 'import secrets; print(secrets.token_urlsafe(50))'"
    if key.lower() in _PLACEHOLDER_KEYS or key.startswith("django-insecure-"):
        return "SECRET_KEY is a development placeholder. Set the SECRET_KEY environment variable to a long random value."
    if len(key) < 50 or len(set(key)) < 5:
        return "SECRET_KEY is too weak: use at least 50 random characters (e.g. python -c 'import secrets; print(secrets.token_urlsafe(50))')."
    return None


def _secret_key() -> str:
    """An explicit SECRET_KEY wins. In development and tests one random key per installation is
    kept under var/ (the development default); production never falls back to it."""
    explicit = os.environ.get("SECRET_KEY", "").strip()
    if explicit or PRODUCTION:
        return explicit
    key_file = VAR_DIR / "secret_key"
    if key_file.exists():
        return key_file.read_text(encoding="utf-8").strip()
    key = secrets.token_urlsafe(50)
    key_file.write_text(key, encoding="utf-8")
    key_file.chmod(0o600)
    return key


SECRET_KEY = _secret_key()
# Checked where the platform starts serving (corridor/wsgi.py) and by `check --deploy`; not at import,
# so that tools which only load the settings (mypy, makemigrations) run anywhere.
CORRIDOR_SECRET_KEY_PROBLEM = _secret_key_problem(SECRET_KEY) if PRODUCTION else None
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]").split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_filters",
    "csp",
    "ninja",  # ships Swagger UI as static files, so /api/v1/docs needs no CDN
    "corridor.core",
    "corridor.regions",
    "corridor.orgs",
    "corridor.lists",
    "corridor.matching",
    "corridor.brokers",
    "corridor.market",
    "corridor.api",
    "corridor.labs",
    "corridor.transfer",
    "corridor.insights",
    "corridor.security",
    "axes",  # login throttling and lockout (corridor.security.backends.LockoutBackend)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last: rate limits on search/match pages, the audit log of denials and downloads, and axes'
    # lockout answer (it replaces the response of a login attempt that locked the account).
    "corridor.security.middleware.SecurityMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "corridor.urls"
WSGI_APPLICATION = "corridor.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "corridor" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "corridor.core.context_processors.corridor",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", "").strip() or f"sqlite:///{VAR_DIR / 'corridor.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run beside a writer; IMMEDIATE makes write transactions take the lock at
    # BEGIN, so concurrent writers queue instead of failing half-way.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # Connections persist (DB_CONN_MAX_AGE, one per server thread) as on PostgreSQL: opening an SQLite
    # connection (Django registers its SQL functions, runs the PRAGMAs) costs ~2 ms of CPU per request.

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "orgs.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# New passwords: Django's four validators, at least 10 characters. Existing passwords (the demo
# accounts' "corridor-demo" included) are not re-validated at log-in.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": max(10, int(os.environ.get("PASSWORD_MIN_LENGTH", "10")))},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Login throttling (django-axes): after AXES_FAILURE_LIMIT failed log-ins for one username from one
# IP address, that pair is locked for AXES_COOLOFF_MINUTES (web, admin and POST /api/v1/auth/token
# alike). Operators unlock in the admin (Axes › Access attempts: delete the row) or with
# `corridor axes_reset_username USERNAME`.
AUTHENTICATION_BACKENDS = [
    "corridor.security.backends.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_ENABLED = _env_bool("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = dt.timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "corridor.security.ip.axes_client_ip"
AXES_LOCKOUT_CALLABLE = "corridor.security.lockout.lockout_response"
AXES_VERBOSE = False

REDIS_URL = os.environ.get("REDIS_URL", "").strip()
CACHES: dict[str, dict[str, Any]]
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL},
        "answers": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL, "KEY_PREFIX": "answers"},
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        # whole API answers (corridor.api.answers), per process: the data version they are keyed by is
        # in the database, so every worker sees every write
        "answers": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "answers", "OPTIONS": {"MAX_ENTRIES": 2000}},
    }

# Chinese first, English second.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "corridor" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS: list = [BASE_DIR / "corridor" / "static"]
# Bootstrap comes from the XStatic-Bootstrap package and is served as static/bootstrap/… (no CDN);
# htmx is served from django_htmx's own static files.
import xstatic.pkg.bootstrap as _xstatic_bootstrap  # noqa: E402 - needed only here

STATICFILES_DIRS.append(("bootstrap", _xstatic_bootstrap.BASE_DIR))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or TESTING
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING
# Uploaded files live outside the web root and are served only through permission-checked views.
MEDIA_ROOT = VAR_DIR / "uploads"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 25 * 1024 * 1024

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# HTTPS: on by default in production (DEBUG=0), off in development (`make run` serves plain http on
# 127.0.0.1) and tests. HTTPS=0 turns it off (e.g. a load test on loopback); each part can be set alone.
HTTPS = _env_bool("HTTPS", PRODUCTION)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = _env_bool("SECURE_SSL_REDIRECT", HTTPS)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000" if HTTPS else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = _env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = _env_bool("SECURE_HSTS_PRELOAD", True)
# Behind a reverse proxy that terminates TLS: trust its X-Forwarded-Proto header (opt-in; only when
# the proxy always sets or strips it, otherwise a client could claim https itself).
if _env_bool("TRUST_X_FORWARDED_PROTO", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content-Security-Policy (django-csp), on everywhere, development and tests included, so the
# browser tests prove every page works under it: scripts only from our own static files (no inline
# code, no CDN, no eval); inline styles stay allowed because templates still use style attributes.
from csp.constants import NONE, SELF, UNSAFE_INLINE  # noqa: E402 - next to the policy it builds

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "corridor@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Corridor's own settings.
CORRIDOR = {
    "PAGE_SIZE": 25,
    "API_MAX_LIMIT": 500,
    "API_TOKEN_DAYS": int(os.environ.get("CORRIDOR_API_TOKEN_DAYS", "90")),
    # How long a whole API answer (lists, details, search, matches) may be reused for the same user,
    # path and data version (corridor.api.answers); 0 = never.
    "ANSWER_CACHE_SECONDS": int(os.environ.get("CORRIDOR_ANSWER_CACHE_SECONDS", "60")),
}

# Rate limits (corridor.security.ratelimit): fixed windows counted in the default cache, per account
# (or per IP address when anonymous). "N/PERIOD" with PERIOD in s, m, h (e.g. "20/m"); empty = no limit.
# CORRIDOR_RATELIMIT=0 turns every limit off (the load benchmark does).
CORRIDOR_RATELIMIT_ENABLED = _env_bool("CORRIDOR_RATELIMIT", True)
CORRIDOR_RATELIMITS = {
    # POST /api/v1/auth/token: password guessing through the API (axes locks the account as well).
    "auth_token": os.environ.get("CORRIDOR_RATELIMIT_AUTH_TOKEN", "10/m" if not TESTING else "100000/m"),
    # Every /api/v1/ request.
    "api": os.environ.get("CORRIDOR_RATELIMIT_API", "600/m" if not TESTING else "100000/m"),
    # Search and matches (API and the web search page): the expensive reads.
    "search": os.environ.get("CORRIDOR_RATELIMIT_SEARCH", "60/m" if not TESTING else "100000/m"),
}
# Clients behind this many trusted reverse proxies: the client address is taken from X-Forwarded-For
# (rate limits, lockout, audit log); 0 = REMOTE_ADDR.
CORRIDOR_TRUSTED_PROXIES = int(os.environ.get("CORRIDOR_TRUSTED_PROXIES", "0"))

if TESTING:
    # Fast hashing in the test suite only; production keeps Django's PBKDF2 default.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

"""Settings for Summit dossiers.

One module, configured by environment variables (see `.env.example`). Without any
variable set it runs as a local development site on an SQLite file in `var/`.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", default=False)

# Tooling (makemigrations, collectstatic, check) runs without a secret; serving does not:
# summit/wsgi.py and summit/asgi.py refuse to start unless DJANGO_SECRET_KEY is set or
# DJANGO_DEBUG is on (`require_secret_key_to_serve`).
SECRET_KEY_FROM_ENVIRONMENT = bool(os.environ.get("DJANGO_SECRET_KEY"))
SECRET_KEY = os.environ.get(
    "DJANGO_SECRET_KEY", "insecure-local-development-key-never-use-in-production"
)


# Placeholders that documentation and examples show; a server must never run on one.
PLACEHOLDER_SECRET_KEYS = {"change-me", "changeme", "secret", "replace-me"}


def require_secret_key_to_serve() -> None:
    if DEBUG:
        return
    if not SECRET_KEY_FROM_ENVIRONMENT:
        raise ImproperlyConfigured("Set DJANGO_SECRET_KEY (or DJANGO_DEBUG=true for local work).")
    if SECRET_KEY.strip().lower() in PLACEHOLDER_SECRET_KEYS:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is the placeholder from .env.example: set a long random string."
        )


ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "django_htmx",
    "simple_history",
    # Sign-in throttling: failed attempts are counted per user name and per client address.
    "axes",
    "ninja",  # the read-only API; its docs page is served from its own static files
    "issues",
    # Readers following an issue or a meeting by e-mail (`manage.py send_digests`).
    "subscriptions",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "summit.middleware.cross_origin_headers",
    "summit.middleware.refuse_nul_bytes",
    "summit.middleware.api_head_as_get",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Anonymous reader pages from the shared cache, exactly invalidated (issues/caching.py);
    # outside the session middleware, so a cached page touches neither session nor database.
    "issues.caching.ReaderCacheMiddleware",
    "issues.caching.AnonymousGZipMiddleware",
    "issues.caching.AnonymousCompactHtmlMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Records which user made each change, for the revision history.
    "simple_history.middleware.HistoryRequestMiddleware",
    # Answers a locked-out sign-in with the lockout page; last, as django-axes requires.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "summit.urls"
# `make bench` adds a bare view to compare every page with; never on in production.
if env_bool("DJANGO_BENCH_VIEWS", default=False):
    ROOT_URLCONF = "summit.bench_urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                # Last: an editor's page built for the cache holds a placeholder for the token.
                "issues.caching.csrf_placeholder",
            ],
        },
    },
]

WSGI_APPLICATION = "summit.wsgi.application"

# Database: DATABASE_URL (PostgreSQL in production), else an SQLite file.
SQLITE_PATH = BASE_DIR / "var" / "db.sqlite3"
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{SQLITE_PATH}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    SQLITE_PATH.parent.mkdir(exist_ok=True)
else:
    # A stopped or hung database must fail fast, not hold a worker until gunicorn kills it:
    # a short connect timeout (libpq's minimum is 2 s), and server-side limits on how long a
    # statement may run and a lock may be awaited. No JIT compilation: the site's statements
    # are short and bounded, and compiling one the planner misjudges as costly (a LIMIT over
    # a large match) took longer than running it: 1.7 s against 20 ms for a search.
    # Every scan of a table from its first page: with synchronized scans (PostgreSQL's
    # default) a scan of a large table starts where another scan of it has got to, so a
    # search's first candidates (a scan that stops at its LIMIT) came from anywhere in the
    # table, differed from one request to the next, and were read from disk: at a million
    # positions 590 MB read in 8 s of searches, against 3 MB from the first pages.
    DB_STATEMENT_TIMEOUT_MS = int(os.environ.get("DJANGO_DB_STATEMENT_TIMEOUT_MS", "5000"))
    DB_LOCK_TIMEOUT_MS = int(os.environ.get("DJANGO_DB_LOCK_TIMEOUT_MS", "3000"))
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "connect_timeout": int(os.environ.get("DJANGO_DB_CONNECT_TIMEOUT", "2")),
            "options": (
                f"-c statement_timeout={DB_STATEMENT_TIMEOUT_MS}"
                f" -c lock_timeout={DB_LOCK_TIMEOUT_MS}"
                " -c jit=off"
                " -c synchronize_seqscans=off"
            ),
        }
    )

# Seconds a client is asked to wait (Retry-After) when the database is unavailable.
DB_UNAVAILABLE_RETRY_AFTER = int(os.environ.get("DJANGO_DB_RETRY_AFTER", "30"))

# Cache: Redis when REDIS_URL is set (shared by every worker and server, which the exact
# invalidation of cached pages needs); otherwise memory private to one process, fit only for
# a single local server (`make run`).
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHE_KEY_PREFIX = os.environ.get("DJANGO_CACHE_KEY_PREFIX", "summit")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": CACHE_KEY_PREFIX,
        }
    }
    # Sessions read from the shared cache, written through to the database: a signed-in
    # request saves a query. (Not with a cache private to one process: a session ended on one
    # worker would live on in another's memory.)
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "KEY_PREFIX": CACHE_KEY_PREFIX,
        }
    }
READER_CACHE_ALIAS = "default"
# How long a cached reader page is kept at most (0 turns the page cache off); every published
# change makes it stale at once anyway, this only bounds what a write without signals leaves.
READER_CACHE_SECONDS = int(os.environ.get("DJANGO_READER_CACHE_SECONDS", "300"))
# How much of its memory each worker gives to the reader pages it served lately, kept in front
# of the shared cache (issues/caching.py: still invalidated exactly, by the shared generation).
READER_RECENT_PAGES_BYTES = int(os.environ.get("DJANGO_READER_RECENT_PAGES_MB", "32")) * 2**20
# How long a browser or CDN may keep an anonymous page without asking again.
READER_CACHE_MAX_AGE = int(os.environ.get("DJANGO_READER_CACHE_MAX_AGE", "60"))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Hashed, compressed names that can be cached for a year.
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage",
    },
}
# The stylesheet that shows a feed as a page (static/feeds/atom.xsl), by the type browsers expect.
WHITENOISE_MIMETYPES = {".xsl": "text/xsl"}
if DEBUG:
    STORAGES["staticfiles"] = {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
    }

LOGIN_URL = "admin:login"

AUTHENTICATION_BACKENDS = [
    # First, so a locked-out user name or address is refused before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Sign-in throttling (django-axes): after AXES_FAILURE_LIMIT failed sign-ins, that user name
# and, separately, that client address are locked out for the cool-off. A success resets the
# count; an administrator unlocks earlier by deleting the attempts in the back office.
AXES_FAILURE_LIMIT = int(os.environ.get("DJANGO_SIGNIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("DJANGO_SIGNIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "summit.signin.locked_out"
AXES_CLIENT_IP_CALLABLE = "summit.client_ip.client_ip"
AXES_VERBOSE = False
# The client address: REMOTE_ADDR, unless the site runs behind proxies that append to
# X-Forwarded-For; then the address added by the outermost trusted proxy. Set this to the
# number of proxies in front of the app (0: none, the header is ignored, since anyone can
# send it).
TRUSTED_PROXY_COUNT = int(os.environ.get("DJANGO_TRUSTED_PROXY_COUNT", "0"))

# E-mail (password reset): printed to the console unless an SMTP host is configured.
_email_host = os.environ.get("DJANGO_EMAIL_HOST", "")
MAILERS = {
    "default": (
        {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": _email_host,
                "port": int(os.environ.get("DJANGO_EMAIL_PORT", "587")),
                "username": os.environ.get("DJANGO_EMAIL_HOST_USER", ""),
                "password": os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("DJANGO_EMAIL_USE_TLS", default=True),
                "timeout": 10,
            },
        }
        if _email_host
        else {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
    )
}
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "webmaster@localhost")
# The site's own address (scheme and host, no trailing slash), for the links in e-mails:
# subscription confirmations and digests, which `manage.py send_digests` writes outside any
# request.
SITE_URL = os.environ.get("DJANGO_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
PASSWORD_RESET_TIMEOUT = 60 * 60 * 3

# Request size limits: no form of the site comes near them; anything larger is refused (400)
# before it is parsed.
DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("DJANGO_MAX_REQUEST_BYTES", str(1024 * 1024)))
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000
DATA_UPLOAD_MAX_NUMBER_FILES = 1  # a dossier file, uploaded in the back office
FILE_UPLOAD_MAX_MEMORY_SIZE = DATA_UPLOAD_MAX_MEMORY_SIZE

# The largest dossier file `import_dossier` and the back office accept.
DOSSIER_MAX_BYTES = int(os.environ.get("DOSSIER_MAX_MEGABYTES", "10")) * 1024 * 1024

# Security headers. Pages use no inline scripts or styles, so the policy is strict: nothing
# is allowed unless named here.
SECURE_CSP = {
    "default-src": [CSP.NONE],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    # htmx requests, and the feeds and manifest a browser may fetch.
    "connect-src": [CSP.SELF],
    "manifest-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=False)
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "0"))
# Both on by default: turn them off only for a domain whose subdomains are not all on HTTPS.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", default=True)
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Headers added by summit.middleware.cross_origin_headers: no page needs these browser
# features, and no other site may embed the site's resources.
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), "
    "magnetometer=(), microphone=(), midi=(), payment=(), usb=()"
)
CROSS_ORIGIN_RESOURCE_POLICY = "same-origin"
if env_bool("DJANGO_BEHIND_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
}

# Revisions: who changed what, and when, for every dossier record.
# How long after withdrawing a position an editor may undo it from the page.
WITHDRAW_UNDO_MINUTES = int(os.environ.get("WITHDRAW_UNDO_MINUTES", "10"))

SIMPLE_HISTORY_HISTORY_ID_USE_UUID = False
SIMPLE_HISTORY_REVERT_DISABLED = False

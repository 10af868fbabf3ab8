"""Settings, read from the environment with defaults that need nothing installed.

DJANGO_DEBUG            "1" for development (the default), "0" in production
DJANGO_SECRET_KEY       required when DJANGO_DEBUG=0
DJANGO_ALLOWED_HOSTS    comma-separated host names (production)
DJANGO_CSRF_TRUSTED_ORIGINS  comma-separated origins such as https://example.org (production)
DATABASE_URL            postgres://user:password@host:5432/name; SQLite (db.sqlite3) when unset
DATABASE_POOL           "1" to use psycopg's connection pool on PostgreSQL (the default), "0" for
                        persistent connections instead
DATABASE_STATEMENT_TIMEOUT_MS  how long one database statement may run (default 5000; 0: no
                        limit): no request can hold a worker longer (``guards``)
REDIS_URL (or CACHE_URL)  redis://host:6379/0: Django's cache on Redis, shared by every app
                        server; a local memory cache per process when unset
DJANGO_CACHE_KEY_PREFIX  keeps two sites on one Redis apart (default "negotiations")
DJANGO_HTTP_CACHE       "1" (the default in production) for caching for anonymous visitors
                        (``caching``): conditional GET, Cache-Control and the page cache; "0"
                        (the default in development) for none of it
DJANGO_CACHE_MAX_AGE    how long browsers and proxies may keep a public page (default 60 s)
DJANGO_PAGE_CACHE_SECONDS  how long whole anonymous pages are kept in the cache (default 600;
                        0: no page cache)
DJANGO_TAG_AUTHORITY    the domain (or e-mail address) in the feeds' tag: ids, owned by whoever runs
                        the site on DJANGO_TAG_DATE (default "negotiations.example.org"); set it
                        once, before the first feed is read, and never change it
DJANGO_TAG_DATE         a date on which that authority was theirs (default "2026-12-01")
DJANGO_IMPORT_TIMEOUT   seconds the import of a web page waits for each answer (default 10; the whole
                        fetch at most twice that)
DJANGO_IMPORT_MAX_BYTES the largest page an import reads (default 5000000); it stops reading past it
DJANGO_IMPORT_ALLOW_PRIVATE_ADDRESSES  "1" lets imports fetch from private, loopback and
                        link-local addresses (default "0": refused; the tests allow them)
DJANGO_RELEASE          names the deployed code in ETags and page keys (default: a digest of
                        the code, templates and static files)
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def env_flag(name, default):
    return os.environ.get(name, default).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_flag("DJANGO_DEBUG", "1")

DEVELOPMENT_SECRET_KEY = "development-only-not-secret-3b6f0c1e"
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", DEVELOPMENT_SECRET_KEY)
if not DEBUG and SECRET_KEY == DEVELOPMENT_SECRET_KEY:
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY must be set to a long random value when DJANGO_DEBUG=0. "
        'Generate one with: python -c "import secrets; print(secrets.token_urlsafe(50))"'
    )

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django_filters",
    "simple_history",
    "axes",
    "negotiations",
]

MIDDLEWARE = [
    # /healthz first: before host validation and the HTTPS redirect (a load balancer asks by IP).
    "negotiations.observability.HealthCheckMiddleware",
    "negotiations.observability.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "negotiations.observability.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Caching for anonymous visitors (``caching``), in two places. This one sets Cache-Control,
    # ETag and Last-Modified and keeps the page: outside sessions, CSRF and messages, so that it
    # sees the cookies they set on the way out (a response that sets one is never shared), and
    # inside the security middleware, whose headers are added to every answer, kept or not.
    # The request log above counts the queries of a cached answer too (one: the stamp).
    "negotiations.caching.CacheHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # The other answers 304 or the kept page: after authentication and messages (it must know
    # that the visitor is anonymous and that no message waits), after the frame and CSP
    # headers (which it leaves to them), and before anything that computes the page.
    "negotiations.caching.CachedResponseMiddleware",
    # Records which user made each change, for the history of every record.
    "simple_history.middleware.HistoryRequestMiddleware",
    # A statement stopped for running too long is a 503 with advice, not an error page.
    "negotiations.guards.StatementLimitMiddleware",
    # Login throttling (django-axes): last, as its documentation requires.
    "axes.middleware.AxesMiddleware",
]

# Login throttling with django-axes, a maintained library (counting attempts across workers
# and servers in the database, with a lockout page) rather than a counter of our own: five
# wrong passwords for one user name from one address lock that pair out for 15 minutes; a
# successful login resets the count.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("DJANGO_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("DJANGO_LOGIN_COOLOFF_HOURS", "0.25"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

# Editors log in only through the admin: where a login's ``next`` is missing or unsafe (another
# host), Django goes here rather than to its default /accounts/profile/, which is a 404.
LOGIN_URL = "admin:login"
LOGIN_REDIRECT_URL = "admin:index"

ROOT_URLCONF = "negotiations.urls"
WSGI_APPLICATION = "negotiations.wsgi.application"

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
            ],
        },
    },
]

DATABASES = {
    # An empty DATABASE_URL means the default too (dj_database_url.config would read it as none).
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_health_checks=True,
    )
}
DATABASE_STATEMENT_TIMEOUT_MS = int(os.environ.get("DATABASE_STATEMENT_TIMEOUT_MS", "5000"))
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    if DATABASE_STATEMENT_TIMEOUT_MS:
        DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
            f"-c statement_timeout={DATABASE_STATEMENT_TIMEOUT_MS}"
        )
    if env_flag("DATABASE_POOL", "1"):
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {"min_size": 1, "max_size": 10}
    else:
        DATABASES["default"]["CONN_MAX_AGE"] = 60

# Django's cache: Redis, shared by every app server, when REDIS_URL (or CACHE_URL) names one; a
# local memory cache in each process otherwise. A Redis that does not answer within a second is
# a miss, never an error page (``caching``).
CACHE_URL = os.environ.get("REDIS_URL") or os.environ.get("CACHE_URL") or ""
if CACHE_URL:
    if not CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured(
            f"REDIS_URL/CACHE_URL must be a redis://, rediss:// or unix:// URL, not {CACHE_URL!r}."
        )
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": os.environ.get("DJANGO_CACHE_KEY_PREFIX", "negotiations"),
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "negotiations",
        }
    }

# Caching for anonymous visitors, above the pages (``caching``); off in development, where
# templates change under the running server. Every key and validator holds the knowledge
# base's change stamp, so a write leaves every cached page behind at once.
HTTP_CACHE = env_flag("DJANGO_HTTP_CACHE", "0" if DEBUG else "1")
HTTP_CACHE_MAX_AGE = int(os.environ.get("DJANGO_CACHE_MAX_AGE", "60"))
PAGE_CACHE_SECONDS = int(os.environ.get("DJANGO_PAGE_CACHE_SECONDS", "600"))
RELEASE = os.environ.get("DJANGO_RELEASE", "")

# Importing a source from a web page (``fetching``): the server fetches an address an editor
# typed, so it waits a bounded time, reads a bounded size, follows at most a few redirects, and
# refuses addresses on the networks behind it unless told otherwise.
IMPORT_TIMEOUT = float(os.environ.get("DJANGO_IMPORT_TIMEOUT", "10"))
IMPORT_MAX_BYTES = int(os.environ.get("DJANGO_IMPORT_MAX_BYTES", "5000000"))
IMPORT_MAX_REDIRECTS = 5
IMPORT_ALLOW_PRIVATE_ADDRESSES = env_flag("DJANGO_IMPORT_ALLOW_PRIVATE_ADDRESSES", "0")
# Fewer words than this in an imported text: the editor is told it may be cut off (a paywall).
IMPORT_MIN_WORDS = 80

# The feeds' entry ids are tag: URIs (RFC 4151) minted under this authority and date: they
# name a record for good, whichever host serves it (``feeds``).
TAG_AUTHORITY = os.environ.get("DJANGO_TAG_AUTHORITY", "negotiations.example.org")
TAG_DATE = os.environ.get("DJANGO_TAG_DATE", "2026-12-01")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Scripts only from this site; the admin's inline style attributes need 'unsafe-inline' styles.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_flag("DJANGO_SECURE_SSL_REDIRECT", "1")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    # HSTS for a year. Its subdomain and preload parts bind every subdomain of the domain to
    # HTTPS for good, so the deployer opts in (DJANGO_HSTS_INCLUDE_SUBDOMAINS=1,
    # DJANGO_HSTS_PRELOAD=1, as the README's deployment does); declining is a decision, and
    # the deploy check is told so rather than left warning.
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_flag("DJANGO_HSTS_INCLUDE_SUBDOMAINS", "0")
    SECURE_HSTS_PRELOAD = env_flag("DJANGO_HSTS_PRELOAD", "0")
    SILENCED_SYSTEM_CHECKS = [
        check
        for check, chosen in (
            ("security.W005", SECURE_HSTS_INCLUDE_SUBDOMAINS),
            ("security.W021", SECURE_HSTS_PRELOAD),
        )
        if not chosen
    ]

# Browser features the site never uses, refused to every page and anything embedded in it.
PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), camera=(), display-capture=(), encrypted-media=(), "
    "fullscreen=(self), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), "
    "midi=(), payment=(), publickey-credentials-get=(), usb=(), browsing-topics=()"
)

# One JSON line per request (method, path, status, duration, queries) on the console, in
# production by default (DJANGO_REQUEST_LOG=0 turns it off, =1 on in development).
REQUEST_LOG = env_flag("DJANGO_REQUEST_LOG", "0" if DEBUG else "1")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"line": {"format": "%(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "requests": {"class": "logging.StreamHandler", "formatter": "line"},
    },
    "loggers": {
        "negotiations.requests": {"handlers": ["requests"], "level": "INFO", "propagate": False},
        "axes": {"level": "WARNING"},  # not a line per login; lockouts are warnings
    },
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
}

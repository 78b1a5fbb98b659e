"""Settings, all read from the environment (see README "Settings").

DJANGO_ENV=development (the default) runs on SQLite with jobs in-process and a throwaway secret
key. DJANGO_ENV=production insists on a real SECRET_KEY and ALLOWED_HOSTS and turns on the
HTTPS-only protections that `manage.py check --deploy` looks for.
"""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF

from config.release import code_version

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DJANGO_ENV = env.str("DJANGO_ENV", default="development")
PRODUCTION = DJANGO_ENV == "production"

if PRODUCTION:
    SECRET_KEY = env.str("SECRET_KEY")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
else:
    SECRET_KEY = env.str("SECRET_KEY", default="dev-only-not-secret-3f9a1c7e5b2d4a6f8e0c1b3d5f7a9c2e4b6d8f0a")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"])

DEBUG = env.bool("DEBUG", default=not PRODUCTION)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "django_tables2",
    "django_htmx",
    "csp",
    "simple_history",
    "axes",
    "django_celery_beat",
    "core",
    "delivery",
    "kpis",
    "meetings",
    "panel",
    "rounds",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "api",
    "notifications",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "core.middleware.RoleRequiredMiddleware",
    "core.audit.AuditMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a refused login into the lockout page
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "delivery.context_processors.role",
                "core.context_processors.service",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Brute-force protection (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one username from
# one IP address, that combination is locked out for AXES_COOLOFF_MINUTES; an administrator unlocks it
# sooner in the admin ("Access attempts": delete the row) or with `manage.py axes_reset_username NAME`.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked-out login before the password is checked
    "django.contrib.auth.backends.ModelBackend",
]
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_HTTP_RESPONSE_CODE = 429
AXES_CLIENT_IP_CALLABLE = "core.security.client_ip"
# Reverse proxies in front of the app that append to X-Forwarded-For (0: use the connection's address).
TRACKER_PROXY_COUNT = env.int("TRACKER_PROXY_COUNT", default=0)

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = env.str("TIME_ZONE", default="Europe/London")
USE_I18N = True
USE_TZ = True
DATE_FORMAT = "j M Y"
SHORT_DATE_FORMAT = "d/m/Y"

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
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
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
MEDIA_URL = "media/"

# Celery: a broker URL switches jobs to a real worker; with none, tasks run in-process.
REDIS_URL = env.str("REDIS_URL", default="")
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL)
# The cache holds only work that can be redone (figures kept under data fingerprints, core/freshness.py,
# and sessions written through to the database): in Redis when there is one, so every gunicorn worker
# sees the same entries, else in each process's memory.
CACHE_URL = env.str("CACHE_URL", default=REDIS_URL)
# Keys carry the release (a hash of the code, config/release.py), so old and new processes sharing
# Redis during a deploy never read each other's entries.
CACHE_KEY_PREFIX = env.str("CACHE_KEY_PREFIX", default="") or f"tracker:{code_version(BASE_DIR)}"
CACHES = {
    "default": (
        {
            # A Redis that cannot be reached is a cache miss, not an error page (core/cache.py).
            "BACKEND": "core.cache.ResilientRedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": CACHE_KEY_PREFIX,
            "OPTIONS": {
                "socket_connect_timeout": env.float("CACHE_SOCKET_TIMEOUT", default=0.5),
                "socket_timeout": env.float("CACHE_SOCKET_TIMEOUT", default=0.5),
            },
        }
        if CACHE_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=REDIS_URL or "cache+memory://")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
if not CELERY_BROKER_URL:
    CELERY_BROKER_URL = "memory://"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True  # a pool child killed mid-task puts its message back
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Jobs hold a lease renewed as they report progress; the sweeper re-queues a job whose lease expired
# (its worker was lost), at most JOB_MAX_ATTEMPTS claims in all, then fails it with a message.
JOB_LEASE_SECONDS = env.int("JOB_LEASE_SECONDS", default=300)
JOB_MAX_ATTEMPTS = env.int("JOB_MAX_ATTEMPTS", default=3)
JOB_SWEEP_SECONDS = env.int("JOB_SWEEP_SECONDS", default=60)
# The longest a job may run: Redis gives an unacknowledged task to another worker after this long.
JOB_MAX_RUN_SECONDS = env.int("JOB_MAX_RUN_SECONDS", default=60 * 60)
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": JOB_MAX_RUN_SECONDS}
# Fail fast when the broker is down: the page says jobs are unavailable instead of hanging.
CELERY_BROKER_CONNECTION_TIMEOUT = env.float("CELERY_BROKER_CONNECTION_TIMEOUT", default=2.0)
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": env.int("CELERY_PUBLISH_MAX_RETRIES", default=1),
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 0.5,
}
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = CELERY_BROKER_CONNECTION_TIMEOUT
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {
    "retry_policy": {"max_retries": 1, "interval_start": 0, "interval_step": 0.5}
}
CELERY_TASK_TRACK_STARTED = True
CELERY_TIMEZONE = TIME_ZONE
# The default schedules. `manage.py setup_schedules` copies them (and the update-round reminders) into
# django-celery-beat's tables, where administrators edit them (Admin > Periodic tasks); beat reads them
# from there when CELERY_BEAT_SCHEDULER is django-celery-beat's DatabaseScheduler, as the Procfile sets.
# With the file scheduler (celery's default) beat runs this dict as it stands.
DIGEST_HOUR = env.int("DIGEST_HOUR", default=7)
DIGEST_DUE_SOON_DAYS = env.int("DIGEST_DUE_SOON_DAYS", default=14)
ROUND_REMINDER_HOUR = env.int("ROUND_REMINDER_HOUR", default=8)
DEFAULT_BEAT_SCHEDULE = {
    "digests": {
        "task": "notifications.tasks.send_digests",
        "schedule": crontab(hour=DIGEST_HOUR, minute=0, day_of_week=env.str("DIGEST_DAYS", default="mon-fri")),
    },
    "round-reminders": {
        "task": "rounds.tasks.send_round_reminders",
        "schedule": crontab(hour=ROUND_REMINDER_HOUR, minute=0),
    },
    "sweep-stuck-jobs": {"task": "core.tasks.sweep_stuck_jobs", "schedule": float(JOB_SWEEP_SECONDS)},
}
CELERY_BEAT_SCHEDULER = env.str("CELERY_BEAT_SCHEDULER", default="celery.beat:PersistentScheduler")
# The database scheduler would copy this dict over the administrators' edits each time beat starts, so
# with it the schedules come from the database alone.
CELERY_BEAT_SCHEDULE = {} if "DatabaseScheduler" in CELERY_BEAT_SCHEDULER else DEFAULT_BEAT_SCHEDULE
DJANGO_CELERY_BEAT_TZ_AWARE = True

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_FILE_PATH = env.str("EMAIL_FILE_PATH", default=str(BASE_DIR / "sent-emails"))  # for the filebased backend
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="tracker@localhost")
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
# Update rounds: reminders to owners who have not updated, these many days before and after the deadline.
ROUND_REMINDER_DAYS_BEFORE = env.str("ROUND_REMINDER_DAYS_BEFORE", default="7,2")
ROUND_REMINDER_DAYS_AFTER = env.str("ROUND_REMINDER_DAYS_AFTER", default="1,3,7")

# The tracker's own knobs.
TRACKER_DUE_SOON_DAYS = env.int("TRACKER_DUE_SOON_DAYS", default=30)
TRACKER_STALE_DAYS = env.int("TRACKER_STALE_DAYS", default=90)
TRACKER_PAGE_SIZE = env.int("TRACKER_PAGE_SIZE", default=50)
TRACKER_MAX_PAGE_SIZE = env.int("TRACKER_MAX_PAGE_SIZE", default=500)  # the most `?per_page=` may ask for

# Processes that lay out a large PDF extract; unset means one per core, 0 lays it out in the worker itself.
EXTRACT_PDF_WORKERS = env.int("EXTRACT_PDF_WORKERS", default=None)

IMPORT_MAX_BYTES = env.int("IMPORT_MAX_BYTES", default=20 * 1024 * 1024)
IMPORT_MAX_UNPACKED_BYTES = env.int("IMPORT_MAX_UNPACKED_BYTES", default=200 * 1024 * 1024)
IMPORT_MAX_RATIO = env.int("IMPORT_MAX_RATIO", default=100)
# Checked by streaming each sheet before any reader lays it out (a value at XFD1048576, one long text
# repeated in 100,000 cells): the furthest row and column holding a value, the rows x columns they span,
# and the text all cells expand to.
IMPORT_MAX_ROWS = env.int("IMPORT_MAX_ROWS", default=100_000)
IMPORT_MAX_COLUMNS = env.int("IMPORT_MAX_COLUMNS", default=200)
IMPORT_MAX_CELLS = env.int("IMPORT_MAX_CELLS", default=2_000_000)
IMPORT_MAX_TEXT_BYTES = env.int("IMPORT_MAX_TEXT_BYTES", default=50 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

DJANGO_TABLES2_TEMPLATE = "django_tables2/govuk.html"

# Sessions are read from the cache (Redis, shared by the workers) and written through to the database, so
# a page costs no session query; a session missing from the cache is read from the database.
SESSION_ENGINE = env.str("SESSION_ENGINE", default="django.contrib.sessions.backends.cached_db")
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=60 * 60 * 9)
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)

# Content-Security-Policy (django-csp): scripts, styles, images, fonts and requests only from this
# site; no inline script or style anywhere (htmx is told not to add its indicator <style>, see
# base.html); the pages may not be framed.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# The read-only API (api/): Django REST Framework, GET only. A bearer token (made on the user's own
# "API tokens" page) or the signed-in session (for the docs page's "Try it out"; CSRF is checked for
# anything but GET, which the API refuses anyway). Lists are paginated with ?limit= (default
# TRACKER_PAGE_SIZE, at most TRACKER_MAX_PAGE_SIZE) and ?offset=.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.ReaderReadOnly"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer", "api.renderers.CSVRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "api.negotiation.ContentNegotiation",  # a bad ?format= is a 400
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Pagination",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_METADATA_CLASS": None,  # no OPTIONS introspection: the schema says it all
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Delivery-plan tracker API",
    "DESCRIPTION": "Read-only: plans, objectives, commitments, activities (as at a date), progress updates, KPI "
    "measures, areas and observations, holding-to-account meetings and actions. What a token sees is what its "
    "user's role sees in the pages.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["api.permissions.ReaderReadOnly"],  # the schema: token or session, like the API
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {},
}

# What the pages call the service and the office that runs it (header, titles, footer, statement).
SERVICE_NAME = env.str("SERVICE_NAME", default="Delivery-plan tracker")
ORGANISATION_NAME = env.str("ORGANISATION_NAME", default="Office of the Police and Crime Commissioner")
ACCESSIBILITY_CONTACT = env.str("ACCESSIBILITY_CONTACT", default="opcc@example.org")
PRIVACY_CONTACT = env.str("PRIVACY_CONTACT", default="dpo@example.org")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"permission_denied_one_line": {"()": "core.logging.PermissionDeniedOneLine"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.request": {"filters": ["permission_denied_one_line"]},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "pikepdf": {"level": "WARNING"},  # not "C++ to Python logger bridge initialized" on every PDF merge
        "axes": {"level": "WARNING"},  # lockouts (warnings) are logged; every attempt (info) is not
    },
}

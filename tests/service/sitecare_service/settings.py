"""Django settings for the reference service.

Everything that varies per run lives in the state directory named by
SITECARE_STATE (the database, the secret key, the vault key), so the same
code serves many independent test instances side by side.
"""

import os
from pathlib import Path

STATE_DIR = Path(os.environ.get("SITECARE_STATE", "/tmp/sitecare-state"))

SECRET_KEY = (STATE_DIR / "secret_key").read_text().strip() \
    if (STATE_DIR / "secret_key").exists() else "unset-only-for-makemigrations"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]

INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "rest_framework",
    "sitecare_service.accounts",
    "sitecare_service.tasks",
    "sitecare_service.chat",
    "sitecare_service.events",
    "sitecare_service.vault",
    "sitecare_service.billing",
    "sitecare_service.dashboard",
]

# GZip outermost so the ETag is computed on the plain body (Django's
# documented order); our GZip subclass never touches the event stream.
MIDDLEWARE = [
    "sitecare_service.common.middleware.WorkerHeader",
    # Outermost, so a held-back answer is complete (and gzipped) already.
    "sitecare_service.common.middleware.ResponseDelay",
    "sitecare_service.common.middleware.GZipExceptEventStream",
    "django.middleware.http.ConditionalGetMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]

ROOT_URLCONF = "sitecare_service.urls"
WSGI_APPLICATION = "sitecare_service.wsgi.application"
APPEND_SLASH = False

# STATE/database names the engine `serve --db` chose, so `ctl` (another
# process, without serve's options) opens the same database.
DB_ENGINE = (STATE_DIR / "database").read_text().strip() \
    if (STATE_DIR / "database").exists() else "sqlite"
# PostgreSQL (`serve --db postgres`) listens only on a unix socket in its
# data directory, STATE/pg, where only its owner (and root) may connect.
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "sitecare",
        "USER": "sitecare",
        "HOST": str(STATE_DIR / "pg"),
    } if DB_ENGINE == "postgres" else {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(STATE_DIR / "db.sqlite3"),
        "OPTIONS": {"timeout": 30},
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"

AUTH_USER_MODEL = "accounts.User"
# PBKDF2 first: the privacy policy promises Django's default hasher.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]

# Only the two essential cookies, both Secure; the CSRF cookie must stay
# readable by clients that copy it into X-CSRFToken.
SESSION_COOKIE_NAME = "sessionid"
CSRF_COOKIE_NAME = "csrftoken"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = False
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "sitecare_service.common.errors.csrf_failure"

USE_TZ = True
TIME_ZONE = "UTC"
USE_I18N = False

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "EXCEPTION_HANDLER": "sitecare_service.common.errors.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"stderr": {"class": "logging.StreamHandler"}},
    "loggers": {"django": {"handlers": ["stderr"], "level": "WARNING"}},
}

# Seconds between `: ping` comments on the event stream.
SSE_PING_SECONDS = float(os.environ.get("SITECARE_PING_SECONDS", "10"))
# How often an open stream looks for new events unwoken: only a safety
# net, every commit wakes the streams of every process (events/wake.py).
SSE_POLL_SECONDS = float(os.environ.get("SITECARE_POLL_SECONDS", "30"))
# How often a stream whose events are held (`ctl delay --hold-events`)
# looks whether the hold has ended.
SSE_HELD_POLL_SECONDS = 0.2
# Events older than this are pruned; a Last-Event-ID before them gets resync.
EVENT_RETENTION_HOURS = 24

"""The one settings file. Everything that differs between a laptop, CI and production comes from the
environment; the defaults give a working platform on the embedded SQLite database."""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


PACKAGE_DIR = Path(__file__).resolve().parent
# The repository root when running from a checkout (src layout); front-end packages live there.
BASE_DIR = Path(os.environ.get("YOUSE_BASE_DIR", PACKAGE_DIR.parent.parent))
VAR_DIR = Path(os.environ.get("YOUSE_VAR_DIR", BASE_DIR / "var"))

DEBUG = env_bool("YOUSE_DEBUG", False)
SECRET_KEY = os.environ.get("YOUSE_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG and env_bool("YOUSE_REQUIRE_SECRET", False):
        raise RuntimeError("YOUSE_SECRET_KEY must be set in production")
    # Development and tests only: production deployments set YOUSE_SECRET_KEY (docs/deployment.md).
    SECRET_KEY = "youse-development-key-not-for-production"

ALLOWED_HOSTS = [h for h in os.environ.get("YOUSE_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("YOUSE_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

# The province this installation serves; the policy's division codes and texts are Shaanxi's.
YOUSE_PROVINCE_CODE = os.environ.get("YOUSE_PROVINCE_CODE", "610000")
YOUSE_PROVINCE_NAME = os.environ.get("YOUSE_PROVINCE_NAME", "陕西省")
YOUSE_PROVINCE_NAME_EN = os.environ.get("YOUSE_PROVINCE_NAME_EN", "Shaanxi")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",  # serves Swagger UI for /api/v1/docs from the package's own files, never a CDN
    "youse.core",
    "youse.registry",
    "youse.stats",
    "youse.monitoring",
    "youse.capacity",
    "youse.enforcement",
    "youse.pricing",
    "youse.supervision",
    "youse.cooperation",
    "youse.support",
    "youse.credit",
    "youse.portal",
    "youse.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy and Permissions-Policy on every answer, static files included.
    "youse.core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "youse.core.middleware.ChineseFirstMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "youse.core.middleware.AuditChannelMiddleware",
]

ROOT_URLCONF = "youse.urls"
WSGI_APPLICATION = "youse.wsgi.application"
ASGI_APPLICATION = "youse.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "youse.core.context_processors.platform",
            ],
        },
    },
]

# --- Database: SQLite (WAL) by default, PostgreSQL when DATABASE_URL names one. ----------------------
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'youse.sqlite3'}"
DATABASES = {
    # Health checks: a kept connection that a database restart has broken is replaced at the next
    # request's start instead of failing it.
    "default": dj_database_url.parse(
        DATABASE_URL, conn_max_age=int(os.environ.get("YOUSE_CONN_MAX_AGE", "0")), conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while the gateway or a worker writes; IMMEDIATE transactions take
    # the write lock at BEGIN, so concurrent writers queue (busy timeout) instead of failing mid-way.
    # Django's SQLite backend switches foreign keys on for every connection.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = ["youse.core.auth.YouseBackend"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
# Failed sign-ins per username and per address before a pause (core/throttle.py).
YOUSE_LOGIN_ATTEMPTS = int(os.environ.get("YOUSE_LOGIN_ATTEMPTS", "5"))
YOUSE_LOGIN_WINDOW_SECONDS = int(os.environ.get("YOUSE_LOGIN_WINDOW_SECONDS", "900"))

# Monthly statistical reports are due by this day of the following month (stats/overdue.py).
YOUSE_REPORT_DEADLINE_DAY = int(os.environ.get("YOUSE_REPORT_DEADLINE_DAY", "10"))
# Largest report file accepted for import (stats/importer.py).
# Public notice of a replacement scheme, in working days (FACTS.md: 10 in practice; unverified whether
# national or provincial, hence a setting).
YOUSE_NOTICE_WORKING_DAYS = int(os.environ.get("YOUSE_NOTICE_WORKING_DAYS", "10"))
# Dismantling evidence (photos, PDFs) per file.
YOUSE_EVIDENCE_MAX_BYTES = int(os.environ.get("YOUSE_EVIDENCE_MAX_BYTES", str(10 << 20)))
# Aluminium output may exceed the capacity the ledger covers by this share before it is a violation.
YOUSE_OUTPUT_TOLERANCE = os.environ.get("YOUSE_OUTPUT_TOLERANCE", "0.10")
# Supervision: an owner with no progress report for this many days is flagged silent.
YOUSE_SILENT_DAYS = int(os.environ.get("YOUSE_SILENT_DAYS", "90"))
YOUSE_IMPORT_MAX_BYTES = int(os.environ.get("YOUSE_IMPORT_MAX_BYTES", str(20 << 20)))

# Online monitoring (monitoring/aggregates.py, alarms.py): how far back each tick looks, how long after an
# hour ends Youse computes it when the device has not sent it, and the data-quality and repetition rules.
MONITORING_TICK_LOOKBACK_HOURS = int(os.environ.get("MONITORING_TICK_LOOKBACK_HOURS", "6"))
MONITORING_AGGREGATE_DELAY_S = int(os.environ.get("MONITORING_AGGREGATE_DELAY_S", "900"))
MONITORING_FLATLINE_INTERVALS = int(os.environ.get("MONITORING_FLATLINE_INTERVALS", "30"))
MONITORING_MISSING_GRACE_S = int(os.environ.get("MONITORING_MISSING_GRACE_S", "120"))
MONITORING_REPEATED_EXCEEDANCE_COUNT = int(os.environ.get("MONITORING_REPEATED_EXCEEDANCE_COUNT", "3"))
MONITORING_REPEATED_EXCEEDANCE_DAYS = int(os.environ.get("MONITORING_REPEATED_EXCEEDANCE_DAYS", "30"))

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache"
        if env_bool("YOUSE_DB_CACHE", False)
        else "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "youse_cache",
    }
}

# --- Language and time ----------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Shanghai"  # shown in Beijing time; stored in UTC
USE_TZ = True

# --- Static files: front-end packages come from npm (package.json) at install time. ----------------
STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("YOUSE_STATIC_ROOT", VAR_DIR / "static"))
NODE_MODULES = Path(os.environ.get("YOUSE_NODE_MODULES", BASE_DIR / "node_modules"))
STATICFILES_DIRS = [
    PACKAGE_DIR / "static",  # Youse's own CSS and chart helpers (static/youse/)
    ("vendor/bootstrap", NODE_MODULES / "bootstrap" / "dist"),
    ("vendor/bootstrap-icons", NODE_MODULES / "bootstrap-icons" / "font"),
    ("vendor/echarts", NODE_MODULES / "echarts" / "dist"),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    # ECharts 5 ships no maps; the 4.9 package's province GeoJSON (GB/T 2260 ids) is the Shaanxi map.
    ("vendor/maps", NODE_MODULES / "echarts-v4-maps" / "map" / "json" / "province"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if env_bool("YOUSE_MANIFEST_STATIC", False)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# WhiteNoise serves STATIC_ROOT once collectstatic has filled it; until then it must at least exist.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_ROOT = Path(os.environ.get("YOUSE_MEDIA_ROOT", VAR_DIR / "media"))

# --- Security for deployments behind nginx (docs/deployment.md) --------------------------------------
if env_bool("YOUSE_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Addresses whose X-Real-IP header is believed (core/middleware.py client_addr): nginx's. On one server it
# reaches gunicorn over the loopback; with web hosts apart from nginx, list nginx's private address.
YOUSE_TRUSTED_PROXIES = frozenset(
    a.strip() for a in os.environ.get("YOUSE_TRUSTED_PROXIES", "127.0.0.1,::1").split(",") if a.strip()
)
SESSION_COOKIE_SECURE = env_bool("YOUSE_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
# Cookies go along with top-level navigation from other sites (a link in an e-mail still opens signed
# in) but never with their forms, frames or scripts.
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# No script reads the CSRF cookie: htmx sends the token from the hx-headers attribute of base.html, the
# API's Swagger page from its data-csrf-token attribute. So the cookie can be hidden from scripts.
CSRF_COOKIE_HTTPONLY = True
# A session ends after this many seconds (default 12 hours: one working day), whatever the activity.
SESSION_COOKIE_AGE = int(os.environ.get("YOUSE_SESSION_SECONDS", str(12 * 3600)))
# HTTPS only for this host, from the browser's side; 0 (the default) sends no Strict-Transport-Security.
# Production sets a year (deploy/systemd/youse.env.example). Subdomains and the browsers' preload list
# are the operator's decision: other systems of the same domain may not speak HTTPS.
SECURE_HSTS_SECONDS = int(os.environ.get("YOUSE_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("YOUSE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("YOUSE_HSTS_PRELOAD", False)
# nginx redirects port 80 to HTTPS; this is a second line for requests that reach Django over plain
# HTTP all the same. The health check and the metrics scraper may call gunicorn on the loopback directly.
SECURE_SSL_REDIRECT = env_bool("YOUSE_SSL_REDIRECT", False)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^metrics$"]
SECURE_REFERRER_POLICY = os.environ.get("YOUSE_REFERRER_POLICY", "same-origin")
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Content-Security-Policy (core/middleware.py SecurityHeadersMiddleware). Every script, style, font and
# image comes from /static/ (npm packages collected there, never a CDN). Scripts and styles need
# 'unsafe-inline': the pages set up their ECharts charts in short inline <script> blocks and Bootstrap
# layouts use style= attributes; a nonce would have to be threaded through every template. What the
# policy still stops: scripts, frames, fonts and connections from any other origin, <object>/<embed>,
# <base> hijacking, forms posting elsewhere and framing by other sites. User text is escaped by the
# templates (docs/security.md), which is what keeps it out of those inline blocks.
# data: images are Bootstrap's inline SVG icons (form controls) and ECharts' "save as image".
YOUSE_CONTENT_SECURITY_POLICY = os.environ.get(
    "YOUSE_CONTENT_SECURITY_POLICY",
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self'; connect-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
)
# Browser features no page of Youse uses, switched off for the pages and anything they might embed.
YOUSE_PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), "
    "magnetometer=(), microphone=(), midi=(), payment=(), usb=()"
)
# check --deploy warns unless HSTS covers subdomains (W005) and asks for preloading (W021). Both are
# decisions about the whole domain (e.g. every system under *.gov.cn of the province), which this
# platform cannot make for its neighbours; YOUSE_HSTS_INCLUDE_SUBDOMAINS and YOUSE_HSTS_PRELOAD let the
# operator make them. Nothing else is silenced (tests/core/test_security_deploy.py).
SILENCED_SYSTEM_CHECKS = ["security.W005", "security.W021"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("YOUSE_LOG_LEVEL", "WARNING")},
}

YOUSE_SITE_TITLE = _("Nonferrous Metals Industry Monitoring and Regulation Platform")

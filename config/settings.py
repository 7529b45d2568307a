"""One settings module, read strictly from the environment.

SQLite is the embedded default; production differs only by environment
(DATABASE_URL=postgres://..., DJANGO_DEBUG=false, DJANGO_SECRET_KEY=...).
"""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.env import database_from_url, env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DJANGO_DEBUG", True)
SECRET_KEY = env_str("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is false")
    SECRET_KEY = "dev-only-insecure-key-not-for-production"  # noqa: S105

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "accountability.common",
    "accountability.accounts",
    "accountability.audit",
    "accountability.people",
    "accountability.assessment",
    "accountability.cases",
    "accountability.documents",
    "accountability.jobs",
    "accountability.reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accountability.accounts.middleware.PasswordPolicyMiddleware",
    "accountability.common.middleware.DomainErrorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
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
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accountability.common.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": database_from_url(env_str("DATABASE_URL", "sqlite:///var/db.sqlite3"), BASE_DIR)
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # Level 3: at least 8 characters of at least 3 of upper, lower, digit, symbol.
    {"NAME": "accountability.accounts.validators.PasswordComplexityValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Level-3 identity controls (defaults; the security administrator may tighten them).
ACCOUNT_LOCKOUT_THRESHOLD = env_int("ACCOUNT_LOCKOUT_THRESHOLD", 5)
ACCOUNT_LOCKOUT_MINUTES = env_int("ACCOUNT_LOCKOUT_MINUTES", 15)
PASSWORD_MAX_AGE_DAYS = env_int("PASSWORD_MAX_AGE_DAYS", 90)

# The case workflow: the standing committee's size and quorum rule (named settings, shown on the
# meeting form), the upload limit, and the SM4 key for confidential fields (32 hex digits; without
# it, in development only, a key is derived from SECRET_KEY).
CASES_COMMITTEE_SIZE = env_int("CASES_COMMITTEE_SIZE", 9)
CASES_QUORUM_RULE = env_str("CASES_QUORUM_RULE", "more_than_half")
CASES_ATTACHMENT_MAX_MB = env_int("CASES_ATTACHMENT_MAX_MB", 50)
CASES_FIELD_KEY = env_str("CASES_FIELD_KEY", "")
if not DEBUG and not CASES_FIELD_KEY:
    raise ImproperlyConfigured("CASES_FIELD_KEY must be set when DJANGO_DEBUG is false")

# The organ named on pages and documents, and the prefix of its document numbers
# (发文字号 such as 镇纪监干〔2026〕3号); defaults in accountability/documents/constants.py.
ORGANISATION_NAME = env_str("ORGANISATION_NAME", "中共镇雄县纪律检查委员会 镇雄县监察委员会")
DOCUMENTS_NUMBER_PREFIX = env_str("DOCUMENTS_NUMBER_PREFIX", "")

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_SECONDS", 30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Shanghai"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
MEDIA_URL = "/media/"

# Where an administrator can drop extra holiday schedules (one JSON file a year)
# for the command-line tools; the web application keeps them in the database.
HOLIDAY_DATA_DIR = env_str("HOLIDAY_DATA_DIR", "")

# Background jobs (accountability/jobs): RQ on Redis, a worker beside the web server.
REDIS_URL = env_str("REDIS_URL", "redis://127.0.0.1:6379/0")
JOBS_QUEUE = env_str("JOBS_QUEUE", "accountability")
JOBS_DEFAULT_TIMEOUT = env_int("JOBS_DEFAULT_TIMEOUT", 300)
JOBS_DEFAULT_MEMORY_MB = env_int("JOBS_DEFAULT_MEMORY_MB", 1024)

# Statistics (accountability/reports): its reads go to REPORTS_DATABASE_URL when set (a
# PostgreSQL replica; the tests mirror it to the default database), and an appeal should be
# reviewed within REPORTS_APPEAL_REVIEW_DAYS (the county text sets no period; 30 = the one month
# of the higher rules, an interpretation shown on the page).
REPORTS_DATABASE = "default"
if env_str("REPORTS_DATABASE_URL", ""):
    DATABASES["reports"] = {
        **database_from_url(env_str("REPORTS_DATABASE_URL", ""), BASE_DIR),
        "TEST": {"MIRROR": "default"},
    }
    REPORTS_DATABASE = "reports"
REPORTS_APPEAL_REVIEW_DAYS = env_int("REPORTS_APPEAL_REVIEW_DAYS", 30)
if REPORTS_APPEAL_REVIEW_DAYS < 1:
    raise ImproperlyConfigured("REPORTS_APPEAL_REVIEW_DAYS must be at least 1")
# live: every figure aggregated from the cases tables; summary: people and steps from the
# summary tables rebuilt by `accountability refresh_statistics --enqueue` (a province's scale).
REPORTS_SOURCE = env_str("REPORTS_SOURCE", "live")
if REPORTS_SOURCE not in ("live", "summary"):
    raise ImproperlyConfigured("REPORTS_SOURCE must be live or summary")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}

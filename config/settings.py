"""One settings module, read strictly from the environment.

SQLite is the embedded default; production differs only by environment
(DATABASE_URL=postgres://..., DJANGO_DEBUG=false, DJANGO_SECRET_KEY=..., FIELD_KEYS=...).
A malformed value stops start-up here; whether a well-formed value is safe for production is
checked by ``accountability preflight`` (accountability/operations/preflight.py), which
``accountability serve`` and the WSGI application run first. Every setting is listed in the
README's configuration table.
"""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.env import (
    database_from_url,
    env_bool,
    env_int,
    env_json_object,
    env_key_set,
    env_list,
    env_proxy_header,
    env_str,
)

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DJANGO_DEBUG", True)
# The development key; preflight refuses it (and an empty or short key) in production.
DEV_SECRET_KEY = "dev-only-insecure-key-not-for-production"  # noqa: S105
SECRET_KEY = env_str("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is false")
    SECRET_KEY = DEV_SECRET_KEY

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    "accountability.common",
    "accountability.accounts",
    "accountability.audit",
    "accountability.people",
    "accountability.assessment",
    "accountability.cases",
    "accountability.documents",
    "accountability.vetting",
    "accountability.jobs",
    "accountability.operations",
    "accountability.reports",
    "captcha",
    "accountability.public",
    # The top layer: the demo data and the test personas.
    "accountability.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Which URLs a host serves (the public reporting host: only those); before CommonMiddleware.
    "accountability.public.middleware.PublicHostMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accountability.accounts.middleware.SecondFactorMiddleware",
    "accountability.accounts.middleware.PasswordPolicyMiddleware",
    "accountability.common.middleware.DomainErrorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
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
                "config.navigation.navigation",
            ],
        },
    },
]

# The database. SQLite (embedded) is for one office on one machine: production refuses it
# unless ALLOW_SQLITE_IN_PRODUCTION says so. PostgreSQL connections come from a pool of at
# most DATABASE_POOL_MAX_SIZE per process (0: no pool, a connection per request), so a
# server holds at most WEB_WORKERS x DATABASE_POOL_MAX_SIZE connections.
DATABASE_URL = env_str("DATABASE_URL", "sqlite:///var/db.sqlite3")
TEST_DATABASE_NAME = env_str("TEST_DATABASE_NAME", "")
SQLITE_BUSY_TIMEOUT_SECONDS = env_int("SQLITE_BUSY_TIMEOUT_SECONDS", 20, minimum=1)
ALLOW_SQLITE_IN_PRODUCTION = env_bool("ALLOW_SQLITE_IN_PRODUCTION", False)
DATABASE_POOL_MAX_SIZE = env_int("DATABASE_POOL_MAX_SIZE", 4, minimum=0)
DATABASE_POOL_TIMEOUT_SECONDS = env_int("DATABASE_POOL_TIMEOUT_SECONDS", 10, minimum=1)
DATABASES = {
    "default": database_from_url(
        DATABASE_URL,
        BASE_DIR,
        test_name=TEST_DATABASE_NAME,
        sqlite_timeout=SQLITE_BUSY_TIMEOUT_SECONDS,
        pool_max_size=DATABASE_POOL_MAX_SIZE,
        pool_timeout=DATABASE_POOL_TIMEOUT_SECONDS,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # Level 3: at least 8 characters of at least 3 of upper, lower, digit, symbol.
    {"NAME": "accountability.accounts.validators.PasswordComplexityValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # Level 3: none of the last 5 passwords again (their hashes are kept).
    {"NAME": "accountability.accounts.validators.PasswordHistoryValidator"},
]
# Level-3 identity controls (defaults; the security administrator may tighten them).
ACCOUNT_LOCKOUT_THRESHOLD = env_int("ACCOUNT_LOCKOUT_THRESHOLD", 5)
ACCOUNT_LOCKOUT_MINUTES = env_int("ACCOUNT_LOCKOUT_MINUTES", 15)
PASSWORD_MAX_AGE_DAYS = env_int("PASSWORD_MAX_AGE_DAYS", 90)
# Second factor (TOTP, django-otp): required for these roles, optional for the others; the
# three administrators are always required (accounts/otp.py refuses a list without them).
ACCOUNTS_OTP_REQUIRED_ROLES = env_list(
    "ACCOUNTS_OTP_REQUIRED_ROLES",
    ["system_admin", "security_admin", "audit_admin", "case_officer", "office_head"],
)
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "责任追究管理系统")
# How long a one-time activation code (new account, password reset) stays valid.
ACCOUNTS_ACTIVATION_HOURS = env_int("ACCOUNTS_ACTIVATION_HOURS", 72)

# The case workflow: the standing committee's size and quorum rule (named settings, shown on the
# meeting form) and the upload limit.
CASES_COMMITTEE_SIZE = env_int("CASES_COMMITTEE_SIZE", 9)
CASES_QUORUM_RULE = env_str("CASES_QUORUM_RULE", "more_than_half")
CASES_ATTACHMENT_MAX_MB = env_int("CASES_ATTACHMENT_MAX_MB", 50)
# The types an attachment may have, by content (MIME types, comma-separated); empty means the
# default list of accountability/cases/files.py (PDF, Word, Excel, images, text, audio, video).
CASES_ATTACHMENT_TYPES = env_list("CASES_ATTACHMENT_TYPES", [])
# Who sees a case's informant (accountability/cases/selectors.py): "office" (every case officer
# and the office head of the handling commission) or "assigned" (the officer who registered the
# clue, case officers on the case's team, the office head).
CASES_INFORMANT_SCOPE = env_str("CASES_INFORMANT_SCOPE", "office")
if CASES_INFORMANT_SCOPE not in ("office", "assigned"):
    raise ImproperlyConfigured("CASES_INFORMANT_SCOPE must be office or assigned")

# SM4 keys for confidential fields (accountability/common/crypto.py): a set of keys by id
# ("2026a:<32 hex>,2025b:<32 hex>"), FIELD_KEY_ID the one new values are written with
# (`accountability rotate-key` re-encrypts the rest); CASES_FIELD_KEY, a single key, still
# works (its id is "k0"). Without any, in development only, a key is derived from SECRET_KEY.
FIELD_KEYS = env_key_set("FIELD_KEYS")
FIELD_KEY_ID = env_str("FIELD_KEY_ID", "")
CASES_FIELD_KEY = env_str("CASES_FIELD_KEY", "")
# The audit trail (accountability/audit): the HMAC-SM3 key of the chain and of the keyed
# hashes of case content (hex, >= 32 digits; without it, in development only, derived from
# SECRET_KEY), earlier keys still needed to verify old entries, the SM2 key file that signs
# anchors, the public keys an anchor may be signed with, and where anchors are written.
# Preflight requires it in production, and the audit trail refuses to derive one then
# (decided here, from DJANGO_DEBUG: the test runner switches DEBUG off later).
AUDIT_HMAC_KEY = env_str("AUDIT_HMAC_KEY", "")
AUDIT_HMAC_KEY_REQUIRED = not DEBUG
AUDIT_HMAC_OLD_KEYS = env_list("AUDIT_HMAC_OLD_KEYS", [])
AUDIT_ANCHOR_KEY_FILE = env_str("AUDIT_ANCHOR_KEY_FILE", "")
AUDIT_ANCHOR_PUBLIC_KEYS = env_list("AUDIT_ANCHOR_PUBLIC_KEYS", [])
AUDIT_ANCHOR_DIR = env_str("AUDIT_ANCHOR_DIR", str(BASE_DIR / "var" / "audit-anchors"))

# The organ named on pages and documents, and the prefix of its document numbers
# (发文字号 such as 镇纪监干〔2026〕3号); defaults in accountability/documents/constants.py.
# DOCUMENTS_ORGAN overrides the organ's names on paper: a JSON object with some of the keys of
# DEFAULT_ORGAN in accountability/documents/constants.py ({"name": "…", "short_name": "…"}).
ORGANISATION_NAME = env_str("ORGANISATION_NAME", "中共镇雄县纪律检查委员会 镇雄县监察委员会")
DOCUMENTS_NUMBER_PREFIX = env_str("DOCUMENTS_NUMBER_PREFIX", "")
# An office's own template (.docx) is checked in the worker before docxtpl sees it: its size,
# its size unzipped and compression ratio (read from the zip's directory before extracting),
# its number of parts and of XML elements (streamed, no DTDs), within a time and memory limit.
# PDFs are made in the worker, several documents per LibreOffice run, the soffice process
# bounded in address space. Drafts made in the worker are kept for their requester a while.
# See accountability/documents/package.py, conversion.py and drafts.py.
DOCUMENTS_TEMPLATE_MAX_MB = env_int("DOCUMENTS_TEMPLATE_MAX_MB", 5)
DOCUMENTS_TEMPLATE_MAX_UNZIPPED_MB = env_int("DOCUMENTS_TEMPLATE_MAX_UNZIPPED_MB", 50)
DOCUMENTS_TEMPLATE_MAX_RATIO = env_int("DOCUMENTS_TEMPLATE_MAX_RATIO", 100)
DOCUMENTS_TEMPLATE_MAX_PARTS = env_int("DOCUMENTS_TEMPLATE_MAX_PARTS", 300)
DOCUMENTS_TEMPLATE_MAX_ELEMENTS = env_int("DOCUMENTS_TEMPLATE_MAX_ELEMENTS", 100_000)
DOCUMENTS_TEMPLATE_CHECK_SECONDS = env_int("DOCUMENTS_TEMPLATE_CHECK_SECONDS", 60)
DOCUMENTS_TEMPLATE_CHECK_MEMORY_MB = env_int("DOCUMENTS_TEMPLATE_CHECK_MEMORY_MB", 512)
DOCUMENTS_PDF_BATCH_SIZE = env_int("DOCUMENTS_PDF_BATCH_SIZE", 20)
DOCUMENTS_PDF_TIMEOUT = env_int("DOCUMENTS_PDF_TIMEOUT", 300)
DOCUMENTS_SOFFICE_MEMORY_MB = env_int("DOCUMENTS_SOFFICE_MEMORY_MB", 2048)
DOCUMENTS_DRAFT_HOURS = env_int("DOCUMENTS_DRAFT_HOURS", 24)
DOCUMENTS_ORGAN = env_json_object("DOCUMENTS_ORGAN", {})
# LibreOffice for PDF conversion: a path, or empty for soffice/libreoffice on PATH.
SOFFICE_BINARY = env_str("SOFFICE_BINARY", "")

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_SECONDS", 30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG

# HTTPS. Behind a proxy that terminates TLS, DJANGO_SECURE_PROXY_SSL_HEADER names the header it
# sets ("X-Forwarded-Proto: https"); set it only when the proxy overwrites that header.
SECURE_PROXY_SSL_HEADER = env_proxy_header("DJANGO_SECURE_PROXY_SSL_HEADER")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", True)
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

# Content-Security-Policy (django-csp): nothing inline, nothing from another host. Scripts and
# styles are files under static/; templates carry no <script>/<style> blocks, style= or on*=
# attributes (accountability/operations/tests/test_security_headers.py checks every template).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# The production web server (config/gunicorn.conf.py, started by `accountability serve`):
# WEB_WORKERS processes of WEB_THREADS threads each; a request running longer than
# WEB_TIMEOUT_SECONDS is stopped. Keep WEB_THREADS <= DATABASE_POOL_MAX_SIZE (preflight).
WEB_BIND = env_str("WEB_BIND", "127.0.0.1:8000")
WEB_WORKERS = env_int("WEB_WORKERS", 3, minimum=1)
WEB_THREADS = env_int("WEB_THREADS", 4, minimum=1)
WEB_TIMEOUT_SECONDS = env_int("WEB_TIMEOUT_SECONDS", 60, minimum=1)

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Shanghai"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "var" / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
MEDIA_URL = "/media/"
# Uploaded files stop being kept at their view's limit while they stream in
# (accountability/common/uploads.py); UPLOAD_MAX_MB is the limit of views that name none.
FILE_UPLOAD_HANDLERS = [
    "accountability.common.uploads.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
UPLOAD_MAX_MB = env_int("UPLOAD_MAX_MB", 50)

# Limits of an uploaded roster (accountability/people/roster.py): the file, its size once
# decompressed, rows (header included), columns and the time to check it.
ROSTER_MAX_UPLOAD_MB = env_int("ROSTER_MAX_UPLOAD_MB", 5)
ROSTER_MAX_UNCOMPRESSED_MB = env_int("ROSTER_MAX_UNCOMPRESSED_MB", 64)
ROSTER_MAX_ROWS = env_int("ROSTER_MAX_ROWS", 20_000)
ROSTER_MAX_COLUMNS = env_int("ROSTER_MAX_COLUMNS", 50)
ROSTER_MAX_SECONDS = env_int("ROSTER_MAX_SECONDS", 120)
# In production whitenoise serves the collected files (`accountability serve` collects them)
# under hashed names with compressed copies; development serves static/ as it is.
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

# Where `accountability backup` writes its archives when no path is given.
BACKUP_DIR = Path(env_str("BACKUP_DIR", str(BASE_DIR / "var" / "backups")))
# Where pg_dump and pg_restore are (empty: on PATH); they must match the server's major version.
PG_BIN_DIR = env_str("PG_BIN_DIR", "")

# Background jobs (accountability/jobs): RQ on Redis, a worker beside the web server.
REDIS_URL = env_str("REDIS_URL", "redis://127.0.0.1:6379/0")
JOBS_QUEUE = env_str("JOBS_QUEUE", "accountability")
JOBS_DEFAULT_TIMEOUT = env_int("JOBS_DEFAULT_TIMEOUT", 300)
JOBS_DEFAULT_MEMORY_MB = env_int("JOBS_DEFAULT_MEMORY_MB", 1024)
# Work the worker does on a schedule: name → (function, every so many seconds).
JOBS_PERIODIC = {
    # The signed audit anchor for the city office (docs/audit.md).
    "audit-anchor": (
        "accountability.audit.services.audit_anchor_create",
        env_int("AUDIT_ANCHOR_INTERVAL_SECONDS", 3600),
    ),
}

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

# The informant's channel (accountability/public, docs/public.md): the public reporting pages
# under /report/, on every host unless PUBLIC_HOSTS names hosts of their own (those serve only
# the public pages; with PUBLIC_ON_STAFF_HOSTS=false the staff hosts no longer serve them).
# A report's 查询码 is stored only as HMAC-SM3 under PUBLIC_CODE_KEY (hex, >= 32 digits;
# derived from SECRET_KEY in development, required in production by a deployment check);
# PUBLIC_CODE_OLD_KEYS still open codes issued under earlier keys.
PUBLIC_HOSTS = env_list("PUBLIC_HOSTS", [])
PUBLIC_ON_STAFF_HOSTS = env_bool("PUBLIC_ON_STAFF_HOSTS", True)
ALLOWED_HOSTS = [*ALLOWED_HOSTS, *(h for h in PUBLIC_HOSTS if h not in ALLOWED_HOSTS)]
PUBLIC_CODE_KEY = env_str("PUBLIC_CODE_KEY", "")
PUBLIC_CODE_OLD_KEYS = env_list("PUBLIC_CODE_OLD_KEYS", [])
# The commission that receives the reports (an Organisation code; empty: the only county
# commission), and whether an officer's reply waits for the office head's approval.
PUBLIC_REPORTS_ORGAN = env_str("PUBLIC_REPORTS_ORGAN", "")
PUBLIC_REPLY_APPROVAL = env_bool("PUBLIC_REPLY_APPROVAL", True)
# Evidence from the public: per file, files per submission or post, and the metadata
# cleaner's limits (a child process: seconds of CPU and wall time, megabytes of memory).
PUBLIC_EVIDENCE_MAX_MB = env_int("PUBLIC_EVIDENCE_MAX_MB", 10, minimum=1)
PUBLIC_EVIDENCE_MAX_FILES = env_int("PUBLIC_EVIDENCE_MAX_FILES", 5, minimum=1)
PUBLIC_CLEAN_SECONDS = env_int("PUBLIC_CLEAN_SECONDS", 20, minimum=1)
PUBLIC_CLEAN_MEMORY_MB = env_int("PUBLIC_CLEAN_MEMORY_MB", 1024, minimum=128)
# Throttling (fixed windows; docs/public.md gives the figures): failed code look-ups per
# minute from one address, for one code prefix, and from everyone; submissions per address
# per hour; the reporter's messages and evidence per report per hour.
PUBLIC_LOOKUP_ADDRESS_PER_MINUTE = env_int("PUBLIC_LOOKUP_ADDRESS_PER_MINUTE", 5, minimum=1)
PUBLIC_LOOKUP_CODE_PER_MINUTE = env_int("PUBLIC_LOOKUP_CODE_PER_MINUTE", 3, minimum=1)
PUBLIC_LOOKUP_GLOBAL_PER_MINUTE = env_int("PUBLIC_LOOKUP_GLOBAL_PER_MINUTE", 60, minimum=1)
PUBLIC_SUBMISSIONS_PER_ADDRESS_PER_HOUR = env_int(
    "PUBLIC_SUBMISSIONS_PER_ADDRESS_PER_HOUR", 5, minimum=1
)
PUBLIC_POSTS_PER_REPORT_PER_HOUR = env_int("PUBLIC_POSTS_PER_REPORT_PER_HOUR", 10, minimum=1)
# What the audit trail keeps of a reporter's address: "keyed" (an HMAC, so that repeated
# abuse is linkable without revealing the address), "none", or "clear".
PUBLIC_AUDIT_ADDRESS = env_str("PUBLIC_AUDIT_ADDRESS", "keyed")
if PUBLIC_AUDIT_ADDRESS not in ("keyed", "none", "clear"):
    raise ImproperlyConfigured("PUBLIC_AUDIT_ADDRESS must be keyed, none or clear")
# The self-hosted challenge (django-simple-captcha): drawn by the server, no external service.
CAPTCHA_LENGTH = 5
CAPTCHA_TIMEOUT = 10
CAPTCHA_IMAGE_SIZE = (150, 50)
CAPTCHA_FONT_SIZE = 30
CAPTCHA_2X_IMAGE = False
CAPTCHA_CHALLENGE_FUNCT = "accountability.public.challenge.unambiguous_challenge"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}

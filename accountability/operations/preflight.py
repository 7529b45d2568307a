"""Preflight: is this configuration safe to run in production?

``accountability preflight`` prints every problem, each naming its setting (the environment
variable), and exits non-zero on any error; ``accountability serve`` and the WSGI application
(config/wsgi.py, when DJANGO_DEBUG is false) refuse to start on one. Settings are read
strictly by config/env.py (a malformed value already stops start-up there); this module
judges values that are well formed but unsafe. A check is a function returning problems;
add one to CHECKS.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core import checks as django_checks
from django.core.exceptions import ImproperlyConfigured

ERROR = "error"
WARNING = "warning"

MIN_SECRET_LENGTH = 50
MIN_SECRET_DISTINCT = 5
MIN_AUDIT_KEY_LENGTH = 32
MAX_IDLE_SECONDS = 30 * 60  # level 3: a 10-30 minute idle timeout is what assessors expect

DEBUG_ON = "DJANGO_DEBUG 为 true：生产环境必须设为 false（调试页面会泄露配置和数据）。"
SECRET_MISSING = "DJANGO_SECRET_KEY 未设置：生产环境必须设置一个随机的长密钥。"  # noqa: S105
SECRET_WEAK = (
    "DJANGO_SECRET_KEY 太弱：至少 {length} 个字符、{distinct} 种以上不同字符，"  # noqa: S105
    "且不能是开发用的默认值。"
)
FIELD_KEY_MISSING = (
    "未配置字段密钥：请设置 FIELD_KEYS 和 FIELD_KEY_ID（或单个密钥 CASES_FIELD_KEY），"
    "否则举报人信息只用由 DJANGO_SECRET_KEY 派生的开发密钥加密。"
)
FIELD_KEY_INVALID = "FIELD_KEYS / FIELD_KEY_ID / CASES_FIELD_KEY 配置有误：{detail}"
FIELD_KEY_WEAK = "FIELD_KEYS 中的密钥“{key_id}”不是随机密钥（重复的字节太多）。"
AUDIT_KEY_MISSING = "AUDIT_HMAC_KEY 未设置：审计日志的带密钥哈希链需要它。"
AUDIT_KEY_WEAK = "AUDIT_HMAC_KEY 应为至少 {length} 位十六进制数字。"
HOSTS_WILDCARD = "DJANGO_ALLOWED_HOSTS 含“*”：请列出本系统实际使用的主机名。"
HOSTS_EMPTY = "DJANGO_ALLOWED_HOSTS 为空：请列出本系统实际使用的主机名。"
SQLITE_IN_PRODUCTION = (
    "DATABASE_URL 指向 SQLite：生产环境请使用 PostgreSQL；单机小规模确需使用 SQLite 时，"
    "设置 ALLOW_SQLITE_IN_PRODUCTION=true。"
)
POOL_TOO_SMALL = (
    "WEB_THREADS（{threads}）大于 DATABASE_POOL_MAX_SIZE（{pool}）：线程会排队等待数据库连接，"
    "请让 WEB_THREADS 不大于 DATABASE_POOL_MAX_SIZE。"
)
SSL_REDIRECT_OFF = (
    "DJANGO_SECURE_SSL_REDIRECT 为 false：生产环境应把 HTTP 请求转到 HTTPS"
    "（由反向代理终止 TLS 时，同时设置 DJANGO_SECURE_PROXY_SSL_HEADER）。"
)
HSTS_OFF = "DJANGO_SECURE_HSTS_SECONDS 为 0：生产环境应开启 HSTS（建议 31536000，即一年）。"
IDLE_TOO_LONG = (
    "SESSION_IDLE_SECONDS（{seconds}）超过 {limit} 秒：等级保护三级要求空闲 10–30 分钟自动退出。"
)
ORGAN_UNKNOWN_KEYS = "DOCUMENTS_ORGAN 含未知的键：{keys}（可用的键：{allowed}）。"
SOFFICE_MISSING = "SOFFICE_BINARY 指向的文件不存在：{path}。"
SOFFICE_NOT_FOUND = "找不到 LibreOffice（soffice）：文书只能生成 Word 文件，不能生成 PDF。"
FOLDER_NOT_WRITABLE = "{setting} 指向的目录不能写入：{path}。"
QUEUE_UNREACHABLE = (
    "REDIS_URL（{url}）无法连接：后台任务（PDF转换、上传文件检查、审计锚点）需要 Redis。"
)
ANCHOR_KEY_MISSING = (
    "AUDIT_ANCHOR_KEY_FILE 未设置或文件不存在：定时的审计锚点无法签名"
    "（accountability audit-keygen --anchor-key FILE 生成密钥，见 docs/audit.md）。"
)
DJANGO_CHECK = "Django 部署检查 {id}：{message}"
# Django's deployment checks that the checks above already report in their own words.
COVERED_BY_PREFLIGHT = {
    "security.W004",  # HSTS
    "security.W008",  # SSL redirect
    "security.W009",  # secret key
    "security.W018",  # DEBUG
    "security.W020",  # ALLOWED_HOSTS
}


@dataclass(frozen=True)
class Problem:
    setting: str
    message: str
    level: str = ERROR

    def __str__(self) -> str:
        label = "错误" if self.level == ERROR else "提示"
        return f"[{label}] {self.message}"


def _secret_key() -> str:
    try:
        return str(settings.SECRET_KEY)
    except ImproperlyConfigured:  # Django refuses to hand out an empty key
        return ""


def check_debug() -> Iterable[Problem]:
    if settings.DEBUG:
        yield Problem("DJANGO_DEBUG", DEBUG_ON)


def check_secret_key() -> Iterable[Problem]:
    key = _secret_key()
    if not key:
        yield Problem("DJANGO_SECRET_KEY", SECRET_MISSING)
    elif (
        key == getattr(settings, "DEV_SECRET_KEY", None)
        or key.startswith("django-insecure-")
        or len(key) < MIN_SECRET_LENGTH
        or len(set(key)) < MIN_SECRET_DISTINCT
    ):
        yield Problem(
            "DJANGO_SECRET_KEY",
            SECRET_WEAK.format(length=MIN_SECRET_LENGTH, distinct=MIN_SECRET_DISTINCT),
        )


def check_field_keys() -> Iterable[Problem]:
    from accountability.common.crypto import DERIVED_KEY_ID, key_ring

    try:
        ring = key_ring()
    except ImproperlyConfigured as error:
        yield Problem("FIELD_KEYS", FIELD_KEY_INVALID.format(detail=error))
        return
    if ring.current == DERIVED_KEY_ID:
        yield Problem("FIELD_KEYS", FIELD_KEY_MISSING)
    for key_id, key in ring.keys.items():
        if len(set(key)) < 8:
            yield Problem("FIELD_KEYS", FIELD_KEY_WEAK.format(key_id=key_id))


def check_audit_key() -> Iterable[Problem]:
    key = str(getattr(settings, "AUDIT_HMAC_KEY", "") or "").strip()
    if not key:
        yield Problem("AUDIT_HMAC_KEY", AUDIT_KEY_MISSING)
    elif len(key) < MIN_AUDIT_KEY_LENGTH or not re.fullmatch(r"[0-9a-fA-F]+", key):
        yield Problem("AUDIT_HMAC_KEY", AUDIT_KEY_WEAK.format(length=MIN_AUDIT_KEY_LENGTH))


def check_allowed_hosts() -> Iterable[Problem]:
    hosts = list(settings.ALLOWED_HOSTS)
    if not hosts:
        yield Problem("DJANGO_ALLOWED_HOSTS", HOSTS_EMPTY)
    elif "*" in hosts:
        yield Problem("DJANGO_ALLOWED_HOSTS", HOSTS_WILDCARD)


def check_database() -> Iterable[Problem]:
    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3"):
        if not settings.ALLOW_SQLITE_IN_PRODUCTION:
            yield Problem("DATABASE_URL", SQLITE_IN_PRODUCTION)
        return
    pool = settings.DATABASE_POOL_MAX_SIZE
    if pool and pool < settings.WEB_THREADS:
        yield Problem(
            "DATABASE_POOL_MAX_SIZE", POOL_TOO_SMALL.format(threads=settings.WEB_THREADS, pool=pool)
        )


def check_https() -> Iterable[Problem]:
    if not settings.SECURE_SSL_REDIRECT:
        yield Problem("DJANGO_SECURE_SSL_REDIRECT", SSL_REDIRECT_OFF)
    if not settings.SECURE_HSTS_SECONDS:
        yield Problem("DJANGO_SECURE_HSTS_SECONDS", HSTS_OFF)


def check_session() -> Iterable[Problem]:
    if settings.SESSION_COOKIE_AGE > MAX_IDLE_SECONDS:
        yield Problem(
            "SESSION_IDLE_SECONDS",
            IDLE_TOO_LONG.format(seconds=settings.SESSION_COOKIE_AGE, limit=MAX_IDLE_SECONDS),
        )


def check_documents() -> Iterable[Problem]:
    from accountability.documents.constants import DEFAULT_ORGAN

    unknown = sorted(set(settings.DOCUMENTS_ORGAN or {}) - set(DEFAULT_ORGAN))
    if unknown:
        yield Problem(
            "DOCUMENTS_ORGAN",
            ORGAN_UNKNOWN_KEYS.format(keys="、".join(unknown), allowed="、".join(DEFAULT_ORGAN)),
        )
    binary = settings.SOFFICE_BINARY
    if binary and not Path(binary).exists():
        yield Problem("SOFFICE_BINARY", SOFFICE_MISSING.format(path=binary))
    elif not binary and not (shutil.which("soffice") or shutil.which("libreoffice")):
        yield Problem("SOFFICE_BINARY", SOFFICE_NOT_FOUND, WARNING)


def _writable(path: Path) -> bool:
    folder = Path(path)
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    return os.access(folder, os.W_OK)


def check_folders() -> Iterable[Problem]:
    for setting in ("MEDIA_ROOT", "STATIC_ROOT", "BACKUP_DIR"):
        path = Path(getattr(settings, setting))
        if not _writable(path):
            yield Problem(setting, FOLDER_NOT_WRITABLE.format(setting=setting, path=path))


def check_queue() -> Iterable[Problem]:
    """The worker's queue must answer, or nothing slow ever gets done."""
    from redis.exceptions import RedisError

    from accountability.jobs.queue import connection

    try:
        connection().ping()
    except RedisError:
        yield Problem("REDIS_URL", QUEUE_UNREACHABLE.format(url=settings.REDIS_URL))


def check_anchor_key() -> Iterable[Problem]:
    path = str(getattr(settings, "AUDIT_ANCHOR_KEY_FILE", "") or "")
    if not path or not Path(path).is_file():
        yield Problem("AUDIT_ANCHOR_KEY_FILE", ANCHOR_KEY_MISSING, WARNING)


def check_django_deploy() -> Iterable[Problem]:
    """Django's own `check --deploy` (security middleware, cookies, HSTS, …)."""
    if not _secret_key():
        return  # reported above; Django's checks would only repeat it
    for message in django_checks.run_checks(include_deployment_checks=True):
        if message.is_silenced() or message.level < django_checks.WARNING:
            continue
        if message.id in COVERED_BY_PREFLIGHT:
            continue
        yield Problem(
            str(message.id), DJANGO_CHECK.format(id=message.id, message=message.msg), ERROR
        )


CHECKS: list[Callable[[], Iterable[Problem]]] = [
    check_debug,
    check_secret_key,
    check_field_keys,
    check_audit_key,
    check_allowed_hosts,
    check_database,
    check_https,
    check_session,
    check_documents,
    check_folders,
    check_queue,
    check_anchor_key,
    check_django_deploy,
]


def preflight_problems() -> list[Problem]:
    problems: list[Problem] = []
    for check in CHECKS:
        problems.extend(check())
    return problems


def preflight_errors() -> list[Problem]:
    return [p for p in preflight_problems() if p.level == ERROR]

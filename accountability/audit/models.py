"""The audit trail: an append-only, keyed hash chain (GB/T 22239-2019 level 3).

Each entry stores an HMAC-SM3 of its own canonical form, which includes the MAC of the
entry before it, under a key kept outside the database (``keys.py``): editing, deleting,
inserting or forging a row breaks the chain, and without the key nobody can recompute it.
The chain head (one row) names the last entry under its own MAC; signed anchors exported
to the city office (``anchors.py``) prove how long the chain was at a given time. Rows
cannot be changed or deleted through the ORM; on PostgreSQL triggers refuse UPDATE,
DELETE and TRUNCATE, and the application's database role may only INSERT and SELECT
(``roles.py``). There is deliberately no way to purge entries: the law asks for at least
six months (网络安全法 art 21(3)) and nothing here counts them down.

What an entry may show in clear and what is case content (kept only as a keyed hash) is
decided in ``policy.py``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

GENESIS_HASH = "0" * 64

# Format 1: plain SM3, values in clear (before the keyed chain). Format 2: HMAC-SM3, sealed
# case content, key id.
LEGACY_FORMAT = 1
KEYED_FORMAT = 2

#: The actor's name recorded for an entry without a user (services, selectors).
ANONYMOUS_ACTOR_NAME = "匿名"
APPEND_ONLY_MESSAGE = "审计日志只能追加，不能修改或删除。"


class AppendOnlyError(Exception):
    pass


class AuditEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError(APPEND_ONLY_MESSAGE)

    def delete(self):
        raise AppendOnlyError(APPEND_ONLY_MESSAGE)

    update.queryset_only = True  # type: ignore[attr-defined]
    delete.queryset_only = True  # type: ignore[attr-defined]


class AuditEntry(models.Model):
    class Action(models.TextChoices):
        CREATE = "create", _("新建")
        UPDATE = "update", _("修改")
        DELETE = "delete", _("删除")
        TRANSITION = "transition", _("流转")
        VIEW = "view", _("查看")
        VIEW_CONFIDENTIAL = "view_confidential", _("查看保密信息")
        LOGIN = "login", _("登录")
        LOGIN_FAILED = "login_failed", _("登录失败")
        LOGOUT = "logout", _("退出")
        ACCOUNT_LOCKED = "account_locked", _("账号锁定")
        ACCOUNT_UNLOCKED = "account_unlocked", _("账号解锁")
        PASSWORD_CHANGE = "password_change", _("修改密码")
        ACCESS_DENIED = "access_denied", _("拒绝访问")
        SETTINGS_CHANGE = "settings_change", _("修改安全策略")
        EXPORT = "export", _("导出")
        IMPORT = "import", _("导入")
        DOWNLOAD = "download", _("下载")
        ISSUE_DOCUMENT = "issue_document", _("印发文书")
        ANCHOR = "anchor", _("生成审计锚点")
        HEAD_REBUILT = "head_rebuilt", _("重建审计链头")

    class Outcome(models.TextChoices):
        SUCCESS = "success", _("成功")
        FAILURE = "failure", _("失败")
        DENIED = "denied", _("拒绝")

    # The keyset of the log page (newest first, ``seq < before``) and of verification.
    seq = models.PositiveBigIntegerField(_("序号"), unique=True)
    format = models.PositiveSmallIntegerField(_("格式"), default=KEYED_FORMAT)
    at = models.DateTimeField(_("时间"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # covered by audit_actor_seq
    )
    actor_name = models.CharField(_("操作人姓名"), max_length=150, blank=True)
    actor_role = models.CharField(_("操作人角色"), max_length=32, blank=True)
    action = models.CharField(_("事件类型"), max_length=32)
    target_type = models.CharField(_("对象类型"), max_length=64, blank=True)
    target_id = models.CharField(_("对象标识"), max_length=64, blank=True)
    # A label that may be shown (an account, a path, a case number); never case content.
    target_repr = models.CharField(_("对象"), max_length=200, blank=True)
    case_number = models.CharField(_("案件编号"), max_length=64, blank=True)
    # Values that may be shown, by field name (policy.py).
    changes = models.JSONField(_("变更内容"), default=dict, blank=True)
    # Case content: {"fields": {name: HMAC-SM3}, "target": ..., "detail": ...}; never values.
    sealed = models.JSONField(_("内容摘要"), default=dict, blank=True)
    outcome = models.CharField(_("结果"), max_length=16, choices=Outcome.choices)
    ip = models.CharField(_("IP地址"), max_length=45, blank=True)
    detail = models.TextField(_("说明"), blank=True)
    key_id = models.CharField(_("密钥标识"), max_length=16, blank=True)
    prev_hash = models.CharField(_("前一条校验码"), max_length=64)
    hash = models.CharField(_("校验码(HMAC-SM3)"), max_length=64)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("审计日志")
        verbose_name_plural = _("审计日志")
        ordering = ["-seq"]
        indexes = [
            # The log page filtered by event type, newest first:
            # WHERE action = %s AND seq < %s ORDER BY seq DESC LIMIT 51.
            models.Index(fields=["action", "seq"], name="audit_action_seq"),
            # The log page filtered by operator: WHERE actor_id IN (...) ORDER BY seq DESC.
            # Also serves the PROTECT check when an account would be deleted.
            models.Index(fields=["actor", "seq"], name="audit_actor_seq"),
            # The log page filtered by case: WHERE case_number = %s ORDER BY seq DESC.
            models.Index(fields=["case_number", "seq"], name="audit_case_seq"),
            # The log page's date range, turned into a seq range:
            # WHERE at >= %s ORDER BY at LIMIT 1 (and at < %s ORDER BY at DESC LIMIT 1).
            models.Index(fields=["at"], name="audit_at"),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.target_repr}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError(APPEND_ONLY_MESSAGE)
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(APPEND_ONLY_MESSAGE)

    @property
    def action_label(self) -> str:
        try:
            return str(self.Action(self.action).label)
        except ValueError:
            return self.action


class AuditChainHead(models.Model):
    """The single row naming the last entry: writers lock it so the chain never forks, and
    verification compares it with the table both ways (a truncated tail, rows appended
    behind its back). Its own MAC, under the key of ``key_id``, covers seq and hash, so it
    cannot be rewritten without the key; on PostgreSQL a trigger refuses to move it
    backwards or anywhere but onto the last entry. ``seq`` is also the number of entries."""

    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default=GENESIS_HASH)
    key_id = models.CharField(max_length=16, blank=True)
    mac = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("审计链头")
        verbose_name_plural = _("审计链头")

    def __str__(self) -> str:
        return f"#{self.seq}"

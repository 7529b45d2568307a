"""The audit trail: an append-only, hash-chained log (GB/T 22239-2019 level 3).

Each entry stores the SM3 hash of its own canonical form plus the hash of the
entry before it, so editing, deleting or inserting a row breaks the chain and
`accountability verify-audit` names the first broken entry. Rows cannot be
changed or deleted through the ORM; on PostgreSQL a trigger refuses UPDATE and
DELETE as well. There is deliberately no way to purge entries: the law asks
for at least six months (网络安全法 art 21(3)) and nothing here counts them
down.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

GENESIS_HASH = "0" * 64

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

    class Outcome(models.TextChoices):
        SUCCESS = "success", _("成功")
        FAILURE = "failure", _("失败")
        DENIED = "denied", _("拒绝")

    seq = models.PositiveBigIntegerField(_("序号"), unique=True)
    at = models.DateTimeField(_("时间"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_name = models.CharField(_("操作人姓名"), max_length=150, blank=True)
    action = models.CharField(_("事件类型"), max_length=32, db_index=True)
    target_type = models.CharField(_("对象类型"), max_length=64, blank=True)
    target_id = models.CharField(_("对象标识"), max_length=64, blank=True)
    target_repr = models.CharField(_("对象"), max_length=200, blank=True)
    changes = models.JSONField(_("变更内容"), default=dict, blank=True)
    outcome = models.CharField(_("结果"), max_length=16, choices=Outcome.choices)
    ip = models.CharField(_("IP地址"), max_length=45, blank=True)
    detail = models.TextField(_("说明"), blank=True)
    prev_hash = models.CharField(_("前一条哈希"), max_length=64)
    hash = models.CharField(_("哈希(SM3)"), max_length=64)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("审计日志")
        verbose_name_plural = _("审计日志")
        ordering = ["-seq"]

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
    """The single row naming the last entry: writers lock it so the chain never forks,
    and verification compares it with the last row to detect a truncated tail."""

    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default=GENESIS_HASH)

    class Meta:
        verbose_name = _("审计链头")
        verbose_name_plural = _("审计链头")

    def __str__(self) -> str:
        return f"#{self.seq}"

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
        CREATE = "create", "新建"
        UPDATE = "update", "修改"
        DELETE = "delete", "删除"
        TRANSITION = "transition", "流转"
        VIEW = "view", "查看"
        VIEW_CONFIDENTIAL = "view_confidential", "查看保密信息"
        LOGIN = "login", "登录"
        LOGIN_FAILED = "login_failed", "登录失败"
        LOGOUT = "logout", "退出"
        ACCOUNT_LOCKED = "account_locked", "账号锁定"
        ACCOUNT_UNLOCKED = "account_unlocked", "账号解锁"
        PASSWORD_CHANGE = "password_change", "修改密码"
        ACCESS_DENIED = "access_denied", "拒绝访问"
        SETTINGS_CHANGE = "settings_change", "修改安全策略"
        EXPORT = "export", "导出"
        IMPORT = "import", "导入"
        DOWNLOAD = "download", "下载"
        ISSUE_DOCUMENT = "issue_document", "印发文书"

    class Outcome(models.TextChoices):
        SUCCESS = "success", "成功"
        FAILURE = "failure", "失败"
        DENIED = "denied", "拒绝"

    seq = models.PositiveBigIntegerField("序号", unique=True)
    at = models.DateTimeField("时间", db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_name = models.CharField("操作人姓名", max_length=150, blank=True)
    action = models.CharField("事件类型", max_length=32, db_index=True)
    target_type = models.CharField("对象类型", max_length=64, blank=True)
    target_id = models.CharField("对象标识", max_length=64, blank=True)
    target_repr = models.CharField("对象", max_length=200, blank=True)
    changes = models.JSONField("变更内容", default=dict, blank=True)
    outcome = models.CharField("结果", max_length=16, choices=Outcome.choices)
    ip = models.CharField("IP地址", max_length=45, blank=True)
    detail = models.TextField("说明", blank=True)
    prev_hash = models.CharField("前一条哈希", max_length=64)
    hash = models.CharField("哈希(SM3)", max_length=64)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = "审计日志"
        verbose_name_plural = "审计日志"
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
        verbose_name = "审计链头"
        verbose_name_plural = "审计链头"

    def __str__(self) -> str:
        return f"#{self.seq}"

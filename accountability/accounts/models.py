"""Accounts: one per person, each with the role that decides what they may do.

The roles come from the design's user table (DOMAIN.md); the three
administrators (三员分立) manage accounts, security settings and the audit
log, and never read case contents. The level-3 identity controls (GB/T
22239-2019: lock after failures, regular password change) keep their state
on the account itself.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.models import AbstractUser
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    class Role(models.TextChoices):
        CASE_OFFICER = "case_officer", _("监督室工作人员")
        OFFICE_HEAD = "office_head", _("监督室负责人")
        LEADER = "leader", _("分管(联系)领导")
        TEAM_MEMBER = "team_member", _("调查组成员")
        COMMITTEE_SECRETARY = "committee_secretary", _("常委会秘书")
        ARCHIVIST = "archivist", _("组织部档案管理员")
        CITY_OFFICER = "city_officer", _("市纪委监督室工作人员")
        TOWNSHIP_OFFICER = "township_officer", _("乡镇纪委工作人员")
        SUBJECT = "subject", _("被追究责任者")
        SYSTEM_ADMIN = "system_admin", _("系统管理员")
        SECURITY_ADMIN = "security_admin", _("安全管理员")
        AUDIT_ADMIN = "audit_admin", _("审计管理员")

    role = models.CharField(
        _("角色"), max_length=32, choices=Role.choices, default=Role.CASE_OFFICER
    )
    full_name = models.CharField(_("姓名"), max_length=64, blank=True)
    organisation = models.ForeignKey(
        "people.Organisation",
        verbose_name=_("所属单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="accounts",
    )
    failed_login_count = models.PositiveSmallIntegerField(_("连续登录失败次数"), default=0)
    locked_until = models.DateTimeField(_("锁定至"), null=True, blank=True)
    password_changed_at = models.DateTimeField(_("密码修改时间"), default=timezone.now)
    must_change_password = models.BooleanField(_("下次登录须修改密码"), default=False)

    ADMIN_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})

    class Meta:
        verbose_name = _("账号")
        verbose_name_plural = _("账号")
        ordering = ["username"]

    @property
    def is_administrator(self) -> bool:
        return self.role in self.ADMIN_ROLES

    @property
    def display_name(self) -> str:
        return self.full_name or self.username

    def is_locked(self, now=None) -> bool:
        now = now or timezone.now()
        return self.locked_until is not None and self.locked_until > now

    def password_expired(self, max_age_days: int, now=None) -> bool:
        now = now or timezone.now()
        return self.password_changed_at + timedelta(days=max_age_days) <= now

    def set_password(self, raw_password: str | None) -> None:
        super().set_password(raw_password)
        self.password_changed_at = timezone.now()

    def __str__(self) -> str:
        return self.display_name


class SecurityPolicy(models.Model):
    """The security administrator's settings (one row); defaults from Django settings.

    The bounds keep every value within what a level-3 assessment accepts, so
    the policy can be tightened but never weakened below it.
    """

    lockout_threshold = models.PositiveSmallIntegerField(
        _("连续失败锁定次数"),
        validators=[MinValueValidator(3), MaxValueValidator(10)],
    )
    lockout_minutes = models.PositiveSmallIntegerField(
        _("锁定时长(分钟)"),
        validators=[MinValueValidator(5), MaxValueValidator(1440)],
    )
    password_max_age_days = models.PositiveSmallIntegerField(
        _("密码有效期(天)"),
        validators=[MinValueValidator(30), MaxValueValidator(90)],
    )
    idle_timeout_minutes = models.PositiveSmallIntegerField(
        _("空闲超时(分钟)"),
        validators=[MinValueValidator(5), MaxValueValidator(30)],
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("安全策略")
        verbose_name_plural = _("安全策略")

    def __str__(self) -> str:
        return str(_("安全策略"))

"""Accounts: one per person, each with the role that decides what they may do.

The roles come from the design's user table (DOMAIN.md); the three
administrators (三员分立) manage accounts, security settings and the audit
log, and never read case contents. An account is an administrator account or
a business account for life (``User.kind``): its role moves only within its
group, and a database constraint keeps role and kind together.

The level-3 identity controls (GB/T 22239-2019) keep their state here: the
password history, the login throttle (per address, per account and address,
per account), the system administrator's requests that the security
administrator approves (two-person rule) and the one-time activation codes
through which a person sets their own password. docs/security.md explains
the design and its figures.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.models import AbstractUser
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accountability.common.errors import DomainError

KIND_CHANGE_REFUSED = _("账号类型不能改变：管理员账号与业务账号之间不能互相转换。")


class Role(models.TextChoices):
    """Account roles (User.Role)."""

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


#: 三员分立: the three administrator roles, none of whom reads case contents. The one
#: definition (accounts.permissions.ADMIN_ROLES and User.ADMIN_ROLES are this set).
ADMIN_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})
#: Their values, for the database constraint.
ADMIN_ROLE_VALUES = tuple(sorted(str(role) for role in ADMIN_ROLES))


class User(AbstractUser):
    Role = Role

    class Kind(models.TextChoices):
        ADMINISTRATOR = "administrator", _("管理员账号")
        BUSINESS = "business", _("业务账号")

    role = models.CharField(
        _("角色"), max_length=32, choices=Role.choices, default=Role.CASE_OFFICER
    )
    # Set from the role when the account is created, never changed afterwards (save()).
    kind = models.CharField(
        _("账号类型"), max_length=16, choices=Kind.choices, default=Kind.BUSINESS, editable=False
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
    password_changed_at = models.DateTimeField(_("密码修改时间"), default=timezone.now)
    must_change_password = models.BooleanField(_("下次登录须修改密码"), default=False)

    ADMIN_ROLES = ADMIN_ROLES
    BUSINESS_ROLES = frozenset(set(Role) - ADMIN_ROLES)

    class Meta:
        verbose_name = _("账号")
        verbose_name_plural = _("账号")
        ordering = ["username"]
        constraints = [
            # An administrator account holds an administrator role, a business account never.
            models.CheckConstraint(
                condition=(
                    Q(kind="administrator", role__in=ADMIN_ROLE_VALUES)
                    | (Q(kind="business") & ~Q(role__in=ADMIN_ROLE_VALUES))
                ),
                name="accounts_user_kind_matches_role",
            ),
        ]

    @classmethod
    def kind_for_role(cls, role: str) -> str:
        return cls.Kind.ADMINISTRATOR if role in cls.ADMIN_ROLES else cls.Kind.BUSINESS

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._stored_kind = instance.__dict__.get("kind")
        return instance

    def save(self, *args, **kwargs):
        """The kind follows the role at creation; afterwards neither may cross the groups."""
        stored = getattr(self, "_stored_kind", None)
        if stored is None and not self._state.adding:
            stored = type(self).objects.filter(pk=self.pk).values_list("kind", flat=True).first()
        if stored is None:
            self.kind = self.kind_for_role(self.role)
        elif self.kind != stored or self.kind_for_role(self.role) != stored:
            raise DomainError(KIND_CHANGE_REFUSED, field="role", code="account_kind")
        super().save(*args, **kwargs)
        self._stored_kind = self.kind

    @property
    def is_administrator(self) -> bool:
        return self.role in self.ADMIN_ROLES

    @property
    def display_name(self) -> str:
        return self.full_name or self.username

    def password_expired(self, max_age_days: int, now=None) -> bool:
        now = now or timezone.now()
        return self.password_changed_at + timedelta(days=max_age_days) <= now

    def set_password(self, raw_password: str | None) -> None:
        # Kept for the password history: an account from before the history has its current
        # password recorded when it first changes.
        self._previous_password = self.password if self.has_usable_password() else None
        super().set_password(raw_password)
        self.password_changed_at = timezone.now()

    def __str__(self) -> str:
        return self.display_name


def organisation_model() -> type[models.Model]:
    """people.Organisation, the model of ``User.organisation``. Accounts names it only by its
    label: people is a layer above accounts (its pages check roles with accounts.permissions)."""
    model = User._meta.get_field("organisation").related_model
    assert isinstance(model, type)
    return model


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


class PasswordHistory(models.Model):
    """The hashes of a user's recent passwords (PasswordHistoryValidator keeps the last few)."""

    user = models.ForeignKey(
        User, verbose_name=_("账号"), on_delete=models.CASCADE, related_name="password_history"
    )
    password = models.CharField(_("密码哈希"), max_length=128)
    created_at = models.DateTimeField(_("设置时间"), default=timezone.now)

    class Meta:
        verbose_name = _("历史密码")
        verbose_name_plural = _("历史密码")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.user_id} {self.created_at:%Y-%m-%d}"


class LoginThrottle(models.Model):
    """Failed logins counted by one key: a client address, an account name with an address,
    or an account name alone (throttle.py holds the rules and their figures).

    The account name is the one typed, lower-cased, whether or not such an account exists, so
    that a missing account is throttled exactly like an existing one.
    """

    class Scope(models.TextChoices):
        ADDRESS = "address", _("来源地址")
        ACCOUNT_ADDRESS = "account_address", _("账号与来源地址")
        ACCOUNT = "account", _("账号")

    scope = models.CharField(_("范围"), max_length=16, choices=Scope.choices)
    username = models.CharField(_("用户名"), max_length=150, blank=True)
    address = models.CharField(_("来源地址"), max_length=45, blank=True)
    failures = models.PositiveIntegerField(_("失败次数"), default=0)
    last_failure_at = models.DateTimeField(_("最近失败时间"))
    blocked_until = models.DateTimeField(_("暂停登录至"), null=True, blank=True)

    class Meta:
        verbose_name = _("登录限制")
        verbose_name_plural = _("登录限制")
        constraints = [
            # One row per key; also the index of every lookup by key (throttle.throttle_state).
            models.UniqueConstraint(
                fields=["scope", "username", "address"], name="accounts_throttle_key"
            ),
        ]
        indexes = [
            # Forgotten rows are purged by age (throttle.throttle_failure).
            models.Index(fields=["last_failure_at"], name="accounts_throttle_age"),
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.username} {self.address}"


class AccountRequest(models.Model):
    """A change to a business account that the system administrator asks for and the security
    administrator approves or refuses (two-person rule); it is applied only on approval."""

    class Kind(models.TextChoices):
        CREATE = "create", _("新建业务账号")
        CHANGE = "change", _("变更角色或所属单位")
        RESET = "reset", _("重置密码")
        REACTIVATE = "reactivate", _("重新启用账号")

    class Status(models.TextChoices):
        PENDING = "pending", _("待审批")
        APPROVED = "approved", _("已批准")
        REFUSED = "refused", _("已拒绝")

    kind = models.CharField(_("申请事项"), max_length=16, choices=Kind.choices)
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    account = models.ForeignKey(
        User,
        verbose_name=_("账号"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="account_requests",
    )
    username = models.CharField(_("用户名"), max_length=150)
    full_name = models.CharField(_("姓名"), max_length=64, blank=True)
    role = models.CharField(_("角色"), max_length=32, choices=User.Role.choices, blank=True)
    organisation = models.ForeignKey(
        "people.Organisation",
        verbose_name=_("所属单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.TextField(_("申请理由"), blank=True)
    requested_by = models.ForeignKey(
        User, verbose_name=_("申请人"), on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("申请时间"), default=timezone.now)
    decided_by = models.ForeignKey(
        User,
        verbose_name=_("审批人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_note = models.TextField(_("审批意见"), blank=True)
    # The hash of the first half of the activation code, shown once to the requester
    # (new accounts and password resets); the approval adds the second half (Activation).
    first_code = models.CharField(max_length=128, blank=True, editable=False)

    class Meta:
        verbose_name = _("账号变更申请")
        verbose_name_plural = _("账号变更申请")
        ordering = ["-requested_at", "-id"]
        constraints = [
            # One open request per account name at a time.
            models.UniqueConstraint(
                fields=["username"],
                condition=Q(status="pending"),
                name="accounts_request_one_pending",
            ),
        ]
        indexes = [
            # The pending queue and the recent decisions (selectors.account_request_list).
            models.Index(fields=["status", "-requested_at"], name="accounts_request_queue"),
        ]

    def __str__(self) -> str:
        return f"账号变更申请 #{self.pk}：{self.get_kind_display()} {self.username}"


class Activation(models.Model):
    """A one-time activation code in two halves, each known to one person (the requesting
    system administrator and the approving security administrator; for an administrator
    account, the operator at the command line). With both halves the person sets their own
    password; the halves are stored hashed and the code works once, until it expires."""

    user = models.ForeignKey(
        User, verbose_name=_("账号"), on_delete=models.CASCADE, related_name="activations"
    )
    request = models.ForeignKey(
        AccountRequest,
        verbose_name=_("账号变更申请"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="activations",
    )
    first_code = models.CharField(max_length=128, editable=False)
    second_code = models.CharField(max_length=128, editable=False)
    created_at = models.DateTimeField(_("签发时间"), default=timezone.now)
    expires_at = models.DateTimeField(_("有效期至"))
    used_at = models.DateTimeField(_("使用时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("激活码")
        verbose_name_plural = _("激活码")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.user} {self.created_at:%Y-%m-%d %H:%M}"

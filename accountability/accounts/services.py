"""Account writes: the system administrator's account management, the security
administrator's unlocking and policy, and the login bookkeeping (lockout).

Each function runs in one transaction and writes its audit entry.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accountability.accounts.models import SecurityPolicy, User
from accountability.accounts.policy import Policy, security_policy
from accountability.audit.services import audit_log
from accountability.common.errors import DomainError, PermissionDenied

#: No default or shared accounts (GB/T 22239 access control): these names are refused.
RESERVED_USERNAMES = frozenset(
    {
        "admin",
        "administrator",
        "root",
        "guest",
        "test",
        "user",
        "sa",
        "system",
        "default",
        "public",
        "shared",
        "demo",
    }
)

USERNAME_RESERVED = _("用户名“{username}”是通用或共享账号名，不能使用；请为每个人建立个人账号。")
USERNAME_TAKEN = _("用户名“{username}”已被使用。")
USERNAME_REQUIRED = _("用户名不能为空。")
FULL_NAME_REQUIRED = _("姓名不能为空：每个账号必须对应一名具体人员。")
ROLE_INVALID = _("角色“{role}”不存在。")
CANNOT_CHANGE_OWN_ROLE = _("不能修改自己的角色。")
CANNOT_DEACTIVATE_SELF = _("不能停用自己的账号。")
NOT_SYSTEM_ADMIN = _("只有系统管理员可以管理账号。")
NOT_SECURITY_ADMIN = _("只有安全管理员可以解锁账号或修改安全策略。")
PASSWORD_SAME_AS_OLD = _("新密码不能与原密码相同。")
OLD_PASSWORD_WRONG = _("原密码不正确。")


def _require_role(actor: User, role: str, message: str) -> None:
    if actor is None or actor.role != role or not actor.is_active:
        raise PermissionDenied(message)


def _validate_password(password: str, user: User) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise DomainError(" ".join(exc.messages), field="password", code="password") from exc


def _check_role(role: str) -> None:
    if role not in User.Role.values:
        raise DomainError(ROLE_INVALID.format(role=role), field="role")


@transaction.atomic
def account_create(
    *,
    actor: User,
    username: str,
    full_name: str,
    role: str,
    organisation=None,
    password: str,
    request=None,
) -> User:
    """A personal account; the user must change the initial password at first login."""
    _require_role(actor, User.Role.SYSTEM_ADMIN, NOT_SYSTEM_ADMIN)
    username = (username or "").strip()
    full_name = (full_name or "").strip()
    if not username:
        raise DomainError(USERNAME_REQUIRED, field="username")
    if username.lower() in RESERVED_USERNAMES:
        raise DomainError(USERNAME_RESERVED.format(username=username), field="username")
    if User.objects.filter(username__iexact=username).exists():
        raise DomainError(USERNAME_TAKEN.format(username=username), field="username")
    if not full_name:
        raise DomainError(FULL_NAME_REQUIRED, field="full_name")
    _check_role(role)
    user = User(username=username, full_name=full_name, role=role, organisation=organisation)
    _validate_password(password, user)
    user.set_password(password)
    user.must_change_password = True
    user.save()
    audit_log(
        actor=actor,
        action="create",
        target=user,
        changes={
            "username": [None, username],
            "full_name": [None, full_name],
            "role": [None, role],
            "organisation": [None, str(organisation) if organisation else None],
        },
        request=request,
    )
    return user


@transaction.atomic
def account_update(
    *, actor: User, user: User, full_name: str, role: str, organisation=None, request=None
) -> User:
    _require_role(actor, User.Role.SYSTEM_ADMIN, NOT_SYSTEM_ADMIN)
    full_name = (full_name or "").strip()
    if not full_name:
        raise DomainError(FULL_NAME_REQUIRED, field="full_name")
    _check_role(role)
    if user.pk == actor.pk and role != user.role:
        raise DomainError(CANNOT_CHANGE_OWN_ROLE, field="role")
    before = {
        "full_name": user.full_name,
        "role": user.role,
        "organisation": str(user.organisation) if user.organisation else None,
    }
    user.full_name = full_name
    user.role = role
    user.organisation = organisation
    user.save(update_fields=["full_name", "role", "organisation"])
    after = {
        "full_name": user.full_name,
        "role": user.role,
        "organisation": str(organisation) if organisation else None,
    }
    changes = {k: [before[k], after[k]] for k in before if before[k] != after[k]}
    audit_log(actor=actor, action="update", target=user, changes=changes, request=request)
    return user


@transaction.atomic
def account_set_active(*, actor: User, user: User, active: bool, request=None) -> User:
    """Deactivate (never delete: the audit trail refers to the account) or reactivate."""
    _require_role(actor, User.Role.SYSTEM_ADMIN, NOT_SYSTEM_ADMIN)
    if user.pk == actor.pk and not active:
        raise DomainError(CANNOT_DEACTIVATE_SELF, field="is_active")
    if user.is_active != active:
        user.is_active = active
        user.save(update_fields=["is_active"])
        audit_log(
            actor=actor,
            action="update",
            target=user,
            changes={"is_active": [not active, active]},
            request=request,
        )
    return user


@transaction.atomic
def account_reset_password(*, actor: User, user: User, password: str, request=None) -> User:
    """A temporary password set by the system administrator, to be changed at next login."""
    _require_role(actor, User.Role.SYSTEM_ADMIN, NOT_SYSTEM_ADMIN)
    _validate_password(password, user)
    user.set_password(password)
    user.must_change_password = True
    user.save(update_fields=["password", "password_changed_at", "must_change_password"])
    audit_log(
        actor=actor, action="password_change", target=user, detail="重置密码", request=request
    )
    return user


@transaction.atomic
def account_unlock(*, actor: User, user: User, request=None) -> User:
    _require_role(actor, User.Role.SECURITY_ADMIN, NOT_SECURITY_ADMIN)
    user.locked_until = None
    user.failed_login_count = 0
    user.save(update_fields=["locked_until", "failed_login_count"])
    audit_log(actor=actor, action="account_unlocked", target=user, request=request)
    return user


@transaction.atomic
def security_policy_update(*, actor: User, policy: Policy, request=None) -> Policy:
    _require_role(actor, User.Role.SECURITY_ADMIN, NOT_SECURITY_ADMIN)
    before = security_policy().as_dict()
    row = SecurityPolicy(pk=1, **policy.as_dict())
    row.full_clean()
    row.save()
    after = policy.as_dict()
    audit_log(
        actor=actor,
        action="settings_change",
        target=("accounts.securitypolicy", "1", "安全策略"),
        changes={k: [before[k], after[k]] for k in after if before[k] != after[k]},
        request=request,
    )
    return policy


@transaction.atomic
def login_failure_record(*, username: str, request=None) -> User | None:
    """Count a failed login; the threshold-th failure in a row locks the account."""
    policy = security_policy()
    user = User.objects.select_for_update().filter(username=username).first()
    if user is None:
        audit_log(
            action="login_failed",
            target=("accounts.user", "", username[:200]),
            outcome="failure",
            detail="用户名不存在",
            request=request,
        )
        return None
    User.objects.filter(pk=user.pk).update(failed_login_count=F("failed_login_count") + 1)
    user.refresh_from_db(fields=["failed_login_count"])
    audit_log(
        action="login_failed",
        target=user,
        outcome="failure",
        detail=f"密码错误(连续第 {user.failed_login_count} 次)",
        request=request,
    )
    if user.failed_login_count >= policy.lockout_threshold:
        user.locked_until = timezone.now() + timedelta(minutes=policy.lockout_minutes)
        user.failed_login_count = 0
        user.save(update_fields=["locked_until", "failed_login_count"])
        audit_log(
            action="account_locked",
            target=user,
            outcome="failure",
            detail=(
                f"连续 {policy.lockout_threshold} 次登录失败，锁定 {policy.lockout_minutes} 分钟"
            ),
            request=request,
        )
    return user


@transaction.atomic
def login_locked_record(*, user: User, request=None) -> None:
    audit_log(
        action="login_failed",
        target=user,
        outcome="denied",
        detail="账号已锁定",
        request=request,
    )


@transaction.atomic
def login_success_record(*, user: User, request=None) -> None:
    if user.failed_login_count or user.locked_until:
        user.failed_login_count = 0
        user.locked_until = None
        user.save(update_fields=["failed_login_count", "locked_until"])
    audit_log(actor=user, action="login", target=user, request=request)


@transaction.atomic
def logout_record(*, user: User, request=None) -> None:
    audit_log(actor=user, action="logout", target=user, request=request)


@transaction.atomic
def password_change(*, user: User, old_password: str, new_password: str, request=None) -> User:
    """The user's own change (the 90-day rule and first login lead here)."""
    if not user.check_password(old_password):
        raise DomainError(OLD_PASSWORD_WRONG, field="old_password")
    if old_password == new_password:
        raise DomainError(PASSWORD_SAME_AS_OLD, field="new_password1")
    _validate_password(new_password, user)
    user.set_password(new_password)
    user.must_change_password = False
    user.save(update_fields=["password", "password_changed_at", "must_change_password"])
    audit_log(actor=user, action="password_change", target=user, request=request)
    return user

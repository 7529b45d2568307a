"""Account writes (三员分立, GB/T 22239-2019 level 3).

- The system administrator manages business accounts: edits a name, deactivates, and *asks*
  for everything that gives access: a new account, another role or unit, a password reset, a
  reactivation (AccountRequest). The security administrator approves or refuses; the change is
  applied only on approval, and the requester is never the approver.
- Nobody chooses another person's password. A new account and a reset get a one-time
  activation code in two halves: the requester sees the first half once, the approver the
  second; the person types both and sets their own password (and enrols a second factor where
  their role needs one). Neither administrator alone holds a usable credential.
- Administrator accounts are made and managed only from the command line by the operator
  (`accountability create-administrator`, `reset-administrator`,
  `deactivate-administrator`); no role moves between the administrator and the business
  groups (User.kind).
- The security administrator also unlocks accounts, resets a second factor and sets the
  security policy. Logins are recorded here too (login.py runs the login itself).

Each function runs in one transaction and writes its audit entries.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accountability.accounts import codes, otp, throttle
from accountability.accounts.models import (
    AccountRequest,
    Activation,
    SecurityPolicy,
    User,
)
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
ADMIN_ROLE_REFUSED = _(
    "不能通过界面授予管理员角色：管理员账号只能由运维人员在服务器命令行建立"
    "（accountability create-administrator）。"
)
ADMIN_ACCOUNT_COMMAND_LINE_ONLY = _(
    "管理员账号不能在界面上修改、停用或重置密码，只能由运维人员在服务器命令行管理。"
)
NOT_ADMIN_ROLE = _("管理员账号的角色须为系统管理员、安全管理员或审计管理员之一。")
CANNOT_DEACTIVATE_SELF = _("不能停用自己的账号。")
NOT_SYSTEM_ADMIN = _("只有系统管理员可以管理账号。")
NOT_SECURITY_ADMIN = _("只有安全管理员可以解锁账号或修改安全策略。")
NOT_APPROVER = _("只有安全管理员可以审批账号变更申请。")
REQUESTER_CANNOT_APPROVE = _("申请人不能审批自己提交的申请。")
REQUEST_PENDING_EXISTS = _("账号“{username}”已有一项待审批的申请，请待安全管理员审批后再提交。")
REQUEST_DECIDED = _("该申请已经审批，不能再次审批。")
NOTHING_TO_CHANGE = _("角色和所属单位均未改变，无需提交申请。")
ALREADY_ACTIVE = _("账号“{username}”已是启用状态。")
ACTIVATION_INVALID = _("用户名或激活码不正确，或激活码已过期、已使用。")
PASSWORD_SAME_AS_OLD = _("新密码不能与原密码相同。")
OLD_PASSWORD_WRONG = _("原密码不正确。")
CANNOT_RESET_OWN_SECOND_FACTOR = _("不能重置自己的双因素认证，请由另一名安全管理员或运维人员办理。")
NO_SECOND_FACTOR = _("账号“{username}”尚未启用双因素认证。")
TOTP_CODE_WRONG = _("动态口令不正确或已使用，请输入认证器上当前显示的 6 位数字。")
USER_NOT_FOUND = _("账号“{username}”不存在。")


# --- helpers --------------------------------------------------------------------------------


def _require_role(actor: User | None, role: str, message) -> None:
    if actor is None or actor.role != role or not actor.is_active:
        raise PermissionDenied(message)


def _validate_password(password: str, user: User) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise DomainError(" ".join(exc.messages), field="password", code="password") from exc


def _check_business_role(role: str) -> None:
    if role in User.ADMIN_ROLES:
        raise DomainError(ADMIN_ROLE_REFUSED, field="role", code="admin_role")
    if role not in User.Role.values:
        raise DomainError(ROLE_INVALID.format(role=role), field="role")


def _require_business_account(user: User) -> None:
    if user.kind != User.Kind.BUSINESS:
        raise DomainError(ADMIN_ACCOUNT_COMMAND_LINE_ONLY, field=None, code="admin_account")


def _check_new_username(username: str) -> str:
    username = (username or "").strip()
    if not username:
        raise DomainError(USERNAME_REQUIRED, field="username")
    if username.lower() in RESERVED_USERNAMES:
        raise DomainError(USERNAME_RESERVED.format(username=username), field="username")
    if User.objects.filter(username__iexact=username).exists():
        raise DomainError(USERNAME_TAKEN.format(username=username), field="username")
    return username


def _check_no_pending(username: str) -> None:
    if AccountRequest.objects.filter(
        username__iexact=username, status=AccountRequest.Status.PENDING
    ).exists():
        raise DomainError(REQUEST_PENDING_EXISTS.format(username=username), field=None)


def _org_label(organisation) -> str | None:
    return str(organisation) if organisation else None


def _activation_expiry():
    return timezone.now() + timedelta(hours=int(settings.ACCOUNTS_ACTIVATION_HOURS))


def _issue_activation(*, user: User, first_hash: str, account_request=None) -> str:
    """A new activation for ``user`` (earlier unused ones are withdrawn); returns the second
    half in clear, to be shown once."""
    second = codes.new_activation_half()
    Activation.objects.filter(user=user, used_at=None).delete()
    Activation.objects.create(
        user=user,
        request=account_request,
        first_code=first_hash,
        second_code=make_password(codes.normalise(second)),
        expires_at=_activation_expiry(),
    )
    return second


# --- the system administrator's requests ------------------------------------------------------


def _new_request(*, actor: User, kind: str, username: str, **fields) -> AccountRequest:
    _check_no_pending(username)
    return AccountRequest.objects.create(kind=kind, username=username, requested_by=actor, **fields)


def _audit_request(account_request: AccountRequest, *, changes: dict, request) -> None:
    audit_log(
        actor=account_request.requested_by,
        action="create",
        target=account_request,
        changes=changes,
        detail=f"系统管理员提交申请，待安全管理员审批。理由：{account_request.reason or '未填写'}",
        request=request,
    )


@transaction.atomic
def account_request_create(
    *,
    actor: User,
    username: str,
    full_name: str,
    role: str,
    organisation=None,
    reason: str = "",
    request=None,
) -> tuple[AccountRequest, str]:
    """Ask for a new business account; returns the request and the first half of its
    activation code (shown once to the requester, who hands it to the person)."""
    _require_role(actor, User.Role.SYSTEM_ADMIN, NOT_SYSTEM_ADMIN)
    username = _check_new_username(username)
    full_name = (full_name or "").strip()
    if not full_name:
        raise DomainError(FULL_NAME_REQUIRED, field="full_name")
    _check_business_role(role)
    first = codes.new_activation_half()
    account_request = _new_request(
        actor=actor,
        kind=AccountRequest.Kind.CREATE,
        username=username,
        full_name=full_name,
        role=role,
        organisation=organisation,
        reason=(reason or "").strip(),
        first_code=make_password(codes.normalise(first)),
    )
    _audit_request(
        account_request,
        changes={
            "username": [None, username],
            "full_name": [None, full_name],
            "role": [None, role],
            "organisation": [None, _org_label(organisation)],
        },
        request=request,
    )
    return account_request, first


@transaction.atomic
def account_request_change(
    *, actor: User, user: User, role: str, organisation=None, reason: str = "", request=None
) -> AccountRequest:
    """Ask for another business role or unit for a business account."""
    _require_role(actor, User.Role.SYSTEM_ADMIN, NOT_SYSTEM_ADMIN)
    _require_business_account(user)
    _check_business_role(role)
    changes = {}
    if role != user.role:
        changes["role"] = [user.role, role]
    if organisation != user.organisation:
        changes["organisation"] = [_org_label(user.organisation), _org_label(organisation)]
    if not changes:
        raise DomainError(NOTHING_TO_CHANGE, field="role")
    account_request = _new_request(
        actor=actor,
        kind=AccountRequest.Kind.CHANGE,
        username=user.username,
        account=user,
        full_name=user.full_name,
        role=role,
        organisation=organisation,
        reason=(reason or "").strip(),
    )
    _audit_request(account_request, changes=changes, request=request)
    return account_request


@transaction.atomic
def account_request_reset(
    *, actor: User, user: User, reason: str = "", request=None
) -> tuple[AccountRequest, str]:
    """Ask for a password reset; returns the request and the first half of the activation
    code. The password stays as it is until the security administrator approves."""
    _require_role(actor, User.Role.SYSTEM_ADMIN, NOT_SYSTEM_ADMIN)
    _require_business_account(user)
    first = codes.new_activation_half()
    account_request = _new_request(
        actor=actor,
        kind=AccountRequest.Kind.RESET,
        username=user.username,
        account=user,
        full_name=user.full_name,
        role=user.role,
        organisation=user.organisation,
        reason=(reason or "").strip(),
        first_code=make_password(codes.normalise(first)),
    )
    _audit_request(account_request, changes={}, request=request)
    return account_request, first


@transaction.atomic
def account_request_reactivate(
    *, actor: User, user: User, reason: str = "", request=None
) -> AccountRequest:
    """Ask to enable a deactivated business account again."""
    _require_role(actor, User.Role.SYSTEM_ADMIN, NOT_SYSTEM_ADMIN)
    _require_business_account(user)
    if user.is_active:
        raise DomainError(ALREADY_ACTIVE.format(username=user.username), field="is_active")
    account_request = _new_request(
        actor=actor,
        kind=AccountRequest.Kind.REACTIVATE,
        username=user.username,
        account=user,
        full_name=user.full_name,
        role=user.role,
        organisation=user.organisation,
        reason=(reason or "").strip(),
    )
    _audit_request(account_request, changes={"is_active": [False, True]}, request=request)
    return account_request


# --- the security administrator's decision ----------------------------------------------------


def _lock_pending(actor: User, account_request: AccountRequest) -> AccountRequest:
    _require_role(actor, User.Role.SECURITY_ADMIN, NOT_APPROVER)
    locked = AccountRequest.objects.select_for_update().get(pk=account_request.pk)
    if locked.requested_by_id == actor.pk:
        raise PermissionDenied(REQUESTER_CANNOT_APPROVE)
    if locked.status != AccountRequest.Status.PENDING:
        raise DomainError(REQUEST_DECIDED, field=None, code="decided")
    return locked


def _decide(locked: AccountRequest, *, actor: User, status: str, note: str, request) -> None:
    locked.status = status
    locked.decided_by = actor
    locked.decided_at = timezone.now()
    locked.decision_note = (note or "").strip()
    locked.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    verdict = "批准" if status == AccountRequest.Status.APPROVED else "拒绝"
    audit_log(
        actor=actor,
        action="update",
        target=locked,
        changes={"status": [AccountRequest.Status.PENDING, status]},
        detail=f"安全管理员{verdict}。意见：{locked.decision_note or '未填写'}",
        request=request,
    )


def _applied_detail(locked: AccountRequest, actor: User) -> str:
    return (
        f"经系统管理员{locked.requested_by.display_name}申请（#{locked.pk}）、"
        f"安全管理员{actor.display_name}批准"
    )


def _apply_create(locked: AccountRequest, actor: User, request) -> tuple[User, str]:
    if User.objects.filter(username__iexact=locked.username).exists():
        raise DomainError(USERNAME_TAKEN.format(username=locked.username), field="username")
    user = User(
        username=locked.username,
        full_name=locked.full_name,
        role=locked.role,
        organisation=locked.organisation,
    )
    user.set_unusable_password()
    user.save()
    locked.account = user
    locked.save(update_fields=["account"])
    second = _issue_activation(user=user, first_hash=locked.first_code, account_request=locked)
    audit_log(
        actor=actor,
        action="create",
        target=user,
        changes={
            "username": [None, user.username],
            "full_name": [None, user.full_name],
            "role": [None, user.role],
            "organisation": [None, _org_label(user.organisation)],
        },
        detail=_applied_detail(locked, actor) + "；待本人以激活码设置密码",
        request=request,
    )
    return user, second


def _apply_change(locked: AccountRequest, actor: User, request) -> None:
    user = User.objects.select_for_update().get(pk=locked.account_id)
    _require_business_account(user)
    changes = {}
    if user.role != locked.role:
        changes["role"] = [user.role, locked.role]
    if user.organisation_id != locked.organisation_id:
        changes["organisation"] = [_org_label(user.organisation), _org_label(locked.organisation)]
    user.role = locked.role
    user.organisation = locked.organisation
    user.save(update_fields=["role", "organisation"])
    audit_log(
        actor=actor,
        action="update",
        target=user,
        changes=changes,
        detail=_applied_detail(locked, actor),
        request=request,
    )


def _apply_reset(locked: AccountRequest, actor: User, request) -> str:
    user = User.objects.select_for_update().get(pk=locked.account_id)
    _require_business_account(user)
    user.set_unusable_password()
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
    second = _issue_activation(user=user, first_hash=locked.first_code, account_request=locked)
    audit_log(
        actor=actor,
        action="password_change",
        target=user,
        detail=_applied_detail(locked, actor) + "：原密码作废，待本人以激活码设置新密码",
        request=request,
    )
    return second


def _apply_reactivate(locked: AccountRequest, actor: User, request) -> None:
    user = User.objects.select_for_update().get(pk=locked.account_id)
    _require_business_account(user)
    if not user.is_active:
        user.is_active = True
        user.save(update_fields=["is_active"])
    audit_log(
        actor=actor,
        action="update",
        target=user,
        changes={"is_active": [False, True]},
        detail=_applied_detail(locked, actor),
        request=request,
    )


@transaction.atomic
def account_request_approve(
    *, actor: User, account_request: AccountRequest, note: str = "", request=None
) -> tuple[AccountRequest, str | None]:
    """Approve and apply; for a new account or a reset, returns the second half of the
    activation code (shown once to the approver, who hands it to the person)."""
    locked = _lock_pending(actor, account_request)
    _decide(locked, actor=actor, status=AccountRequest.Status.APPROVED, note=note, request=request)
    second = None
    if locked.kind == AccountRequest.Kind.CREATE:
        _, second = _apply_create(locked, actor, request)
    elif locked.kind == AccountRequest.Kind.CHANGE:
        _apply_change(locked, actor, request)
    elif locked.kind == AccountRequest.Kind.RESET:
        second = _apply_reset(locked, actor, request)
    else:
        _apply_reactivate(locked, actor, request)
    return locked, second


@transaction.atomic
def account_request_refuse(
    *, actor: User, account_request: AccountRequest, note: str = "", request=None
) -> AccountRequest:
    locked = _lock_pending(actor, account_request)
    _decide(locked, actor=actor, status=AccountRequest.Status.REFUSED, note=note, request=request)
    return locked


# --- what the system administrator does alone -------------------------------------------------


@transaction.atomic
def account_update(*, actor: User, user: User, full_name: str, request=None) -> User:
    """Correct the person's name (the role and unit change only through a request)."""
    _require_role(actor, User.Role.SYSTEM_ADMIN, NOT_SYSTEM_ADMIN)
    _require_business_account(user)
    full_name = (full_name or "").strip()
    if not full_name:
        raise DomainError(FULL_NAME_REQUIRED, field="full_name")
    if full_name != user.full_name:
        before = user.full_name
        user.full_name = full_name
        user.save(update_fields=["full_name"])
        audit_log(
            actor=actor,
            action="update",
            target=user,
            changes={"full_name": [before, full_name]},
            request=request,
        )
    return user


@transaction.atomic
def account_deactivate(*, actor: User, user: User, request=None) -> User:
    """Deactivate (never delete: the audit trail refers to the account). Taking access away
    needs no second person; giving it back does (account_request_reactivate)."""
    _require_role(actor, User.Role.SYSTEM_ADMIN, NOT_SYSTEM_ADMIN)
    if user.pk == actor.pk:
        raise DomainError(CANNOT_DEACTIVATE_SELF, field="is_active")
    _require_business_account(user)
    if user.is_active:
        user.is_active = False
        user.save(update_fields=["is_active"])
        audit_log(
            actor=actor,
            action="update",
            target=user,
            changes={"is_active": [True, False]},
            request=request,
        )
    return user


# --- the security administrator ---------------------------------------------------------------


@transaction.atomic
def account_unlock(*, actor: User, user: User, request=None) -> User:
    """Lift the login blocks of an account (every address)."""
    _require_role(actor, User.Role.SECURITY_ADMIN, NOT_SECURITY_ADMIN)
    throttle.throttle_clear_account(username=user.username)
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


def _delete_second_factor(user: User) -> int:
    removed, _ = TOTPDevice.objects.filter(user=user).delete()
    static, _ = StaticDevice.objects.filter(user=user).delete()
    return removed + static


@transaction.atomic
def otp_reset(*, actor: User | None, user: User, request=None) -> int:
    """Remove a user's second factor (TOTP and recovery codes); where their role needs one,
    they enrol a new one after their password at the next login. ``actor`` is the security
    administrator, or None from the command line (`accountability otp-reset`)."""
    if actor is not None:
        _require_role(actor, User.Role.SECURITY_ADMIN, NOT_SECURITY_ADMIN)
        if actor.pk == user.pk:
            raise DomainError(CANNOT_RESET_OWN_SECOND_FACTOR, field=None)
    if not TOTPDevice.objects.filter(user=user).exists() and not (
        StaticDevice.objects.filter(user=user).exists()
    ):
        raise DomainError(NO_SECOND_FACTOR.format(username=user.username), field=None)
    removed = _delete_second_factor(user)
    audit_log(
        actor=actor,
        action="update",
        target=user,
        changes={"second_factor": ["已启用", "已重置"]},
        detail=(
            "安全管理员重置双因素认证"
            if actor is not None
            else "运维人员在命令行重置双因素认证(otp-reset)"
        ),
        request=request,
    )
    return removed


# --- the person's own second factor -----------------------------------------------------------


def _new_recovery_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=otp.RECOVERY_DEVICE_NAME, confirmed=True)
    plain = codes.new_recovery_codes()
    StaticToken.objects.bulk_create(
        StaticToken(device=device, token=codes.recovery_digest(user_id=user.pk, code=code))
        for code in plain
    )
    return plain


@transaction.atomic
def otp_enrol(*, user: User, device: TOTPDevice, code: str, request=None) -> list[str] | None:
    """Confirm a new TOTP device with the first code it shows; returns the recovery codes
    (shown once), or None when the code is wrong."""
    if device.pk is not None or device.user_id != user.pk:
        raise ValueError("otp_enrol takes the unsaved device being enrolled")
    if not otp.is_totp_code(code):
        return None
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    if not totp.verify(int(code.strip()), device.tolerance):
        return None
    TOTPDevice.objects.filter(user=user).delete()
    device.confirmed = True
    device.last_t = totp.t()
    device.save()
    plain = _new_recovery_codes(user)
    audit_log(
        actor=user,
        action="update",
        target=user,
        changes={"second_factor": ["未启用", "已启用"]},
        detail=f"本人启用双因素认证(动态口令)，生成 {len(plain)} 个恢复码",
        request=request,
    )
    return plain


@transaction.atomic
def recovery_codes_regenerate(*, user: User, code: str, request=None) -> list[str]:
    """New recovery codes (the old ones stop working), after a current TOTP code."""
    device = otp.totp_device(user)
    if device is None:
        raise DomainError(NO_SECOND_FACTOR.format(username=user.username), field="code")
    if not otp.is_totp_code(code) or otp.verify_code(user, code) is None:
        raise DomainError(TOTP_CODE_WRONG, field="code", code="otp")
    plain = _new_recovery_codes(user)
    audit_log(
        actor=user,
        action="update",
        target=user,
        detail=f"本人重新生成恢复码 {len(plain)} 个，原恢复码作废",
        request=request,
    )
    return plain


# --- activation -------------------------------------------------------------------------------


@transaction.atomic
def account_activate(
    *, username: str, first_code: str, second_code: str, password: str, request=None
) -> User:
    """The person sets their own password with both halves of their activation code.

    A missing account, a wrong half, an expired or used code all give the same error, after
    the same work (two hasher runs)."""
    user = User.objects.filter(username=username, is_active=True).first()
    activation = (
        Activation.objects.select_for_update()
        .filter(user=user, used_at=None, expires_at__gt=timezone.now())
        .first()
        if user is not None
        else None
    )
    first, second = codes.normalise(first_code), codes.normalise(second_code)
    if activation is None:
        make_password(first)
        make_password(second)
        raise DomainError(ACTIVATION_INVALID, field=None, code="activation")
    first_ok = check_password(first, activation.first_code)
    second_ok = check_password(second, activation.second_code)
    if not (first_ok and second_ok):
        raise DomainError(ACTIVATION_INVALID, field=None, code="activation")
    _validate_password(password, user)
    user.set_password(password)
    user.must_change_password = False
    user.save(update_fields=["password", "password_changed_at", "must_change_password"])
    activation.used_at = timezone.now()
    activation.save(update_fields=["used_at"])
    audit_log(
        actor=user,
        action="password_change",
        target=user,
        detail="本人使用激活码设置密码",
        request=request,
    )
    return user


# --- administrator accounts, from the command line only ---------------------------------------


@transaction.atomic
def administrator_create(
    *, username: str, full_name: str, role: str, organisation=None
) -> tuple[User, str, str]:
    """An administrator account (operator at the command line); returns the account and both
    halves of its activation code, printed once for the operator to hand over."""
    if role not in User.ADMIN_ROLES:
        raise DomainError(NOT_ADMIN_ROLE, field="role")
    username = _check_new_username(username)
    full_name = (full_name or "").strip()
    if not full_name:
        raise DomainError(FULL_NAME_REQUIRED, field="full_name")
    user = User(username=username, full_name=full_name, role=role, organisation=organisation)
    user.set_unusable_password()
    user.save()
    first = codes.new_activation_half()
    second = _issue_activation(user=user, first_hash=make_password(codes.normalise(first)))
    audit_log(
        action="create",
        target=user,
        changes={
            "username": [None, username],
            "full_name": [None, full_name],
            "role": [None, role],
            "organisation": [None, _org_label(organisation)],
        },
        detail="运维人员在命令行建立管理员账号(create-administrator)，待本人以激活码设置密码",
    )
    return user, first, second


def _administrator(username: str) -> User:
    user = User.objects.select_for_update().filter(username=username).first()
    if user is None:
        raise DomainError(USER_NOT_FOUND.format(username=username), field="username")
    if user.kind != User.Kind.ADMINISTRATOR:
        raise DomainError(NOT_ADMIN_ROLE, field="username")
    return user


@transaction.atomic
def administrator_reset(*, username: str) -> tuple[User, str, str]:
    """A new activation code for an administrator who lost their password (the old password
    stops working; the second factor stays)."""
    user = _administrator(username)
    user.set_unusable_password()
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
    first = codes.new_activation_half()
    second = _issue_activation(user=user, first_hash=make_password(codes.normalise(first)))
    audit_log(
        action="password_change",
        target=user,
        detail="运维人员在命令行重置管理员密码(reset-administrator)，待本人以激活码设置新密码",
    )
    return user, first, second


@transaction.atomic
def administrator_set_active(*, username: str, active: bool) -> User:
    user = _administrator(username)
    if user.is_active != active:
        user.is_active = active
        user.save(update_fields=["is_active"])
        audit_log(
            action="update",
            target=user,
            changes={"is_active": [not active, active]},
            detail="运维人员在命令行"
            + ("启用" if active else "停用")
            + "管理员账号(deactivate-administrator)",
        )
    return user


# --- logins -----------------------------------------------------------------------------------


@transaction.atomic
def login_failure_record(
    *, username: str, request=None, detail: str = "密码错误"
) -> throttle.ThrottleState:
    """Count a failed attempt under the three throttle keys and audit it."""
    policy = security_policy()
    address = throttle.client_address(request)
    state = throttle.throttle_failure(username=username, address=address, policy=policy)
    user = User.objects.filter(username=username).first()
    audit_log(
        action="login_failed",
        target=user if user is not None else ("accounts.user", "", username[:200]),
        outcome="failure",
        detail=detail if user is not None else f"{detail}(用户名不存在)",
        request=request,
    )
    if state.any_block_until is not None:
        audit_log(
            action="account_locked",
            target=user if user is not None else ("accounts.user", "", username[:200]),
            outcome="failure",
            detail=(
                f"登录失败过多，暂停登录至 {timezone.localtime(state.any_block_until):%H:%M}"
                f"（来源 {address or '未知'}）"
            ),
            request=request,
        )
    return state


@transaction.atomic
def login_refused_record(*, username: str, request=None, detail: str) -> None:
    user = User.objects.filter(username=username).first()
    audit_log(
        action="login_failed",
        target=user if user is not None else ("accounts.user", "", username[:200]),
        outcome="denied",
        detail=detail,
        request=request,
    )


@transaction.atomic
def login_success_record(*, user: User, request=None, detail: str = "") -> None:
    throttle.throttle_success(username=user.username, address=throttle.client_address(request))
    audit_log(actor=user, action="login", target=user, detail=detail, request=request)


@transaction.atomic
def logout_record(*, user: User, request=None) -> None:
    audit_log(actor=user, action="logout", target=user, request=request)


@transaction.atomic
def password_change(*, user: User, old_password: str, new_password: str, request=None) -> User:
    """The user's own change (the 90-day rule leads here); the last 5 passwords are refused."""
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

"""Login (password, then second factor), activation and password pages for everyone; the
account pages of the administrators (三员分立: the system administrator asks, the security
administrator approves).

A one-time secret (a half of an activation code, recovery codes) is rendered in the response
to the POST that made it, with no-store headers, and kept nowhere in clear.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from accountability.accounts import login as login_flow
from accountability.accounts import otp, selectors, services
from accountability.accounts.forms import (
    AccountCreateForm,
    AccountUpdateForm,
    ActivationForm,
    DecisionForm,
    LoginForm,
    PasswordChangeForm,
    ReasonForm,
    SecondFactorForm,
    SecurityPolicyForm,
    TotpCodeForm,
)
from accountability.accounts.models import AccountRequest, SecurityPolicy, User
from accountability.accounts.permissions import (
    ACCOUNT_MANAGERS,
    ACCOUNT_REQUEST_APPROVERS,
    ACCOUNT_VIEWERS,
    SECURITY_MANAGERS,
    role_required,
)
from accountability.accounts.policy import Policy, security_policy
from accountability.common.errors import DomainError

PASSWORD_CHANGED = gettext_noop("密码已修改。")
REQUEST_SUBMITTED = gettext_noop("申请已提交，待安全管理员审批后生效。")
ACCOUNT_SAVED = gettext_noop("账号“{username}”已保存。")
ACCOUNT_DEACTIVATED = gettext_noop("账号“{username}”已停用。")
ACCOUNT_UNLOCKED = gettext_noop("账号“{username}”已解锁。")
REQUEST_APPROVED = gettext_noop("已批准申请 #{number}，变更已生效。")
REQUEST_REFUSED = gettext_noop("已拒绝申请 #{number}。")
OTP_RESET_DONE = gettext_noop("已重置“{username}”的双因素认证，其下次登录时须重新绑定。")
POLICY_SAVED = gettext_noop("安全策略已保存。")


def _add_domain_error(form, error: DomainError) -> None:
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


def _safe_next(request: HttpRequest, url: str) -> str:
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return reverse("home")


def _once(request: HttpRequest, template: str, context: dict) -> HttpResponse:
    """A page that shows a secret once: never cached, never stored."""
    response = render(request, template, context)
    add_never_cache_headers(response)
    return response


# --- login ------------------------------------------------------------------------------------


@sensitive_post_parameters("password")
@never_cache
def login_view(request: HttpRequest) -> HttpResponse:
    next_url = request.POST.get("next") or request.GET.get("next", "")
    if request.user.is_authenticated:
        return redirect(_safe_next(request, next_url))
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        step = login_flow.password_step(
            request,
            username=form.cleaned_data["username"],
            password=form.cleaned_data["password"],
            next_url=next_url,
        )
        if step.error:
            form.add_error(None, step.error)
        elif step.pending:
            return redirect("accounts:second_factor")
        else:
            return redirect(_safe_next(request, next_url))
    return render(request, "registration/login.html", {"form": form, "next": next_url})


@never_cache
def second_factor(request: HttpRequest) -> HttpResponse:
    user = login_flow.pending_user(request)
    if user is None:
        return redirect("accounts:login")
    if not otp.has_second_factor(user):
        return redirect("accounts:second_factor_setup")
    form = SecondFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        next_url = (login_flow.pending_data(request) or {}).get("next", "")
        step = login_flow.second_factor_step(request, code=form.cleaned_data["code"])
        if step.error and not step.pending:
            messages.error(request, step.error)
            return redirect("accounts:login")
        if step.error:
            form.add_error("code", step.error)
        else:
            device = getattr(request.user, "otp_device", None)
            notice = login_flow.recovery_notice(request.user, device)
            if notice:
                messages.warning(request, notice)
            return redirect(_safe_next(request, next_url))
    return render(request, "registration/second_factor.html", {"form": form, "account": user})


def _setup_device(request: HttpRequest, user: User, key) -> TOTPDevice:
    """The device being enrolled, not yet saved: its key waits in the session until the
    first code confirms it, so that nothing is written for an enrolment not completed."""
    device = TOTPDevice(user=user, name=otp.TOTP_DEVICE_NAME, confirmed=False)
    if isinstance(key, str) and len(key) == len(device.key):
        device.key = key
    return device


@never_cache
def second_factor_setup(request: HttpRequest) -> HttpResponse:
    """Enrol a TOTP device: at first login (pending), or later for a logged-in user of a role
    where it is optional."""
    logged_in = request.user.is_authenticated
    user = request.user if logged_in else login_flow.pending_user(request)
    if user is None:
        return redirect("accounts:login")
    if otp.has_second_factor(user):
        return redirect("accounts:two_factor" if logged_in else "accounts:second_factor")
    session_key = "accounts_setup_key"
    key = (
        request.session.get(session_key)
        if logged_in
        else (login_flow.pending_data(request) or {}).get("setup_key")
    )
    device = _setup_device(request, user, key)
    if logged_in:
        request.session[session_key] = device.key
    else:
        login_flow.pending_update(request, setup_key=device.key)
    form = TotpCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        recovery = services.otp_enrol(
            user=user, device=device, code=form.cleaned_data["code"], request=request
        )
        if recovery is None:
            form.add_error("code", str(services.TOTP_CODE_WRONG))
        else:
            device.refresh_from_db()
            if logged_in:
                request.session.pop(session_key, None)
                from django_otp import login as otp_login

                otp_login(request, device)
                request.session[login_flow.FACTOR_KEY] = login_flow.VERIFIED
                next_url = reverse("accounts:two_factor")
            else:
                next_url = _safe_next(request, login_flow.complete_login(request, user, device))
            return _once(
                request,
                "registration/recovery_codes.html",
                {"codes": recovery, "next_url": next_url, "first_time": True},
            )
    return render(
        request,
        "registration/second_factor_setup.html",
        {
            "form": form,
            "account": user,
            "qr_svg": otp.qr_svg(device),
            "secret": otp.secret_base32(device),
            "required": otp.second_factor_required(user),
        },
    )


@sensitive_post_parameters("new_password1", "new_password2", "first_code", "second_code")
@never_cache
def activate(request: HttpRequest) -> HttpResponse:
    """Set one's own password with both halves of the activation code."""
    if request.user.is_authenticated:
        return redirect("home")
    form = ActivationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            step = login_flow.activation_step(
                request,
                username=data["username"],
                first_code=data["first_code"],
                second_code=data["second_code"],
                password=data["new_password1"],
            )
        except DomainError as error:
            if error.field == "password":
                form.add_error("new_password1", error.message)
            else:
                _add_domain_error(form, error)
        else:
            if step.error:
                form.add_error(None, step.error)
            elif step.pending:
                return redirect("accounts:second_factor")
            else:
                messages.success(request, _(PASSWORD_CHANGED))
                return redirect("home")
    return render(request, "registration/activate.html", {"form": form})


class LogoutView(auth_views.LogoutView):
    def post(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            services.logout_record(user=request.user, request=request)
        return super().post(request, *args, **kwargs)


@sensitive_post_parameters("old_password", "new_password1", "new_password2")
@login_required
def password_change(request: HttpRequest) -> HttpResponse:
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.password_change(
                user=request.user,
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password1"],
                request=request,
            )
        except DomainError as error:
            if error.field == "password":
                form.add_error("new_password1", error.message)
            else:
                _add_domain_error(form, error)
        else:
            update_session_auth_hash(request, request.user)
            messages.success(request, _(PASSWORD_CHANGED))
            return redirect("home")
    return render(request, "registration/password_change_form.html", {"form": form})


@login_required
def two_factor(request: HttpRequest) -> HttpResponse:
    """One's own second factor: its state, and new recovery codes."""
    user = request.user
    form = TotpCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            recovery = services.recovery_codes_regenerate(
                user=user, code=form.cleaned_data["code"], request=request
            )
        except DomainError as error:
            _add_domain_error(form, error)
        else:
            return _once(
                request,
                "registration/recovery_codes.html",
                {"codes": recovery, "next_url": reverse("accounts:two_factor")},
            )
    return render(
        request,
        "accounts/two_factor.html",
        {
            "form": form,
            "enrolled": otp.has_second_factor(user),
            "required": otp.second_factor_required(user),
            "codes_left": otp.recovery_codes_left(user),
        },
    )


# --- the administrators' account pages ------------------------------------------------------


@role_required(ACCOUNT_VIEWERS)
def account_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    role = request.GET.get("role", "")
    users = selectors.account_list_for_user(
        user=request.user, query=query, role=role, locked=bool(request.GET.get("locked"))
    )
    page = Paginator(users, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/account_list.html",
        {
            "page_obj": page,
            "query": query,
            "role": role,
            "roles": User.Role.choices,
            "can_manage": request.user.role in ACCOUNT_MANAGERS,
            "can_unlock": request.user.role in SECURITY_MANAGERS,
            "pending_count": selectors.pending_request_count(user=request.user),
            "policy": security_policy(),
        },
    )


def _submitted(request, account_request: AccountRequest, first_code: str | None = None):
    messages.success(request, _(REQUEST_SUBMITTED))
    if first_code is None:
        return redirect("accounts:requests")
    return _once(
        request,
        "accounts/request_submitted.html",
        {"account_request": account_request, "first_code": first_code},
    )


@role_required(ACCOUNT_MANAGERS)
def account_create(request: HttpRequest) -> HttpResponse:
    form = AccountCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            account_request, first = services.account_request_create(
                actor=request.user,
                username=data["username"],
                full_name=data["full_name"],
                role=data["role"],
                organisation=data["organisation"],
                reason=data["reason"],
                request=request,
            )
        except DomainError as error:
            _add_domain_error(form, error)
        else:
            return _submitted(request, account_request, first)
    return render(request, "accounts/account_form.html", {"form": form, "account": None})


def _business_account(request: HttpRequest, pk: int) -> User | HttpResponse:
    account = selectors.account_get_for_user(account_id=pk, user=request.user)
    if account.kind != User.Kind.BUSINESS:
        messages.error(request, str(services.ADMIN_ACCOUNT_COMMAND_LINE_ONLY))
        return redirect("accounts:list")
    return account


@role_required(ACCOUNT_MANAGERS)
def account_edit(request: HttpRequest, pk: int) -> HttpResponse:
    account = _business_account(request, pk)
    if isinstance(account, HttpResponse):
        return account
    initial = {
        "full_name": account.full_name,
        "role": account.role,
        "organisation": account.organisation,
    }
    form = AccountUpdateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        wants_change = data["role"] != account.role or data["organisation"] != account.organisation
        try:
            # The name is saved with the request, or not at all.
            with transaction.atomic():
                services.account_update(
                    actor=request.user, user=account, full_name=data["full_name"], request=request
                )
                if wants_change:
                    account_request = services.account_request_change(
                        actor=request.user,
                        user=account,
                        role=data["role"],
                        organisation=data["organisation"],
                        reason=data["reason"],
                        request=request,
                    )
        except DomainError as error:
            _add_domain_error(form, error)
        else:
            if wants_change:
                return _submitted(request, account_request)
            messages.success(request, _(ACCOUNT_SAVED).format(username=account.username))
            return redirect("accounts:list")
    return render(request, "accounts/account_form.html", {"form": form, "account": account})


@require_POST
@role_required(ACCOUNT_MANAGERS)
def account_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    account = selectors.account_get_for_user(account_id=pk, user=request.user)
    try:
        services.account_deactivate(actor=request.user, user=account, request=request)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _(ACCOUNT_DEACTIVATED).format(username=account.username))
    return redirect("accounts:list")


def _ask(request: HttpRequest, pk: int, template: str, submit) -> HttpResponse:
    account = _business_account(request, pk)
    if isinstance(account, HttpResponse):
        return account
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = submit(account, form.cleaned_data["reason"])
        except DomainError as error:
            _add_domain_error(form, error)
        else:
            if isinstance(result, tuple):
                return _submitted(request, *result)
            return _submitted(request, result)
    return render(request, template, {"form": form, "account": account})


@role_required(ACCOUNT_MANAGERS)
def account_reactivate(request: HttpRequest, pk: int) -> HttpResponse:
    return _ask(
        request,
        pk,
        "accounts/account_reactivate.html",
        lambda account, reason: services.account_request_reactivate(
            actor=request.user, user=account, reason=reason, request=request
        ),
    )


@role_required(ACCOUNT_MANAGERS)
def account_reset_password(request: HttpRequest, pk: int) -> HttpResponse:
    return _ask(
        request,
        pk,
        "accounts/password_reset.html",
        lambda account, reason: services.account_request_reset(
            actor=request.user, user=account, reason=reason, request=request
        ),
    )


@require_POST
@role_required(SECURITY_MANAGERS)
def account_unlock(request: HttpRequest, pk: int) -> HttpResponse:
    account = selectors.account_get_for_user(account_id=pk, user=request.user)
    services.account_unlock(actor=request.user, user=account, request=request)
    messages.success(request, _(ACCOUNT_UNLOCKED).format(username=account.username))
    return redirect("accounts:list")


@require_POST
@role_required(SECURITY_MANAGERS)
def account_otp_reset(request: HttpRequest, pk: int) -> HttpResponse:
    account = selectors.account_get_for_user(account_id=pk, user=request.user)
    try:
        services.otp_reset(actor=request.user, user=account, request=request)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _(OTP_RESET_DONE).format(username=account.username))
    return redirect("accounts:list")


@role_required(ACCOUNT_VIEWERS)
def request_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    requests = selectors.account_request_list(user=request.user, status=status)
    page = Paginator(requests, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/request_list.html",
        {
            "page_obj": page,
            "status": status,
            "statuses": AccountRequest.Status.choices,
            "can_decide": request.user.role in ACCOUNT_REQUEST_APPROVERS,
        },
    )


@role_required(ACCOUNT_VIEWERS)
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    account_request = selectors.account_request_get_for_user(request_id=pk, user=request.user)
    can_decide = (
        request.user.role in ACCOUNT_REQUEST_APPROVERS
        and account_request.status == AccountRequest.Status.PENDING
    )
    form = DecisionForm(request.POST or None)
    if request.method == "POST":
        if request.user.role not in ACCOUNT_REQUEST_APPROVERS:
            from accountability.accounts.permissions import forbidden_response

            return forbidden_response(request)
        if form.is_valid():
            note = form.cleaned_data["note"]
            try:
                if request.POST.get("decision") == "approve":
                    decided, second = services.account_request_approve(
                        actor=request.user,
                        account_request=account_request,
                        note=note,
                        request=request,
                    )
                else:
                    decided = services.account_request_refuse(
                        actor=request.user,
                        account_request=account_request,
                        note=note,
                        request=request,
                    )
                    second = None
            except DomainError as error:
                _add_domain_error(form, error)
            else:
                if decided.status == AccountRequest.Status.APPROVED:
                    messages.success(request, _(REQUEST_APPROVED).format(number=decided.pk))
                else:
                    messages.success(request, _(REQUEST_REFUSED).format(number=decided.pk))
                if second:
                    return _once(
                        request,
                        "accounts/request_approved.html",
                        {"account_request": decided, "second_code": second},
                    )
                return redirect("accounts:requests")
    return render(
        request,
        "accounts/request_detail.html",
        {"account_request": account_request, "form": form, "can_decide": can_decide},
    )


@role_required(SECURITY_MANAGERS)
def security_settings(request: HttpRequest) -> HttpResponse:
    current = security_policy()
    form = SecurityPolicyForm(
        request.POST or None, instance=SecurityPolicy(pk=1, **current.as_dict())
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.security_policy_update(
            actor=request.user,
            policy=Policy(
                lockout_threshold=data["lockout_threshold"],
                lockout_minutes=data["lockout_minutes"],
                password_max_age_days=data["password_max_age_days"],
                idle_timeout_minutes=data["idle_timeout_minutes"],
            ),
            request=request,
        )
        messages.success(request, _(POLICY_SAVED))
        return redirect("accounts:security")
    return render(request, "accounts/security.html", {"form": form, "policy": current})


logout_view = method_decorator(require_POST, name="dispatch")(LogoutView).as_view()

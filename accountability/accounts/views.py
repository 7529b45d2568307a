"""Login and password pages for everyone; account pages for the administrators (三员分立)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST

from accountability.accounts import services
from accountability.accounts.forms import (
    AccountCreateForm,
    AccountUpdateForm,
    LoginForm,
    PasswordChangeForm,
    PasswordResetForm,
    SecurityPolicyForm,
)
from accountability.accounts.models import SecurityPolicy, User
from accountability.accounts.permissions import (
    ACCOUNT_MANAGERS,
    ACCOUNT_VIEWERS,
    SECURITY_MANAGERS,
    role_required,
)
from accountability.accounts.policy import Policy, security_policy
from accountability.common.errors import DomainError

PASSWORD_CHANGED = gettext_noop("密码已修改。")
ACCOUNT_CREATED = gettext_noop("账号“{username}”已建立，用户首次登录时须修改初始密码。")
ACCOUNT_SAVED = gettext_noop("账号“{username}”已保存。")
ACCOUNT_DEACTIVATED = gettext_noop("账号“{username}”已停用。")
ACCOUNT_ACTIVATED = gettext_noop("账号“{username}”已启用。")
ACCOUNT_UNLOCKED = gettext_noop("账号“{username}”已解锁。")
PASSWORD_RESET = gettext_noop("已为“{username}”设置临时密码，用户下次登录时须修改。")
POLICY_SAVED = gettext_noop("安全策略已保存。")


def _add_domain_error(form, error: DomainError) -> None:
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        user = form.get_user()
        services.login_success_record(user=user, request=self.request)
        self.request.session.set_expiry(security_policy().idle_timeout_minutes * 60)
        return response


class LogoutView(auth_views.LogoutView):
    def post(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            services.logout_record(user=request.user, request=request)
        return super().post(request, *args, **kwargs)


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
            _add_domain_error(form, error)
        else:
            update_session_auth_hash(request, request.user)
            messages.success(request, _(PASSWORD_CHANGED))
            return redirect("home")
    return render(request, "registration/password_change_form.html", {"form": form})


@role_required(ACCOUNT_VIEWERS)
def account_list(request: HttpRequest) -> HttpResponse:
    users = User.objects.select_related("organisation").order_by("username")
    query = request.GET.get("q", "").strip()
    role = request.GET.get("role", "")
    if query:
        users = users.filter(Q(username__icontains=query) | Q(full_name__icontains=query))
    if role in User.Role.values:
        users = users.filter(role=role)
    if request.GET.get("locked"):
        users = users.filter(locked_until__gt=timezone.now())
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
            "policy": security_policy(),
        },
    )


@role_required(ACCOUNT_MANAGERS)
def account_create(request: HttpRequest) -> HttpResponse:
    form = AccountCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.account_create(
                actor=request.user,
                username=data["username"],
                full_name=data["full_name"],
                role=data["role"],
                organisation=data["organisation"],
                password=data["password1"],
                request=request,
            )
        except DomainError as error:
            if error.field == "password":
                form.add_error("password1", error.message)
            else:
                _add_domain_error(form, error)
        else:
            messages.success(request, _(ACCOUNT_CREATED).format(username=user.username))
            return redirect("accounts:list")
    return render(request, "accounts/account_form.html", {"form": form, "account": None})


@role_required(ACCOUNT_MANAGERS)
def account_edit(request: HttpRequest, pk: int) -> HttpResponse:
    account = get_object_or_404(User, pk=pk)
    initial = {
        "full_name": account.full_name,
        "role": account.role,
        "organisation": account.organisation,
    }
    form = AccountUpdateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.account_update(
                actor=request.user,
                user=account,
                full_name=data["full_name"],
                role=data["role"],
                organisation=data["organisation"],
                request=request,
            )
        except DomainError as error:
            _add_domain_error(form, error)
        else:
            messages.success(request, _(ACCOUNT_SAVED).format(username=account.username))
            return redirect("accounts:list")
    return render(
        request,
        "accounts/account_form.html",
        {"form": form, "account": account, "reset_form": PasswordResetForm()},
    )


@require_POST
@role_required(ACCOUNT_MANAGERS)
def account_set_active(request: HttpRequest, pk: int, active: bool) -> HttpResponse:
    account = get_object_or_404(User, pk=pk)
    try:
        services.account_set_active(
            actor=request.user, user=account, active=active, request=request
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        message = ACCOUNT_ACTIVATED if active else ACCOUNT_DEACTIVATED
        messages.success(request, _(message).format(username=account.username))
    return redirect("accounts:list")


@role_required(ACCOUNT_MANAGERS)
def account_reset_password(request: HttpRequest, pk: int) -> HttpResponse:
    account = get_object_or_404(User, pk=pk)
    form = PasswordResetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.account_reset_password(
                actor=request.user,
                user=account,
                password=form.cleaned_data["password1"],
                request=request,
            )
        except DomainError as error:
            form.add_error("password1", error.message)
        else:
            messages.success(request, _(PASSWORD_RESET).format(username=account.username))
            return redirect("accounts:list")
    return render(request, "accounts/password_reset.html", {"form": form, "account": account})


@require_POST
@role_required(SECURITY_MANAGERS)
def account_unlock(request: HttpRequest, pk: int) -> HttpResponse:
    account = get_object_or_404(User, pk=pk)
    services.account_unlock(actor=request.user, user=account, request=request)
    messages.success(request, _(ACCOUNT_UNLOCKED).format(username=account.username))
    return redirect("accounts:list")


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


login_view = LoginView.as_view()
logout_view = method_decorator(require_POST, name="dispatch")(LogoutView).as_view()

from __future__ import annotations

from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.password_validation import password_validators_help_texts
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from accountability.accounts import services
from accountability.accounts.models import SecurityPolicy, User
from accountability.accounts.policy import security_policy
from accountability.people.models import Organisation

LOGIN_INVALID = gettext_noop(
    "用户名或密码错误。连续失败 {threshold} 次，账号将被锁定 {minutes} 分钟。"
)
ACCOUNT_LOCKED = gettext_noop(
    "该账号因连续登录失败已被锁定，请在 {minutes} 分钟后再试，或联系安全管理员解锁。"
)
PASSWORDS_DIFFER = gettext_noop("两次输入的新密码不一致。")


def _minutes_left(user: User) -> int:
    seconds = (user.locked_until - timezone.now()).total_seconds()
    return max(1, int(seconds // 60) + (1 if seconds % 60 else 0))


class LoginForm(AuthenticationForm):
    """Authentication with the level-3 lockout: checks the lock first, counts failures."""

    def clean(self):
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if not username or not password:
            return self.cleaned_data
        user = User.objects.filter(username=username).first()
        if user is not None and user.is_locked():
            services.login_locked_record(user=user, request=self.request)
            raise forms.ValidationError(
                gettext(ACCOUNT_LOCKED).format(minutes=_minutes_left(user)), code="locked"
            )
        self.user_cache = authenticate(self.request, username=username, password=password)
        if self.user_cache is None:
            failed = services.login_failure_record(username=username, request=self.request)
            if failed is not None and failed.is_locked():
                raise forms.ValidationError(
                    gettext(ACCOUNT_LOCKED).format(minutes=_minutes_left(failed)), code="locked"
                )
            policy = security_policy()
            raise forms.ValidationError(
                gettext(LOGIN_INVALID).format(
                    threshold=policy.lockout_threshold, minutes=policy.lockout_minutes
                ),
                code="invalid_login",
            )
        self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data


class PasswordChangeForm(forms.Form):
    old_password = forms.CharField(
        label=_("原密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )
    new_password1 = forms.CharField(
        label=_("新密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    new_password2 = forms.CharField(
        label=_("确认新密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].help_text = " ".join(password_validators_help_texts())

    def clean(self):
        data = super().clean()
        if (
            data.get("new_password1")
            and data.get("new_password2")
            and data["new_password1"] != data["new_password2"]
        ):
            self.add_error("new_password2", gettext(PASSWORDS_DIFFER))
        return data


def organisation_choices() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=_("所属单位"),
        queryset=Organisation.objects.filter(is_active=True),
        required=False,
    )


class AccountCreateForm(forms.Form):
    username = forms.CharField(label=_("用户名"), max_length=150)
    full_name = forms.CharField(label=_("姓名"), max_length=64)
    role = forms.ChoiceField(label=_("角色"), choices=User.Role.choices)
    organisation = organisation_choices()
    password1 = forms.CharField(
        label=_("初始密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("用户首次登录时必须修改。"),
    )
    password2 = forms.CharField(
        label=_("确认初始密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        data = super().clean()
        if (
            data.get("password1")
            and data.get("password2")
            and data["password1"] != data["password2"]
        ):
            self.add_error("password2", gettext(PASSWORDS_DIFFER))
        return data


class AccountUpdateForm(forms.Form):
    full_name = forms.CharField(label=_("姓名"), max_length=64)
    role = forms.ChoiceField(label=_("角色"), choices=User.Role.choices)
    organisation = organisation_choices()


class PasswordResetForm(forms.Form):
    password1 = forms.CharField(
        label=_("临时密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("用户下次登录时必须修改。"),
    )
    password2 = forms.CharField(
        label=_("确认临时密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        data = super().clean()
        if (
            data.get("password1")
            and data.get("password2")
            and data["password1"] != data["password2"]
        ):
            self.add_error("password2", gettext(PASSWORDS_DIFFER))
        return data


class SecurityPolicyForm(forms.ModelForm):
    class Meta:
        model = SecurityPolicy
        fields = [
            "lockout_threshold",
            "lockout_minutes",
            "password_max_age_days",
            "idle_timeout_minutes",
        ]

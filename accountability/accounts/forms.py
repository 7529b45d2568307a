from __future__ import annotations

from django import forms
from django.contrib.auth.password_validation import password_validators_help_texts
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from accountability.accounts import services
from accountability.accounts.models import SecurityPolicy, User, organisation_model

PASSWORDS_DIFFER = gettext_noop("两次输入的新密码不一致。")

BUSINESS_ROLE_CHOICES = [(v, label) for v, label in User.Role.choices if v not in User.ADMIN_ROLES]


class LoginForm(forms.Form):
    username = forms.CharField(
        label=_("用户名"),
        max_length=150,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    password = forms.CharField(
        label=_("密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class SecondFactorForm(forms.Form):
    code = forms.CharField(
        label=_("动态口令或恢复码"),
        max_length=32,
        help_text=_("输入认证器上显示的 6 位数字；手机不在身边时，可输入一个恢复码。"),
        widget=forms.TextInput(
            attrs={"autofocus": True, "autocomplete": "one-time-code", "inputmode": "text"}
        ),
    )


class TotpCodeForm(forms.Form):
    code = forms.CharField(
        label=_("动态口令"),
        max_length=8,
        help_text=_("认证器上当前显示的 6 位数字。"),
        widget=forms.TextInput(
            attrs={"autofocus": True, "autocomplete": "one-time-code", "inputmode": "numeric"}
        ),
    )


class _NewPasswordMixin(forms.Form):
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


class PasswordChangeForm(_NewPasswordMixin):
    old_password = forms.CharField(
        label=_("原密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )
    field_order = ["old_password", "new_password1", "new_password2"]


class ActivationForm(_NewPasswordMixin):
    username = forms.CharField(
        label=_("用户名"),
        max_length=150,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    first_code = forms.CharField(
        label=_("激活码第一段"),
        max_length=16,
        help_text=_("由系统管理员交给您（运维人员建立的管理员账号：由运维人员交给您）。"),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    second_code = forms.CharField(
        label=_("激活码第二段"),
        max_length=16,
        help_text=_("由批准申请的安全管理员交给您。"),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    field_order = ["username", "first_code", "second_code", "new_password1", "new_password2"]


def organisation_choices() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=_("所属单位"),
        queryset=organisation_model().objects.filter(is_active=True),
        required=False,
    )


class _BusinessRoleField(forms.ChoiceField):
    """Offers the business roles; an administrator role sent anyway gets the rule's message."""

    def __init__(self, **kwargs):
        super().__init__(choices=User.Role.choices, **kwargs)
        self.widget.choices = BUSINESS_ROLE_CHOICES

    def validate(self, value):
        if value in User.ADMIN_ROLES:
            raise forms.ValidationError(str(services.ADMIN_ROLE_REFUSED), code="admin_role")
        super().validate(value)


def _reason_field() -> forms.CharField:
    return forms.CharField(
        label=_("申请理由"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("供安全管理员审批时参考，记入审计日志。"),
    )


class AccountCreateForm(forms.Form):
    username = forms.CharField(label=_("用户名"), max_length=150)
    full_name = forms.CharField(label=_("姓名"), max_length=64)
    role = _BusinessRoleField(label=_("角色"))
    organisation = organisation_choices()
    reason = _reason_field()


class AccountUpdateForm(forms.Form):
    full_name = forms.CharField(label=_("姓名"), max_length=64)
    role = _BusinessRoleField(
        label=_("角色"), help_text=_("变更角色或所属单位须经安全管理员批准后生效。")
    )
    organisation = organisation_choices()
    reason = _reason_field()


class ReasonForm(forms.Form):
    reason = _reason_field()


class DecisionForm(forms.Form):
    note = forms.CharField(
        label=_("审批意见"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class SecurityPolicyForm(forms.ModelForm):
    class Meta:
        model = SecurityPolicy
        fields = [
            "lockout_threshold",
            "lockout_minutes",
            "password_max_age_days",
            "idle_timeout_minutes",
        ]

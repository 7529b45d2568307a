"""Forms of the informant's channel: thin, the rules are in services.py and evidence.py."""

from __future__ import annotations

from typing import Any

from captcha.fields import CaptchaField, CaptchaTextInput
from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from accountability.common.forms import ModelMultipleChoiceField
from accountability.people.models import Person
from accountability.public import services
from accountability.public.evidence import allowed_summary

MSG_CHALLENGE = _("验证码不正确或已过期，请按新图片重新输入。")
MSG_IDENTITY_REQUIRED = _("选择实名举报的，请填写您的姓名和联系方式。")


class ChallengeInput(CaptchaTextInput):
    """The challenge with a Chinese label for its picture (the package's says "captcha")."""

    template_name = "public/widgets/challenge.html"
    # One text box to label (the key is hidden): a <label>, not a fieldset's legend.
    use_fieldset = False


def challenge_field() -> CaptchaField:
    return CaptchaField(
        label=_("验证码"),
        help_text=_("请输入图片中的字母或数字（不区分大小写）。"),
        widget=ChallengeInput(),
        error_messages={"invalid": MSG_CHALLENGE, "required": MSG_CHALLENGE},
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


def _files_field() -> MultipleFileField:
    from django.conf import settings

    return MultipleFileField(
        label=_("证据材料"),
        required=False,
        help_text=_(
            "可选。每次最多{n}个文件，每个不超过{mb}MB；可上传：{types}。"
            "图片和文档中的拍摄地点、作者等信息会在保存前去除。录音、录像请当面提交。"
        ).format(
            n=settings.PUBLIC_EVIDENCE_MAX_FILES,
            mb=settings.PUBLIC_EVIDENCE_MAX_MB,
            types=allowed_summary(),
        ),
    )


class ReportForm(forms.Form):
    IDENTITY_CHOICES = (
        ("anonymous", _("匿名举报（不留姓名和联系方式）")),
        ("named", _("实名举报（留下姓名和联系方式，将加密保存）")),
    )

    subject_name = forms.CharField(
        label=services.LABELS["subject_name"], max_length=services.SUBJECT_NAME_MAX
    )
    subject_unit = forms.CharField(
        label=services.LABELS["subject_unit"], max_length=services.SUBJECT_UNIT_MAX
    )
    subject_post = forms.CharField(
        label=services.LABELS["subject_post"], max_length=services.SUBJECT_POST_MAX, required=False
    )
    occurred = forms.CharField(
        label=services.LABELS["occurred"],
        max_length=services.OCCURRED_MAX,
        required=False,
        help_text=_("可填写大致时间，如“2026年5月前后”。"),
    )
    facts = forms.CharField(
        label=services.LABELS["facts"],
        max_length=services.FACTS_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=format_lazy(
            _("请写明具体事实：做了什么、在什么场合、有谁知情。最多{n}字。"), n=services.FACTS_MAX
        ),
    )
    identity = forms.ChoiceField(
        label=_("举报方式"),
        choices=IDENTITY_CHOICES,
        initial="anonymous",
        widget=forms.RadioSelect,
    )
    reporter_name = forms.CharField(
        label=services.LABELS["reporter_name"], max_length=services.NAME_MAX, required=False
    )
    reporter_contact = forms.CharField(
        label=services.LABELS["reporter_contact"],
        max_length=services.CONTACT_MAX,
        required=False,
        help_text=_("电话或通信地址，仅受理机关指定人员可以查看。"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["files"] = _files_field()
        self.fields["challenge"] = challenge_field()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("identity") == "named":
            if (
                not (data.get("reporter_name") or "").strip()
                or not (data.get("reporter_contact") or "").strip()
            ):
                self.add_error("reporter_name", MSG_IDENTITY_REQUIRED)
        else:
            # Anonymous: whatever was typed in the identity fields is dropped, never stored.
            data["reporter_name"] = ""
            data["reporter_contact"] = ""
        return data


class LookupForm(forms.Form):
    code = forms.CharField(
        label=_("查询码"),
        max_length=40,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
        help_text=_("提交举报时获得的20位查询码，可带或不带连字符。"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["challenge"] = challenge_field()


class ReporterMessageForm(forms.Form):
    body = forms.CharField(
        label=_("给受理机关的消息"),
        max_length=services.MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class EvidenceForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["files"] = _files_field()
        self.fields["files"].required = True
        self.fields["files"].label = _("补充证据材料")


class RegisterForm(forms.Form):
    summary = forms.CharField(
        label=services.LABELS["summary"], widget=forms.Textarea(attrs={"rows": 8})
    )
    handling_opinion = forms.CharField(
        label=_("办理意见"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    persons = ModelMultipleChoiceField(
        label=_("被调查人"),
        queryset=Person.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("登记时可选择人员库中与被反映人同名的人员；也可在登记后于案件页添加。"),
    )

    def __init__(self, *args: Any, candidates: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if candidates is not None:
            self.fields["persons"].queryset = candidates


class OfficeMessageForm(forms.Form):
    body = forms.CharField(
        label=_("给举报人的答复"),
        max_length=services.MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("举报人凭查询码可以看到；只写可以告知的内容，不写被调查人的处理情况。"),
    )


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("退回理由"),
        max_length=services.MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

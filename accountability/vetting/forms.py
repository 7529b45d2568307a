from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accountability.vetting.models import VettingRequest
from accountability.vetting.workbook import vetting_limits

FILE_TOO_LARGE = _("文件过大：名单文件不能超过 {mb} MB。")
NOT_XLSX_NAME = _("请上传 .xlsx 格式的 Excel 文件。")
ONE_LIST = _("请上传名单文件或逐行填写人员，二者选一。")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class VettingForm(forms.Form):
    purpose = forms.ChoiceField(
        label=pgettext_lazy("vetting", "事项"), choices=VettingRequest.Purpose.choices
    )
    intended_on = forms.DateField(label=_("拟任用或评优日期"), widget=DateInput())
    reference = forms.CharField(label=_("来函文号"), max_length=64, required=False)
    file = forms.FileField(
        label=_("名单文件(.xlsx)"),
        required=False,
        help_text=_(
            "第一行为列名：姓名、工号、单位；有工号的按工号比对，没有工号的按姓名和单位比对。"
        ),
    )
    lines = forms.CharField(
        label=_("或逐行填写"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("每行一人：姓名,工号,单位（工号、单位可不填）。"),
    )

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if not upload:
            return upload
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(NOT_XLSX_NAME)
        limits = vetting_limits()
        if upload.size > limits.upload_bytes:
            raise forms.ValidationError(FILE_TOO_LARGE.format(mb=limits.upload_mb))
        return upload

    def clean(self):
        data = super().clean()
        if bool(data.get("file")) == bool((data.get("lines") or "").strip()):
            raise forms.ValidationError(ONE_LIST)
        return data

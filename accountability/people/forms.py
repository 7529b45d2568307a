from django import forms
from django.utils.translation import gettext_lazy as _

from accountability.people.roster import FILE_TOO_LARGE, roster_limits

NOT_XLSX_NAME = _("请上传 .xlsx 格式的 Excel 文件。")


class RosterImportForm(forms.Form):
    file = forms.FileField(
        label=_("名册文件(.xlsx)"),
        help_text=_(
            "第一行为列名：姓名、工号、所在单位、职务、职级、责任主体类别、干部管理机关、性别、出生年份、中共党员、在职。"
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(NOT_XLSX_NAME)
        limits = roster_limits()
        if upload.size > limits.upload_bytes:
            raise forms.ValidationError(FILE_TOO_LARGE.format(mb=limits.upload_mb))
        return upload

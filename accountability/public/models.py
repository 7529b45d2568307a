"""Reports from the public (群众信访举报, 第十三条第(一)项) and what follows them.

A report is written by someone without an account: what it says (whom it concerns, what
happened, when), the reporter's identity if they give it (SM4-encrypted, like a case's
informant), and the keyed hash of its 查询码 (never the code). An officer registers it as a
clue (``case``); from then on its thread of messages and its evidence are part of that case.
Rows are written only through ``services.py``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class PublicReport(models.Model):
    organ = models.ForeignKey(
        "people.Organisation",
        verbose_name=_("受理机关"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # HMAC-SM3 of the normalised 查询码 under PUBLIC_CODE_KEY (codes.py): a database reader
    # cannot test guesses without the key. Unique: the look-up is by this column.
    code_digest = models.CharField(_("查询码摘要"), max_length=64, unique=True)
    subject_name = models.CharField(_("被反映人姓名"), max_length=50)
    subject_unit = models.CharField(_("被反映人单位"), max_length=100)
    subject_post = models.CharField(_("被反映人职务"), max_length=100, blank=True, default="")
    facts = models.TextField(_("反映的问题"))
    occurred = models.CharField(_("发生时间"), max_length=100, blank=True, default="")
    anonymous = models.BooleanField(_("匿名举报"), default=True)
    reporter_name_enc = models.TextField(_("举报人姓名(密文)"), blank=True, default="")
    reporter_contact_enc = models.TextField(_("举报人联系方式(密文)"), blank=True, default="")
    submitted_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    case = models.OneToOneField(
        "cases.Case",
        verbose_name=_("问题线索"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="public_report",
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    registered_at = models.DateTimeField(_("登记时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("网上举报")
        verbose_name_plural = _("网上举报")
        ordering = ["-submitted_at", "-id"]
        indexes = [
            # The inbox: reports of the receiving commission not yet registered, newest first
            # (selectors.report_list_for_user with registered=False).
            models.Index(fields=["organ", "case", "-submitted_at"], name="public_report_inbox_idx"),
        ]

    def __str__(self) -> str:
        return gettext("网上举报第{number}号").format(number=self.pk)

    @property
    def has_reporter(self) -> bool:
        return bool(self.reporter_name_enc or self.reporter_contact_enc)


class ReportMessage(models.Model):
    """One message of a report's thread: the reporter's, or the office's (approved first
    where PUBLIC_REPLY_APPROVAL says so)."""

    class Author(models.TextChoices):
        REPORTER = "reporter", _("举报人")
        OFFICE = "office", _("受理机关")

    class Status(models.TextChoices):
        PUBLISHED = "published", _("已发送")
        PENDING = "pending", _("待审批")
        RETURNED = "returned", _("已退回")

    report = models.ForeignKey(
        PublicReport, verbose_name=_("网上举报"), on_delete=models.PROTECT, related_name="messages"
    )
    author = models.CharField(_("发送方"), max_length=16, choices=Author.choices)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("撰写人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    body = models.TextField(_("内容"))
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices)
    created_at = models.DateTimeField(_("撰写时间"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审批人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    return_reason = models.TextField(_("退回理由"), blank=True, default="")

    class Meta:
        verbose_name = _("举报往来消息")
        verbose_name_plural = _("举报往来消息")
        ordering = ["created_at", "id"]
        indexes = [
            # Replies waiting for the office head (selectors.pending_replies_for_user).
            models.Index(fields=["status", "created_at"], name="public_message_status_idx"),
        ]

    def __str__(self) -> str:
        return gettext("网上举报第{number}号的消息").format(number=self.report_id)


def evidence_path(instance: ReportFile, filename: str) -> str:
    # The stored name is the hash, never the reporter's file name.
    return f"public/{instance.report_id}/{instance.sha256}.{instance.suffix}"


class ReportFile(models.Model):
    """Evidence from the reporter, stored after its metadata was removed (evidence.py)."""

    report = models.ForeignKey(
        PublicReport, verbose_name=_("网上举报"), on_delete=models.PROTECT, related_name="files"
    )
    file = models.FileField(_("文件"), upload_to=evidence_path, max_length=255)
    # A generic name (证据材料1.jpg): the reporter's own file name may identify them.
    name = models.CharField(_("文件名"), max_length=100)
    suffix = models.CharField(_("扩展名"), max_length=10)
    size = models.PositiveBigIntegerField(_("大小(字节)"))
    content_type = models.CharField(_("类型"), max_length=100)
    sha256 = models.CharField("SHA-256", max_length=64)
    sm3 = models.CharField("SM3", max_length=64)
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("举报证据材料")
        verbose_name_plural = _("举报证据材料")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name


class PublicThrottle(models.Model):
    """A count of events under a key in a fixed window (throttle.py). The key is a keyed hash:
    no address or code prefix is stored in clear."""

    scope = models.CharField(_("范围"), max_length=32)
    key = models.CharField(_("键"), max_length=64)
    window_start = models.DateTimeField(_("时段开始"))
    count = models.PositiveIntegerField(_("次数"), default=0)

    class Meta:
        verbose_name = _("访问频率计数")
        verbose_name_plural = _("访问频率计数")
        constraints = [
            models.UniqueConstraint(
                fields=["scope", "key", "window_start"], name="public_throttle_once"
            ),
        ]
        indexes = [
            # Purging old windows (throttle.purge).
            models.Index(fields=["window_start"], name="public_throttle_window_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.window_start:%Y-%m-%d %H:%M}: {self.count}"

"""Issued documents (frozen, hashed), their PDFs, 发文字号 counters, and office templates.

An IssuedDocument is the paper that left the office: its stored .docx is never
replaced and the row is never updated; a correction is a new version that
supersedes it. Its PDF (DocumentPdf) is made afterwards by the worker from that
.docx, and once made is never replaced either. The files' SHA-256 and SM3 are
recorded here and in the audit trail, and checked again on every download and
export.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from accountability.common.errors import DomainError
from accountability.documents.kinds import DocumentKind

MSG_FROZEN = _("已印发的文书不能修改或删除；如需更正，请生成新版本。")
MSG_TEMPLATE_HISTORY = _("文书模板的上传记录不能删除。")


class DocumentNumberSequence(models.Model):
    """The last serial issued under a 机关代字 in a year (locked while the next is taken)."""

    prefix = models.CharField(_("机关代字"), max_length=32)
    year = models.PositiveIntegerField(_("年份"))
    last = models.PositiveIntegerField(_("已用序号"), default=0)

    class Meta:
        verbose_name = _("发文字号序列")
        verbose_name_plural = _("发文字号序列")
        constraints = [
            models.UniqueConstraint(fields=["prefix", "year"], name="documents_sequence_once"),
        ]

    def __str__(self) -> str:
        return f"{self.prefix}〔{self.year}〕{self.last}"


class FrozenQuerySet(models.QuerySet):
    """Bulk changes would bypass the model's refusal; refuse them here too."""

    def update(self, **kwargs):  # type: ignore[no-untyped-def]
        raise DomainError(MSG_FROZEN, code="frozen")

    def delete(self):  # type: ignore[no-untyped-def]
        raise DomainError(MSG_FROZEN, code="frozen")


def _document_path(instance: IssuedDocument, filename: str) -> str:
    # ASCII names only; the Chinese title travels in the download's Content-Disposition.
    suffix = filename.rsplit(".", 1)[-1]
    serial = instance.number_serial or "x"
    return (
        f"documents/{instance.case_id or 0}/{instance.kind}-{instance.number_year or 0}-"
        f"{serial}-v{instance.version}-{instance.docx_sha256[:16]}.{suffix}"
    )


class IssuedDocument(models.Model):
    kind = models.CharField(_("文书种类"), max_length=32, choices=DocumentKind.choices)
    title = models.CharField(_("文书名称"), max_length=200)
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=pgettext_lazy("one case", "案件"),
        on_delete=models.PROTECT,
        related_name="documents",
    )
    party = models.ForeignKey(
        "cases.CaseParty",
        verbose_name=_("被调查人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
    )
    decision = models.ForeignKey(
        "cases.Decision",
        verbose_name=_("决定"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
    )
    appeal = models.ForeignKey(
        "cases.Appeal",
        verbose_name=_("申诉"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
    )
    # For a 送达回证: "person" or "unit" (cases.Delivery.Recipient).
    recipient = models.CharField(_("受送达人"), max_length=8, blank=True, default="")
    number = models.CharField(_("发文字号"), max_length=64, blank=True, default="")
    number_prefix = models.CharField(_("机关代字"), max_length=32, blank=True, default="")
    number_year = models.PositiveIntegerField(_("年份"), null=True, blank=True)
    number_serial = models.PositiveIntegerField(_("序号"), null=True, blank=True)
    version = models.PositiveSmallIntegerField(_("版本"), default=1)
    supersedes = models.OneToOneField(
        "self",
        verbose_name=_("替代的版本"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="superseded_by",
    )
    reason = models.TextField(_("生成新版本的理由"), blank=True, default="")
    issued_on = models.DateField(_("成文日期"))
    docx = models.FileField(_("Word 文件"), upload_to=_document_path, max_length=255)
    docx_sha256 = models.CharField(_("Word 文件 SHA-256"), max_length=64)
    docx_sm3 = models.CharField(_("Word 文件 SM3"), max_length=64)
    template = models.ForeignKey(
        "DocumentTemplate",
        verbose_name=_("使用的单位模板"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    template_sha256 = models.CharField(_("模板 SHA-256"), max_length=64)
    # The data the document was filled with, kept so the paper can be explained later.
    context = models.JSONField(_("填充数据"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("印发人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    issued_at = models.DateTimeField(_("印发时间"), auto_now_add=True)

    objects = FrozenQuerySet.as_manager()

    class Meta:
        verbose_name = _("已印发文书")
        verbose_name_plural = _("已印发文书")
        ordering = ["case_id", "issued_at", "id"]
        constraints = [
            # One serial per prefix and year; versions of a document keep its number.
            models.UniqueConstraint(
                fields=["number_prefix", "number_year", "number_serial", "version"],
                condition=models.Q(number_serial__isnull=False),
                name="documents_number_once",
            ),
        ]
        indexes = [models.Index(fields=["case", "kind"], name="documents_case_kind")]

    def __str__(self) -> str:
        suffix = (
            gettext("（第{version}版）").format(version=self.version) if self.version > 1 else ""
        )
        return f"{self.title}{' ' + self.number if self.number else ''}{suffix}"

    def save(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        if not self._state.adding:
            raise DomainError(MSG_FROZEN, code="frozen")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise DomainError(MSG_FROZEN, code="frozen")

    @property
    def is_current(self) -> bool:
        return not hasattr(self, "superseded_by") or self.superseded_by is None

    @property
    def pdf_copy(self) -> DocumentPdf | None:
        """The PDF record, if one was asked for (None otherwise, never an exception)."""
        return getattr(self, "pdf", None)

    @property
    def pdf_ready(self) -> bool:
        copy = self.pdf_copy
        return copy is not None and copy.state == DocumentPdf.State.READY


def _pdf_path(instance: DocumentPdf, filename: str) -> str:
    return _document_path(instance.document, "document.pdf")


class DocumentPdf(models.Model):
    """The PDF of an issued document, made by the worker from its frozen .docx.

    Asked for when the document is issued (in the same transaction, with the job that will
    make it); 排队中 until a conversion job takes it (转换中), then 已生成 with the file and its
    hashes, never replaced, or 失败 with the reason, when it may be asked for again.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("排队中")
        CONVERTING = "converting", _("转换中")
        READY = "ready", _("已生成")
        FAILED = "failed", _("失败")

    document = models.OneToOneField(
        IssuedDocument, verbose_name=_("文书"), on_delete=models.PROTECT, related_name="pdf"
    )
    state = models.CharField(_("状态"), max_length=16, choices=State.choices, default=State.PENDING)
    file = models.FileField(_("PDF 文件"), upload_to=_pdf_path, max_length=255, blank=True)
    sha256 = models.CharField("SHA-256", max_length=64, blank=True, default="")
    sm3 = models.CharField("SM3", max_length=64, blank=True, default="")
    error = models.TextField(_("失败原因"), blank=True, default="")
    job = models.ForeignKey(
        "jobs.Job",
        verbose_name=_("转换任务"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("申请人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    converted_at = models.DateTimeField(_("生成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("文书 PDF")
        verbose_name_plural = _("文书 PDF")
        indexes = [
            # A conversion job takes the pending PDFs, oldest first (conversion._claim).
            models.Index(fields=["state", "requested_at"], name="documents_pdf_state"),
        ]

    def __str__(self) -> str:
        return f"{self.document} PDF"

    @property
    def stuck(self) -> bool:
        """Waiting or converting, yet its job has ended: it will not be made without a retry."""
        return (
            self.state in (self.State.PENDING, self.State.CONVERTING)
            and self.job is not None
            and self.job.finished
        )

    @property
    def shown_state(self) -> str:
        return self.State.FAILED if self.stuck else self.state

    @property
    def shown_error(self) -> str:
        if self.error:
            return self.error
        return self.job.error if self.job is not None else ""


def _template_path(instance: DocumentTemplate, filename: str) -> str:
    return f"document-templates/{instance.kind}-{instance.sha256[:16]}.docx"


class DocumentTemplate(models.Model):
    """An office's own .docx for a kind of document; the newest active one is used."""

    kind = models.CharField(_("文书种类"), max_length=32, choices=DocumentKind.choices)
    file = models.FileField(_("模板文件"), upload_to=_template_path, max_length=255)
    original_name = models.CharField(_("原文件名"), max_length=255)
    sha256 = models.CharField("SHA-256", max_length=64)
    note = models.CharField(_("说明"), max_length=200, blank=True, default="")
    active = models.BooleanField(_("使用中"), default=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("文书模板")
        verbose_name_plural = _("文书模板")
        ordering = ["kind", "-uploaded_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind"],
                condition=models.Q(active=True),
                name="documents_one_active_template",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.original_name}"

    def delete(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        # Issued documents refer to the template they were made from.
        raise DomainError(MSG_TEMPLATE_HISTORY, code="template_history")


class TemplateUpload(models.Model):
    """An office's .docx as it arrived, until the worker has checked it.

    The file waits here, in the database, not in storage: only a template that passes the
    check is written to storage (as a DocumentTemplate). Once checked, accepted or refused,
    the bytes are dropped and the row stays as the record of the attempt and its reason.
    """

    class State(models.TextChoices):
        CHECKING = "checking", _("校验中")
        ACCEPTED = "accepted", _("已启用")
        REFUSED = "refused", _("未通过")

    kind = models.CharField(_("文书种类"), max_length=32, choices=DocumentKind.choices)
    original_name = models.CharField(_("原文件名"), max_length=255)
    size = models.PositiveIntegerField(_("大小(字节)"))
    sha256 = models.CharField("SHA-256", max_length=64)
    note = models.CharField(_("说明"), max_length=200, blank=True, default="")
    content = models.BinaryField(_("文件内容"), null=True, editable=False)
    state = models.CharField(
        _("状态"), max_length=16, choices=State.choices, default=State.CHECKING
    )
    reason = models.TextField(_("未通过的原因"), blank=True, default="")
    template = models.ForeignKey(
        DocumentTemplate,
        verbose_name=_("启用的模板"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    job = models.ForeignKey(
        "jobs.Job",
        verbose_name=_("校验任务"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    checked_at = models.DateTimeField(_("校验时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("模板上传")
        verbose_name_plural = _("模板上传")
        ordering = ["-uploaded_at", "-id"]
        indexes = [
            # The latest uploads on the templates page (selectors.template_overview).
            models.Index(fields=["-uploaded_at"], name="documents_upload_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.original_name}"


class DocumentDraft(models.Model):
    """A draft made in the worker (a preview before issue, or a template's sample), kept for
    the user who asked for it until it expires (DOCUMENTS_DRAFT_HOURS); never numbered."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("申请人"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    filename = models.CharField(_("文件名"), max_length=255)
    content_type = models.CharField(_("文件类型"), max_length=100)
    content = models.BinaryField(_("文件内容"))
    # Expired drafts are removed by age (drafts.purge_expired).
    created_at = models.DateTimeField(_("生成时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("文书草稿")
        verbose_name_plural = _("文书草稿")

    def __str__(self) -> str:
        return self.filename

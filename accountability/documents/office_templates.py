"""Office templates: an upload is kept, checked in the worker, then used or refused.

Signatures:

    template_upload(*, kind, upload, actor, note="", request=None) -> TemplateUpload
        (web: the cheap checks, the bytes kept on a TemplateUpload row, a check job queued)
    template_upload_check(*, upload_id, progress=None) -> DocumentTemplate
        (worker: package.inspect, the sandbox check and the sample rendering; then the template
        is stored and used, or the upload is refused with the reason)
    template_validate(kind, content, progress=None) -> bytes   (the check itself; the sample)
    template_reset(*, kind, actor, request=None) -> int

Parsing an uploaded file is never done in the web process: a small .docx can hold millions of
elements (see package.py). A refused upload leaves no file behind: its bytes were only ever on
the TemplateUpload row, and are dropped once it has been checked.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accountability.audit.services import audit_log
from accountability.cases import access
from accountability.common.errors import DomainError, PermissionDenied
from accountability.common.i18n import in_source_language
from accountability.documents import package, render, sandbox
from accountability.documents.files import removed_on_failure
from accountability.documents.kinds import DocumentKind
from accountability.documents.models import DocumentTemplate, TemplateUpload
from accountability.documents.roles import TEMPLATE_ROLES
from accountability.documents.samples import sample_context

MSG_UNKNOWN_KIND = _("未知的文书种类“{kind}”。")
MSG_TEMPLATE_ROLE = _("只有监督室工作人员和监督室负责人可以管理文书模板。")
MSG_TEMPLATE_INVALID = _("模板校验未通过：{detail}")
MSG_CHECKING = _("正在检查“{name}”：{step}")
MSG_STEP_PACKAGE = _("文件结构")
MSG_STEP_RENDER = _("用示例数据生成文书")
MSG_ACCEPTED = _("已启用新的“{kind}”模板（{name}）。")
MSG_ALREADY_CHECKED = _("该上传已校验完毕（{state}），如需再次校验请重新上传文件。")
MSG_CHECK_TIMEOUT = _("模板校验超过{seconds}秒的限制，已停止；请精简文档后重新上传。")
MSG_CHECK_MEMORY = _("模板校验所需内存超过{mb} MB 的限制，已停止；请精简文档后重新上传。")
MSG_CHECK_FAILED = _("模板校验时出错，未能完成；请重新上传或联系系统管理员。")
LABEL_CHECK = _("校验文书模板：{kind}（{name}）")

Progress = Callable[..., None]


def _kind(kind: str) -> DocumentKind:
    try:
        return DocumentKind(kind)
    except ValueError:
        raise DomainError(
            MSG_UNKNOWN_KIND.format(kind=kind), field="kind", code="unknown_kind"
        ) from None


def _template_manager(actor: Any) -> None:
    if getattr(actor, "role", None) not in TEMPLATE_ROLES or access.is_administrator(actor):
        raise PermissionDenied(MSG_TEMPLATE_ROLE, code="role_not_allowed")


def template_validate(kind: str, content: bytes, progress: Progress | None = None) -> bytes:
    """Check ``content`` as a template of ``kind``: the package (package.inspect), then every
    placeholder against the kind's documented fields and a rendering with its sample. The
    rendered sample, or DomainError with the reason."""
    package.inspect(content, progress=progress and _package_progress(progress))
    if progress is not None:
        progress(1, 2, str(MSG_STEP_RENDER))
    try:
        return render.render_docx(
            content,
            in_source_language(sample_context, kind),
            fields=sandbox.fields_for(kind),
            inspect=False,  # just done
        )
    except render.RenderError as exc:
        raise DomainError(
            MSG_TEMPLATE_INVALID.format(detail=exc.message), field="file", code=exc.code
        ) from None


def _package_progress(progress: Progress) -> Callable[[int, int, str], None]:
    def report(done: int, total: int, part: str) -> None:
        progress(0, 2, f"{MSG_STEP_PACKAGE}：{part}")

    return report


def _read_upload(upload: Any) -> tuple[str, bytes]:
    """The name and bytes of ``upload``, refused early (and cheaply) when empty, not named
    .docx, or larger than the limit: nothing is parsed here."""
    limits = package.Limits.from_settings()
    if upload is None:
        raise DomainError(package.MSG_EMPTY, field="file", code="template_empty")
    name = getattr(upload, "name", "") or "template.docx"
    if not name.lower().endswith(".docx"):
        raise DomainError(package.MSG_NOT_DOCX, field="file", code="template_not_docx")
    too_large = DomainError(
        package.MSG_TOO_LARGE.format(mb=limits.max_bytes >> 20),
        field="file",
        code="template_too_large",
    )
    size = getattr(upload, "size", None)
    if size is not None and size > limits.max_bytes:
        raise too_large
    content = upload.read(limits.max_bytes + 1)
    if not content:
        raise DomainError(package.MSG_EMPTY, field="file", code="template_empty")
    if len(content) > limits.max_bytes:
        raise too_large
    return name, content


def template_upload(
    *, kind: str, upload: Any, actor: Any, note: str = "", request: Any = None
) -> TemplateUpload:
    """Keep an office's .docx for ``kind`` and queue its check (template_upload_check in the
    worker); the row's ``job`` shows how the check goes."""
    from accountability.documents.jobs import template_check
    from accountability.jobs.services import job_enqueue

    kind = _kind(kind)
    _template_manager(actor)
    name, content = _read_upload(upload)
    with transaction.atomic():
        row = TemplateUpload.objects.create(
            kind=kind,
            original_name=name[-255:],
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
            note=(note or "").strip()[:200],
            content=content,
            uploaded_by=actor,
        )
        row.job = job_enqueue(
            handler=template_check,
            owner=actor,
            params={"upload_id": row.pk},
            label=in_source_language(lambda: str(LABEL_CHECK.format(kind=kind.label, name=name))),
        )
        row.save(update_fields=["job"])
        audit_log(
            actor=actor,
            action="create",
            target=row,
            changes={
                "kind": str(kind),
                "sha256": row.sha256,
                "original_name": row.original_name,
                "size": row.size,
            },
            detail="上传文书模板，待后台校验",
            request=request,
        )
    return row


def _failure_reason(error: BaseException) -> str:
    from rq.timeouts import JobTimeoutException

    if isinstance(error, DomainError):
        return error.message
    if isinstance(error, JobTimeoutException):
        return str(MSG_CHECK_TIMEOUT.format(seconds=settings.DOCUMENTS_TEMPLATE_CHECK_SECONDS))
    if isinstance(error, MemoryError):
        return str(MSG_CHECK_MEMORY.format(mb=settings.DOCUMENTS_TEMPLATE_CHECK_MEMORY_MB))
    return str(MSG_CHECK_FAILED)


def _refuse(row: TemplateUpload, reason: str) -> None:
    with transaction.atomic():
        TemplateUpload.objects.filter(pk=row.pk).update(
            state=TemplateUpload.State.REFUSED,
            reason=reason,
            content=None,
            checked_at=timezone.now(),
        )
        audit_log(
            actor=row.uploaded_by,
            action="update",
            target=row,
            outcome="failure",
            changes={
                "state": [TemplateUpload.State.CHECKING, TemplateUpload.State.REFUSED],
                "sha256": row.sha256,
            },
            detail=reason,
        )


def _accept(row: TemplateUpload, content: bytes) -> DocumentTemplate:
    kind = DocumentKind(row.kind)
    with removed_on_failure() as written, transaction.atomic():
        previous = list(DocumentTemplate.objects.select_for_update().filter(kind=kind, active=True))
        DocumentTemplate.objects.filter(pk__in=[p.pk for p in previous]).update(active=False)
        template = DocumentTemplate(
            kind=kind,
            original_name=row.original_name,
            sha256=row.sha256,
            note=row.note,
            active=True,
            uploaded_by=row.uploaded_by,
        )
        written.save(template.file, "template.docx", content)
        template.save()
        TemplateUpload.objects.filter(pk=row.pk).update(
            state=TemplateUpload.State.ACCEPTED,
            template=template,
            content=None,
            checked_at=timezone.now(),
        )
        audit_log(
            actor=row.uploaded_by,
            action="update",
            target=template,
            changes={
                "kind": str(kind),
                "sha256": template.sha256,
                "original_name": template.original_name,
                "replaces": [p.pk for p in previous],
                "upload": row.pk,
            },
        )
    return template


def template_upload_check(*, upload_id: int, progress: Progress | None = None) -> DocumentTemplate:
    """Check the kept upload ``upload_id`` (in the worker): the template it becomes, or
    DomainError with the reason it was refused (then recorded on the upload)."""
    row = TemplateUpload.objects.select_related("uploaded_by").get(pk=upload_id)
    if row.state != TemplateUpload.State.CHECKING or row.content is None:
        raise DomainError(
            MSG_ALREADY_CHECKED.format(state=row.get_state_display()),
            field="file",
            code="already_checked",
        )
    content = bytes(row.content)
    try:
        template_validate(row.kind, content, progress)
    except BaseException as error:  # refused, out of time or memory: recorded, then re-raised
        _refuse(row, _failure_reason(error))
        raise
    return _accept(row, content)


def template_reset(*, kind: str, actor: Any, request: Any = None) -> int:
    """Go back to the shipped template for `kind`; the uploads stay on file. Returns how
    many uploads were switched off."""
    kind = _kind(kind)
    _template_manager(actor)
    with transaction.atomic():
        ids = list(
            DocumentTemplate.objects.select_for_update()
            .filter(kind=kind, active=True)
            .values_list("pk", flat=True)
        )
        DocumentTemplate.objects.filter(pk__in=ids).update(active=False)
        audit_log(
            actor=actor,
            action="update",
            target=("documents.documenttemplate", str(kind), f"{kind.label}：恢复默认模板"),
            changes={"kind": str(kind), "deactivated": ids},
            request=request,
        )
    return len(ids)

"""Document pages: a case's paperwork, downloads, issuing, the dossier package, templates.

Thin views: the case comes through cases.selectors.case_get_for_user (permission in
the fetch), one service does the work, and a DomainError becomes a message on the
page (for actions) or the common error page (for downloads, via the middleware).
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header, url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accountability.cases import access
from accountability.cases.models import Appeal, Case, CaseParty
from accountability.cases.selectors import case_get_for_user
from accountability.common.errors import DomainError, NotFound, PermissionDenied
from accountability.common.i18n import in_source_language, label_separator
from accountability.documents import conversion, drafts, office_templates, selectors, services
from accountability.documents import render as rendering
from accountability.documents.kinds import NUMBERED_KINDS, DocumentKind
from accountability.documents.pdf import pdf_available
from accountability.documents.roles import can_manage_templates, issuer_roles
from accountability.documents.samples import sample_context

MSG_ISSUED = gettext_noop("已印发{title}{number}。")
MSG_REISSUED = gettext_noop("已生成{title}第{version}版。")
MSG_PDF_UNDER_WAY = gettext_noop("PDF 正在后台生成，完成后可在文书列表中下载。")
MSG_TEMPLATE_RECEIVED = gettext_noop("已收到“{name}”，正在后台校验，完成后本页显示结果。")
MSG_TEMPLATE_RESET = gettext_noop("“{kind}”已恢复使用系统默认模板。")
MSG_UNKNOWN_KIND = gettext_noop("未知的文书种类。")
EDITING_HELP = gettext_noop(
    "本单位可下载模板，在 Word 或 WPS 中修改措辞和版式后上传启用。"
    "双花括号 {{ … }} 和 {%p … %} 为自动填充标记，请保留；可用字段见各类文书的“示例数据”。"
    "上传的模板在后台校验：文件大小、结构和每个填充标记（只能使用该类文书示例数据中的字段），"
    "并须能用示例数据成功生成文书，否则不予启用。"
)


def _file_response(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Content-Length"] = str(len(content))
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def _kind(value: str) -> DocumentKind:
    try:
        return DocumentKind(value)
    except ValueError:
        raise NotFound(_(MSG_UNKNOWN_KIND)) from None


def _back(request: HttpRequest, case: Case) -> HttpResponse:
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("documents:case_documents", case_id=case.pk)


def _subject_rows(
    request: HttpRequest, case: Case, data: Any
) -> tuple[CaseParty | None, Appeal | None, str]:
    party = None
    appeal = None
    if data.get("party"):
        party = case.parties.filter(pk=_int(data.get("party"))).first()
        if party is None:
            raise DomainError(_("所选人员不是本案的被调查人。"), field="party")
    if data.get("appeal"):
        appeal = Appeal.objects.filter(
            pk=_int(data.get("appeal")), decision__party__case=case
        ).first()
        if appeal is None:
            raise DomainError(_("所选申诉不属于本案。"), field="appeal")
    return party, appeal, str(data.get("recipient") or "")


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


# --- a case's documents -----------------------------------------------------------------


@login_required
@require_GET
def case_documents(request: HttpRequest, case_id: int) -> HttpResponse:
    case = case_get_for_user(case_id=case_id, user=request.user)
    documents = selectors.document_list_for_case(case=case)
    roles = access.case_roles(case=case, user=request.user)
    for document in documents:
        document.can_retry = bool(roles & issuer_roles(document.kind))  # type: ignore[attr-defined]
    options = selectors.issue_options(case=case, user=request.user)
    return render(
        request,
        "documents/case_documents.html",
        {
            "case": case,
            "documents": documents,
            "options": options,
            "can_export": selectors.can_export_dossier(case=case, user=request.user),
            "pdf_available": pdf_available(),
            "case_url": _case_url(case),
        },
    )


def _case_url(case: Case) -> str:
    try:
        return reverse("cases:detail", args=[case.pk])
    except Exception:  # the case pages are another app's; the link is optional
        return ""


@login_required
@require_POST
def issue(request: HttpRequest, case_id: int) -> HttpResponse:
    case = case_get_for_user(case_id=case_id, user=request.user)
    try:
        kind = services.parse_kind(request.POST.get("kind", ""))
        party, appeal, recipient = _subject_rows(request, case, request.POST)
        document = services.document_issue(
            case=case,
            kind=kind,
            actor=request.user,
            party=party,
            recipient=recipient,
            appeal=appeal,
            request=request,
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        number = _("（{number}）").format(number=document.number) if document.number else ""
        messages.success(request, _(MSG_ISSUED).format(title=document.title, number=number))
        _pdf_under_way(request, document)
    return _back(request, case)


def _pdf_under_way(request: HttpRequest, document: Any) -> None:
    if document.pdf_copy is not None:
        messages.info(request, _(MSG_PDF_UNDER_WAY))


@login_required
@require_POST
def pdf_request(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask (again) for the PDF of an issued document: one that failed or was never made."""
    document = selectors.document_get_for_user(document_id=pk, user=request.user)
    try:
        conversion.pdf_retry(document=document, actor=request.user, request=request)
    except PermissionDenied:
        raise
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.info(request, _(MSG_PDF_UNDER_WAY))
    return _back(request, document.case)


@login_required
@require_POST
def reissue(request: HttpRequest, pk: int) -> HttpResponse:
    document = selectors.document_get_for_user(document_id=pk, user=request.user)
    try:
        new = services.document_reissue(
            document=document,
            actor=request.user,
            reason=request.POST.get("reason", ""),
            request=request,
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _(MSG_REISSUED).format(title=new.title, version=new.version))
        _pdf_under_way(request, new)
    return _back(request, document.case)


@login_required
@require_GET
def download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    document = selectors.document_get_for_user(document_id=pk, user=request.user)
    file = services.document_download(
        document=document, fmt=fmt, actor=request.user, request=request
    )
    return _file_response(file.content, file.filename, file.content_type)


@login_required
@require_http_methods(["GET", "POST"])
def preview(request: HttpRequest, case_id: int, kind: str, fmt: str) -> HttpResponse:
    """A draft (草稿) of a document not yet issued: nothing is stored or numbered.

    The shipped template as .docx comes at once; anything else is made by the worker: GET
    shows what will be made and a button, POST queues it and goes to its progress page.
    """
    case = case_get_for_user(case_id=case_id, user=request.user)
    data = request.POST if request.method == "POST" else request.GET
    party, appeal, recipient = _subject_rows(request, case, data)
    kind = _kind(kind)
    arguments: dict[str, Any] = {
        "case": case,
        "kind": kind,
        "party": party,
        "recipient": recipient,
        "appeal": appeal,
    }
    if request.method == "POST":
        job = drafts.draft_request(actor=request.user, fmt=fmt, **arguments)
        return redirect("jobs:job", job_id=job.pk)
    if not drafts.draft_needs_worker(kind=kind, fmt=fmt):
        file = drafts.document_draft(actor=request.user, fmt=fmt, **arguments)
        return _file_response(file.content, file.filename, file.content_type)
    return _draft_page(
        request,
        title=selectors.display_title(kind, _subject(case, party, recipient, appeal)),
        fmt=fmt,
        fields={
            "party": party.pk if party else "",
            "recipient": recipient,
            "appeal": appeal.pk if appeal else "",
        },
        back=reverse("documents:case_documents", args=[case.pk]),
    )


def _subject(case: Case, party: Any, recipient: str, appeal: Any) -> Any:
    from accountability.documents.context import Subject

    if appeal is not None and party is None:
        party = appeal.decision.party
    return Subject(case=case, party=party, recipient=recipient, appeal=appeal)


def _draft_page(
    request: HttpRequest, *, title: str, fmt: str, fields: dict[str, Any], back: str
) -> HttpResponse:
    if fmt not in drafts.FORMATS:
        raise NotFound()
    return render(
        request,
        "documents/draft_request.html",
        {
            "title": title,
            "fmt_label": "Word" if fmt == "docx" else "PDF",
            "fields": {k: v for k, v in fields.items() if v not in ("", None)},
            "back": back,
        },
    )


@login_required
@require_GET
def draft_download(request: HttpRequest, draft_id: str) -> HttpResponse:
    """A draft the worker made, for the user who asked for it."""
    draft = drafts.draft_get_for_user(draft_id=draft_id, user=request.user)
    return _file_response(bytes(draft.content), draft.filename, draft.content_type)


@login_required
@require_POST
def dossier(request: HttpRequest, case_id: int) -> HttpResponse:
    case = case_get_for_user(case_id=case_id, user=request.user)
    try:
        package = services.dossier_export(case=case, actor=request.user, request=request)
    except PermissionDenied:
        raise
    except DomainError as error:
        messages.error(request, error.message)
        return _back(request, case)
    response = _file_response(package.content, package.filename, services.CONTENT_TYPES["zip"])
    response["X-Content-SHA256"] = package.sha256
    return response


# --- templates --------------------------------------------------------------------------


def _file_label(kind: DocumentKind) -> str:
    """The kind's name in a file name: Chinese, like the paperwork the file holds."""
    return in_source_language(str, kind.label)


def _sample_fields(kind: DocumentKind) -> str:
    return json.dumps(in_source_language(sample_context, kind), ensure_ascii=False, indent=2)


@login_required
@require_GET
def templates(request: HttpRequest) -> HttpResponse:
    if getattr(request.user, "is_administrator", False):
        raise PermissionDenied(office_templates.MSG_TEMPLATE_ROLE)
    rows = [
        {
            "status": status,
            "numbered": status.kind in NUMBERED_KINDS,
            "fields": _sample_fields(status.kind),
        }
        for status in selectors.template_overview()
    ]
    return render(
        request,
        "documents/templates.html",
        {
            "rows": rows,
            "can_manage": can_manage_templates(request.user),
            "pdf_available": pdf_available(),
            "editing_help": _(EDITING_HELP),
        },
    )


@login_required
@require_GET
def template_download(request: HttpRequest, kind: str) -> HttpResponse:
    kind = _kind(kind)
    if getattr(request.user, "is_administrator", False):
        raise PermissionDenied(office_templates.MSG_TEMPLATE_ROLE)
    if request.GET.get("source") == "shipped":
        content = rendering.shipped_template(kind)
        name = f"{_file_label(kind)}-系统默认模板.docx"
    else:
        choice = selectors.template_for(kind)
        content = choice.content
        name = f"{_file_label(kind)}-{'系统默认模板' if choice.is_shipped else '本单位模板'}.docx"
    return _file_response(content, name, services.CONTENT_TYPES["docx"])


@login_required
@require_http_methods(["GET", "POST"])
def template_sample(request: HttpRequest, kind: str, fmt: str) -> HttpResponse:
    """The current template filled with the sample data, to check an office's edits: at once
    for the shipped template as .docx, otherwise made by the worker (as for a preview)."""
    kind = _kind(kind)
    if getattr(request.user, "is_administrator", False):
        raise PermissionDenied(office_templates.MSG_TEMPLATE_ROLE)
    if fmt not in drafts.FORMATS:
        raise NotFound()
    if request.method == "POST":
        job = drafts.draft_request(actor=request.user, kind=kind, fmt=fmt, sample=True)
        return redirect("jobs:job", job_id=job.pk)
    if not drafts.draft_needs_worker(kind=kind, fmt=fmt):
        file = drafts.template_sample(kind=kind, fmt=fmt, actor=request.user)
        return _file_response(file.content, file.filename, file.content_type)
    return _draft_page(
        request,
        title=_("“%(kind)s”模板示例") % {"kind": kind.label},
        fmt=fmt,
        fields={},
        back=f"{reverse('documents:templates')}#{kind}",
    )


@login_required
@require_POST
def template_upload(request: HttpRequest, kind: str) -> HttpResponse:
    """Keep the upload and start its check in the worker; its progress page tells the result."""
    kind = _kind(kind)
    try:
        upload = office_templates.template_upload(
            kind=kind,
            upload=request.FILES.get("file"),
            actor=request.user,
            note=request.POST.get("note", ""),
            request=request,
        )
    except PermissionDenied:
        raise
    except DomainError as error:
        messages.error(request, f"{kind.label}{label_separator()}{error.message}")
        return redirect("documents:templates")
    messages.info(request, _(MSG_TEMPLATE_RECEIVED).format(name=upload.original_name))
    return redirect("jobs:job", job_id=upload.job_id)


@login_required
@require_POST
def template_reset(request: HttpRequest, kind: str) -> HttpResponse:
    kind = _kind(kind)
    office_templates.template_reset(kind=kind, actor=request.user, request=request)
    messages.success(request, _(MSG_TEMPLATE_RESET).format(kind=kind.label))
    return redirect("documents:templates")

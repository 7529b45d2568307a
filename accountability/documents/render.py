"""Rendering: a template and a context dict in, the bytes of a .docx out.

Pure apart from reading the shipped template files: no database. Templates are docxtpl
(Jinja inside Word XML) rendered in the sandbox of sandbox.py, with only the fields given
(a kind's documented fields, ``sandbox.fields_for(kind)``; by default the context's own).
Values are escaped, and a field a template names but the context lacks is an error, never
a silent blank.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import Any

import jinja2
from django.utils.translation import gettext_lazy as _
from docxtpl import DocxTemplate
from jinja2.exceptions import SecurityError

from accountability.common.errors import DomainError
from accountability.documents import package, sandbox
from accountability.documents.kinds import DocumentKind
from accountability.documents.sandbox import DocumentEnvironment

TEMPLATE_UNREADABLE = _(
    "模板文件无法打开：{detail}。请上传 Word 2007 及以上版本保存的 .docx 文件。"
)
TEMPLATE_SYNTAX = _("模板中的填充标记有误：{detail}。请检查 {{{{ }}}} 与 {{%p %}} 标记是否完整。")
TEMPLATE_FIELD = _("模板引用了不存在的字段：{detail}。可用字段见该类文书的示例。")
TEMPLATE_FAILED = _("文书生成失败：{detail}。")
TEMPLATE_UNSAFE = _("模板试图访问不允许的内容（{detail}），已拒绝。")


class RenderError(DomainError):
    def __init__(self, message: str, code: str = "template_invalid") -> None:
        super().__init__(message, field="template", code=code)


@cache
def shipped_template(kind: str) -> bytes:
    """The .docx shipped with the application for `kind` (built by templates_src/)."""
    name = f"{DocumentKind(kind).value}.docx"
    return (resources.files("accountability.documents") / "docx" / name).read_bytes()


def render_docx(
    template: bytes,
    context: Mapping[str, Any],
    *,
    fields: Mapping[str, Any] | None = None,
    inspect: bool = True,
) -> bytes:
    """The filled-in document. Raises RenderError with a Chinese message on a bad template,
    one that uses anything but ``fields`` among them (sandbox.TemplateRefused's message), and
    package.PackageRefused for a package beyond the limits (``inspect=False`` skips that check,
    for the shipped templates and for a package inspected just before)."""
    if inspect:
        package.inspect(template)
    try:
        document = DocxTemplate(io.BytesIO(template))
        document.init_docx()
    except Exception as exc:  # zipfile, lxml and python-docx raise several kinds
        raise RenderError(TEMPLATE_UNREADABLE.format(detail=type(exc).__name__)) from exc
    environment = DocumentEnvironment(sandbox.fields_of(context) if fields is None else fields)
    try:
        document.render(dict(context), jinja_env=environment, autoescape=True)
    except sandbox.TemplateRefused as exc:
        raise RenderError(exc.message, code=exc.code) from None
    except SecurityError as exc:  # the sandbox stopped what the check let through
        raise RenderError(TEMPLATE_UNSAFE.format(detail=exc), code="template_unsafe") from None
    except jinja2.UndefinedError as exc:
        raise RenderError(TEMPLATE_FIELD.format(detail=exc.message)) from exc
    except jinja2.TemplateSyntaxError as exc:
        raise RenderError(TEMPLATE_SYNTAX.format(detail=exc.message)) from exc
    except Exception as exc:
        raise RenderError(TEMPLATE_FAILED.format(detail=exc)) from exc
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sm3_hex(data: bytes) -> str:
    """SM3 (GB/T 32905-2016) through OpenSSL."""
    return hashlib.new("sm3", data).hexdigest()

"""Rendering: a template and a context dict in, the bytes of a .docx out.

Pure apart from reading the shipped template files: no database, no settings.
Templates are docxtpl (Jinja inside Word XML). Values are escaped, and a field
a template names but the context lacks is an error, never a silent blank.
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

from accountability.common.errors import DomainError
from accountability.documents.kinds import DocumentKind

TEMPLATE_UNREADABLE = _(
    "模板文件无法打开：{detail}。请上传 Word 2007 及以上版本保存的 .docx 文件。"
)
TEMPLATE_SYNTAX = _("模板中的填充标记有误：{detail}。请检查 {{{{ }}}} 与 {{%p %}} 标记是否完整。")
TEMPLATE_FIELD = _("模板引用了不存在的字段：{detail}。可用字段见该类文书的示例。")
TEMPLATE_FAILED = _("文书生成失败：{detail}。")


class RenderError(DomainError):
    def __init__(self, message: str) -> None:
        super().__init__(message, field="template", code="template_invalid")


@cache
def shipped_template(kind: str) -> bytes:
    """The .docx shipped with the application for `kind` (built by templates_src/)."""
    name = f"{DocumentKind(kind).value}.docx"
    return (resources.files("accountability.documents") / "docx" / name).read_bytes()


def _environment() -> jinja2.Environment:
    return jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)


def render_docx(template: bytes, context: Mapping[str, Any]) -> bytes:
    """The filled-in document. Raises RenderError with a Chinese message on a bad template."""
    try:
        document = DocxTemplate(io.BytesIO(template))
        document.init_docx()
    except Exception as exc:  # zipfile, lxml and python-docx raise several kinds
        raise RenderError(TEMPLATE_UNREADABLE.format(detail=type(exc).__name__)) from exc
    try:
        document.render(dict(context), jinja_env=_environment(), autoescape=True)
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

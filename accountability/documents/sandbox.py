"""Templates render in Jinja2's sandbox, with only the fields their kind documents.

An office's .docx is Jinja inside Word XML (docxtpl). Rendered by a plain Jinja environment a
placeholder such as ``{{ cycler.__init__.__globals__.os.popen('id').read() }}`` runs a command
on the server. Here every template goes through two gates before it renders:

1. **A check of every placeholder** against the fields the kind documents (its sample in
   ``samples.py``, which is also what the templates page shows): a name or attribute that is
   not a documented field, anything starting with ``_``, a call, arithmetic, a filter or test
   outside the short lists below, and every statement but ``for`` and ``if`` are refused, with a
   message that quotes the placeholder. ``for`` iterates only documented lists, nested at most
   ``MAX_LOOP_DEPTH`` deep, so the work a template can ask for stays proportional to the data.
2. **Jinja's ImmutableSandboxedEnvironment** renders what passed, with no globals
   (``range``, ``lipsum``, ``cycler``, ``joiner``, ``namespace`` are gone), only the filters and
   tests below, no attribute of any object but a loop's counters, and undefined fields as errors.

The check runs whenever a template is compiled (``DocumentEnvironment.from_string``, which is
what docxtpl calls for the body, headers, footers, footnotes and properties), so a template
that reached storage some other way is refused at preview and issue too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import jinja2
from django.utils.translation import gettext_lazy as _
from jinja2 import nodes
from jinja2.filters import FILTERS
from jinja2.runtime import LoopContext
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.tests import TESTS

from accountability.common.errors import DomainError

MSG_REFUSED = _("模板中的填充标记 {tag} 不能使用：{reason}。可用字段见该类文书的“示例数据”。")
REASON_NOT_A_FIELD = _("“{name}”不是该类文书的字段")
REASON_PRIVATE = _("不能使用以下划线开头的名称“{name}”")
REASON_CALL = _("不能调用函数或方法")
REASON_ARITHMETIC = _("不能进行算术运算")
REASON_FILTER = _("不能使用过滤器“{name}”")
REASON_TEST = _("不能使用判断“{name}”")
REASON_STATEMENT = _("只能使用 for 和 if 语句，不能使用“{name}”")
REASON_NOT_A_LIST = _("for 只能遍历列表字段，“{name}”不是列表")
REASON_DEPTH = _("for 循环嵌套不能超过{depth}层")
REASON_SUBSCRIPT = _("方括号中只能写字段名或序号")
REASON_OTHER = _("不能使用这种写法（{what}）")

#: Filters a template may use: formatting of text and lists, nothing that builds large output
#: from a small template (center, indent, format, replace, wordwrap) or reaches objects (attr).
ALLOWED_FILTERS = frozenset(
    {
        "capitalize",
        "count",
        "d",
        "default",
        "e",
        "escape",
        "first",
        "join",
        "last",
        "length",
        "lower",
        "string",
        "title",
        "trim",
        "upper",
    }
)
ALLOWED_TESTS = frozenset(
    {
        "defined",
        "eq",
        "equalto",
        "false",
        "in",
        "mapping",
        "ne",
        "none",
        "number",
        "sequence",
        "string",
        "true",
        "undefined",
    }
)
#: The counters of ``loop`` inside a for (``loop.cycle`` and ``loop.changed`` are calls).
LOOP_FIELDS = frozenset({"index", "index0", "revindex", "revindex0", "first", "last", "length"})
MAX_LOOP_DEPTH = 3

# Every placeholder as Jinja's lexer finds them: the earliest {{, {% or {# up to the first
# closing mark. A closing mark inside a quoted string cuts the tag short; the shortened tag
# does not parse and is refused, so a tag can never hide from the check.
_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)
_XML_TAG = re.compile(r"<[^>]*>")
_KEYWORD = re.compile(r"^\{%[-+]?\s*(\w*)")
_ELIF = re.compile(r"^\{%[-+]?\s*elif\b(.*?)[-+]?%\}$", re.DOTALL)
_SHOWN_TAG_LENGTH = 80


class TemplateRefused(DomainError):
    def __init__(self, tag: str, reason: Any) -> None:
        shown = " ".join(_XML_TAG.sub("", tag).split())
        if len(shown) > _SHOWN_TAG_LENGTH:
            shown = shown[: _SHOWN_TAG_LENGTH - 1] + "…"
        super().__init__(
            MSG_REFUSED.format(tag=shown, reason=reason), field="template", code="template_unsafe"
        )
        self.tag = shown


# --- the documented fields --------------------------------------------------------------


class _Leaf:
    """A text or number: it has no fields of its own."""

    def __repr__(self) -> str:
        return "LEAF"


class _Loop:
    def __repr__(self) -> str:
        return "LOOP"


LEAF = _Leaf()
LOOP = _Loop()


@dataclass(frozen=True)
class ListOf:
    """A list whose elements have the fields ``item`` (None: the sample's list is empty)."""

    item: Any


def _merge(a: Any, b: Any) -> Any:
    if isinstance(a, dict) and isinstance(b, dict):
        merged = dict(a)
        for key, value in b.items():
            merged[key] = _merge(merged[key], value) if key in merged else value
        return merged
    if isinstance(a, ListOf) and isinstance(b, ListOf):
        if a.item is None or b.item is None:
            return ListOf(a.item if b.item is None else b.item)
        return ListOf(_merge(a.item, b.item))
    return a if a is b else LEAF


def fields_of(value: Any) -> Any:
    """The shape of ``value``: dicts by key, lists by the union of their elements, else LEAF."""
    if isinstance(value, Mapping):
        return {str(key): fields_of(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        item = None
        for element in value:
            shape = fields_of(element)
            item = shape if item is None else _merge(item, shape)
        return ListOf(item)
    return LEAF


def fields_for(kind: str) -> dict[str, Any]:
    """The fields a template of ``kind`` may use: those of its documented sample."""
    from accountability.documents.samples import sample_context

    return fields_of(sample_context(kind))


# --- the check --------------------------------------------------------------------------


@dataclass
class _Scope:
    names: dict[str, Any]


class _Checker:
    def __init__(self, environment: jinja2.Environment, fields: Mapping[str, Any]) -> None:
        self.environment = environment
        self.fields = fields
        self.scopes: list[_Scope] = []
        self.tag = ""

    def refuse(self, reason: Any) -> TemplateRefused:
        return TemplateRefused(self.tag, reason)

    # Placeholders one by one, with the loop variables of the for blocks they sit in.
    def check(self, source: str) -> None:
        for match in _TAG.finditer(source):
            self.tag = match.group(0)
            if self.tag.startswith("{#"):
                continue
            if self.tag.startswith("{{"):
                body = self._parse(self.tag).body
                for output in body:
                    for node in getattr(output, "nodes", ()):
                        self.expression(node)
                continue
            self.statement()
        self.tag = ""

    def _parse(self, text: str) -> nodes.Template:
        # A tag that does not parse on its own raises jinja2.TemplateSyntaxError.
        return self.environment.parse(_XML_TAG.sub("", text))

    def statement(self) -> None:
        match = _KEYWORD.match(_XML_TAG.sub("", self.tag))
        keyword = match[1] if match else ""
        if keyword in ("else", "endif"):
            return
        if keyword == "endfor":
            if self.scopes:
                self.scopes.pop()
            return
        if keyword == "if":
            self.expression(self._only(self.tag + "{% endif %}", nodes.If).test)
            return
        if keyword == "elif":
            match = _ELIF.match(_XML_TAG.sub("", self.tag))
            text = "{% if" + (match[1] if match else "") + "%}{% endif %}"
            self.expression(self._only(text, nodes.If).test)
            return
        if keyword == "for":
            self.for_loop(self._only(self.tag + "{% endfor %}", nodes.For))
            return
        raise self.refuse(REASON_STATEMENT.format(name=keyword or self.tag))

    def _only(self, text: str, kind: type[nodes.Node]) -> Any:
        body = self._parse(text).body
        if len(body) != 1 or not isinstance(body[0], kind):
            raise self.refuse(REASON_OTHER.format(what=type(body[0]).__name__ if body else ""))
        return body[0]

    def for_loop(self, node: nodes.For) -> None:
        if len(self.scopes) >= MAX_LOOP_DEPTH:
            raise self.refuse(REASON_DEPTH.format(depth=MAX_LOOP_DEPTH))
        if node.recursive or not isinstance(node.target, nodes.Name):
            raise self.refuse(REASON_OTHER.format(what="for"))
        iterated = self.expression(node.iter)
        if not isinstance(iterated, ListOf):
            raise self.refuse(REASON_NOT_A_LIST.format(name=_path(node.iter)))
        target = node.target.name
        if target.startswith("_"):
            raise self.refuse(REASON_PRIVATE.format(name=target))
        self.scopes.append(_Scope({target: iterated.item, "loop": LOOP}))
        if node.test is not None:
            self.expression(node.test)

    # Expressions: the shape of what the expression gives, or a refusal.
    def lookup(self, name: str) -> Any:
        if name.startswith("_"):
            raise self.refuse(REASON_PRIVATE.format(name=name))
        for scope in reversed(self.scopes):
            if name in scope.names:
                return scope.names[name]
        if name in self.fields:
            return self.fields[name]
        raise self.refuse(REASON_NOT_A_FIELD.format(name=name))

    def field(self, base: Any, name: str, path: str) -> Any:
        if name.startswith("_"):
            raise self.refuse(REASON_PRIVATE.format(name=name))
        if isinstance(base, dict) and name in base:
            return base[name]
        if base is LOOP and name in LOOP_FIELDS:
            return LEAF
        raise self.refuse(REASON_NOT_A_FIELD.format(name=path))

    def expression(self, node: nodes.Node) -> Any:
        if isinstance(node, nodes.Name):
            return self.lookup(node.name)
        if isinstance(node, nodes.Getattr):
            return self.field(self.expression(node.node), node.attr, _path(node))
        if isinstance(node, nodes.Getitem):
            base = self.expression(node.node)
            key = node.arg
            if isinstance(key, nodes.Const) and isinstance(key.value, str):
                return self.field(base, key.value, _path(node))
            if isinstance(key, nodes.Const) and type(key.value) is int and isinstance(base, ListOf):
                return base.item
            raise self.refuse(REASON_SUBSCRIPT)
        if isinstance(node, nodes.Const):
            return LEAF
        if isinstance(node, nodes.Filter):
            return self.filter(node)
        if isinstance(node, nodes.Test):
            if node.name not in ALLOWED_TESTS:
                raise self.refuse(REASON_TEST.format(name=node.name))
            self.arguments(node)
            self.expression(node.node)
            return LEAF
        if isinstance(node, nodes.Compare):
            self.expression(node.expr)
            for operand in node.ops:
                self.expression(operand.expr)
            return LEAF
        if isinstance(node, nodes.And | nodes.Or):
            self.expression(node.left)
            self.expression(node.right)
            return LEAF
        if isinstance(node, nodes.Not):
            self.expression(node.node)
            return LEAF
        if isinstance(node, nodes.CondExpr):
            for part in (node.test, node.expr1, node.expr2):
                if part is not None:
                    self.expression(part)
            return LEAF
        if isinstance(node, nodes.Concat):
            for part in node.nodes:
                self.expression(part)
            return LEAF
        if isinstance(node, nodes.Call):
            raise self.refuse(REASON_CALL)
        if isinstance(node, nodes.BinExpr | nodes.Neg | nodes.Pos):
            raise self.refuse(REASON_ARITHMETIC)
        raise self.refuse(REASON_OTHER.format(what=type(node).__name__))

    def filter(self, node: nodes.Filter) -> Any:
        if node.name not in ALLOWED_FILTERS:
            raise self.refuse(REASON_FILTER.format(name=node.name))
        self.arguments(node)
        if node.node is None:  # a {% filter %} block: refused as a statement already
            raise self.refuse(REASON_STATEMENT.format(name="filter"))
        base = self.expression(node.node)
        if node.name in ("first", "last") and isinstance(base, ListOf):
            return base.item
        if node.name in ("d", "default"):
            return base
        return LEAF

    def arguments(self, node: nodes.Filter | nodes.Test) -> None:
        if node.dyn_args is not None or node.dyn_kwargs is not None:
            raise self.refuse(REASON_OTHER.format(what="*args"))
        for argument in [*node.args, *(pair.value for pair in node.kwargs)]:
            self.expression(argument)


def _path(node: nodes.Node) -> str:
    """``person.name`` for the expression, as far as it is a chain of names."""
    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getattr):
        return f"{_path(node.node)}.{node.attr}"
    if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
        return f"{_path(node.node)}[{node.arg.value!r}]"
    return "…"


#: Every node type a checked template may contain (the whole parse is walked once more).
_ALLOWED_NODES: tuple[type[nodes.Node], ...] = (
    nodes.Template,
    nodes.Output,
    nodes.TemplateData,
    nodes.For,
    nodes.If,
    nodes.Name,
    nodes.Getattr,
    nodes.Getitem,
    nodes.Const,
    nodes.Filter,
    nodes.Test,
    nodes.Compare,
    nodes.Operand,
    nodes.And,
    nodes.Or,
    nodes.Not,
    nodes.CondExpr,
    nodes.Concat,
)


def _walk(node: nodes.Node) -> Iterable[nodes.Node]:
    yield node
    for child in node.iter_child_nodes():
        yield from _walk(child)


def check_template(
    source: str, fields: Mapping[str, Any], environment: jinja2.Environment | None = None
) -> None:
    """Refuse (TemplateRefused) a template that reaches beyond ``fields``; a syntax error
    raises jinja2.TemplateSyntaxError."""
    environment = environment or DocumentEnvironment(fields)
    _Checker(environment, fields).check(source)
    # Belt and braces: the template as Jinja parses it, as a whole, holds nothing else.
    for node in _walk(environment.parse(source)):
        if not isinstance(node, _ALLOWED_NODES):
            raise TemplateRefused(
                type(node).__name__, REASON_OTHER.format(what=type(node).__name__)
            )
        if isinstance(node, nodes.Getattr) and node.attr.startswith("_"):
            raise TemplateRefused(_path(node), REASON_PRIVATE.format(name=node.attr))
        if isinstance(node, nodes.Name) and node.name.startswith("_"):
            raise TemplateRefused(node.name, REASON_PRIVATE.format(name=node.name))


# --- the environment --------------------------------------------------------------------


class DocumentEnvironment(ImmutableSandboxedEnvironment):
    """The sandbox every document template renders in; it checks each template it compiles."""

    def __init__(self, fields: Mapping[str, Any]) -> None:
        super().__init__(autoescape=True, undefined=jinja2.StrictUndefined)
        self.fields = fields
        self.globals.clear()
        self.filters = {name: FILTERS[name] for name in ALLOWED_FILTERS}
        self.tests = {name: TESTS[name] for name in ALLOWED_TESTS}

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        # Contexts are plain dicts and lists, read by key; of objects only a loop's counters.
        return isinstance(obj, LoopContext) and attr in LOOP_FIELDS

    def is_safe_callable(self, obj: Any) -> bool:
        return False

    def from_string(self, source: Any, globals: Any = None, template_class: Any = None) -> Any:
        if isinstance(source, str):
            check_template(source, self.fields, self)
        else:  # a pre-parsed tree is never what docxtpl passes
            raise TemplateRefused("", REASON_OTHER.format(what=type(source).__name__))
        return super().from_string(source, globals, template_class)

"""A template renders in the sandbox with only its kind's documented fields (finding 1).

Each hostile placeholder is refused with a message that quotes it, and nothing it asks for
runs: the payloads would create a marker file, and the tests check it is not there.
"""

from __future__ import annotations

import io
from pathlib import Path

import jinja2
import pytest
from docx import Document
from jinja2.sandbox import ImmutableSandboxedEnvironment

from accountability.documents import render, samples, sandbox
from accountability.documents.kinds import DocumentKind


def template(*paragraphs: str) -> bytes:
    document = Document()
    for text in paragraphs:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def command(marker: Path) -> str:
    return f"cycler.__init__.__globals__.os.popen('touch {marker}').read()"


def hostile(marker: Path) -> list[tuple[str, str, str]]:
    """(paragraph, the placeholder the message quotes, the reason) for each payload."""
    run = command(marker)
    return [
        (f"{{{{ {run} }}}}", f"{{{{ {run} }}}}", sandbox.REASON_CALL),
        (
            "{{ self.__init__ }}",
            "{{ self.__init__ }}",
            sandbox.REASON_NOT_A_FIELD.format(name="self"),
        ),
        (
            "{{ ''.__class__.__mro__ }}",
            "{{ ''.__class__.__mro__ }}",
            sandbox.REASON_PRIVATE.format(name="__class__"),
        ),
        (
            f"{{% for x in range(10**9) %}}{{{{ {run} }}}}{{% endfor %}}",
            "{% for x in range(10**9) %}",
            sandbox.REASON_CALL,
        ),
        (
            "{{ lipsum.__globals__ }}",
            "{{ lipsum.__globals__ }}",
            sandbox.REASON_NOT_A_FIELD.format(name="lipsum"),
        ),
        (
            "{% include 'word/document.xml' %}",
            "{% include 'word/document.xml' %}",
            sandbox.REASON_STATEMENT.format(name="include"),
        ),
        (
            "{% import 'macros' as m %}",
            "{% import 'macros' as m %}",
            sandbox.REASON_STATEMENT.format(name="import"),
        ),
        (
            "{% from 'macros' import m %}",
            "{% from 'macros' import m %}",
            sandbox.REASON_STATEMENT.format(name="from"),
        ),
        (
            "{% extends 'base' %}",
            "{% extends 'base' %}",
            sandbox.REASON_STATEMENT.format(name="extends"),
        ),
        ("{% set x = 1 %}", "{% set x = 1 %}", sandbox.REASON_STATEMENT.format(name="set")),
        ("{% raw %}x{% endraw %}", "{% raw %}", sandbox.REASON_STATEMENT.format(name="raw")),
        (
            "{{ person.name.__class__ }}",
            "{{ person.name.__class__ }}",
            sandbox.REASON_PRIVATE.format(name="__class__"),
        ),
        (
            "{{ person['__class__'] }}",
            "{{ person['__class__'] }}",
            sandbox.REASON_PRIVATE.format(name="__class__"),
        ),
        ("{{ person.items() }}", "{{ person.items() }}", sandbox.REASON_CALL),
        (
            "{{ person|attr('__class__') }}",
            "{{ person|attr('__class__') }}",
            sandbox.REASON_FILTER.format(name="attr"),
        ),
        (
            "{{ '%s'|format(person) }}",
            "{{ '%s'|format(person) }}",
            sandbox.REASON_FILTER.format(name="format"),
        ),
        ("{{ 'x' * 1000000000 }}", "{{ 'x' * 1000000000 }}", sandbox.REASON_ARITHMETIC),
        ("{{ 9**9**9 }}", "{{ 9**9**9 }}", sandbox.REASON_ARITHMETIC),
        (
            "{% for c in person.name %}{% endfor %}",
            "{% for c in person.name %}",
            sandbox.REASON_NOT_A_LIST.format(name="person.name"),
        ),
        (
            "{% for a in facts %}{% for b in facts %}{% for c in facts %}{% for d in facts %}"
            "{% endfor %}{% endfor %}{% endfor %}{% endfor %}",
            "{% for d in facts %}",
            sandbox.REASON_DEPTH.format(depth=sandbox.MAX_LOOP_DEPTH),
        ),
        (
            "{{ person.name if settings else '' }}",
            "{{ person.name if settings else '' }}",
            sandbox.REASON_NOT_A_FIELD.format(name="settings"),
        ),
        (
            "{% for paragraph in facts %}{{ paragraph.secret }}{% endfor %}",
            "{{ paragraph.secret }}",
            sandbox.REASON_NOT_A_FIELD.format(name="paragraph.secret"),
        ),
        ("{{ loop.index }}", "{{ loop.index }}", sandbox.REASON_NOT_A_FIELD.format(name="loop")),
    ]


def test_every_hostile_placeholder_is_refused_by_name_and_runs_nothing(tmp_path):
    marker = tmp_path / "ran"
    fields = sandbox.fields_for(DocumentKind.DECISION)
    context = samples.sample_context(DocumentKind.DECISION)
    for paragraph, tag, reason in hostile(marker):
        with pytest.raises(render.RenderError) as caught:
            render.render_docx(template("前文", paragraph), context, fields=fields)
        # A long placeholder is quoted by its first 79 characters and an ellipsis.
        shown = tag if len(tag) <= 80 else tag[:79] + "…"
        assert caught.value.message == sandbox.MSG_REFUSED.format(tag=shown, reason=reason)
        assert caught.value.code == "template_unsafe"
    assert not marker.exists()


def test_a_placeholder_split_across_runs_is_checked_as_word_shows_it(tmp_path):
    """Word splits a placeholder into several runs; docxtpl joins them, and so does the check."""
    marker = tmp_path / "ran"
    document = Document()
    paragraph = document.add_paragraph()
    for piece in ("{{ cycler.__init__", ".__globals__.os.popen(", f"'touch {marker}').read() }}}}"):
        paragraph.add_run(piece).bold = piece.startswith(".")
    out = io.BytesIO()
    document.save(out)
    with pytest.raises(render.RenderError) as caught:
        render.render_docx(out.getvalue(), samples.sample_context("decision"))
    assert caught.value.code == "template_unsafe", caught.value.message
    assert "cycler.__init__.__globals__" in caught.value.message
    assert not marker.exists()


def test_a_closing_mark_inside_a_string_cannot_hide_a_placeholder(tmp_path):
    marker = tmp_path / "ran"
    with pytest.raises(render.RenderError) as caught:
        render.render_docx(
            template(f"{{{{ '}}}}' ~ {command(marker)} }}}}"), samples.sample_context("decision")
        )
    assert caught.value.message.startswith("模板中的填充标记有误")
    assert not marker.exists()


def test_the_sandbox_alone_refuses_the_payload_too(tmp_path):
    """Even compiled past the check, the environment has no globals and no object attributes."""
    marker = tmp_path / "ran"
    environment = sandbox.DocumentEnvironment({"person": {"name": sandbox.LEAF}})
    for source in (
        f"{{{{ {command(marker)} }}}}",
        "{{ person.items() }}",
        "{{ ''.__class__ }}",
        "{{ range(3)|list }}",
    ):
        with pytest.raises(jinja2.TemplateError):
            compiled = ImmutableSandboxedEnvironment.from_string(environment, source)
            compiled.render(person={"name": "张三"})
    assert not marker.exists()


def test_loops_filters_and_tests_the_kinds_use_still_work():
    fields = sandbox.fields_for(DocumentKind.DECISION)
    paragraphs = [
        "{% for paragraph in finding %}{{ loop.index }}.{{ paragraph|first|default('') }}"
        "{{ paragraph|length }}{% endfor %}",
        "{{ person.name|upper }}{{ facts|length }}{{ facts|join('；') }}{{ number|default('无') }}",
        "{% if person.role is defined and person.role != '' %}{{ person.role|trim }}{% endif %}",
        "{{ person['name'] ~ '同志' }}{{ finding[0] if finding else '' }}",
    ]
    data = render.render_docx(
        template(*paragraphs), samples.sample_context(DocumentKind.DECISION), fields=fields
    )
    assert data.startswith(b"PK")


@pytest.mark.parametrize("kind", [k.value for k in DocumentKind])
def test_every_shipped_template_passes_the_check(kind):
    render.render_docx(
        render.shipped_template(kind), samples.sample_context(kind), fields=sandbox.fields_for(kind)
    )


@pytest.mark.parametrize("kind", [k.value for k in DocumentKind])
def test_every_list_in_a_sample_documents_its_elements(kind):
    """A list's element fields come from the sample: an empty list would document none."""

    def lists(value, path):
        if isinstance(value, dict):
            for key, item in value.items():
                yield from lists(item, f"{path}.{key}")
        elif isinstance(value, list):
            yield path, value
            for item in value:
                yield from lists(item, f"{path}[]")

    for path, value in lists(samples.sample_context(kind), kind):
        assert value, f"{path} is empty in the sample"

"""Hostile .docx packages are refused before docxtpl sees them (finding 2).

Each gets a clear message naming what is wrong, never a 500, and leaves no stored file: the
check runs in the worker, on bytes kept in the database, and only a template that passes is
ever written to storage.
"""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from accountability.documents import package, render
from accountability.documents.models import DocumentTemplate, TemplateUpload
from accountability.documents.tests.base import DocumentsTestCase
from accountability.jobs.models import Job
from accountability.jobs.testing import run_jobs

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
OPEN = f'<w:document xmlns:w="{W_NS}"><w:body>'
CLOSE = "</w:body></w:document>"
PARAGRAPHS = 5_000_000


def rebuild(replace: dict[str, bytes], *, big: dict[str, int] | None = None) -> bytes:
    """The shipped decision template with parts replaced, and ``big`` parts of that many
    zero bytes streamed in (so the test never holds them in memory)."""
    source = zipfile.ZipFile(io.BytesIO(render.shipped_template("decision")))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for info in source.infolist():
            data = replace.get(info.filename, source.read(info.filename))
            target.writestr(info.filename, data)
        for name, size in (big or {}).items():
            with target.open(name, "w", force_zip64=True) as stream:
                block = bytes(1 << 20)
                for _ in range(size >> 20):
                    stream.write(block)
    return out.getvalue()


def document_xml(body: str, *, prolog: str = "") -> bytes:
    return (HEAD + prolog + OPEN + body + CLOSE).encode("utf-8")


def five_million_paragraphs() -> bytes:
    xml = (HEAD + OPEN).encode() + b"<w:p/>" * PARAGRAPHS + CLOSE.encode()
    return rebuild({"word/document.xml": xml})


BILLION_LAUGHS = (
    "<!DOCTYPE w:document [\n"
    + '<!ENTITY lol "lol">\n'
    + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">\n'
        for i in range(1, 10)
    )
    + "]>\n"
)
XXE = '<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'


def hostile() -> list[tuple[str, bytes, str]]:
    """(name, file, the exact refusal) for each hostile package."""
    whole = render.shipped_template("decision")
    many = five_million_paragraphs()
    return [
        (
            "truncated.docx",
            whole[: len(whole) // 2],
            package.MSG_CORRUPT.format(detail="File is not a zip file"),
        ),
        ("not-a-zip.docx", b"%PDF-1.7\n" + bytes(2000), str(package.MSG_NOT_DOCX)),
        (
            "zip-bomb.docx",
            rebuild({}, big={"word/media/image1.png": 200 << 20}),
            package.MSG_UNZIPPED_TOO_LARGE.format(mb="201", limit="50"),
        ),
        (
            "billion-laughs.docx",
            rebuild(
                {
                    "word/document.xml": document_xml(
                        "<w:p><w:r><w:t>&lol9;</w:t></w:r></w:p>", prolog=BILLION_LAUGHS
                    )
                }
            ),
            package.MSG_DTD.format(name="word/document.xml"),
        ),
        (
            "xxe.docx",
            rebuild(
                {
                    "word/document.xml": document_xml(
                        "<w:p><w:r><w:t>&xxe;</w:t></w:r></w:p>", prolog=XXE
                    )
                }
            ),
            package.MSG_DTD.format(name="word/document.xml"),
        ),
        ("five-million-paragraphs.docx", many, ratio_refusal(many, "word/document.xml")),
    ]


def ratio_refusal(content: bytes, name: str) -> str:
    info = zipfile.ZipFile(io.BytesIO(content)).getinfo(name)
    return package.MSG_RATIO.format(
        name=name, ratio=info.file_size // info.compress_size, limit=100
    )


def refusal(content: bytes) -> package.PackageRefused:
    with pytest.raises(package.PackageRefused) as caught:
        package.inspect(content)
    return caught.value


def test_a_truncated_file_and_a_file_that_is_no_zip():
    whole = render.shipped_template("decision")
    assert refusal(whole[: len(whole) // 2]).message == package.MSG_CORRUPT.format(
        detail="File is not a zip file"
    )
    error = refusal(b"%PDF-1.7\n" + bytes(2000))
    assert (error.message, error.code) == (package.MSG_NOT_DOCX, "template_not_docx")


def test_a_zip_bomb_is_refused_from_the_zip_directory():
    """200 MB of zeros in 200 KB: refused by the sizes the directory declares."""
    bomb = rebuild({}, big={"word/media/image1.png": 200 << 20})
    assert len(bomb) < 1 << 20
    error = refusal(bomb)
    assert error.message == package.MSG_UNZIPPED_TOO_LARGE.format(mb="201", limit="50")
    assert error.code == "template_unzipped_too_large"


def test_a_part_that_compresses_too_well_is_refused():
    packed = rebuild({}, big={"word/media/image1.png": 20 << 20})
    assert refusal(packed).message == ratio_refusal(packed, "word/media/image1.png")


def test_entity_declarations_are_refused_billion_laughs_and_xxe():
    for prolog in (BILLION_LAUGHS, XXE):
        content = rebuild(
            {"word/document.xml": document_xml("<w:p><w:r><w:t>x</w:t></w:r></w:p>", prolog=prolog)}
        )
        error = refusal(content)
        assert error.message == package.MSG_DTD.format(name="word/document.xml")
        assert "root:" not in error.message


def test_a_doctype_the_byte_scan_cannot_see_is_caught_by_the_parser():
    """In UTF-16 the declaration's bytes differ; the parsed document's doctype still shows."""
    xml = ('<?xml version="1.0" encoding="UTF-16"?>' + XXE + OPEN + CLOSE).encode("utf-16")
    assert b"<!DOCTYPE" not in xml
    error = refusal(rebuild({"word/document.xml": xml}))
    assert error.message == package.MSG_DTD.format(name="word/document.xml")


def test_five_million_empty_paragraphs_are_refused_by_ratio_then_by_element_count():
    content = five_million_paragraphs()
    assert len(content) < 200 * 1024  # the finding's file was 80 KB
    assert refusal(content).message == ratio_refusal(content, "word/document.xml")
    # With the ratio allowed, the element count stops the parse long before the end.
    limits = package.Limits.from_settings()
    lenient = package.Limits(**{**limits.__dict__, "max_ratio": 10**9})
    with pytest.raises(package.PackageRefused) as caught:
        package.inspect(content, lenient)
    assert caught.value.message == package.MSG_TOO_MANY_ELEMENTS.format(
        limit=100_000, name="word/document.xml"
    )


def test_docxtpl_never_sees_a_refused_package():
    with pytest.raises(package.PackageRefused):
        render.render_docx(five_million_paragraphs(), {})


@override_settings(DOCUMENTS_TEMPLATE_MAX_ELEMENTS=1000)
def test_the_element_limit_is_a_setting():
    error = refusal(render.shipped_template("decision"))
    assert error.code == "template_too_many_elements"
    assert error.message.startswith("模板文件的 XML 元素超过1000个的上限")


@override_settings(DOCUMENTS_TEMPLATE_MAX_PARTS=5)
def test_the_number_of_parts_is_limited():
    error = refusal(render.shipped_template("decision"))
    assert error.message == package.MSG_TOO_MANY_PARTS.format(count=18, limit=5)


def test_a_damaged_part_is_a_clear_error():
    whole = bytearray(render.shipped_template("decision"))
    info = zipfile.ZipFile(io.BytesIO(bytes(whole))).getinfo("word/styles.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra) + 20
    whole[start : start + 40] = bytes(40)
    error = refusal(bytes(whole))
    assert error.code in ("template_corrupt", "template_bad_xml")
    assert error.message.startswith(("模板文件已损坏或不完整", "模板文件中的“word/styles.xml”"))


def test_the_shipped_templates_pass_with_what_they_hold():
    report = package.inspect(render.shipped_template("decision"))
    assert report.parts == 18
    assert 10_000 < report.elements < 100_000


class HostileUploadPageTests(DocumentsTestCase):
    def test_each_hostile_file_gets_its_message_on_the_job_page_and_leaves_nothing(self):
        self.client.force_login(self.office_head)
        before = self.stored_files()
        for name, content, message in hostile():
            with self.subTest(name):
                with self.captureOnCommitCallbacks(execute=True):
                    response = self.client.post(
                        reverse("documents:template_upload", args=["decision"]),
                        {"file": SimpleUploadedFile(name, content)},
                    )
                upload = TemplateUpload.objects.get(original_name=name)
                self.assertRedirects(
                    response,
                    reverse("jobs:job", args=[upload.job_id]),
                    fetch_redirect_response=False,
                )
                run_jobs()
                page = self.client.get(response["Location"])
                self.assertEqual(page.status_code, 200)
                self.assertContains(page, message)
                upload.refresh_from_db()
                self.assertEqual(
                    (upload.state, upload.reason), (TemplateUpload.State.REFUSED, message)
                )
                self.assertIsNone(upload.content)
                self.assertEqual(Job.objects.get(pk=upload.job_id).state, Job.State.FAILED)
        self.assertFalse(DocumentTemplate.objects.exists())
        self.assertEqual(self.stored_files(), before)
        templates = self.client.get(reverse("documents:templates"))
        self.assertContains(templates, "billion-laughs.docx")

"""The shipped .docx templates: GB/T 9704-2012 layout, official fonts named, every sample fills.

Checked on the committed files and on what templates_src/build_templates.py builds now, so
the script and the files cannot drift apart in layout.
"""

from __future__ import annotations

import io
import re

import pytest
from docx import Document
from docx.oxml.ns import qn

from accountability.documents import package, render, samples, sandbox
from accountability.documents.kinds import DocumentKind
from accountability.documents.templates_src import build_templates as build
from accountability.documents.tests.helpers import W, docx_part, docx_text

KINDS = [k.value for k in DocumentKind]
OFFICIAL_FONTS = {"仿宋_GB2312", "方正小标宋简体", "黑体", "楷体_GB2312", "宋体"}


def _sources(kind: str) -> list[bytes]:
    return [render.shipped_template(kind), build.build(kind)]


@pytest.fixture(scope="module")
def rendered() -> dict[str, bytes]:
    return {
        kind: render.render_docx(render.shipped_template(kind), samples.sample_context(kind))
        for kind in KINDS
    }


@pytest.mark.parametrize("kind", KINDS)
def test_the_build_script_makes_the_committed_template(kind):
    """Rebuilding gives the same document, styles and settings as the committed file."""
    committed, built = _sources(kind)
    for part in ("word/document.xml", "word/styles.xml", "word/settings.xml"):
        assert docx_part(committed, part) == docx_part(built, part), part


@pytest.mark.parametrize("kind", KINDS)
def test_the_page_is_a4_with_the_gb_t_9704_margins(kind):
    """A4; top 37 mm, bottom 35 mm, left 28 mm, right 26 mm: a type area of 156 × 225 mm."""
    for source in _sources(kind):
        section = Document(io.BytesIO(source)).sections[0]
        assert round(section.page_width.mm) == 210
        assert round(section.page_height.mm) == 297
        assert round(section.top_margin.mm) == 37
        assert round(section.bottom_margin.mm) == 35
        assert round(section.left_margin.mm) == 28
        assert round(section.right_margin.mm) == 26
        width = section.page_width.mm - section.left_margin.mm - section.right_margin.mm
        height = section.page_height.mm - section.top_margin.mm - section.bottom_margin.mm
        assert (round(width), round(height)) == (156, 225)


@pytest.mark.parametrize("kind", KINDS)
def test_the_grid_gives_22_lines_of_28_characters(kind):
    """Line pitch 28.95 pt (22 lines in 225 mm); 16 pt characters tightened to fit 28 a line."""
    document = Document(io.BytesIO(render.shipped_template(kind)))
    grid = document.sections[0]._sectPr.find(qn("w:docGrid"))
    pitch_pt = int(grid.get(qn("w:linePitch"))) / 20
    assert grid.get(qn("w:type")) == "lines"
    assert int(225 / 25.4 * 72 // pitch_pt) == 22
    normal = document.styles["Normal"]
    assert normal.font.size.pt == 16
    assert normal.paragraph_format.line_spacing.pt == pytest.approx(pitch_pt)
    spacing = normal.element.rPr.find(qn("w:spacing"))
    advance = 16 + int(spacing.get(qn("w:val"))) / 20
    line_pt = 156 / 25.4 * 72
    assert 28 * advance <= line_pt < 29 * advance


@pytest.mark.parametrize("kind", KINDS)
def test_every_style_names_an_official_font_for_chinese_text(kind):
    """w:eastAsia on every style that sets fonts, no theme fonts that would override it."""
    styles = docx_part(render.shipped_template(kind), "word/styles.xml")
    assert "asciiTheme" not in styles and "eastAsiaTheme" not in styles
    east_asian = set(re.findall(r'w:eastAsia="([^"]+)"', styles)) - {"zh-CN"}
    assert east_asian <= OFFICIAL_FONTS
    assert "仿宋_GB2312" in east_asian
    document = Document(io.BytesIO(render.shipped_template(kind)))
    for style in document.styles:
        rpr = style.element.rPr
        fonts = rpr.find(qn("w:rFonts")) if rpr is not None else None
        if fonts is not None:
            assert fonts.get(qn("w:eastAsia")) in OFFICIAL_FONTS, style.name


def test_the_styles_follow_the_standard():
    """Title 小标宋 二号, body 仿宋 三号, 一、 黑体, （一） 楷体, page numbers 宋体 四号."""
    document = Document(io.BytesIO(render.shipped_template("decision")))

    def font(name):
        style = document.styles[name]
        return style.element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")), style.font.size.pt

    assert font("公文-标题") == ("方正小标宋简体", 22)
    assert font("Normal") == ("仿宋_GB2312", 16)
    assert font("公文-一级标题") == ("黑体", 16)
    assert font("公文-二级标题") == ("楷体_GB2312", 16)
    assert font("公文-页码") == ("宋体", 14)
    assert font("公文-版记") == ("仿宋_GB2312", 14)
    assert document.styles["公文-标题"].paragraph_format.alignment == 1  # centred
    assert document.styles["公文-发文字号"].paragraph_format.alignment == 1
    date = document.styles["公文-成文日期"].element.pPr.find(qn("w:ind"))
    assert date.get(qn("w:rightChars")) == "400"  # 右空四字


def test_page_numbers_sit_at_the_outside_corner_between_dashes():
    """— 1 —: odd pages right (右空一字), even pages left (左空一字)."""
    source = render.shipped_template("decision")
    settings = docx_part(source, "word/settings.xml")
    assert "<w:evenAndOddHeaders/>" in settings
    section = Document(io.BytesIO(source)).sections[0]
    odd, even = section.footer.paragraphs[0], section.even_page_footer.paragraphs[0]
    for footer in (odd, even):
        xml = footer._p.xml
        assert "PAGE" in xml and "— " in footer.text and " —" in footer.text
    assert odd.style.name == "公文-页码" and odd.style.paragraph_format.alignment == 2
    assert even.style.name == "公文-页码偶数页" and even.style.paragraph_format.alignment == 0


def test_the_font_table_gives_fallbacks_for_offices_without_the_gb2312_fonts():
    table = docx_part(render.shipped_template("decision"), "word/fontTable.xml")
    assert re.search(r'w:name="仿宋_GB2312".*?<w:altName w:val="仿宋"/>', table, re.S)
    assert re.search(r'w:name="楷体_GB2312".*?<w:altName w:val="楷体"/>', table, re.S)


@pytest.mark.parametrize("kind", KINDS)
def test_every_sample_fills_its_template_completely(kind, rendered):
    """No tag is left behind, and the sample's own words are in the document."""
    data = rendered[kind]
    xml = docx_part(data, "word/document.xml")
    assert "{{" not in xml and "{%" not in xml
    text = docx_text(data)
    context = samples.sample_context(kind)
    if context["number"]:
        assert context["number"] in text
    expected = {
        "intake_approval": ["线索受理审批表", "工作发现", "同意受理。", "张三，镇雄县纪委监委"],
        "investigation_report": ["调查报告", "（一）张三同志的问题", "附：引用条文", "第十条："],
        "decision": [
            "责任追究决定书",
            "张三，男，1985年生，中共党员，现任",
            "经查，2025年9月",
            "第八条第（三）项“执纪问责",
            "决定给予张三同志诫勉处理。",
            "15日内",
            "申诉期限至2026年3月24日届满",
            "中共镇雄县纪律检查委员会",
        ],
        "assessment_sheet": [
            "责任追究测算表",
            "适用规则版本",
            "不得提拔或者重用",
            "2026年3月5日至2026年9月4日",
            "所依据的规则解释",
            "影响期的起算（第十七条）：",
            "作出决定之日",
            "申诉期满",
        ],
        "delivery_receipt": [
            "送 达 回 证",
            "《责任追究决定书》镇纪监干〔2026〕3号",
            "被追究责任者本人",
        ],
        "filing_report": ["备案报告", "市纪委监委纪检监察干部监督室：", "现予报备"],
        "dossier_index": ["材料归档目录", "责任追究决定书", "镇纪监干〔2026〕4号"],
        "appeal_review": ["申诉复查决定书", "申诉人：张三", "维持原责任追究决定", "第十六条规定"],
        "transfer_letter": ["移送", "镇雄县人民检察院：", "涉嫌犯罪", "联系人：赵六"],
    }[kind]
    for words in expected:
        assert words in text, words


def test_the_record_block_lists_copies_and_the_printer():
    """版记: 抄送 with the organs, then 印发机关 and date, between rules."""
    data = render.render_docx(
        render.shipped_template("decision"), samples.sample_context("decision")
    )
    text = docx_text(data)
    assert "抄送：县纪委监委组织部，市纪委监委纪检监察干部监督室，张三同志所在单位。" in text
    assert "县纪委监委纪检监察干部监督室\t2026年3月6日印发" in text


def test_the_record_block_drops_the_copy_line_when_there_are_no_copies():
    context = samples.sample_context("decision")
    context["copy_to"] = ""
    text = docx_text(render.render_docx(render.shipped_template("decision"), context))
    assert "抄送" not in text
    assert "2026年3月6日印发" in text


def test_values_are_escaped_not_interpreted():
    """Text typed by an officer is text: markup and ampersands arrive unchanged."""
    context = samples.sample_context("decision")
    context["facts"] = ["<w:br/> & {{ not a tag }} 张三"]
    text = docx_text(render.render_docx(render.shipped_template("decision"), context))
    assert "<w:br/> & {{ not a tag }} 张三" in text


def test_the_official_fonts_stay_named_in_a_rendered_document(rendered):
    runs = docx_part(rendered["decision"], "word/styles.xml")
    assert 'w:eastAsia="仿宋_GB2312"' in runs and 'w:eastAsia="方正小标宋简体"' in runs


def test_the_appeal_section_is_left_out_when_nobody_is_held_accountable():
    context = samples.sample_context("decision")
    context["appeal"] = {"text": "", "deadline_text": ""}
    text = docx_text(render.render_docx(render.shipped_template("decision"), context))
    assert "申诉" not in text


def _template(*paragraphs: str) -> bytes:
    document = Document()
    for text in paragraphs:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_a_field_the_kind_does_not_document_is_refused_naming_the_placeholder():
    with pytest.raises(render.RenderError) as caught:
        render.render_docx(_template("{{ person.nickname }}"), samples.sample_context("decision"))
    assert caught.value.message == sandbox.MSG_REFUSED.format(
        tag="{{ person.nickname }}",
        reason=sandbox.REASON_NOT_A_FIELD.format(name="person.nickname"),
    )
    with pytest.raises(render.RenderError) as caught:
        render.render_docx(_template("{{ missing }}"), {})
    assert caught.value.message == sandbox.MSG_REFUSED.format(
        tag="{{ missing }}", reason=sandbox.REASON_NOT_A_FIELD.format(name="missing")
    )


def test_a_documented_field_the_context_lacks_is_an_error_naming_it():
    """The kind documents person.name; a context without it is an error, never a blank."""
    context = samples.sample_context("decision")
    del context["person"]["name"]
    with pytest.raises(render.RenderError) as caught:
        render.render_docx(
            _template("{{ person.name }}"), context, fields=sandbox.fields_for("decision")
        )
    assert caught.value.message == render.TEMPLATE_FIELD.format(
        detail="'dict object' has no attribute 'name'"
    )


def test_a_broken_tag_is_an_error():
    with pytest.raises(render.RenderError) as caught:
        render.render_docx(_template("{{ person.name "), samples.sample_context("decision"))
    assert caught.value.message.startswith("模板中的填充标记有误：")
    assert caught.value.field == "template"


def test_a_file_that_is_not_a_docx_is_an_error():
    """The package check refuses it first; past that check, docxtpl's failure is one too."""
    with pytest.raises(package.PackageRefused) as refused:
        render.render_docx(b"not a zip file", {})
    assert refused.value.message == package.MSG_NOT_DOCX
    with pytest.raises(render.RenderError) as caught:
        render.render_docx(b"not a zip file", {}, inspect=False)
    assert caught.value.message == render.TEMPLATE_UNREADABLE.format(detail="BadZipFile")


def test_hashes_are_sha256_and_sm3():
    assert render.sha256_hex(b"abc") == (
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    )
    # GB/T 32905-2016 appendix A.1
    assert render.sm3_hex(b"abc") == (
        "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    )


def test_w_namespace_constant_is_the_wordprocessingml_one():
    assert W.startswith("{http://schemas.openxmlformats.org/wordprocessingml")

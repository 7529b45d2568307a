"""Builds the shipped .docx templates in the layout of GB/T 9704-2012.

Run from the project root:

    .venv/bin/python accountability/documents/templates_src/build_templates.py

It writes one template per document kind into accountability/documents/docx/.
Those .docx files are the editable source: an office may open one in Word or
WPS, change wording or layout (keeping the {{ … }} and {%p … %} tags of
docxtpl), and upload it back as its own template. This script records how the
shipped ones were made and rebuilds them byte for byte (fixed zip timestamps),
so a test can prove the committed files match it.

Layout (党政机关公文格式, GB/T 9704-2012):
- A4; top margin 37 mm, bottom 35 mm, left 28 mm, right 26 mm: type area 156 × 225 mm.
- Body 仿宋_GB2312 三号 (16 pt); 22 lines × 28 characters: a line grid of
  28.95 pt with exact 28.95 pt line spacing, and body characters tightened by
  0.25 pt so that 28 fit a line (see CHAR_TIGHTEN for why not a character grid).
- Title 方正小标宋简体 二号 (22 pt) centred; headings 一、 in 黑体, （一） in 楷体_GB2312.
- Issuing-organ mark in red 小标宋, the 发文字号 centred under it, a red rule as
  wide as the type area, then the title two lines down.
- Date of the document 右空四字; the organ's name centred over it (approximately).
- 版记: 抄送 and 印发 in 四号 仿宋 between rules, the first and last thicker.
- Page numbers 四号 宋体 "— 1 —": odd pages right (右空一字), even pages left (左空一字).

Every style names its font for ASCII, high ANSI, East Asian and complex
scripts (w:rFonts w:ascii/w:hAnsi/w:eastAsia/w:cs), because Word and LibreOffice
pick the East Asian font for Chinese text; the font table gives each official
font a fallback (w:altName) for offices where the _GB2312 fonts are missing.
"""

from __future__ import annotations

import io
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor, Twips

OUT_DIR = Path(__file__).resolve().parent.parent / "docx"

# Official font names (what the office's Word or WPS is expected to have).
FANGSONG = "仿宋_GB2312"
XIAOBIAOSONG = "方正小标宋简体"
HEITI = "黑体"
KAITI = "楷体_GB2312"
SONGTI = "宋体"

# Fallbacks Word uses when the official font is missing (w:altName in the font table).
ALT_NAMES = {
    FANGSONG: "仿宋",
    KAITI: "楷体",
    XIAOBIAOSONG: "宋体",
    HEITI: "SimHei",
    SONGTI: "SimSun",
}

BODY_PT = 16  # 三号
TITLE_PT = 22  # 二号
SMALL_PT = 14  # 四号
MARK_PT = 34  # issuing-organ mark: 12 characters take 144 mm of the 156 mm type area
RED = RGBColor(0xFF, 0x00, 0x00)

TYPE_AREA_WIDTH_MM = 156
TYPE_AREA_HEIGHT_MM = 225
LINES = 22
CHARS = 28
# 225 mm / 22 lines = 28.99 pt; Word's grid works in whole twips: 579 twips = 28.95 pt.
LINE_PITCH_TWIPS = 579
# 28 characters a line: 156 mm / 28 = 15.79 pt a character. A Word character grid
# (w:docGrid w:type="linesAndChars" w:charSpace="-848") gives that in Word, but
# LibreOffice 7.4 turns it into a grid whose 15.75 pt cells are narrower than a
# 16 pt glyph and gives each character two cells (16 characters a line). So the
# grid is a line grid, and body styles tighten character spacing by 0.25 pt:
# 28 × 15.75 pt = 441 pt fits the 442.2 pt line, 29 do not, in Word and LibreOffice.

LEFT_MARGIN_TWIPS = round(28 / 25.4 * 1440)
TYPE_AREA_TWIPS = round(TYPE_AREA_WIDTH_MM / 25.4 * 1440)
CHAR_TIGHTEN = -5  # twentieths of a point

FIXED_ZIP_TIME = (2026, 1, 1, 0, 0, 0)

# 印章位置 (GB/T 9704 7.3.5.1): the seal, 42 mm across, presses on the organ's name and the
# date, which sit a little below its centre; its top within one line of the body. Drawn as
# a thin dashed grey circle so that whoever stamps the paper (or places an electronic seal)
# finds the place; a red seal covers it.
SEAL_MM = 42
EMU_PER_MM = 36000
SEAL_GREY = "A6A6A6"


# --- low-level helpers -----------------------------------------------------------------


def _set_fonts(rpr, font: str) -> None:
    """Name `font` for every script and drop theme fonts, which would win otherwise."""
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in list(rfonts.attrib):
        del rfonts.attrib[attr]
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attr), font)
    rfonts.set(qn("w:hint"), "eastAsia")


def _child(parent, tag: str, **attrs: str):
    element = parent.find(qn(tag))
    if element is None:
        element = OxmlElement(tag)
        parent.append(element)
    for key, value in attrs.items():
        element.set(qn(key), value)
    return element


def _ppr_child(paragraph_format_element, tag: str, **attrs: str):
    ppr = paragraph_format_element.get_or_add_pPr()
    return _child(ppr, tag, **attrs)


def _indent_chars(style, *, first_line: int = 0, left: int = 0, right: int = 0, size: int) -> None:
    """Indents in characters (w:…Chars, hundredths) with the twips equivalent for older readers."""
    ppr = style.element.get_or_add_pPr()
    ind = ppr.find(qn("w:ind"))
    if ind is None:
        ind = OxmlElement("w:ind")
        ppr.append(ind)
    for attr in list(ind.attrib):
        del ind.attrib[attr]
    twips_per_char = size * 20
    if first_line:
        ind.set(qn("w:firstLineChars"), str(first_line * 100))
        ind.set(qn("w:firstLine"), str(first_line * twips_per_char))
    else:
        ind.set(qn("w:firstLineChars"), "0")
        ind.set(qn("w:firstLine"), "0")
    if left:
        ind.set(qn("w:leftChars"), str(left * 100))
        ind.set(qn("w:left"), str(left * twips_per_char))
    if right:
        ind.set(qn("w:rightChars"), str(right * 100))
        ind.set(qn("w:right"), str(right * twips_per_char))


def _border(parent, side: str, *, size_eighths: int, color: str = "000000") -> None:
    element = _child(parent, f"w:{side}")
    element.set(qn("w:val"), "single")
    element.set(qn("w:sz"), str(size_eighths))
    element.set(qn("w:space"), "1")
    element.set(qn("w:color"), color)


def _sort_ppr(ppr) -> None:
    """Put pPr children in schema order; Word refuses files whose order is wrong."""
    order = [
        "w:pStyle",
        "w:keepNext",
        "w:keepLines",
        "w:pageBreakBefore",
        "w:framePr",
        "w:widowControl",
        "w:numPr",
        "w:suppressLineNumbers",
        "w:pBdr",
        "w:shd",
        "w:tabs",
        "w:suppressAutoHyphens",
        "w:kinsoku",
        "w:wordWrap",
        "w:overflowPunct",
        "w:topLinePunct",
        "w:autoSpaceDE",
        "w:autoSpaceDN",
        "w:bidi",
        "w:adjustRightInd",
        "w:snapToGrid",
        "w:spacing",
        "w:ind",
        "w:contextualSpacing",
        "w:mirrorIndents",
        "w:suppressOverlap",
        "w:jc",
        "w:textDirection",
        "w:textAlignment",
        "w:textboxTightWrap",
        "w:outlineLvl",
        "w:divId",
        "w:cnfStyle",
        "w:rPr",
        "w:sectPr",
        "w:pPrChange",
    ]
    rank = {qn(tag): i for i, tag in enumerate(order)}
    children = sorted(ppr, key=lambda el: rank.get(el.tag, len(order)))
    for child in children:
        ppr.remove(child)
        ppr.append(child)


def _sort_tblpr(tbl_pr) -> None:
    order = [
        "w:tblStyle",
        "w:tblpPr",
        "w:tblOverlap",
        "w:bidiVisual",
        "w:tblStyleRowBandSize",
        "w:tblStyleColBandSize",
        "w:tblW",
        "w:jc",
        "w:tblCellSpacing",
        "w:tblInd",
        "w:tblBorders",
        "w:shd",
        "w:tblLayout",
        "w:tblCellMar",
        "w:tblLook",
    ]
    rank = {qn(tag): i for i, tag in enumerate(order)}
    children = sorted(tbl_pr, key=lambda el: rank.get(el.tag, len(order)))
    for child in children:
        tbl_pr.remove(child)
        tbl_pr.append(child)


def _sort_rpr(rpr) -> None:
    order = [
        "w:rStyle",
        "w:rFonts",
        "w:b",
        "w:bCs",
        "w:i",
        "w:iCs",
        "w:caps",
        "w:smallCaps",
        "w:strike",
        "w:dstrike",
        "w:outline",
        "w:shadow",
        "w:emboss",
        "w:imprint",
        "w:noProof",
        "w:snapToGrid",
        "w:vanish",
        "w:webHidden",
        "w:color",
        "w:spacing",
        "w:w",
        "w:kern",
        "w:position",
        "w:sz",
        "w:szCs",
        "w:highlight",
        "w:u",
        "w:effect",
        "w:bdr",
        "w:shd",
        "w:fitText",
        "w:vertAlign",
        "w:rtl",
        "w:cs",
        "w:em",
        "w:lang",
        "w:eastAsianLayout",
        "w:specVanish",
        "w:oMath",
    ]
    rank = {qn(tag): i for i, tag in enumerate(order)}
    children = sorted(rpr, key=lambda el: rank.get(el.tag, len(order)))
    for child in children:
        rpr.remove(child)
        rpr.append(child)


# --- document set-up -------------------------------------------------------------------


def _set_doc_defaults(doc: DocxDocument) -> None:
    styles = doc.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    rpr_default = defaults.find(qn("w:rPrDefault"))
    rpr = rpr_default.find(qn("w:rPr"))
    for child in list(rpr):
        rpr.remove(child)
    _set_fonts(rpr, FANGSONG)
    _child(rpr, "w:kern", **{"w:val": "2"})
    _child(rpr, "w:sz", **{"w:val": str(BODY_PT * 2)})
    _child(rpr, "w:szCs", **{"w:val": str(BODY_PT * 2)})
    _child(rpr, "w:lang", **{"w:val": "en-US", "w:eastAsia": "zh-CN", "w:bidi": "ar-SA"})
    ppr_default = defaults.find(qn("w:pPrDefault"))
    ppr = ppr_default.find(qn("w:pPr"))
    for child in list(ppr):
        ppr.remove(child)
    # No hanging punctuation: LibreOffice does not paint a mark it hangs past the margin
    # (a "、" after a full line of 28 characters vanished from the PDF); without it the
    # line-breaking rules (kinsoku) move the character before the mark to the next line.
    _child(ppr, "w:overflowPunct", **{"w:val": "1"})
    _child(ppr, "w:spacing", **{"w:after": "0", "w:line": "240", "w:lineRule": "auto"})
    _sort_ppr(ppr)


def _paragraph_style(
    doc: DocxDocument,
    name: str,
    *,
    font: str,
    size: float,
    align=WD_ALIGN_PARAGRAPH.JUSTIFY,
    first_line: int = 0,
    left: int = 0,
    right: int = 0,
    line_pt: float | None = LINE_PITCH_TWIPS / 20,
    snap_to_grid: bool = True,
    keep_next: bool = False,
    color: RGBColor | None = None,
    bold: bool = False,
    base: str | None = None,
):
    styles = doc.styles
    try:
        style = styles[name]
    except KeyError:
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    if base is not None:
        style.base_style = styles[base]
    style.quick_style = True
    style.font.size = Pt(size)
    style.font.bold = bold
    if color is not None:
        style.font.color.rgb = color
    rpr = style.element.get_or_add_rPr()
    _set_fonts(rpr, font)
    if snap_to_grid and size == BODY_PT:
        # A glyph of 16 pt is wider than the 15.75 pt character cell LibreOffice derives
        # from the grid, which would then give every character two cells; tightening by
        # 0.25 pt keeps it to one (Word places characters on its grid either way).
        _child(rpr, "w:spacing", **{"w:val": str(CHAR_TIGHTEN)})
        _sort_rpr(rpr)
    fmt = style.paragraph_format
    fmt.alignment = align
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    if line_pt is None:
        fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    else:
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Twips(round(line_pt * 20))
    fmt.keep_with_next = keep_next
    fmt.widow_control = True
    ppr = style.element.get_or_add_pPr()
    # No hanging punctuation (see _set_doc_defaults): LibreOffice reads it per style only.
    _child(ppr, "w:overflowPunct", **{"w:val": "1"})
    snap = _child(ppr, "w:snapToGrid")
    snap.set(qn("w:val"), "1" if snap_to_grid else "0")
    _indent_chars(style, first_line=first_line, left=left, right=right, size=round(size))
    _sort_ppr(ppr)
    return style


def _character_style(doc: DocxDocument, name: str, *, font: str, size: float | None = None):
    style = doc.styles.add_style(name, WD_STYLE_TYPE.CHARACTER)
    if size is not None:
        style.font.size = Pt(size)
    _set_fonts(style.element.get_or_add_rPr(), font)
    return style


def _define_styles(doc: DocxDocument) -> None:
    _set_doc_defaults(doc)
    normal = _paragraph_style(doc, "Normal", font=FANGSONG, size=BODY_PT, first_line=2)
    normal.name = "Normal"
    _paragraph_style(
        doc,
        "公文-发文机关标志",
        font=XIAOBIAOSONG,
        size=MARK_PT,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        line_pt=2 * LINE_PITCH_TWIPS / 20,
        snap_to_grid=False,
        color=RED,
    )
    _paragraph_style(
        doc, "公文-发文字号", font=FANGSONG, size=BODY_PT, align=WD_ALIGN_PARAGRAPH.CENTER
    )
    _paragraph_style(
        doc,
        "公文-标题",
        font=XIAOBIAOSONG,
        size=TITLE_PT,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        line_pt=36,
        snap_to_grid=False,
        keep_next=True,
    )
    _paragraph_style(
        doc, "公文-副标题", font=FANGSONG, size=BODY_PT, align=WD_ALIGN_PARAGRAPH.CENTER
    )
    _paragraph_style(doc, "公文-主送机关", font=FANGSONG, size=BODY_PT)
    _paragraph_style(doc, "公文-一级标题", font=HEITI, size=BODY_PT, first_line=2, keep_next=True)
    _paragraph_style(doc, "公文-二级标题", font=KAITI, size=BODY_PT, first_line=2, keep_next=True)
    _paragraph_style(doc, "公文-正文顶格", font=FANGSONG, size=BODY_PT)
    _paragraph_style(doc, "公文-引文", font=FANGSONG, size=BODY_PT, first_line=2)
    _paragraph_style(doc, "公文-附件说明", font=FANGSONG, size=BODY_PT, left=2)
    _paragraph_style(
        doc,
        "公文-署名",
        font=FANGSONG,
        size=BODY_PT,
        align=WD_ALIGN_PARAGRAPH.RIGHT,
        right=2,
        keep_next=True,
    )
    _paragraph_style(
        doc, "公文-成文日期", font=FANGSONG, size=BODY_PT, align=WD_ALIGN_PARAGRAPH.RIGHT, right=4
    )
    _paragraph_style(doc, "公文-附注", font=FANGSONG, size=BODY_PT, left=2)
    _paragraph_style(
        doc, "公文-版记", font=FANGSONG, size=SMALL_PT, line_pt=SMALL_PT * 1.5, snap_to_grid=False
    )
    _paragraph_style(
        doc,
        "公文-表格标签",
        font=HEITI,
        size=SMALL_PT,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        line_pt=SMALL_PT * 1.5,
        snap_to_grid=False,
    )
    _paragraph_style(
        doc,
        "公文-表格文字",
        font=FANGSONG,
        size=SMALL_PT,
        align=WD_ALIGN_PARAGRAPH.JUSTIFY,
        line_pt=SMALL_PT * 1.5,
        snap_to_grid=False,
    )
    _paragraph_style(
        doc,
        "公文-表格居中",
        font=FANGSONG,
        size=SMALL_PT,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        line_pt=SMALL_PT * 1.5,
        snap_to_grid=False,
    )
    _paragraph_style(
        doc,
        "公文-表格小字",
        font=FANGSONG,
        size=SMALL_PT - 2,
        align=WD_ALIGN_PARAGRAPH.LEFT,
        line_pt=(SMALL_PT - 2) * 1.5,
        snap_to_grid=False,
    )
    _paragraph_style(
        doc,
        "公文-表格小字居中",
        font=FANGSONG,
        size=SMALL_PT - 2,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        line_pt=(SMALL_PT - 2) * 1.5,
        snap_to_grid=False,
    )
    _paragraph_style(
        doc,
        "公文-表格签署",
        font=FANGSONG,
        size=SMALL_PT,
        align=WD_ALIGN_PARAGRAPH.RIGHT,
        right=1,
        line_pt=SMALL_PT * 1.5,
        snap_to_grid=False,
    )
    _paragraph_style(
        doc,
        "公文-表头信息",
        font=FANGSONG,
        size=SMALL_PT,
        align=WD_ALIGN_PARAGRAPH.JUSTIFY,
        line_pt=SMALL_PT * 1.8,
        snap_to_grid=False,
    )
    _paragraph_style(
        doc,
        "公文-印章位置",
        font=FANGSONG,
        size=SMALL_PT - 4,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        line_pt=None,
        snap_to_grid=False,
        color=RGBColor(0xA6, 0xA6, 0xA6),
    )
    _paragraph_style(
        doc,
        "公文-页码",
        font=SONGTI,
        size=SMALL_PT,
        align=WD_ALIGN_PARAGRAPH.RIGHT,
        right=1,
        line_pt=None,
        snap_to_grid=False,
    )
    _paragraph_style(
        doc,
        "公文-页码偶数页",
        font=SONGTI,
        size=SMALL_PT,
        align=WD_ALIGN_PARAGRAPH.LEFT,
        left=1,
        line_pt=None,
        snap_to_grid=False,
    )
    # Every other style (built-in ones Word may fall back on) names the official fonts
    # too, instead of the theme's Latin fonts: 黑体 for headings, 仿宋 for the rest.
    own = {s.name for s in doc.styles if s.name and s.name.startswith("公文-")}
    for style in doc.styles:
        if style.name in own or style.name == "Normal":
            continue
        if style.type not in (
            WD_STYLE_TYPE.PARAGRAPH,
            WD_STYLE_TYPE.CHARACTER,
            WD_STYLE_TYPE.TABLE,
        ):
            continue
        font = (
            HEITI
            if style.name and style.name.lower().startswith(("heading", "title"))
            else FANGSONG
        )
        _set_fonts(style.element.get_or_add_rPr(), font)
    _character_style(doc, "公文-黑体", font=HEITI)
    _character_style(doc, "公文-楷体", font=KAITI)
    # Table styles' conditional formats (first row, banding …) name theme fonts too.
    for rfonts in doc.styles.element.iter(qn("w:rFonts")):
        theme = rfonts.get(qn("w:asciiTheme")) or rfonts.get(qn("w:eastAsiaTheme"))
        if theme is not None:
            _set_fonts(rfonts.getparent(), HEITI if theme.startswith("major") else FANGSONG)


def _set_font_table(doc: DocxDocument) -> None:
    part = next(p for p in doc.part.package.iter_parts() if p.partname == "/word/fontTable.xml")
    from lxml import etree

    root = etree.fromstring(part.blob)
    for font in list(root):
        root.remove(font)
    charset = {FANGSONG: "86", XIAOBIAOSONG: "86", HEITI: "86", KAITI: "86", SONGTI: "86"}
    for name, alt in ALT_NAMES.items():
        font = etree.SubElement(root, qn("w:font"))
        font.set(qn("w:name"), name)
        etree.SubElement(font, qn("w:altName")).set(qn("w:val"), alt)
        etree.SubElement(font, qn("w:charset")).set(qn("w:val"), charset[name])
        etree.SubElement(font, qn("w:family")).set(
            qn("w:val"), "modern" if name == HEITI else "roman"
        )
        etree.SubElement(font, qn("w:pitch")).set(qn("w:val"), "variable")
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _set_settings(doc: DocxDocument) -> None:
    settings = doc.settings.element
    doc.settings.odd_and_even_pages_header_footer = True
    lang = settings.find(qn("w:themeFontLang"))
    if lang is not None:
        lang.set(qn("w:eastAsia"), "zh-CN")
    rsids = settings.find(qn("w:rsids"))
    if rsids is not None:
        settings.remove(rsids)
    doc_id = settings.find(qn("w14:docId"))
    if doc_id is not None:
        settings.remove(doc_id)


def _page_number_footer(footer, style: str) -> None:
    paragraph = footer.paragraphs[0]
    paragraph.style = style
    paragraph.add_run("— ")
    begin = paragraph.add_run()
    fld_begin = OxmlElement("w:fldChar")
    fld_begin.set(qn("w:fldCharType"), "begin")
    begin._r.append(fld_begin)
    instr = paragraph.add_run()
    instr_text = OxmlElement("w:instrText")
    instr_text.set(qn("xml:space"), "preserve")
    instr_text.text = " PAGE "
    instr._r.append(instr_text)
    separate = paragraph.add_run()
    fld_sep = OxmlElement("w:fldChar")
    fld_sep.set(qn("w:fldCharType"), "separate")
    separate._r.append(fld_sep)
    paragraph.add_run("1")
    end = paragraph.add_run()
    fld_end = OxmlElement("w:fldChar")
    fld_end.set(qn("w:fldCharType"), "end")
    end._r.append(fld_end)
    paragraph.add_run(" —")


def _set_page(doc: DocxDocument) -> None:
    section = doc.sections[0]
    section.page_width = Mm(210)
    section.page_height = Mm(297)
    section.top_margin = Mm(37)
    section.bottom_margin = Mm(35)
    section.left_margin = Mm(28)
    section.right_margin = Mm(26)
    section.header_distance = Mm(15)
    # The page number's top sits about 7 mm below the type area (GB/T 9704 7.5).
    section.footer_distance = Mm(22)
    sect_pr = section._sectPr
    grid = sect_pr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        sect_pr.append(grid)
    for attr in list(grid.attrib):
        del grid.attrib[attr]
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(LINE_PITCH_TWIPS))
    _page_number_footer(section.footer, "公文-页码")
    _page_number_footer(section.even_page_footer, "公文-页码偶数页")


def new_document(title: str) -> DocxDocument:
    doc = Document()
    body = doc.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    _define_styles(doc)
    _set_font_table(doc)
    _set_settings(doc)
    _set_page(doc)
    package = doc.part.package
    for r_id, rel in list(package.rels.items()):
        if rel.reltype == RT.THUMBNAIL:  # python-docx's sample picture
            del package.rels[r_id]
    props = doc.core_properties
    props.title = title
    props.author = "镇雄县纪委监委"
    props.last_modified_by = "镇雄县纪委监委"
    props.comments = "本文件为文书模板，花括号内为自动填充的字段，请勿删改。"
    props.revision = 1
    from datetime import datetime

    props.created = datetime(2026, 1, 1)
    props.modified = datetime(2026, 1, 1)
    return doc


# --- content helpers -------------------------------------------------------------------


class Writer:
    """Appends paragraphs and tables to a document; each text becomes a single run."""

    def __init__(self, doc: DocxDocument) -> None:
        self.doc = doc

    def p(self, text: str = "", style: str = "Normal"):
        paragraph = self.doc.add_paragraph(style=style)
        if text:
            paragraph.add_run(text)
        return paragraph

    def runs(self, parts: list[tuple[str, str | None]], style: str = "Normal"):
        """A paragraph of several runs, each (text, character style or None)."""
        paragraph = self.doc.add_paragraph(style=style)
        for text, char_style in parts:
            run = paragraph.add_run(text)
            if char_style:
                run.style = self.doc.styles[char_style]
        return paragraph

    def tag(self, tag: str):
        """A docxtpl paragraph tag ({%p … %}); the paragraph disappears when rendered."""
        return self.p("{%p " + tag + " %}")

    def blank(self, count: int = 1) -> None:
        for _ in range(count):
            self.p("", "公文-正文顶格")

    def red_header(self) -> None:
        """版头 (GB/T 9704 7.2): the organ mark in red 35 mm below the top of the type area,
        the 发文字号 two lines under it, a red rule 4 mm under the number as wide as the
        type area, and the title two lines under the rule."""
        mark = self.p("{{ organ.mark }}", "公文-发文机关标志")
        spacing = _child(mark._p.get_or_add_pPr(), "w:spacing")
        # The mark's line is two grid lines high (exact spacing): its glyphs' upper edge sits
        # about 5 mm below the line's top, so the line starts 30 mm down for the 35 mm.
        spacing.set(qn("w:before"), str(round(30 / 25.4 * 1440)))
        spacing.set(qn("w:beforeLines"), "0")
        _sort_ppr(mark._p.get_or_add_pPr())
        self.blank(2)
        number = self.p("{{ number }}", "公文-发文字号")
        ppr = number._p.get_or_add_pPr()
        bdr = _child(ppr, "w:pBdr")
        _border(bdr, "bottom", size_eighths=12, color="FF0000")
        # w:space is in points: the rule sits about 4 mm under the number's baseline.
        bdr.find(qn("w:bottom")).set(qn("w:space"), "8")
        _sort_ppr(ppr)
        self.blank(2)

    def title(self, text: str) -> None:
        self.p(text, "公文-标题")
        self.blank(1)

    def signature(self, name: str = "{{ organ.name }}", date: str = "{{ date }}") -> None:
        """署名 and 成文日期 with the seal's place over them (two blank lines above the name
        leave room for the seal's top within one line of the body)."""
        for _ in range(2):
            spacer = self.p("", "公文-正文顶格")
            spacer.paragraph_format.keep_with_next = True
        self.p(name, "公文-署名")
        dated = self.p(date, "公文-成文日期")
        # Centred about 42 mm left of the right margin (over the name and the date); its
        # centre a third of a line above the date's top, so both sit below the centre.
        self.seal(dated, centre_from_right_mm=42, centre_below_top_mm=-3.4)

    def seal(self, paragraph, *, centre_from_right_mm: float, centre_below_top_mm: float) -> None:
        """The seal's place: a dashed circle anchored to `paragraph`, behind the text."""
        from lxml import etree

        size = SEAL_MM * EMU_PER_MM
        left = round((TYPE_AREA_WIDTH_MM - centre_from_right_mm - SEAL_MM / 2) * EMU_PER_MM)
        top = round((centre_below_top_mm - SEAL_MM / 2) * EMU_PER_MM)
        xml = f"""
<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"
     xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"
     xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
     xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"
     xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">
<mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>
<wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" relativeHeight="251659264"
    behindDoc="1" locked="1" layoutInCell="1" allowOverlap="1">
  <wp:simplePos x="0" y="0"/>
  <wp:positionH relativeFrom="margin"><wp:posOffset>{left}</wp:posOffset></wp:positionH>
  <wp:positionV relativeFrom="paragraph"><wp:posOffset>{top}</wp:posOffset></wp:positionV>
  <wp:extent cx="{size}" cy="{size}"/>
  <wp:effectExtent l="0" t="0" r="0" b="0"/>
  <wp:wrapNone/>
  <wp:docPr id="1001" name="印章位置" descr="印章位置：印章端正、居中下压署名和成文日期"/>
  <wp:cNvGraphicFramePr/>
  <a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">
    <wps:wsp>
      <wps:cNvSpPr/>
      <wps:spPr>
        <a:xfrm><a:off x="0" y="0"/><a:ext cx="{size}" cy="{size}"/></a:xfrm>
        <a:prstGeom prst="ellipse"><a:avLst/></a:prstGeom>
        <a:noFill/>
        <a:ln w="6350"><a:solidFill><a:srgbClr val="{SEAL_GREY}"/></a:solidFill>
          <a:prstDash val="dash"/></a:ln>
      </wps:spPr>
      <wps:txbx><w:txbxContent><w:p><w:pPr><w:pStyle w:val="公文-印章位置"/></w:pPr>
        <w:r><w:t>印章位置</w:t></w:r></w:p></w:txbxContent></wps:txbx>
      <wps:bodyPr rot="0" vert="horz" wrap="square" lIns="0" tIns="{4 * EMU_PER_MM}" rIns="0"
          bIns="0" anchor="t" anchorCtr="0"><a:noAutofit/></wps:bodyPr>
    </wps:wsp>
  </a:graphicData></a:graphic>
</wp:anchor>
</w:drawing></mc:Choice><mc:Fallback/></mc:AlternateContent></w:r>"""
        run = etree.fromstring(" ".join(line.strip() for line in xml.strip().splitlines()))
        paragraph._p.append(run)

    def record_block(self) -> None:
        """版记 (GB/T 9704 7.4): 抄送 and 印发 between rules at the foot of the last page.

        Positioned from the page's left edge (LibreOffice floats a table only when
        it is clearly narrower than the area it is positioned in); the position is
        that of the first cell's text, so the rules start one cell margin further left.

        A one-column table floating at the bottom of the type area: the first and
        last rules 0.35 mm, the one between 0.25 mm, the text one character in from
        each side; a wrapped 抄送 line aligns with the first organ after the colon.
        """
        table = self.doc.add_table(rows=0, cols=1)
        table.autofit = False
        tbl_pr = table._tbl.tblPr
        floating = _child(tbl_pr, "w:tblpPr")
        for key, value in {
            "w:leftFromText": "0",
            "w:rightFromText": "0",
            # 2 mm above the first rule: the block still fits under a date low on the page.
            "w:topFromText": "113",
            "w:bottomFromText": "0",
            "w:vertAnchor": "margin",
            "w:horzAnchor": "page",
            "w:tblpX": str(LEFT_MARGIN_TWIPS + SMALL_PT * 20),
            "w:tblpYSpec": "bottom",
        }.items():
            floating.set(qn(key), value)
        _child(tbl_pr, "w:tblOverlap", **{"w:val": "never"})
        _child(tbl_pr, "w:tblW", **{"w:w": str(TYPE_AREA_TWIPS), "w:type": "dxa"})
        _child(tbl_pr, "w:tblLayout", **{"w:type": "fixed"})
        borders = _child(tbl_pr, "w:tblBorders")
        _border(borders, "top", size_eighths=8)
        _border(borders, "bottom", size_eighths=8)
        _border(borders, "insideH", size_eighths=6)
        for side in ("left", "right", "insideV"):
            _child(borders, f"w:{side}", **{"w:val": "nil"})
        margins = _child(tbl_pr, "w:tblCellMar")
        for side in ("left", "right"):
            _child(margins, f"w:{side}", **{"w:w": str(SMALL_PT * 20), "w:type": "dxa"})
        _sort_tblpr(tbl_pr)
        table._tbl.tblGrid.findall(qn("w:gridCol"))[0].set(qn("w:w"), str(TYPE_AREA_TWIPS))

        def row(text: str | None, *, tag: bool = False):
            cell = table.add_row().cells[0]
            cell.width = Twips(TYPE_AREA_TWIPS)
            paragraph = cell.paragraphs[0]
            paragraph.style = self.doc.styles["公文-版记"]
            if tag:
                paragraph.add_run("{%tr " + (text or "") + " %}")
            return paragraph

        row("if copy_to", tag=True)
        copy = row(None)
        copy.add_run("抄送：{{ copy_to }}。")
        ind = _child(copy._p.get_or_add_pPr(), "w:ind")
        ind.set(qn("w:leftChars"), "300")
        ind.set(qn("w:left"), str(3 * SMALL_PT * 20))
        ind.set(qn("w:hangingChars"), "300")
        ind.set(qn("w:hanging"), str(3 * SMALL_PT * 20))
        _sort_ppr(copy._p.get_or_add_pPr())
        row("endif", tag=True)
        printed = row(None)
        printed.add_run("{{ printed_by }}")
        printed.add_run("\t")
        printed.add_run("{{ printed_on }}印发")
        tabs = _child(printed._p.get_or_add_pPr(), "w:tabs")
        tab = OxmlElement("w:tab")
        tab.set(qn("w:val"), "right")
        tab.set(qn("w:pos"), str(TYPE_AREA_TWIPS - 2 * SMALL_PT * 20))
        tabs.append(tab)
        _sort_ppr(printed._p.get_or_add_pPr())
        # A floating table needs a paragraph to anchor to; keep it one point high.
        anchor = self.p("", "公文-正文顶格")
        anchor.paragraph_format.line_spacing = Pt(1)
        anchor.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        _child(anchor._p.get_or_add_pPr(), "w:snapToGrid", **{"w:val": "0"})
        _sort_ppr(anchor._p.get_or_add_pPr())

    def table(self, widths_mm: list[float]):
        table = self.doc.add_table(rows=0, cols=len(widths_mm))
        table.style = self.doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        tbl_pr = table._tbl.tblPr
        layout = _child(tbl_pr, "w:tblLayout")
        layout.set(qn("w:type"), "fixed")
        borders = _child(tbl_pr, "w:tblBorders")
        for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
            _border(borders, side, size_eighths=6)
        grid = table._tbl.tblGrid
        for col, width in zip(grid.findall(qn("w:gridCol")), widths_mm, strict=True):
            col.set(qn("w:w"), str(round(width / 25.4 * 1440)))
        return Table(self, table, widths_mm)


class Table:
    def __init__(self, writer: Writer, table, widths_mm: list[float]) -> None:
        self.writer = writer
        self.table = table
        self.widths = widths_mm

    def row(
        self,
        cells: list[str | list[tuple[str, str]]],
        *,
        spans: list[int] | None = None,
        min_height_mm: float | None = None,
        styles: list[str] | None = None,
    ) -> None:
        """A row; a cell is a text or a list of (text, paragraph style) paragraphs."""
        spans = spans or [1] * len(cells)
        row = self.table.add_row()
        if min_height_mm is not None:
            tr_pr = row._tr.get_or_add_trPr()
            height = OxmlElement("w:trHeight")
            height.set(qn("w:val"), str(round(min_height_mm / 25.4 * 1440)))
            height.set(qn("w:hRule"), "atLeast")
            tr_pr.append(height)
        col = 0
        for index, (content, span) in enumerate(zip(cells, spans, strict=True)):
            cell = row.cells[col]
            if span > 1:
                cell = cell.merge(row.cells[col + span - 1])
            cell.width = Mm(sum(self.widths[col : col + span]))
            tc_pr = cell._tc.get_or_add_tcPr()
            _child(tc_pr, "w:vAlign").set(qn("w:val"), "center")
            default_style = (
                (styles or [])[index]
                if styles
                else ("公文-表格标签" if index % 2 == 0 and len(cells) > 1 else "公文-表格文字")
            )
            paragraphs = content if isinstance(content, list) else [(content, default_style)]
            first = cell.paragraphs[0]
            for number, (text, style) in enumerate(paragraphs):
                paragraph = first if number == 0 else cell.add_paragraph()
                paragraph.style = self.writer.doc.styles[style]
                if text:
                    paragraph.add_run(text)
            col += span

    def tag_row(self, tag: str) -> None:
        """A docxtpl row tag ({%tr … %}); the row disappears when rendered."""
        row = self.table.add_row()
        cell = row.cells[0].merge(row.cells[len(self.widths) - 1])
        paragraph = cell.paragraphs[0]
        paragraph.style = self.writer.doc.styles["公文-表格文字"]
        paragraph.add_run("{%tr " + tag + " %}")


# --- the documents ---------------------------------------------------------------------


def _cited_articles(w: Writer, loop_var: str = "articles") -> None:
    w.tag(f"for article in {loop_var}")
    w.runs([("{{ article.ref }}：", "公文-黑体"), ("{{ article.text }}", None)])
    w.tag("endfor")


def _paragraphs(w: Writer, loop: str, style: str = "Normal") -> None:
    w.tag(f"for paragraph in {loop}")
    w.p("{{ paragraph }}", style)
    w.tag("endfor")


def build_decision(w: Writer) -> None:
    """责任追究决定书: one per person, in the words of the organ that decides.

    The person's particulars, 经查 and the facts, the statement heard, the finding with the
    articles it rests on, the decision (a sanction reads 处分), what follows from it, the
    right to appeal, then the organ and the date with the seal's place. No headings: the
    text runs as one decision, as a 处分决定 does."""
    w.red_header()
    w.title("{{ title }}")
    w.p("{{ person.particulars }}")
    _paragraphs(w, "facts")
    _paragraphs(w, "statement")
    _paragraphs(w, "finding")
    _paragraphs(w, "decision_text")
    _paragraphs(w, "restrictions")
    w.tag("if appeal.text")
    w.p("{{ appeal.text }}")
    w.tag("if appeal.deadline_text")
    w.p("{{ appeal.deadline_text }}")
    w.tag("endif")
    w.tag("endif")
    w.signature()
    w.record_block()


def build_assessment_sheet(w: Writer) -> None:
    """责任追究测算表: how one person's decision was measured, for the case file (案卷).

    The rulebook's trace, the version and interpretations it used, and each restriction with
    its source and how sure that source is: what the decision itself does not say."""
    w.p("{{ organ.short_name }}", "公文-副标题")
    w.p("责任追究测算表", "公文-标题")
    w.p("案件编号：{{ case.reference }}", "公文-表格签署")
    t = w.table([34, 122])
    t.row(["被追究责任者", "{{ person.particulars }}"], min_height_mm=12)
    t.row(["决定", "{{ decision.meeting }}作出（{{ decision.number }}）"], min_height_mm=10)
    t.row(["适用规则版本", "{{ rulebook.text }}"], min_height_mm=12)
    t.tag_row("for row in facts_rows")
    t.row(["{{ row.label }}", "{{ row.text }}"], min_height_mm=9)
    t.tag_row("endfor")
    t.tag_row("for row in outcome_rows")
    t.row(["{{ row.label }}", "{{ row.text }}"], min_height_mm=9)
    t.tag_row("endfor")
    t.tag_row("for row in appeal_rows")
    t.row(["{{ row.label }}", "{{ row.text }}"], min_height_mm=9)
    t.tag_row("endfor")
    w.p("影响期（第十七条）", "公文-表格标签")
    r = w.table([40, 44, 16, 56])
    r.row(
        ["影响期种类", "起止日期", "措施", "依据及其来源"],
        styles=["公文-表格标签"] * 4,
    )
    r.tag_row("for item in restrictions")
    r.row(
        [
            "{{ item.label }}",
            "{{ item.period }}",
            "{{ item.measure }}",
            [
                ("{{ item.basis }}", "公文-表格小字"),
                ("（{{ item.certainty }}）", "公文-表格小字"),
            ],
        ],
        styles=["公文-表格小字", "公文-表格小字居中", "公文-表格小字居中", "公文-表格小字"],
    )
    r.tag_row("endfor")
    w.p("测算过程", "公文-表格标签")
    w.tag("for step in steps")
    w.p("{{ step.number }}. {{ step.text }}", "公文-表格文字")
    w.tag("endfor")
    w.tag("if warnings")
    w.tag("for warning in warnings")
    w.p("提示：{{ warning }}", "公文-表格文字")
    w.tag("endfor")
    w.tag("endif")
    w.p("所依据的规则解释", "公文-表格标签")
    w.tag("for item in interpretations")
    w.runs(
        [("{{ item.title }}（{{ item.ref }}）：", "公文-黑体"), ("{{ item.text }}", None)],
        "公文-表格文字",
    )
    w.tag("endfor")
    w.blank(1)
    dated = w.p("测算人：{{ prepared_by }}　　审核人：　　　　　　{{ date }}", "公文-表格签署")
    w.seal(dated, centre_from_right_mm=22, centre_below_top_mm=3)


def build_appeal_review(w: Writer) -> None:
    """申诉复查决定书: the review of an appeal against a decision (Art 16)."""
    w.red_header()
    w.title("申诉复查决定书")
    w.p("申诉人：{{ person.name }}，{{ person.unit }}{{ person.post }}。", "公文-正文顶格")
    w.blank(1)
    w.p("{{ intro }}")
    w.p("一、申诉请求和理由", "公文-一级标题")
    w.tag("for paragraph in grounds")
    w.p("{{ paragraph }}")
    w.tag("endfor")
    w.p("二、复查认定", "公文-一级标题")
    w.tag("for paragraph in findings")
    w.p("{{ paragraph }}")
    w.tag("endfor")
    w.tag("for article in articles")
    w.p("{{ article.ref }}规定：“{{ article.text }}”", "公文-引文")
    w.tag("endfor")
    w.p("三、复查决定", "公文-一级标题")
    w.tag("for paragraph in outcome")
    w.p("{{ paragraph }}")
    w.tag("endfor")
    w.signature()
    w.record_block()


def build_filing_report(w: Writer) -> None:
    """备案报告: the filing with the city commission's supervision office (Art 13)."""
    w.red_header()
    w.title("{{ title }}")
    w.p("{{ addressee }}：", "公文-主送机关")
    w.tag("for paragraph in body")
    w.p("{{ paragraph }}")
    w.tag("endfor")
    w.tag("for item in decisions")
    w.p("{{ item.number }}{{ item.text }}")
    w.tag("endfor")
    w.p("{{ closing }}")
    w.tag("if attachments")
    w.blank(1)
    w.tag("for item in attachments")
    w.p("{{ item }}", "公文-附件说明")
    w.tag("endfor")
    w.tag("endif")
    w.signature()
    w.record_block()


def build_transfer_letter(w: Writer) -> None:
    """移送函: transfer of a 涉嫌犯罪 matter to the judicial organs (Art 10)."""
    w.red_header()
    w.title("{{ title }}")
    w.p("{{ addressee }}：", "公文-主送机关")
    w.tag("for paragraph in body")
    w.p("{{ paragraph }}")
    w.tag("endfor")
    w.tag("for person in persons")
    w.p("{{ person.number }}{{ person.text }}")
    w.tag("endfor")
    w.p("{{ closing }}")
    w.tag("if attachments")
    w.blank(1)
    w.tag("for item in attachments")
    w.p("{{ item }}", "公文-附件说明")
    w.tag("endfor")
    w.tag("endif")
    w.signature()
    w.tag("if contact")
    w.p("（联系人：{{ contact }}）", "公文-附注")
    w.tag("endif")
    w.record_block()


def build_investigation_report(w: Writer) -> None:
    """调查报告: each person's facts, the rulebook's assessment and the cited articles."""
    w.title("{{ title }}")
    w.p("{{ addressee }}：", "公文-主送机关")
    w.tag("for paragraph in intro")
    w.p("{{ paragraph }}")
    w.tag("endfor")
    w.p("一、基本情况和调查认定的事实", "公文-一级标题")
    w.tag("for person in persons")
    w.p("{{ person.heading }}", "公文-二级标题")
    w.p("{{ person.profile }}")
    w.tag("for paragraph in person.facts")
    w.p("{{ paragraph }}")
    w.tag("endfor")
    w.tag("for paragraph in person.statement")
    w.p("{{ paragraph }}")
    w.tag("endfor")
    w.tag("endfor")
    w.p("二、责任认定和依据", "公文-一级标题")
    w.tag("for person in persons")
    w.p("{{ person.heading }}", "公文-二级标题")
    w.tag("for paragraph in person.assessment")
    w.p("{{ paragraph }}")
    w.tag("endfor")
    w.tag("endfor")
    w.p("三、处理建议", "公文-一级标题")
    w.tag("for person in persons")
    w.p("{{ person.recommendation }}")
    w.tag("if person.departure")
    w.p("{{ person.departure }}")
    w.tag("endif")
    w.tag("endfor")
    w.tag("for paragraph in closing")
    w.p("{{ paragraph }}")
    w.tag("endfor")
    w.blank(1)
    w.p("附：引用条文", "公文-附件说明")
    _cited_articles(w)
    w.signature(name="{{ signed_by }}")


def build_intake_approval(w: Writer) -> None:
    """受理审批表: the clue, the handling opinion and the approvals (Art 13(1))."""
    w.p("{{ organ.short_name }}", "公文-副标题")
    w.p("纪检监察干部责任追究线索受理审批表", "公文-标题")
    w.p("编号：{{ case.reference }}", "公文-表格签署")
    t = w.table([30, 48, 30, 48])
    t.row(["线索来源", "{{ case.source }}", "收到日期", "{{ case.received_on }}"])
    t.row(["反 映 人", "{{ case.informant }}", "登 记 人", "{{ case.registered_by }}"])
    t.row(
        [
            "被反映人",
            [
                ("{%p for person in persons %}", "公文-表格文字"),
                ("{{ person.line }}", "公文-表格文字"),
                ("{%p endfor %}", "公文-表格文字"),
            ],
        ],
        spans=[1, 3],
        min_height_mm=16,
    )
    t.row(
        [
            "反映的\n主要问题",
            [
                ("{%p for paragraph in case.summary %}", "公文-表格文字"),
                ("{{ paragraph }}", "公文-表格文字"),
                ("{%p endfor %}", "公文-表格文字"),
            ],
        ],
        spans=[1, 3],
        min_height_mm=30,
    )
    t.row(
        [
            "承办意见",
            [
                ("{%p for paragraph in opinion.text %}", "公文-表格文字"),
                ("{{ paragraph }}", "公文-表格文字"),
                ("{%p endfor %}", "公文-表格文字"),
                ("承办人：{{ opinion.name }}　　{{ opinion.date }}", "公文-表格签署"),
            ],
        ],
        spans=[1, 3],
        min_height_mm=26,
    )
    t.tag_row("for approval in approvals")
    t.row(
        [
            "{{ approval.label }}",
            [
                ("{{ approval.text }}", "公文-表格文字"),
                ("签名：{{ approval.name }}　　{{ approval.date }}", "公文-表格签署"),
            ],
        ],
        spans=[1, 3],
        min_height_mm=20,
    )
    t.tag_row("endfor")
    t.row(["办理结果", "{{ result }}"], spans=[1, 3], min_height_mm=15)
    w.p("注：反映人身份信息按规定保密，本表不记载可识别反映人身份的内容。", "公文-表头信息")
    w.blank(1)
    dated = w.p("{{ organ.short_name }}（印章）　　{{ date }}", "公文-表格签署")
    w.seal(dated, centre_from_right_mm=55, centre_below_top_mm=3)


def build_delivery_receipt(w: Writer) -> None:
    """送达回证: one for the person, one for their unit (Art 13(4))."""
    w.p("{{ organ.name }}", "公文-副标题")
    w.p("送 达 回 证", "公文-标题")
    w.p("{{ receipt_no }}", "公文-表格签署")
    t = w.table([42, 114])
    t.row(["送达文书", "《{{ document.title }}》{{ document.number }}"], min_height_mm=16)
    t.row(["受送达人", "{{ recipient.name }}"], min_height_mm=14)
    t.row(["受送达人身份", "{{ recipient.capacity }}"], min_height_mm=14)
    t.row(["送达地点", "{{ place }}"], min_height_mm=14)
    t.row(["送达方式", "{{ manner }}"], min_height_mm=14)
    t.row(
        [
            "受送达人\n签名（盖章）",
            [
                ("{{ signed_text }}", "公文-表格文字"),
                ("", "公文-表格文字"),
                ("{{ received_on_text }}", "公文-表格签署"),
            ],
        ],
        min_height_mm=34,
    )
    t.row(["送 达 人", "{{ delivered_by }}"], min_height_mm=14)
    t.row(["备　　注", "{{ note }}"], min_height_mm=26)
    w.p("{{ appeal_note }}", "公文-表头信息")
    w.blank(1)
    dated = w.p("填发机关：{{ organ.name }}（印）　　{{ date }}", "公文-表格签署")
    w.seal(dated, centre_from_right_mm=60, centre_below_top_mm=3)


def build_dossier_index(w: Writer) -> None:
    """归档材料目录: the cover sheet for the organisation department's personal dossier."""
    w.p("{{ organ.short_name }}", "公文-副标题")
    w.p("干部责任追究材料归档目录", "公文-标题")
    w.p("案件：{{ case.title }}（{{ case.reference }}）", "公文-表头信息")
    w.p("被追究责任者：{{ person.name }}", "公文-表头信息")
    w.p("单位及职务：{{ person.unit }}{{ person.post }}", "公文-表头信息")
    w.p("归入：{{ archive_to }}", "公文-表头信息")
    w.p("备案：{{ filed_with }}", "公文-表头信息")
    t = w.table([12, 48, 48, 34, 14])
    t.row(["序号", "材料名称", "文号", "形成日期", "页数"], styles=["公文-表格标签"] * 5)
    t.tag_row("for item in items")
    t.row(
        [
            "{{ item.no }}",
            "{{ item.title }}",
            "{{ item.number }}",
            "{{ item.date }}",
            "{{ item.pages }}",
        ],
        styles=[
            "公文-表格小字居中",
            "公文-表格小字",
            "公文-表格小字居中",
            "公文-表格小字居中",
            "公文-表格小字居中",
        ],
        min_height_mm=10,
    )
    t.tag_row("endfor")
    w.p("移交人：{{ handed_over_by }}　　接收人：　　　　　　移交日期：{{ date }}", "公文-表头信息")
    w.blank(1)
    dated = w.p("{{ organ.short_name }}（印章）　　{{ date }}", "公文-表格签署")
    w.seal(dated, centre_from_right_mm=55, centre_below_top_mm=3)


BUILDERS: dict[str, Callable[[Writer], None]] = {
    "intake_approval": build_intake_approval,
    "investigation_report": build_investigation_report,
    "decision": build_decision,
    "delivery_receipt": build_delivery_receipt,
    "filing_report": build_filing_report,
    "dossier_index": build_dossier_index,
    "appeal_review": build_appeal_review,
    "transfer_letter": build_transfer_letter,
    "assessment_sheet": build_assessment_sheet,
}

TITLES = {
    "intake_approval": "线索受理审批表",
    "investigation_report": "调查报告",
    "decision": "责任追究决定书",
    "delivery_receipt": "送达回证",
    "filing_report": "备案报告",
    "dossier_index": "归档材料目录",
    "appeal_review": "申诉复查决定书",
    "transfer_letter": "移送函",
    "assessment_sheet": "责任追究测算表",
}


def _normalise_zip(data: bytes) -> bytes:
    """Rewrites the package with fixed timestamps so the build is reproducible."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            blob = source.read(info.filename)
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, blob)
    return out.getvalue()


def build(kind: str) -> bytes:
    doc = new_document(TITLES[kind])
    BUILDERS[kind](Writer(doc))
    buffer = io.BytesIO()
    doc.save(buffer)
    return _normalise_zip(buffer.getvalue())


def main(argv: list[str]) -> int:
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    kinds = argv or list(BUILDERS)
    for kind in kinds:
        path = OUT_DIR / f"{kind}.docx"
        path.write_bytes(build(kind))
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

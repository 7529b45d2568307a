"""Evidence from the public: checked by content and size, and stored without its metadata
(EXIF/XMP/GPS of JPEG, PNG and TIFF; docProps of OOXML; PDF Info and XMP), cleaned in a child
process."""

from __future__ import annotations

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import SimpleTestCase, override_settings
from docx import Document
from PIL import Image, PngImagePlugin, TiffImagePlugin
from pypdf import PdfReader, PdfWriter
from pypdf.generic import DecodedStreamObject, NameObject

from accountability.common.errors import DomainError
from accountability.public import evidence

MARK = "ReporterZhang"
MARK_ZH = "举报人甲"
XMP = (
    '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/'
    f'22-rdf-syntax-ns#"><rdf:Description creator="{MARK}"/></rdf:RDF></x:xmpmeta>'
).encode()
GPS_IFD = 0x8825
#: TIFF tags that describe the picture's origin: description, make, model, software, date,
#: artist, copyright, XMP, IPTC, Photoshop, EXIF and GPS directories.
TIFF_METADATA_TAGS = {270, 271, 272, 305, 306, 315, 33432, 700, 33723, 34377, 34665, 34853}
ALLOWED = (
    "PDF、Word 文档(.docx)、Excel 工作簿(.xlsx)、PowerPoint 演示文稿(.pptx)、"
    "JPEG 图片、PNG 图片、TIFF 图片、纯文本"
)


def exif() -> Image.Exif:
    data = Image.Exif()
    data[0x010F] = MARK  # Make
    data[0x013B] = MARK  # Artist
    data[0x0112] = 6  # Orientation: rotate 90° to display
    gps = data.get_ifd(GPS_IFD)
    gps[1] = "N"
    gps[2] = (27.0, 26.0, 30.0)
    gps[3] = "E"
    gps[4] = (104.0, 52.0, 10.0)
    return data


def picture(size=(64, 48)) -> Image.Image:
    image = Image.new("RGB", size, "white")
    image.paste(Image.new("RGB", (8, 8), "red"), (0, 0))
    return image


def jpeg() -> bytes:
    out = io.BytesIO()
    picture().save(out, "JPEG", exif=exif(), xmp=XMP, comment=MARK.encode())
    return out.getvalue()


def png() -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", MARK)
    info.add_itxt("XML:com.adobe.xmp", XMP.decode())
    out = io.BytesIO()
    picture().save(out, "PNG", pnginfo=info, exif=exif())
    return out.getvalue()


def tiff() -> bytes:
    tags = TiffImagePlugin.ImageFileDirectory_v2()
    tags[700] = XMP  # XMP
    tags[315] = MARK  # Artist
    tags[271] = MARK  # Make
    tags[GPS_IFD] = {1: "N", 2: (27.0, 26.0, 30.0), 3: "E", 4: (104.0, 52.0, 10.0)}
    out = io.BytesIO()
    picture().save(
        out,
        "TIFF",
        tiffinfo=tags,
        save_all=True,
        append_images=[Image.new("RGB", (20, 10), "blue")],
    )
    return out.getvalue()


def docx() -> bytes:
    document = Document()
    document.add_paragraph("反映的问题见附图。")
    document.add_picture(io.BytesIO(jpeg()))
    props = document.core_properties
    props.author = MARK_ZH
    props.last_modified_by = MARK
    props.title = MARK
    props.comments = MARK
    out = io.BytesIO()
    document.save(out)
    # Word writes the company and the application too (python-docx does not): add them.
    source = zipfile.ZipFile(io.BytesIO(out.getvalue()))
    rebuilt = io.BytesIO()
    with zipfile.ZipFile(rebuilt, "w") as target:
        for entry in source.infolist():
            data = source.read(entry)
            if entry.filename == "docProps/app.xml":
                data = data.replace(
                    b"</Properties>", f"<Company>{MARK}</Company></Properties>".encode()
                )
            target.writestr(entry, data)
    return rebuilt.getvalue()


def pdf(*, encrypt: bool = False) -> bytes:
    writer = PdfWriter()
    page = writer.add_blank_page(width=200, height=200)
    writer.add_metadata({"/Author": MARK_ZH, "/Creator": MARK, "/Title": MARK})
    stream = DecodedStreamObject()
    stream.set_data(XMP)
    stream.update(
        {NameObject("/Type"): NameObject("/Metadata"), NameObject("/Subtype"): NameObject("/XML")}
    )
    writer._root_object[NameObject("/Metadata")] = writer._add_object(stream)
    page[NameObject("/Metadata")] = writer._add_object(stream)
    if encrypt:
        writer.encrypt("secret")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, "application/octet-stream")


class ImageTests(SimpleTestCase):
    def assert_no_metadata(self, cleaned: bytes, mime: str) -> Image.Image:
        self.assertNotIn(MARK.encode(), cleaned)
        self.assertNotIn(b"xmpmeta", cleaned)
        self.assertNotIn(b"Exif", cleaned)
        image = Image.open(io.BytesIO(cleaned))
        self.assertEqual(image.get_format_mimetype(), mime)
        exif_data = image.getexif()
        if mime == "image/tiff":
            # A TIFF keeps the tags of its own structure (size, strips, compression) only.
            self.assertEqual(set(exif_data) & TIFF_METADATA_TAGS, set())
        else:
            self.assertEqual(dict(exif_data), {})
        self.assertEqual(dict(exif_data.get_ifd(GPS_IFD)), {})
        return image

    def test_the_fixtures_carry_the_metadata_to_be_removed(self):
        for content in (jpeg(), png(), tiff()):
            self.assertIn(MARK.encode(), content)
            self.assertIn(b"xmpmeta", content)
            gps = Image.open(io.BytesIO(content)).getexif().get_ifd(GPS_IFD)
            self.assertEqual(gps[1], "N")

    def test_a_jpeg_loses_exif_gps_xmp_and_comment_and_keeps_its_orientation(self):
        clean = evidence.clean_upload(upload("IMG_0001.jpg", jpeg()))
        self.assertEqual((clean.mime, clean.suffix), ("image/jpeg", "jpg"))
        image = self.assert_no_metadata(clean.content, "image/jpeg")
        self.assertNotIn("comment", image.info)
        # Orientation 6 was applied to the pixels: 64×48 stands as 48×64.
        self.assertEqual(image.size, (48, 64))

    def test_a_png_loses_its_text_chunks_exif_and_xmp(self):
        clean = evidence.clean_upload(upload("a.png", png()))
        image = self.assert_no_metadata(clean.content, "image/png")
        self.assertEqual(image.info, {})

    def test_a_tiff_loses_its_tags_and_keeps_every_page(self):
        clean = evidence.clean_upload(upload("scan.tif", tiff()))
        image = self.assert_no_metadata(clean.content, "image/tiff")
        self.assertEqual(image.n_frames, 2)
        self.assertNotIn(700, image.tag_v2)
        self.assertNotIn(315, image.tag_v2)

    def test_the_hashes_are_those_of_the_cleaned_file(self):
        import hashlib

        clean = evidence.clean_upload(upload("a.png", png()))
        self.assertEqual(clean.sha256, hashlib.sha256(clean.content).hexdigest())
        self.assertEqual(clean.sm3, hashlib.new("sm3", clean.content).hexdigest())
        self.assertEqual(clean.size, len(clean.content))

    @override_settings(PUBLIC_EVIDENCE_MAX_MB=1)
    def test_a_picture_beyond_the_pixel_limit_is_refused(self):
        out = io.BytesIO()
        Image.new("1", (12_000, 12_000)).save(out, "PNG")
        with self.assertRaises(DomainError) as caught:
            evidence.clean_upload(upload("huge.png", out.getvalue()))
        self.assertEqual(caught.exception.message, evidence.MSG_FILE_LIMIT.format(name="huge.png"))

    def test_a_broken_picture_is_refused_as_corrupt(self):
        broken = jpeg()[:200]
        with self.assertRaises(DomainError) as caught:
            evidence.clean_upload(upload("broken.jpg", broken))
        self.assertEqual(
            caught.exception.message, evidence.MSG_FILE_CORRUPT.format(name="broken.jpg")
        )


class DocumentTests(SimpleTestCase):
    def test_a_word_document_loses_its_properties_and_its_pictures_their_exif(self):
        original = docx()
        with zipfile.ZipFile(io.BytesIO(original)) as archive:
            self.assertIn(MARK_ZH, archive.read("docProps/core.xml").decode())
            self.assertIn(MARK, archive.read("docProps/app.xml").decode())
        clean = evidence.clean_upload(upload("举报材料-王某.docx", original))
        self.assertEqual(clean.suffix, "docx")
        with zipfile.ZipFile(io.BytesIO(clean.content)) as archive:
            for name in archive.namelist():
                data = archive.read(name)
                with self.subTest(part=name):
                    self.assertNotIn(MARK.encode(), data)
                    self.assertNotIn(MARK_ZH.encode(), data)
                    self.assertNotIn(b"xmpmeta", data)
            media = [n for n in archive.namelist() if n.startswith("word/media/")]
            self.assertEqual(len(media), 1)
            gps = Image.open(io.BytesIO(archive.read(media[0]))).getexif().get_ifd(GPS_IFD)
            self.assertEqual(dict(gps), {})
        # Still a document Word (and python-docx) opens, with its text.
        reopened = Document(io.BytesIO(clean.content))
        self.assertEqual(reopened.paragraphs[0].text, "反映的问题见附图。")
        self.assertEqual(reopened.core_properties.author, "")

    def test_a_pdf_loses_its_info_dictionary_and_xmp(self):
        original = pdf()
        reader = PdfReader(io.BytesIO(original))
        self.assertEqual(reader.metadata.author, MARK_ZH)
        self.assertIsNotNone(reader.xmp_metadata)
        clean = evidence.clean_upload(upload("a.pdf", original))
        self.assertEqual(clean.suffix, "pdf")
        self.assertNotIn(MARK.encode(), clean.content)
        self.assertNotIn(b"xmpmeta", clean.content)
        cleaned = PdfReader(io.BytesIO(clean.content))
        self.assertIsNone(cleaned.metadata)
        self.assertIsNone(cleaned.xmp_metadata)
        self.assertEqual(len(cleaned.pages), 1)
        self.assertNotIn("/Metadata", cleaned.pages[0])

    def test_an_encrypted_pdf_is_refused(self):
        with self.assertRaises(DomainError) as caught:
            evidence.clean_upload(upload("locked.pdf", pdf(encrypt=True)))
        self.assertEqual(
            caught.exception.message,
            "文件“locked.pdf”设有密码，无法去除其中的个人信息，请去除密码后再上传。",
        )

    def test_plain_text_is_kept_as_it_is(self):
        text = "某某收受礼金的经过。\n".encode()
        self.assertEqual(evidence.clean_upload(upload("a.txt", text)).content, text)


class RefusalTests(SimpleTestCase):
    def test_a_recording_is_refused_with_the_list_of_types_that_can_be_cleaned(self):
        wav = (
            b"RIFF\x24\x00\x00\x00WAVEfmt \x10\x00\x00\x00\x01\x00\x01\x00"
            b"\x40\x1f\x00\x00\x80\x3e\x00\x00\x02\x00\x10\x00data\x00\x00\x00\x00"
        )
        with self.assertRaises(DomainError) as caught:
            evidence.clean_upload(upload("录音.wav", wav))
        self.assertEqual(caught.exception.field, "files")
        self.assertEqual(
            caught.exception.message,
            "不能上传此类文件：文件内容为WAV 音频（audio/x-wav）。网上举报可上传的文件类型为："
            + ALLOWED
            + "。",
        )

    def test_an_executable_named_pdf_is_refused_by_its_content(self):
        with self.assertRaises(DomainError) as caught:
            evidence.clean_upload(upload("a.pdf", b"MZ\x90\x00" + b"\x00" * 200 + b"PE\x00\x00"))
        self.assertEqual(caught.exception.code, "file_type")

    @override_settings(PUBLIC_EVIDENCE_MAX_MB=1)
    def test_a_file_over_the_size_limit_is_refused(self):
        with self.assertRaises(DomainError) as caught:
            evidence.clean_upload(upload("big.txt", b"a" * ((1 << 20) + 1)))
        self.assertEqual(caught.exception.message, "文件“big.txt”超过1MB，不能上传。")

    def test_an_empty_file_is_refused(self):
        with self.assertRaises(DomainError) as caught:
            evidence.clean_upload(upload("a.txt", b""))
        self.assertEqual(caught.exception.message, "文件“a.txt”是空文件。")

    @override_settings(PUBLIC_EVIDENCE_MAX_FILES=2)
    def test_more_files_than_allowed_at_once_are_refused(self):
        with self.assertRaises(DomainError) as caught:
            evidence.clean_uploads([upload(f"{i}.txt", b"x") for i in range(3)])
        self.assertEqual(caught.exception.message, "每次最多上传2个文件。")

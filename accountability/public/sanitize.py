"""Metadata removal for evidence from the public, run in a child process of its own.

No Django here: ``evidence.py`` starts ``python -m accountability.public.sanitize MIME`` with
the file on standard input; the child caps its own memory and CPU time first, then writes the
cleaned file to standard output. A file it cannot clean exits with status 3 and one reason
word on standard error (``corrupt``, ``encrypted``, ``too_large``, ``unsupported``); anything
else (out of memory, killed at the time limit) is a failure the parent reports as such.

What is removed:

* JPEG, PNG, TIFF (Pillow): the pixels are copied into a new image and saved without any of
  the original's metadata: EXIF (GPS included), XMP, IPTC, ICC profile, comments, PNG text
  chunks, TIFF tags other than the image's own structure. The EXIF orientation is applied to
  the pixels first, so that the picture still stands the right way. Every page of a TIFF is
  kept.
* PDF (pypdf): the pages are copied into a new document without the Info dictionary (author,
  creator, producer, dates), the document's XMP stream, and each page's own /Metadata and
  /PieceInfo. An encrypted PDF is refused (it cannot be read to be cleaned).
* Word, Excel and PowerPoint (OOXML): docProps/core.xml (author, last modified by, dates,
  title …), docProps/app.xml (company, manager, application) and docProps/custom.xml are
  replaced by empty ones, and pictures inside (word/media …) are cleaned as images above.
* Plain text carries no metadata and is passed through.
"""

from __future__ import annotations

import io
import resource
import sys
import zipfile

REFUSED = 3
OOXML_TYPES = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
IMAGE_TYPES = {"image/jpeg": "JPEG", "image/png": "PNG", "image/tiff": "TIFF"}
#: Images larger than this many pixels are refused (a decompression bomb, or a poster).
MAX_PIXELS = 60_000_000
#: Limits of an OOXML package: parts, and bytes once unzipped.
MAX_PARTS = 2000
MAX_UNZIPPED = 200 << 20

EMPTY_CORE = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
    b'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
    b'xmlns:dcterms="http://purl.org/dc/terms/" '
    b'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"/>'
)
EMPTY_APP = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'extended-properties"/>'
)
EMPTY_CUSTOM = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'custom-properties"/>'
)
REPLACED_PARTS = {
    "docProps/core.xml": EMPTY_CORE,
    "docProps/app.xml": EMPTY_APP,
    "docProps/custom.xml": EMPTY_CUSTOM,
}
MEDIA_SUFFIXES = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png"}
MEDIA_SUFFIXES |= {".tif": "image/tiff", ".tiff": "image/tiff"}


class Refused(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _fresh(image):  # type: ignore[no-untyped-def]
    """A copy of the pixels alone: a new image with no ``info`` and no TIFF tags."""
    from PIL import Image

    if image.mode not in ("1", "L", "LA", "P", "RGB", "RGBA", "CMYK", "I", "I;16", "F"):
        image = image.convert("RGBA" if "A" in image.mode else "RGB")
    copy = Image.frombytes(image.mode, image.size, image.tobytes())
    if image.mode == "P":
        palette = image.getpalette()
        if palette:
            copy.putpalette(palette)
        if "transparency" in image.info and isinstance(image.info["transparency"], int):
            copy.info["transparency"] = image.info["transparency"]
    return copy


def clean_image(data: bytes, mime: str) -> bytes:
    import warnings

    from PIL import Image, ImageOps, ImageSequence

    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    warnings.simplefilter("error", Image.DecompressionBombWarning)
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            fmt = IMAGE_TYPES[mime]
            if image.format != fmt:
                raise Refused("corrupt")
            if fmt == "TIFF":
                frames = [_fresh(f.copy()) for f in ImageSequence.Iterator(image)]
            else:
                frames = [_fresh(ImageOps.exif_transpose(image) or image)]
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise Refused("too_large") from None
    except (OSError, ValueError, SyntaxError, KeyError):
        raise Refused("corrupt") from None
    out = io.BytesIO()
    first = frames[0]
    if fmt == "JPEG":
        if first.mode not in ("L", "RGB", "CMYK"):
            first = first.convert("RGB")
        first.save(out, "JPEG", quality=92, optimize=True)
    elif fmt == "PNG":
        first.save(out, "PNG", optimize=True)
    else:
        first.save(out, "TIFF", compression="tiff_deflate", save_all=True, append_images=frames[1:])
    return out.getvalue()


PDF_METADATA_KEYS = ("/Metadata", "/PieceInfo")


def _strip_pdf_object(obj, depth: int = 0) -> None:  # type: ignore[no-untyped-def]
    """Remove metadata streams from a page or XObject and the XObjects it uses."""
    from pypdf.generic import DictionaryObject, NameObject

    obj = obj.get_object()
    if not isinstance(obj, DictionaryObject) or depth > 8:
        return
    for key in PDF_METADATA_KEYS:
        if NameObject(key) in obj:
            del obj[NameObject(key)]
    resources = obj.get("/Resources")
    xobjects = resources.get_object().get("/XObject") if resources is not None else None
    if xobjects is not None:
        for ref in xobjects.get_object().values():
            _strip_pdf_object(ref, depth + 1)


def clean_pdf(data: bytes) -> bytes:
    from pypdf import PdfReader, PdfWriter
    from pypdf.errors import PdfReadError, PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise Refused("encrypted")
        writer = PdfWriter()
        for page in reader.pages:
            # Stripped before copying, so that the streams are never written out.
            _strip_pdf_object(page)
            writer.add_page(page)
        # No Info dictionary at all (pypdf would write its own /Producer otherwise).
        writer.metadata = None
        writer.compress_identical_objects(remove_duplicates=False, remove_unreferenced=True)
        out = io.BytesIO()
        writer.write(out)
    except Refused:
        raise
    except (PdfReadError, PyPdfError, OSError, ValueError, KeyError, TypeError, AttributeError):
        raise Refused("corrupt") from None
    return out.getvalue()


def clean_ooxml(data: bytes) -> bytes:
    try:
        source = zipfile.ZipFile(io.BytesIO(data))
        entries = source.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise Refused("corrupt") from None
    if len(entries) > MAX_PARTS or sum(e.file_size for e in entries) > MAX_UNZIPPED:
        raise Refused("too_large")
    out = io.BytesIO()
    try:
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
            for entry in entries:
                content = REPLACED_PARTS.get(entry.filename)
                if content is None:
                    content = source.read(entry)
                    suffix = "." + entry.filename.rsplit(".", 1)[-1].lower()
                    if "/media/" in entry.filename and suffix in MEDIA_SUFFIXES:
                        content = clean_image(content, MEDIA_SUFFIXES[suffix])
                # A fixed date: the archive's own timestamps say nothing either.
                info = zipfile.ZipInfo(entry.filename, date_time=(1980, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                target.writestr(info, content)
    except (zipfile.BadZipFile, OSError, ValueError, RuntimeError):
        raise Refused("corrupt") from None
    return out.getvalue()


def clean(data: bytes, mime: str) -> bytes:
    """The file without its metadata (Refused when it cannot be cleaned)."""
    if mime in IMAGE_TYPES:
        return clean_image(data, mime)
    if mime == "application/pdf":
        return clean_pdf(data)
    if mime in OOXML_TYPES:
        return clean_ooxml(data)
    if mime == "text/plain":
        return data
    raise Refused("unsupported")


def _limit(memory_mb: int, seconds: int) -> None:
    limit = memory_mb << 20
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 1))


def main(argv: list[str]) -> int:
    mime, memory_mb, seconds = argv[0], int(argv[1]), int(argv[2])
    _limit(memory_mb, seconds)
    data = sys.stdin.buffer.read()
    try:
        cleaned = clean(data, mime)
    except Refused as refusal:
        sys.stderr.write(refusal.reason)
        return REFUSED
    except MemoryError:
        sys.stderr.write("too_large")
        return REFUSED
    sys.stdout.buffer.write(cleaned)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

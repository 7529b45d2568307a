"""Throughput of the document layer: .docx rendering and PDF conversion.

Renders every kind's sample context through its shipped template (docxtpl), then
converts to PDF with LibreOffice headless: one run per document (what issuing one
document costs) and one run for a batch (what the dossier package and the demo use).
Run: .venv/bin/python bench/documents.py [--docx N] [--pdf N] [--batch N]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from accountability.documents import pdf, render, samples  # noqa: E402
from accountability.documents.kinds import DocumentKind  # noqa: E402

KINDS = [k.value for k in DocumentKind]


def bench_docx(count: int) -> tuple[float, list[bytes]]:
    templates = {k: render.shipped_template(k) for k in KINDS}
    contexts = {k: samples.sample_context(k) for k in KINDS}
    made = []
    start = time.perf_counter()
    for index in range(count):
        kind = KINDS[index % len(KINDS)]
        made.append(render.render_docx(templates[kind], contexts[kind]))
    return time.perf_counter() - start, made


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docx", type=int, default=400, help="documents to render")
    parser.add_argument("--pdf", type=int, default=8, help="documents converted one run each")
    parser.add_argument("--batch", type=int, default=32, help="documents in one batch run")
    args = parser.parse_args()

    seconds, documents = bench_docx(args.docx)
    size = sum(len(d) for d in documents) / len(documents) / 1024
    print(
        f".docx (docxtpl, {len(KINDS)} kinds round robin): {args.docx} documents in "
        f"{seconds:.2f} s = {args.docx / seconds:.1f} documents/s (average {size:.0f} KiB)"
    )

    if not pdf.pdf_available():
        print("PDF: skipped, LibreOffice (soffice) is not installed")
        return 0
    pdf.docx_to_pdf(documents[0])  # first start: LibreOffice builds its profile
    start = time.perf_counter()
    for document in documents[: args.pdf]:
        pdf.docx_to_pdf(document)
    seconds = time.perf_counter() - start
    print(
        f"PDF (LibreOffice headless, one run per document): {args.pdf} documents in "
        f"{seconds:.2f} s = {args.pdf / seconds:.2f} documents/s"
    )
    batch = (documents * (args.batch // len(documents) + 1))[: args.batch]
    start = time.perf_counter()
    pdf.docx_to_pdf_many(batch)
    seconds = time.perf_counter() - start
    print(
        f"PDF (LibreOffice headless, {args.batch} documents in one run): {seconds:.2f} s = "
        f"{args.batch / seconds:.2f} documents/s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""PDF through LibreOffice headless, with the CJK font aliases of fonts/fonts.conf.

Every run gets a LibreOffice profile folder of its own (-env:UserInstallation) inside its
working folder, removed with it: two conversions sharing a profile fail silently, and a
worker's horse exits without running clean-up handlers, so a profile kept between runs would
be left behind. One run converts several documents (``docx_to_pdf_many``): LibreOffice's
start-up is most of the cost of a small document.

The soffice process has a bound of its own on its address space (DOCUMENTS_SOFFICE_MEMORY_MB,
set with util-linux's ``prlimit``): LibreOffice needs about 600 MB of address space to convert
our documents (measured: it aborts under 384 MB, and with 512 MB a batch of 20 silently lost
one document), far more than it touches. A bound can only be lowered, never raised above what
the calling process has: a worker's job that converts must give its horse at least as much
(the conversion jobs do, see jobs.py).
"""

from __future__ import annotations

import os
import resource
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from accountability.common.errors import DomainError

FONTS_CONF = Path(__file__).resolve().parent / "fonts" / "fonts.conf"
DEFAULT_TIMEOUT = 120
DEFAULT_MEMORY_MB = 2048
POLL_SECONDS = 0.25

SOFFICE_MISSING = _(
    "服务器未安装 LibreOffice（找不到 soffice 命令），无法生成 PDF。"
    "请管理员安装 Debian 软件包 libreoffice-writer-nogui（见 scripts/system-deps.sh）。"
)
CONVERSION_TIMEOUT = _("PDF 转换超时（超过 {seconds} 秒），请稍后重试。")
CONVERSION_FAILED = _("PDF 转换失败：{detail}")

# PDF/A-2b keeps the fonts embedded and suits archiving (归档).
_EXPORT_FILTER = 'pdf:writer_pdf_Export:{"SelectPdfVersion":{"type":"long","value":"2"}}'


class PdfError(DomainError):
    def __init__(self, message: str, code: str = "pdf_failed") -> None:
        super().__init__(message, field="pdf", code=code)


def soffice_binary() -> str | None:
    """The LibreOffice binary: the setting SOFFICE_BINARY, else soffice or libreoffice on PATH."""
    configured = settings.SOFFICE_BINARY
    if configured:
        return configured if Path(configured).exists() else None
    return shutil.which("soffice") or shutil.which("libreoffice")


def pdf_available() -> bool:
    return soffice_binary() is not None


def soffice_address_space() -> int:
    """The address-space bound (bytes) for a soffice process started from here: the setting,
    or less where this process itself is bounded lower (a child cannot have more)."""
    wanted = int(getattr(settings, "DOCUMENTS_SOFFICE_MEMORY_MB", DEFAULT_MEMORY_MB)) << 20
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    return wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)


def _command(binary: str, sources: list[Path], outdir: Path, profile: Path) -> list[str]:
    command = [
        binary,
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--invisible",
        "--nologo",
        "--nodefault",
        "--norestore",
        "--nolockcheck",
        "--convert-to",
        _EXPORT_FILTER,
        "--outdir",
        str(outdir),
        *[str(source) for source in sources],
    ]
    prlimit = shutil.which("prlimit")
    if prlimit:
        command = [prlimit, f"--as={soffice_address_space()}", "--", *command]
    return command


def _run(
    binary: str,
    sources: list[Path],
    outdir: Path,
    profile: Path,
    timeout: float,
    progress: Callable[[int, int], None] | None,
) -> None:
    env = dict(os.environ)
    env["FONTCONFIG_FILE"] = str(FONTS_CONF)
    env["HOME"] = str(profile)  # LibreOffice writes caches under $HOME too
    env.setdefault("SAL_USE_VCLPLUGIN", "svp")
    log = outdir.parent / "soffice.log"
    with open(log, "wb") as output:
        process = subprocess.Popen(
            _command(binary, sources, outdir, profile),
            stdout=output,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=env,
            start_new_session=True,  # a process group we can kill with its children
        )
        deadline = time.monotonic() + timeout
        done = -1
        try:
            while process.poll() is None:
                if time.monotonic() > deadline:
                    raise PdfError(
                        CONVERSION_TIMEOUT.format(seconds=int(timeout)), code="pdf_timeout"
                    )
                if progress is not None:
                    made = sum(1 for _ in outdir.glob("*.pdf"))
                    if made != done:
                        done = made
                        progress(made, len(sources))
                time.sleep(POLL_SECONDS)
        except BaseException:
            # Out of time, or the job itself was stopped: LibreOffice goes with it.
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            raise
    if process.returncode != 0:
        text = log.read_bytes().decode("utf-8", "replace").strip()[-300:]
        raise PdfError(CONVERSION_FAILED.format(detail=text or f"退出码 {process.returncode}"))


def docx_to_pdf_many(
    documents: list[bytes],
    *,
    timeout: float = DEFAULT_TIMEOUT,
    progress: Callable[[int, int], None] | None = None,
) -> list[bytes]:
    """Converts several .docx documents in one LibreOffice run (faster than one run each);
    ``progress(done, total)`` is told as the PDFs appear."""
    binary = soffice_binary()
    if binary is None:
        raise PdfError(SOFFICE_MISSING, code="pdf_unavailable")
    if not documents:
        return []
    with tempfile.TemporaryDirectory(prefix="docx2pdf-") as work:
        workdir = Path(work)
        sources = []
        for index, data in enumerate(documents):
            source = workdir / f"document-{index:04d}.docx"
            source.write_bytes(data)
            sources.append(source)
        outdir = workdir / "out"
        outdir.mkdir()
        _run(binary, sources, outdir, workdir / "profile", timeout, progress)
        results = [outdir / (source.stem + ".pdf") for source in sources]
        missing = [s.name for s, r in zip(sources, results, strict=True) if not r.is_file()]
        if missing or any(r.stat().st_size == 0 for r in results):
            names = ", ".join(missing) or "空文件"
            raise PdfError(CONVERSION_FAILED.format(detail=f"LibreOffice 未生成 {names}"))
        return [path.read_bytes() for path in results]


def docx_to_pdf(document: bytes, *, timeout: float = DEFAULT_TIMEOUT) -> bytes:
    """The PDF of one .docx document."""
    return docx_to_pdf_many([document], timeout=timeout)[0]

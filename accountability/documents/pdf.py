"""PDF through LibreOffice headless, with the CJK font aliases of fonts/fonts.conf.

Each thread of each process gets its own LibreOffice profile folder
(-env:UserInstallation): two conversions sharing the default profile fail
silently. The profile is reused by later conversions in the same thread, which
saves LibreOffice's first-start work; a conversion that fails with a reused
profile is retried once with a fresh one.
"""

from __future__ import annotations

import atexit
import os
import shutil
import signal
import subprocess
import tempfile
import threading
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from accountability.common.errors import DomainError

FONTS_CONF = Path(__file__).resolve().parent / "fonts" / "fonts.conf"
DEFAULT_TIMEOUT = 120

SOFFICE_MISSING = _(
    "服务器未安装 LibreOffice（找不到 soffice 命令），无法生成 PDF。"
    "请管理员安装 Debian 软件包 libreoffice-writer-nogui（见 scripts/system-deps.sh）。"
)
CONVERSION_TIMEOUT = _("PDF 转换超时（超过 {seconds} 秒），请稍后重试。")
CONVERSION_FAILED = _("PDF 转换失败：{detail}")

# PDF/A-2b keeps the fonts embedded and suits archiving (归档).
_EXPORT_FILTER = 'pdf:writer_pdf_Export:{"SelectPdfVersion":{"type":"long","value":"2"}}'

_local = threading.local()


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


def _profile_dir(fresh: bool) -> Path:
    current: Path | None = getattr(_local, "profile", None)
    if fresh or current is None or not current.exists():
        if current is not None:
            shutil.rmtree(current, ignore_errors=True)
        current = Path(tempfile.mkdtemp(prefix=f"soffice-profile-{os.getpid()}-"))
        atexit.register(shutil.rmtree, current, ignore_errors=True)
        _local.profile = current
    return current


def _run(binary: str, sources: list[Path], outdir: Path, profile: Path, timeout: float) -> None:
    env = dict(os.environ)
    env["FONTCONFIG_FILE"] = str(FONTS_CONF)
    env["HOME"] = str(profile)  # LibreOffice writes caches under $HOME too
    env.setdefault("SAL_USE_VCLPLUGIN", "svp")
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
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        start_new_session=True,  # a process group we can kill with its children
    )
    try:
        _, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise PdfError(
            CONVERSION_TIMEOUT.format(seconds=int(timeout)), code="pdf_timeout"
        ) from None
    if process.returncode != 0:
        detail = stderr.decode("utf-8", "replace").strip()[-300:] or f"退出码 {process.returncode}"
        raise PdfError(CONVERSION_FAILED.format(detail=detail))


def docx_to_pdf_many(documents: list[bytes], *, timeout: float = DEFAULT_TIMEOUT) -> list[bytes]:
    """Converts several .docx documents in one LibreOffice run (faster than one run each)."""
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
        results: list[Path] = []
        for attempt in range(2):
            try:
                _run(binary, sources, outdir, _profile_dir(fresh=attempt > 0), timeout)
            except PdfError as error:
                # A broken reused profile gets one retry with a fresh one; a timeout does not.
                if error.code == "pdf_timeout" or attempt == 1:
                    raise
                continue
            results = [outdir / (source.stem + ".pdf") for source in sources]
            if all(path.exists() and path.stat().st_size > 0 for path in results):
                return [path.read_bytes() for path in results]
        missing = [s.name for s, r in zip(sources, results, strict=True) if not r.exists()]
        raise PdfError(CONVERSION_FAILED.format(detail=f"LibreOffice 未生成 {', '.join(missing)}"))


def docx_to_pdf(document: bytes, *, timeout: float = DEFAULT_TIMEOUT) -> bytes:
    """The PDF of one .docx document."""
    return docx_to_pdf_many([document], timeout=timeout)[0]

"""The certificate as a PDF: A4 landscape, Chinese text in an embedded CJK font, a QR code.

The font is found in this order: ``CERTIFICATE_FONT_PATH`` (setting or
``LMS_CERTIFICATE_FONT_PATH``), then the usual Debian/Ubuntu packages
(``fonts-wqy-microhei``, ``fonts-wqy-zenhei``, ``fonts-noto-cjk``). With none, rendering
stops with ``FontMissing`` and a message that says which package to install.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import logging
import os
import tempfile
import threading
from datetime import date
from pathlib import Path

import segno
from flask import current_app
from fpdf import FPDF

#: (path, index in a font collection) tried in order when no font is configured.
FONT_CANDIDATES = [
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2),  # index 2: Simplified Chinese
    ("/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc", 2),
]

# fontTools logs every table it subsets at INFO; a worker's log is no place for that.
logging.getLogger("fontTools").setLevel(logging.WARNING)
logging.getLogger("fontTools.subset").setLevel(logging.ERROR)

FONT_HELP = (
    "No Chinese (CJK) font found for certificate PDFs. Install one "
    "(Debian/Ubuntu: apt-get install fonts-wqy-microhei) or set LMS_CERTIFICATE_FONT_PATH "
    "to a .ttf/.otf/.ttc file."
)


class FontMissing(RuntimeError):
    pass


def find_font() -> tuple[str, int]:
    configured = current_app.config.get("CERTIFICATE_FONT_PATH")
    if configured:
        if not Path(configured).is_file():
            raise FontMissing(f"CERTIFICATE_FONT_PATH={configured} does not exist. {FONT_HELP}")
        return configured, int(current_app.config.get("CERTIFICATE_FONT_INDEX", 0))
    for path, index in FONT_CANDIDATES:
        if Path(path).is_file():
            return path, index
    raise FontMissing(FONT_HELP)


# A full CJK font has ~50,000 glyphs; parsing and subsetting it costs ~0.4 s per PDF. Once
# per machine the font is cut down to ASCII + the 7,000 characters of GB 2312 (every common
# name and title), which makes a PDF ~6x faster; text with rarer characters uses the full font.
_SUBSETS: dict[tuple[str, int], tuple[str, frozenset[int]]] = {}
_LOCK = threading.Lock()


def _common_chars() -> set[int]:
    chars = set(range(32, 127)) | set(range(0xA0, 0x100))  # ASCII and Latin-1 (·, ×)
    chars |= set(range(0x2010, 0x2030)) | set(range(0x3000, 0x3040))  # dashes, CJK punctuation
    chars |= set(range(0xFF01, 0xFF5F))  # full-width forms
    for hi in range(0xA1, 0xF8):
        for lo in range(0xA1, 0xFF):
            with contextlib.suppress(UnicodeDecodeError):
                chars.add(ord(bytes([hi, lo]).decode("gb2312")))
    return chars


def _subset_font(path: str, index: int) -> tuple[str, frozenset[int]]:
    key = (path, index)
    with _LOCK:
        if key in _SUBSETS:
            return _SUBSETS[key]
        from fontTools import subset, ttLib

        stat = Path(path).stat()
        chars = sorted(_common_chars())
        digest = hashlib.sha1(
            f"{path}:{index}:{stat.st_size}:{stat.st_mtime}:{chars}".encode()
        ).hexdigest()
        target = Path(tempfile.gettempdir()) / f"lms-cjk-{digest[:16]}.ttf"
        if not target.is_file():
            font = ttLib.TTFont(path, fontNumber=index, recalcTimestamp=False)
            options = subset.Options()
            options.notdef_outline = True
            options.name_IDs = ["*"]
            options.recalc_timestamp = False
            subsetter = subset.Subsetter(options)
            subsetter.populate(unicodes=chars)
            subsetter.subset(font)
            tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
            font.save(str(tmp))
            tmp.replace(target)
        cmap = ttLib.TTFont(str(target), lazy=True).getBestCmap()
        _SUBSETS[key] = (str(target), frozenset(cmap))
        return _SUBSETS[key]


def _add_font(pdf: FPDF, path: str, index: int, text: str) -> None:
    try:
        small, covered = _subset_font(path, index)
    except Exception:  # noqa: BLE001 - the full font always works; the cut is only for speed
        logging.getLogger(__name__).exception("could not cut the CJK font down; using it whole")
        small, covered = None, frozenset()
    if small and all(ord(ch) in covered for ch in set(text)):
        pdf.add_font("cjk", fname=small)
    else:
        pdf.add_font("cjk", fname=path, collection_font_number=index)


def qr_png(url: str) -> bytes:
    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="png", scale=8, border=2)
    return out.getvalue()


def render(
    *,
    holder_name: str,
    title: str,
    kind_label: str,
    issued_on: date,
    organization: str,
    serial: str,
    verify_url: str,
    expires_on: date | None = None,
) -> bytes:
    path, index = find_font()
    pdf = FPDF(orientation="L", unit="mm", format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_title(f"{kind_label} {serial}")
    pdf.set_author(organization)
    fixed = "结业证书培训出师课程竞赛荣誉于年月日完成「」，特发此证。颁发单位：日期编号有效期至扫码核验真伪"
    fixed += "Craftsman Academy · 工匠学堂"
    _add_font(
        pdf,
        path,
        index,
        fixed + kind_label + holder_name + title + organization + serial + verify_url,
    )
    pdf.add_page()
    w, h = pdf.w, pdf.h  # 297 × 210

    # Border
    pdf.set_draw_color(179, 38, 30)
    pdf.set_line_width(2.2)
    pdf.rect(8, 8, w - 16, h - 16)
    pdf.set_line_width(0.6)
    pdf.rect(13, 13, w - 26, h - 26)

    pdf.set_text_color(179, 38, 30)
    pdf.set_font("cjk", size=38)
    pdf.set_xy(0, 30)
    pdf.cell(w, 18, kind_label, align="C")

    pdf.set_text_color(30, 30, 30)
    pdf.set_font("cjk", size=16)
    pdf.set_xy(0, 52)
    pdf.cell(w, 8, "Craftsman Academy · 工匠学堂", align="C")

    pdf.set_font("cjk", size=30)
    pdf.set_xy(0, 74)
    pdf.cell(w, 14, holder_name, align="C")

    pdf.set_font("cjk", size=17)
    pdf.set_xy(40, 96)
    pdf.multi_cell(
        w - 80, 10, f"于 {issued_on:%Y年%m月%d日} 完成「{title}」，特发此证。", align="C"
    )

    pdf.set_font("cjk", size=13)
    pdf.set_xy(30, 150)
    pdf.cell(150, 8, f"颁发单位：{organization}")
    pdf.set_xy(30, 159)
    pdf.cell(150, 8, f"颁发日期：{issued_on:%Y-%m-%d}")
    pdf.set_xy(30, 168)
    pdf.cell(150, 8, f"证书编号：{serial}")
    if expires_on:
        pdf.set_xy(30, 177)
        pdf.cell(150, 8, f"有效期至：{expires_on:%Y-%m-%d}")

    pdf.image(io.BytesIO(qr_png(verify_url)), x=w - 78, y=128, w=48, h=48)
    pdf.set_font("cjk", size=9)
    pdf.set_xy(w - 92, 177)
    pdf.cell(76, 5, "扫码核验证书真伪", align="C")
    pdf.set_xy(w - 110, 182)
    pdf.cell(112, 5, verify_url, align="C")
    return bytes(pdf.output())

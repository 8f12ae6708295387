"""The certificate as a PDF: A4 landscape, Chinese text in an embedded CJK font, a QR code.

Drawn with ReportLab. The font is parsed once per process and registered; each PDF embeds
only the glyphs it uses (a subset of a few dozen characters, made in a millisecond or two),
so a certificate costs ~10 ms of CPU instead of re-reading a 5 MB font every time.

The font is found in this order: ``CERTIFICATE_FONT_PATH`` (setting or
``LMS_CERTIFICATE_FONT_PATH``, with ``CERTIFICATE_FONT_INDEX`` for a font collection), then
the usual Debian/Ubuntu packages (``fonts-wqy-microhei``, ``fonts-wqy-zenhei``,
``fonts-arphic-uming``). It must have TrueType outlines (.ttf/.ttc); OpenType fonts with
PostScript outlines (such as Noto CJK's .otf/.ttc) cannot be embedded by ReportLab. With no
usable font, rendering stops with ``FontMissing`` and a message that says what to install.
"""

from __future__ import annotations

import io
import threading
from datetime import date
from pathlib import Path

import zxingcpp
from flask import current_app
from PIL import Image
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont
from reportlab.pdfgen import canvas

#: (path, index in a font collection) tried in order when no font is configured.
FONT_CANDIDATES = [
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
    ("/usr/share/fonts/truetype/arphic/uming.ttc", 0),
]

FONT_HELP = (
    "No Chinese (CJK) font with TrueType outlines found for certificate PDFs. Install one "
    "(Debian/Ubuntu: apt-get install fonts-wqy-microhei) or set LMS_CERTIFICATE_FONT_PATH "
    "to a .ttf/.ttc file."
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


# Registered fonts by (path, index) → the name ReportLab knows them by. Parsing a CJK font
# takes ~0.1–0.3 s, so it happens once per process; ReportLab keeps per-document subset
# state inside the font object, keyed by document, so one registration serves every PDF.
_FONTS: dict[tuple[str, int], str] = {}
_LOCK = threading.Lock()


def _font_name(path: str, index: int) -> str:
    key = (path, index)
    with _LOCK:
        if key not in _FONTS:
            name = f"cjk-{len(_FONTS)}"
            try:
                pdfmetrics.registerFont(TTFont(name, path, subfontIndex=index))
            except TTFError as exc:
                raise FontMissing(f"{path}: {exc}. {FONT_HELP}") from exc
            _FONTS[key] = name
        return _FONTS[key]


def qr_image(url: str) -> Image.Image:
    """The QR code (error correction M) as an image, one pixel per module, quiet zone included.

    Encoded by zxing-cpp: choosing the best of the eight mask patterns, as the standard asks,
    takes segno (pure Python) ~7 ms, half of a certificate's time; zxing-cpp does it in C++
    in a fraction of a millisecond. Placed as a bitmap, it is one small image object instead
    of hundreds of drawn squares, and PDF viewers scale it without smoothing.
    """
    code = zxingcpp.create_barcode(url, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    modules = code.to_image(scale=1, add_quiet_zones=True)
    height, width = memoryview(modules).shape
    return Image.frombytes("L", (width, height), bytes(memoryview(modules)))


def _wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Break text into lines no wider than ``width``: at any character, as Chinese is set."""
    lines, line = [], ""
    for ch in text:
        if line and pdfmetrics.stringWidth(line + ch, font, size) > width:
            lines.append(line)
            line = ""
        line += ch
    return [*lines, line] if line else lines


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
    font = _font_name(*find_font())
    out = io.BytesIO()
    page_w, page_h = landscape(A4)  # 297 × 210 mm
    pdf = canvas.Canvas(out, pagesize=(page_w, page_h), initialFontName=font, pageCompression=1)
    pdf.setTitle(f"{kind_label} {serial}")
    pdf.setAuthor(organization)
    pdf.setSubject(title)
    pdf.setCreator("Craftsman Academy")
    w, h = 297, 210

    def text(x: float, top: float, height: float, size: float, value: str, align="L", width=0):
        """Text in a box ``height`` mm tall whose top edge is ``top`` mm below the page's,
        vertically centred, left-aligned at ``x`` or centred in ``width`` (positions in mm).
        """
        baseline = top + height / 2 + 0.3 * size * 25.4 / 72
        pdf.setFont(font, size)
        if align == "C":
            pdf.drawCentredString((x + width / 2) * mm, (h - baseline) * mm, value)
        else:
            pdf.drawString(x * mm, (h - baseline) * mm, value)

    # Border
    pdf.setStrokeColorRGB(179 / 255, 38 / 255, 30 / 255)
    pdf.setLineWidth(2.2 * mm)
    pdf.rect(8 * mm, 8 * mm, (w - 16) * mm, (h - 16) * mm)
    pdf.setLineWidth(0.6 * mm)
    pdf.rect(13 * mm, 13 * mm, (w - 26) * mm, (h - 26) * mm)

    pdf.setFillColorRGB(179 / 255, 38 / 255, 30 / 255)
    text(0, 30, 18, 38, kind_label, "C", w)

    pdf.setFillColorRGB(30 / 255, 30 / 255, 30 / 255)
    text(0, 52, 8, 16, "Craftsman Academy · 工匠学堂", "C", w)
    text(0, 74, 14, 30, holder_name, "C", w)

    sentence = f"于 {issued_on:%Y年%m月%d日} 完成「{title}」，特发此证。"
    for i, line in enumerate(_wrap(sentence, font, 17, (w - 80 - 2) * mm)):
        text(40, 96 + 10 * i, 10, 17, line, "C", w - 80)

    text(30, 150, 8, 13, f"颁发单位：{organization}")
    text(30, 159, 8, 13, f"颁发日期：{issued_on:%Y-%m-%d}")
    text(30, 168, 8, 13, f"证书编号：{serial}")
    if expires_on:
        text(30, 177, 8, 13, f"有效期至：{expires_on:%Y-%m-%d}")

    pdf.drawImage(
        ImageReader(qr_image(verify_url)), (w - 78) * mm, (h - 176) * mm, 48 * mm, 48 * mm
    )
    text(w - 92, 177, 5, 9, "扫码核验证书真伪", "C", 76)
    text(w - 110, 182, 5, 9, verify_url, "C", 112)
    pdf.showPage()
    pdf.save()
    return out.getvalue()

"""The growth record as a PDF the person downloads: A4, the certificates' CJK font (found by
``lms.certificates.pdf.find_font``), a heading, totals, then one table per link, page numbers."""

from __future__ import annotations

import io
import threading

from flask_babel import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from lms.certificates.pdf import find_font
from lms.core import growth
from lms.overview.labels import LINK_LONG
from lms.overview.services.growth import GrowthRecord

_LOCK = threading.Lock()
_REGISTERED: dict[tuple[str, int], str] = {}


def _font() -> str:
    path, index = find_font()
    with _LOCK:
        if (path, index) not in _REGISTERED:
            name = f"growth-cjk-{len(_REGISTERED)}"
            pdfmetrics.registerFont(TTFont(name, path, subfontIndex=index))
            _REGISTERED[(path, index)] = name
        return _REGISTERED[(path, index)]


def render(record: GrowthRecord, today) -> bytes:
    font = _font()
    h1 = ParagraphStyle("h1", fontName=font, fontSize=18, leading=24, spaceAfter=6)
    h2 = ParagraphStyle("h2", fontName=font, fontSize=13, leading=18, spaceBefore=8, spaceAfter=4)
    body = ParagraphStyle("body", fontName=font, fontSize=10, leading=14, wordWrap="CJK")
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
        title=_("%(name)s 的成长档案", name=record.person.name),
    )
    person = record.person
    story = [
        Paragraph(_("%(name)s 的成长档案", name=person.name), h1),
        Paragraph(
            _("%(org)s · 生成于 %(day)s", org=person.organization.name, day=today.isoformat()),
            body,
        ),
        Spacer(1, 4 * mm),
        Paragraph(
            _(
                "学习时长合计 %(hours)s 学时，共 %(n)d 条记录。",
                hours=record.hours,
                n=len(record.entries),
            ),
            body,
        ),
    ]
    for link in growth.LINKS:
        entries = record.by_link.get(link) or []
        if not entries:
            continue
        story.append(Paragraph(str(LINK_LONG[link]), h2))
        rows = [
            [Paragraph(_("日期"), body), Paragraph(_("事项"), body), Paragraph(_("说明"), body)]
        ]
        rows += [
            [Paragraph(e.on.isoformat(), body), Paragraph(e.title, body), Paragraph(e.detail, body)]
            for e in entries
        ]
        table = Table(rows, colWidths=[26 * mm, 90 * mm, 58 * mm], repeatRows=1)
        table.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#9aa5b1")),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f0f4f8")),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        story.append(table)
    if not record.entries:
        story.append(
            Paragraph(_("还没有任何记录：参加培训、完成课程、拜师学艺后，这里会自动列出。"), body)
        )

    def number(canvas, document):
        canvas.setFont(font, 9)
        canvas.drawCentredString(A4[0] / 2, 9 * mm, _("第 %(n)d 页", n=document.page))

    doc.build(story, onFirstPage=number, onLaterPages=number)
    return out.getvalue()

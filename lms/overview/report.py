"""The annual report (年度报告): a Word document in the shape of the union's yearly summary —
a title, one paragraph per link with the year's figures written in, a table per link with the
child organizations side by side, a chart of the months as a picture — that an officer edits
and sends; and the same figures as an XLSX workbook.

The chart is drawn with Pillow in the certificates' CJK font: Word shows PNG, not SVG.
"""

from __future__ import annotations

import io
from decimal import Decimal

from docx import Document
from docx.shared import Cm, Pt
from flask_babel import gettext as _
from PIL import Image, ImageDraw, ImageFont

from lms.certificates.pdf import FontMissing, find_font
from lms.core import figures, growth
from lms.core.tabular import xlsx_bytes
from lms.overview.labels import LINK_LONG
from lms.overview.services.overview import Overview


def number(value) -> str:
    """12000 → "12,000"; 1.5 → "1.5"; money keeps two decimals only when it has cents."""
    if isinstance(value, Decimal):
        value = int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{value:,}" if isinstance(value, int) else f"{value:,.1f}"


def sentence(view: Overview, link: str) -> str:
    found = view.by_link.get(link) or []
    if not found:
        return _("%(year)d 年，%(link)s环节暂无统计数据。", year=view.year, link=LINK_LONG[link])
    parts = "，".join(f"{f.label} {number(f.value)}{f.unit}" for f in found)
    return _(
        "%(year)d 年，%(org)s在%(link)s方面：%(parts)s。",
        year=view.year,
        org=view.organization.name,
        link=LINK_LONG[link],
        parts=parts,
    )


def _figure_table(document, view: Overview, found: list[figures.Figure]) -> None:
    headers = [_("指标"), str(view.year), *[c.name for c in view.children]]
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.text = text
    for f in found:
        cells = table.add_row().cells
        cells[0].text = f"{f.label}（{f.unit}）" if f.unit else str(f.label)
        cells[1].text = number(f.value)
        for i, child in enumerate(view.children, start=2):
            cells[i].text = number(f.by_child.get(child.id, 0))


def month_chart_png(title: str, labels: list[str], values: list) -> bytes:
    """A bar chart as PNG, in the CJK font: Word cannot show the pages' SVG."""
    path, index = find_font()
    font = ImageFont.truetype(path, 22, index=index)
    small = ImageFont.truetype(path, 18, index=index)
    width, height, left, bottom, top = 1200, 560, 80, 70, 70
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    draw.text((left, 18), title, fill="#1f2933", font=font)
    highest = max([float(v) for v in values] + [1.0])
    slot = (width - left - 30) / max(1, len(values))
    draw.line((left, height - bottom, width - 20, height - bottom), fill="#52606d", width=2)
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        x0 = left + i * slot + slot * 0.15
        x1 = left + (i + 1) * slot - slot * 0.15
        bar = (height - bottom - top) * float(value) / highest
        draw.rectangle((x0, height - bottom - bar, x1, height - bottom), fill="#b4232a")
        draw.text((x0, height - bottom + 10), label, fill="#1f2933", font=small)
        draw.text((x0, height - bottom - bar - 24), number(value), fill="#1f2933", font=small)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


HEADLINE = "training.person_times"  # the figure whose months the report draws


def docx_bytes(view: Overview) -> bytes:
    document = Document()
    style = document.styles["Normal"]
    style.font.size = Pt(11)
    document.add_heading(
        _(
            "%(org)s %(year)d 年度技能人才培养“五大环节”工作报告",
            org=view.organization.name,
            year=view.year,
        ),
        level=0,
    )
    document.add_paragraph(
        _(
            "本报告由平台按 %(start)s 至 %(end)s 的记录自动生成，数字可直接引用；文字请按需修改后报送。",
            start=view.start.isoformat(),
            end=view.end.isoformat(),
        )
    )
    for n, link in enumerate(growth.LINKS, start=1):
        document.add_heading(f"{n}. {LINK_LONG[link]}", level=1)
        document.add_paragraph(sentence(view, link))
        found = view.by_link.get(link) or []
        if found:
            _figure_table(document, view, found)
    headline = view.figure(HEADLINE)
    if headline is not None and headline.by_month:
        document.add_heading(_("附图：%(label)s（按月）", label=headline.label), level=1)
        labels = [m[5:] for m in view.months]
        try:
            png = month_chart_png(
                str(headline.label), labels, [headline.by_month.get(m, 0) for m in view.months]
            )
        except FontMissing:
            document.add_paragraph(_("（服务器缺少中文字体，未能绘制附图。）"))
        else:
            document.add_picture(io.BytesIO(png), width=Cm(16))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def xlsx_figures(view: Overview) -> bytes:
    headers = [_("环节"), _("指标"), _("代码"), _("单位"), str(view.year)]
    headers += [c.name for c in view.children] + view.months
    rows = []
    for f in view.figures:
        rows.append(
            [str(LINK_LONG[f.link]), str(f.label), f.key, f.unit, _cell(f.value)]
            + [_cell(f.by_child.get(c.id, 0)) for c in view.children]
            + [_cell(f.by_month.get(m, 0)) if f.by_month else "" for m in view.months]
        )
    return xlsx_bytes(_("%(year)d 年度数据", year=view.year), headers, rows)


def _cell(value):
    return float(value) if isinstance(value, Decimal) else value

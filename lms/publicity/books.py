"""A collection of stories (报告文学集) as a printable PDF and as an EPUB.

PDF: A4, the CJK font the certificates use (``CERTIFICATE_FONT_PATH``, else a system one),
a cover, a table of contents with page numbers, one chapter per story starting on a new page,
page numbers in the footer. EPUB: one chapter per story (the same cleaned HTML as the story
page), with its navigation. Both are built from the published text only.
"""

from __future__ import annotations

import html
import io
import re
import threading
from collections.abc import Callable
from pathlib import Path

from ebooklib import epub
from flask import current_app
from flask_babel import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import PageBreak, Paragraph, Spacer
from reportlab.platypus.doctemplate import BaseDocTemplate, PageTemplate
from reportlab.platypus.frames import Frame
from reportlab.platypus.tableofcontents import TableOfContents

from lms.core import richtext

#: Tried in order when no font is configured (as the certificates do).
FONT_CANDIDATES = [
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
    ("/usr/share/fonts/truetype/arphic/uming.ttc", 0),
]
_LOCK = threading.Lock()
_FONTS: dict[tuple[str, int], str] = {}
_NO_IMAGES = re.compile(r"(?!)")  # a book's text carries no web images


class FontMissing(RuntimeError):
    pass


def _font() -> str:
    configured = current_app.config.get("CERTIFICATE_FONT_PATH")
    if configured:
        found = (configured, int(current_app.config.get("CERTIFICATE_FONT_INDEX", 0)))
    else:
        found = next(((p, i) for p, i in FONT_CANDIDATES if Path(p).is_file()), None)
    if found is None or not Path(found[0]).is_file():
        raise FontMissing(
            "No Chinese (CJK) font found for collection PDFs: install fonts-wqy-microhei or set "
            "LMS_CERTIFICATE_FONT_PATH."
        )
    with _LOCK:
        if found not in _FONTS:
            name = f"book-cjk-{len(_FONTS)}"
            pdfmetrics.registerFont(TTFont(name, found[0], subfontIndex=found[1]))
            _FONTS[found] = name
        return _FONTS[found]


def _inline(text: str) -> str:
    """One Markdown line as ReportLab's paragraph markup: escaped, **bold** kept."""
    text = html.escape(text, quote=False)
    return re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", text)


class _Book(BaseDocTemplate):
    def __init__(self, out, font: str, title: str):
        super().__init__(out, pagesize=A4, title=title, leftMargin=22 * mm, rightMargin=22 * mm)
        frame = Frame(self.leftMargin, self.bottomMargin, self.width, self.height, id="text")
        self.font = font
        self.addPageTemplates([PageTemplate("page", [frame], onPage=self._footer)])

    def _footer(self, canvas, doc):
        if doc.page > 1:  # no number on the cover
            canvas.setFont(self.font, 9)
            canvas.drawCentredString(A4[0] / 2, 12 * mm, str(doc.page))

    def afterFlowable(self, flowable):  # noqa: N802 - ReportLab's hook
        if getattr(flowable, "chapter", None):
            self.notify("TOCEntry", (0, flowable.chapter, self.page))


def pdf(title: str, subtitle: str | None, stories, step: Callable[[], None]) -> bytes:
    font = _font()
    cover = ParagraphStyle("cover", fontName=font, fontSize=28, leading=36, alignment=1)
    sub = ParagraphStyle("sub", fontName=font, fontSize=14, leading=20, alignment=1)
    h1 = ParagraphStyle("h1", fontName=font, fontSize=18, leading=26, spaceAfter=8)
    h2 = ParagraphStyle("h2", fontName=font, fontSize=13, leading=20, spaceBefore=8, spaceAfter=4)
    body = ParagraphStyle(
        "body", fontName=font, fontSize=11, leading=19, firstLineIndent=22, wordWrap="CJK"
    )
    toc = TableOfContents()
    toc.levelStyles = [ParagraphStyle("toc", fontName=font, fontSize=12, leading=20)]
    flow = [Spacer(1, 80 * mm), Paragraph(html.escape(title), cover)]
    if subtitle:
        flow += [Spacer(1, 8 * mm), Paragraph(html.escape(subtitle), sub)]
    flow += [PageBreak(), Paragraph(_("目录"), h1), toc]
    for story in stories:
        heading = Paragraph(html.escape(story.title), h1)
        heading.chapter = story.title
        byline = story.person.name + (f" · {story.team_name}" if story.team_name else "")
        flow += [PageBreak(), heading, Paragraph(html.escape(byline), h2)]
        for block in re.split(r"\n\s*\n", story.body or ""):
            line = block.strip()
            if not line or line.startswith("!["):
                continue
            if line.startswith("#"):
                flow.append(Paragraph(_inline(line.lstrip("#").strip()), h2))
            else:
                flow.append(Paragraph(_inline(" ".join(line.split("\n"))), body))
        step()
    out = io.BytesIO()
    _Book(out, font, title).multiBuild(flow)
    return out.getvalue()


def epub_book(title: str, subtitle: str | None, stories, identifier: str) -> bytes:
    book = epub.EpubBook()
    book.set_identifier(identifier)
    book.set_title(title)
    book.set_language("zh")
    chapters = []
    for n, story in enumerate(stories, start=1):
        chapter = epub.EpubHtml(title=story.title, file_name=f"story-{n}.xhtml", lang="zh")
        byline = html.escape(
            story.person.name + (f" · {story.team_name}" if story.team_name else "")
        )
        chapter.content = f"<h1>{html.escape(story.title)}</h1><p><em>{byline}</em></p>" + str(
            richtext.render(story.body, _NO_IMAGES)
        )
        book.add_item(chapter)
        chapters.append(chapter)
    intro = epub.EpubHtml(title=title, file_name="cover.xhtml", lang="zh")
    intro.content = f"<h1>{html.escape(title)}</h1>" + (
        f"<p>{html.escape(subtitle)}</p>" if subtitle else ""
    )
    book.add_item(intro)
    book.toc = chapters
    book.add_item(epub.EpubNcx())
    book.add_item(epub.EpubNav())
    book.spine = [intro, "nav", *chapters]
    out = io.BytesIO()
    epub.write_epub(out, book)
    return out.getvalue()

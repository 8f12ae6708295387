"""Markdown written by staff (course summaries, lecture texts, stories) turned into safe HTML.

``render(text, own_images)``: no scripts, no event handlers, no javascript: links, and images
only from the site's own upload addresses that ``own_images`` (a compiled pattern matched
against the whole ``src``) allows — no outside tracking pixels. Each package passes the
pattern of its own uploads; the rules of the cleaning live here once.
"""

from __future__ import annotations

import functools
import re

import markdown
import nh3
from markupsafe import Markup

ALLOWED_TAGS = {
    "p", "br", "h2", "h3", "h4", "ul", "ol", "li", "strong", "em", "code", "pre",
    "blockquote", "a", "table", "thead", "tbody", "tr", "th", "td", "hr", "img",
}  # fmt: skip


def render(text: str | None, own_images: re.Pattern) -> Markup:
    return Markup(sanitized_html(text or "", own_images))


@functools.lru_cache(maxsize=256)  # texts can be long: a bounded few
def sanitized_html(text: str, own_images: re.Pattern) -> str:
    # The same texts are shown over and over; the result depends on the text and the
    # pattern alone, so each is converted once per process.
    def own_image(tag: str, attribute: str, value: str) -> str | None:
        if tag == "img" and attribute == "src" and not own_images.fullmatch(value):
            return None
        return value

    html = markdown.markdown(text, extensions=["tables", "fenced_code", "sane_lists"])
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href", "title"}, "img": {"src", "alt"}},
        url_schemes={"http", "https", "mailto"},
        attribute_filter=own_image,
        link_rel="noopener noreferrer nofollow",
    )

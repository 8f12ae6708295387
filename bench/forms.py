"""Read a page's forms as a browser would submit them (standard library only).

The simulated people fill in the product's real forms — sign-in, the mentoring log, the
check-in confirmation — so they send whatever hidden fields (CSRF token, idempotency
token) and pre-filled values the page carries, and keep working when a form gains a field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

_META_CSRF = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


@dataclass
class Form:
    action: str
    method: str
    fields: dict[str, str] = field(default_factory=dict)
    names: set[str] = field(default_factory=set)  # every field, filled or not
    choices: dict[str, list[str]] = field(default_factory=dict)  # radio and select values


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: str | None = None
        self._select_first: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if tag == "form":
            self._form = Form(a.get("action", ""), a.get("method", "get").lower())
            self.forms.append(self._form)
            return
        form, name = self._form, a.get("name")
        if form is None or (tag != "option" and not name):
            return
        if tag == "input":
            form.names.add(name)
            kind = a.get("type", "text").lower()
            if kind == "radio":
                form.choices.setdefault(name, []).append(a.get("value", "on"))
            if kind in ("radio", "checkbox"):
                if "checked" in a:
                    form.fields[name] = a.get("value", "on")
            elif kind not in ("submit", "button", "file", "image", "reset"):
                form.fields[name] = a.get("value", "")
        elif tag == "select":
            form.names.add(name)
            self._select, self._select_first = name, None
        elif tag == "option" and self._select:
            value = a.get("value", "")
            self._form.choices.setdefault(self._select, []).append(value)
            if self._select_first is None:
                self._select_first = value
                form.fields.setdefault(self._select, value)
            if "selected" in a:
                form.fields[self._select] = value
        elif tag == "textarea":
            form.names.add(name)
            self._textarea = name
            form.fields[name] = ""

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._form is not None and self._textarea:
            self._form.fields[self._textarea] += data


def forms(html: str) -> list[Form]:
    parser = _Parser()
    parser.feed(html)
    return parser.forms


# Forms every page carries in its header (sign out, language): never the one a person fills.
CHROME_ACTIONS = ("/logout", "/locale/")


def page_form(html: str, needs: str | None = None) -> Form | None:
    """The page's own POST form (not the header's), with field ``needs`` if given."""
    for form in forms(html):
        if form.method != "post" or form.action.startswith(CHROME_ACTIONS):
            continue
        if needs is None or needs in form.names:
            return form
    return None


def csrf_meta(html: str) -> str | None:
    """The CSRF token the page gives its scripts (``<meta name="csrf-token">``)."""
    found = _META_CSRF.search(html)
    return found.group(1) if found else None

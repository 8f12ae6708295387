"""Every kind of page each demo role reaches passes a current axe-core.

Signs in as each demo role on the demo data — workers and mentors on a phone, officers and
admins at a desk — and follows same-site links breadth-first in Chromium, the way
``tests/core/test_crawl.py`` does with the test client. Pages that differ only by an id
(``/courses/3`` and ``/courses/4``) are one kind of page: the first one found is checked.
Any serious or critical axe violation fails the test, listed page by page.
"""

from __future__ import annotations

import re
from collections import deque
from urllib.parse import parse_qsl, urlsplit

import pytest

from lms.core.demo import DEMO_PASSWORD, load_all
from tests.plugins.browser import (
    DESKTOP,
    axe_version,
    axe_violations,
    browser_login,
    describe_violations,
)

SKIP = ("/static/", "/logout", "/api/", "/locale/")
MAX_PAGES = 90  # kinds of page per role; the demo reaches 20–60
ID = re.compile(r"/(\d+|[0-9a-f]{8,}|[A-Za-z0-9_-]{20,})(?=/|$)")


def page_kind(path: str) -> str:
    """``/courses/12/lectures/3?page=2`` → ``/courses/<id>/lectures/<id>?page``."""
    parts = urlsplit(path)
    keys = sorted({key for key, _value in parse_qsl(parts.query)})
    return ID.sub("/<id>", parts.path) + ("?" + "&".join(keys) if keys else "")


def links_on(page) -> list[str]:
    return page.eval_on_selector_all("a[href]", "links => links.map(a => a.getAttribute('href'))")


@pytest.mark.parametrize(
    "login, device",
    [("W0001", "phone"), ("M0001", "phone"), ("T0001", "desk"), ("A0001", "desk")],
)
def test_every_page_a_role_reaches_passes_axe(live_server, new_page, login, device):
    load_all()
    page = new_page(**(DESKTOP if device == "desk" else {}))
    page.on("dialog", lambda dialog: dialog.dismiss())
    browser_login(page, live_server, login, DEMO_PASSWORD)

    kinds, queue, checked = {page_kind("/")}, deque(["/"]), []
    findings: dict[str, list[str]] = {}  # one violation (rule and elements) → pages it is on
    while queue and len(checked) < MAX_PAGES:
        path = queue.popleft()
        try:
            response = page.goto(live_server.url + path)
        except Exception as error:  # a link to a file download opens no page
            if "Download is starting" in str(error):
                continue
            raise
        if response is None or "text/html" not in response.headers.get("content-type", ""):
            continue
        assert response.status < 500, f"{path} answered {response.status}"
        checked.append(path)
        for finding in describe_violations(axe_violations(page)):
            findings.setdefault(finding, []).append(path)
        for link in links_on(page):
            if not link.startswith("/") or link.startswith(SKIP):
                continue
            link = link.split("#")[0]
            if link and page_kind(link) not in kinds:
                kinds.add(page_kind(link))
                queue.append(link)

    print(f"\naxe-core {axe_version()}, {login} on a {device}: {len(checked)} kinds of page")
    assert len(checked) > 8, checked  # the crawl really went somewhere
    assert not findings, (
        f"axe-core {axe_version()} finds serious or critical violations for {login} "
        f"({device}, {len(checked)} pages):\n"
        + "\n".join(f"{finding}\n    on {', '.join(paths)}" for finding, paths in findings.items())
    )

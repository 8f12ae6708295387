"""Every page a demo user can reach by following links answers without a server error.

Signs in as each demo role on the demo data and follows same-site links breadth-first,
so a page broken by another package's change shows up here.
"""

import re
from collections import deque

import pytest

from lms.core.demo import DEMO_PASSWORD, load_all

LINK = re.compile(r'href="(/[^"#]*)"')
SKIP = ("/static/", "/logout", "/api/v1/docs/assets/", "/locale/")


@pytest.mark.parametrize("login", ["W0001", "M0001", "T0001", "A0001"])
def test_no_reachable_page_fails(app, client, login):
    load_all()
    response = client.post("/login", data={"login": login, "password": DEMO_PASSWORD})
    assert response.status_code == 302
    seen, queue, failures = {"/"}, deque(["/"]), []
    while queue and len(seen) < 250:
        path = queue.popleft()
        page = client.get(path)
        if page.status_code >= 500:
            failures.append((path, page.status_code))
            continue
        if "text/html" not in page.content_type:
            continue
        for link in LINK.findall(page.get_data(as_text=True)):
            link = link.replace("&amp;", "&")
            if link not in seen and not link.startswith(SKIP):
                seen.add(link)
                queue.append(link)
    assert not failures, failures
    assert len(seen) > 10  # the crawl really went somewhere

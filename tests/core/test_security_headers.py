"""Every response carries the security headers; the Content-Security-Policy forbids inline
script, so a value that slips into a page unescaped cannot run; the API docs still work."""

import re

from lms.accounts.models import Role
from tests.factories import UserFactory


def _policy(response) -> dict[str, list[str]]:
    header = response.headers.get("Content-Security-Policy", "")
    directives = (part.split() for part in header.split(";") if part.strip())
    return {name: values for name, *values in directives}


def test_pages_and_api_answers_carry_a_policy_that_forbids_inline_script(client, auth):
    auth.login(UserFactory(roles=[Role.admin]))
    for path in ("/", "/login", "/me", "/api/v1/me", "/api/v1/docs", "/no-such-page"):
        response = client.get(path)
        policy = _policy(response)
        assert policy.get("script-src") == ["'self'"], (path, policy)
        assert policy.get("object-src") == ["'none'"], path
        assert policy.get("base-uri") == ["'self'"] and policy.get("form-action") == ["'self'"]
        assert policy.get("frame-ancestors") == ["'self'"], path
        assert "'unsafe-inline'" not in policy.get("default-src", []), path
        assert response.headers["X-Content-Type-Options"] == "nosniff", path


def test_no_page_of_the_platform_holds_an_inline_script(client, auth):
    auth.login(UserFactory(roles=[Role.admin, Role.officer]))
    for path in ("/", "/me", "/people", "/audit", "/admin/status", "/api/v1/docs"):
        page = client.get(path).get_data(as_text=True)
        scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", page, re.S)
        assert all("src=" in attrs and not body.strip() for attrs, body in scripts), path


def test_a_script_written_into_a_page_does_not_run(live_server, new_page):
    phone = new_page(bypass_csp=False)  # as a real browser: the policy is enforced
    phone.goto(f"{live_server.url}/login")
    ran = phone.evaluate(
        """() => {
            const script = document.createElement("script");
            script.textContent = "window.injected = true";
            document.body.appendChild(script);
            return window.injected === true;
        }"""
    )
    assert ran is False


def test_the_api_docs_show_every_operation_under_the_policy(live_server, new_page):
    page = new_page(viewport={"width": 1280, "height": 900}, is_mobile=False, has_touch=False)
    refused = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security" in m.text else None)
    page.goto(f"{live_server.url}/api/v1/docs")
    page.wait_for_selector(".opblock")
    assert page.locator(".opblock").count() > 20
    assert not refused, refused

"""Behind reverse proxies (TRUSTED_PROXY_HOPS), the client's address and scheme come from
X-Forwarded-*; with the default of 0 those headers are ignored, as anyone can send them."""

import pytest
from flask import request

from lms import create_app

FORWARDED = {"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https"}


def _seen(hops: int | None, headers: dict) -> tuple[str, str]:
    overrides = {"SQLALCHEMY_DATABASE_URI": "sqlite://"}
    if hops is not None:
        overrides["TRUSTED_PROXY_HOPS"] = hops
    app = create_app("testing", overrides)
    app.add_url_rule("/probe", "probe", lambda: f"{request.remote_addr} {request.scheme}")
    response = app.test_client().get("/probe", headers=headers)
    address, scheme = response.get_data(as_text=True).split()
    return address, scheme


@pytest.mark.parametrize("hops", [None, 0])
def test_forwarded_headers_are_ignored_unless_proxies_are_trusted(hops):
    assert _seen(hops, FORWARDED) == ("127.0.0.1", "http")


def test_one_trusted_proxy_gives_the_client_address_and_scheme():
    assert _seen(1, FORWARDED) == ("203.0.113.7", "https")


def test_only_the_trusted_hops_count_from_the_right():
    headers = {"X-Forwarded-For": "6.6.6.6, 203.0.113.7", "X-Forwarded-Proto": "https"}
    assert _seen(1, headers) == ("203.0.113.7", "https")

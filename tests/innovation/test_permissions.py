"""Who may call which innovation route: anonymous callers are sent to sign in (401 on the
API); officer pages refuse workers; out-of-scope ids answer 404."""

from __future__ import annotations

import pytest

from tests.innovation.conftest import submit


def _innovation_rules(app):
    return [r for r in app.url_map.iter_rules() if "/innovation" in r.rule]


def test_every_route_needs_sign_in(app, client, world):
    item = submit(world["worker"])
    values = {
        "item_id": item.id,
        "attachment_id": 1,
        "studio_id": 1,
        "evaluation_id": 1,
        "contest_id": 1,
        "entry_id": 1,
        "recommendation_id": 1,
    }
    rules = _innovation_rules(app)
    assert len(rules) >= 40
    for rule in rules:
        path = rule.rule
        for name, value in values.items():
            path = path.replace(f"<int:{name}>", str(value))
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(path, method=method)
            if path.startswith("/api/"):
                assert response.status_code == 401, (method, path)
            else:
                assert response.status_code == 302, (method, path)
                assert "/login" in response.location, (method, path)


@pytest.mark.parametrize(
    "path",
    [
        "/innovation/review",
        "/innovation/stats",
        "/innovation/stats.xlsx",
        "/innovation/finance-duties",
        "/innovation/rewards.xlsx",
        "/innovation/studios/new",
        "/api/v1/innovation/queue",
    ],
)
def test_officer_pages_refuse_workers(client, auth, world, path):
    auth.login(world["worker"])
    assert client.get(path).status_code == 403


def test_worker_pages_open_for_workers(client, auth, world):
    auth.login(world["worker"])
    for path in ("/innovation/", "/innovation/new", "/innovation/rewards", "/innovation/studios"):
        page = client.get(path)
        assert page.status_code == 200, path
    assert "提第一条建议" in client.get("/innovation/").get_data(as_text=True)


def test_a_finance_duty_is_granted_by_admins_only(client, auth, world):
    auth.login(world["officer"])
    assert client.get("/innovation/finance-duties").status_code == 200
    response = client.post(
        "/innovation/finance-duties",
        data={
            "employee_no": world["officer"].employee_no,
            "organization_id": world["enterprise"].id,
        },
    )
    assert response.status_code == 403

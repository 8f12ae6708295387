"""Care reports per organization and period: people helped by kind and honour level, amounts
by kind and year, check-ups, recuperation trips and study tours, open and overdue work; the
charts, the masked and audited export, and who may read them."""

import io
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from lms.audit.models import AuditEntry
from lms.care import services
from lms.errors import Invalid
from lms.extensions import db


def _two_years_of_help(world):
    carer, hero, hero2 = world["carer"], world["hero"], world["hero2"]
    this_year = services.local_today().year
    case = services.open_case(
        carer, hero, need="illness", help_kind="special_hardship", title="住院"
    )
    services.record_payment(carer, case, amount="3000", kind="special_hardship")
    services.record_payment(
        carer, case, amount="1000", kind="special_hardship", paid_on=date(this_year - 1, 6, 1)
    )
    other = services.open_case(
        carer, hero2, need="income", help_kind="living_subsidy", title="收入"
    )
    services.record_payment(carer, other, amount="800", kind="living_subsidy")
    step = services.add_step(carer, other, text="回访", due_on=services.local_today())
    step.due_on = services.local_today() - timedelta(days=3)  # left undone: now overdue
    db.session.commit()
    return this_year


def test_people_and_amounts_by_kind_level_and_period(world):
    this_year = _two_years_of_help(world)
    report = services.build(world["carer"])
    assert report.served_by_kind == {
        ("special_hardship", "national"): 1,
        ("living_subsidy", "city"): 1,
    }
    assert report.amounts["special_hardship"][1] == 3000
    both = services.build(world["carer"], year=this_year, from_year=this_year - 1)
    assert both.period == f"{this_year - 1}–{this_year}"
    assert both.amounts["special_hardship"] == (2, 4000)
    by_year = {(y, k): t for y, k, t in both.amounts_by_year}
    assert by_year[(this_year - 1, "special_hardship")] == 1000
    assert both.open_cases == 2


def test_another_organization_in_scope_sees_only_its_own(world):
    _two_years_of_help(world)
    report = services.build(world["union_carer"], organization_id=world["other_plant"].id)
    assert report.served_by_kind == {} and report.amounts == {} and report.open_cases == 0


@pytest.mark.parametrize("from_year, year", [(2026, 2025), (2010, 2026), (1990, 1995)])
def test_a_bad_period_is_refused(world, from_year, year):
    with pytest.raises(Invalid) as refused:
        services.build(world["carer"], year=year, from_year=from_year)
    assert "from_year" in refused.value.errors


def test_trips_and_study_tours_are_counted_apart(world):
    today = services.local_today()
    for kind in ("recuperation", "study_tour"):
        trip = services.create_trip(
            world["carer"],
            world["plant"],
            kind=kind,
            name=kind,
            place="p",
            starts_on=today + timedelta(days=1 if kind == "study_tour" else 20),
            ends_on=today + timedelta(days=2 if kind == "study_tour" else 22),
            capacity=3,
        )
        services.approve(world["carer"], services.nominate(world["carer"], trip, world["hero"]))
    report = services.build(world["carer"], year=(today + timedelta(days=20)).year)
    if (today + timedelta(days=1)).year == report.year:
        assert report.trips_by_kind["study_tour"] == (1, 0)
    assert report.trips_by_kind["recuperation"] == (1, 0)


def test_the_page_draws_charts_and_the_export_is_masked_and_audited(client, auth, world):
    this_year = _two_years_of_help(world)
    auth.login(world["carer"])
    page = client.get(f"/care/reports?from_year={this_year - 1}&year={this_year}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and text.count("data:image/svg+xml;base64,") >= 2
    assert "受助人数（按帮扶方式和荣誉级别）" in text
    assert (
        client.get(f"/care/reports?from_year={this_year}&year={this_year - 1}").status_code == 422
    )
    exported = client.get(f"/care/reports/export.xlsx?from_year={this_year - 1}&year={this_year}")
    sheet = load_workbook(io.BytesIO(exported.data)).active
    cells = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
    assert "受助人数" in cells and "赵玉兰" not in " ".join(cells)
    assert any(c.startswith("赵") and "*" in c for c in cells)  # the overdue step's person
    entry = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "export")).one()
    assert entry.after["from_year"] == this_year - 1 and entry.actor_id == world["carer"].id


def test_the_api_gives_the_period_kinds_and_levels(client, auth, world):
    this_year = _two_years_of_help(world)
    auth.login(world["carer"])
    body = client.get(f"/api/v1/care/reports?from_year={this_year - 1}").get_json()
    assert body["from_year"] == this_year - 1 and body["year"] == this_year
    assert {"kind": "living_subsidy", "level": "city", "people": 1} in body["served_by_kind"]
    assert {t["kind"] for t in body["trips_by_kind"]} == {"recuperation", "study_tour"}
    assert client.get("/api/v1/care/reports?from_year=2000&year=2026").status_code == 422


@pytest.mark.parametrize("who", ["officer", "mentor", "worker"])
def test_reports_are_refused_to_people_without_the_duty(client, auth, world, who):
    _two_years_of_help(world)
    auth.login(world[who])
    assert client.get("/care/reports").status_code == 403
    assert client.get("/care/reports/export.xlsx").status_code == 403
    assert client.get("/api/v1/care/reports").status_code == 403
    assert (
        db.session.scalar(
            sa.select(sa.func.count(AuditEntry.id)).where(AuditEntry.action == "export")
        )
        == 0
    )

"""Skill-level changes: who records them, the current level following the latest, the evidence
kept unique, and "high-skill workers trained" counted from them."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from lms.accounts.models import SkillChange, SkillLevel
from lms.accounts.services import skills
from lms.audit.models import AuditEntry
from lms.core import figures, growth
from lms.errors import Conflict, Forbidden, Invalid
from lms.extensions import db


def _record(actor, person, level, on, number, body="市职业技能鉴定中心"):
    return skills.record_change(
        actor, person, to_level=level, changed_on=on, certificate_no=number, issuing_body=body
    )


def test_the_current_level_follows_the_latest_change_by_date(year):
    officer, worker = year["plant_officer"], year["worker_a"]
    worker.skill_level = SkillLevel.junior
    db.session.commit()
    senior = _record(officer, worker, "senior", date(2025, 6, 10), "S-2025-001")
    assert senior.from_level == SkillLevel.junior
    assert worker.skill_level == SkillLevel.senior
    # A change recorded late, but earlier in time, does not lower today's level; it becomes
    # the level the later change started from only for changes after it.
    middle = _record(officer, worker, "intermediate", date(2024, 3, 1), "M-2024-001")
    assert middle.from_level == SkillLevel.senior  # nothing earlier: the level they came with
    assert worker.skill_level == SkillLevel.senior
    technician = _record(officer, worker, "technician", date(2025, 9, 1), "T-2025-001")
    assert technician.from_level == SkillLevel.senior
    assert worker.skill_level == SkillLevel.technician
    audited = db.session.scalars(
        sa.select(AuditEntry.action).where(AuditEntry.entity_id == worker.id)
    ).all()
    assert audited.count("skill.change") == 3


def test_rules(year):
    officer, worker = year["plant_officer"], year["worker_a"]
    with pytest.raises(Forbidden):
        _record(year["b_officer"], worker, "senior", date(2025, 6, 10), "X1")
    with pytest.raises(Forbidden):
        _record(year["worker_b"], worker, "senior", date(2025, 6, 10), "X1")
    with pytest.raises(Invalid) as future:
        _record(officer, worker, "senior", date.today() + timedelta(days=3), "X1")
    assert "changed_on" in future.value.errors
    with pytest.raises(Invalid) as blank:
        _record(officer, worker, "senior", date(2025, 6, 10), "   ")
    assert "certificate_no" in blank.value.errors
    _record(officer, worker, "senior", date(2025, 6, 10), "S-1")
    with pytest.raises(Conflict):
        _record(officer, year["hero"], "senior", date(2025, 6, 11), "S-1")
    with pytest.raises(Invalid):  # already senior on that date
        _record(officer, worker, "senior", date(2025, 7, 1), "S-2")
    assert db.session.scalar(sa.select(sa.func.count(SkillChange.id))) == 1


def test_high_skill_workers_are_counted_from_the_changes(year, app):
    officer = year["union_officer"]
    a, b, c = year["worker_a"], year["worker_b"], year["worker_c"]
    a.skill_level, b.skill_level, c.skill_level = "intermediate", "senior", "junior"
    db.session.commit()
    _record(officer, a, "senior", date(2025, 4, 2), "A1")  # becomes high-skill: counts
    _record(officer, b, "technician", date(2025, 5, 2), "B1")  # already high-skill: raised only
    _record(officer, c, "intermediate", date(2025, 5, 3), "C1")  # not high-skill
    _record(officer, c, "senior", date(2026, 1, 5), "C2")  # high-skill, but in 2026
    q = figures.Query(
        year["union"].id,
        year["union"].path,
        date(2025, 1, 1),
        date(2025, 12, 31),
        {year["plant_a"].id: year["plant_a"].path, year["plant_b"].id: year["plant_b"].path},
    )
    with app.test_request_context():
        found = {f.key: f for f in figures.figures_for(q)}
        entries = growth.entries_for(a.id, "officer")
        public = growth.entries_for(a.id, "public")
    expected_high = 1
    assert found["accounts.high_skill"].value == expected_high
    assert found["accounts.high_skill"].by_child[year["plant_a"].id] == 1
    assert found["accounts.high_skill"].by_month["2025-04"] == 1
    assert found["accounts.skill_raised"].value == expected_high + 2
    [entry] = [e for e in entries if e.kind == "skill_level"]
    assert entry.title == "职业技能等级：中级工 → 高级工" and "A1" in entry.detail
    assert all("A1" not in e.detail for e in public)


def test_skill_page_records_a_change(year, client, auth):
    worker = year["worker_a"]
    auth.login(year["plant_officer"])
    url = f"/people/{worker.id}/skills"
    assert "还没有登记过技能等级变化" in client.get(url).get_data(as_text=True)
    empty = client.post(url, data={"to_level": "senior", "changed_on": "2025-06-10"})
    assert empty.status_code == 422
    response = client.post(
        url,
        data={
            "to_level": "senior",
            "changed_on": "2025-06-10",
            "certificate_no": "S-9",
            "issuing_body": "省人社厅",
        },
    )
    assert response.status_code == 302
    page = client.get(url).get_data(as_text=True)
    assert "S-9" in page and "省人社厅" in page
    body = client.get(f"/api/v1/users/{worker.id}/skill-changes").get_json()
    assert body[0]["to_level"] == "senior" and body[0]["certificate_no"] == "S-9"
    duplicate = client.post(
        f"/api/v1/users/{year['hero'].id}/skill-changes",
        json={
            "to_level": "senior",
            "changed_on": "2025-06-11",
            "certificate_no": "S-9",
            "issuing_body": "省人社厅",
        },
    )
    assert duplicate.status_code == 409

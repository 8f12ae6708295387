"""The growth record's and the overview's pages, files and API against the hand-made year."""

from __future__ import annotations

import io
import re
from datetime import date

import sqlalchemy as sa
from docx import Document
from openpyxl import load_workbook

from lms.audit.models import AuditEntry
from lms.extensions import db
from lms.overview.services import overview
from lms.training.models import Attendance
from tests.factories import ClassSessionFactory, TrainingClassFactory, UserFactory
from tests.overview.conftest import at


def _value(html: str, key: str) -> str:
    match = re.search(rf'data-figure="{re.escape(key)}".*?data-value>([^<]*)<', html, re.S)
    assert match, key
    return match.group(1).strip()


def test_worker_reads_her_own_record_with_her_care(year, client, auth):
    auth.login(year["worker_a"])
    html = client.get("/growth/me").get_data(as_text=True)
    assert "焊工提高班" in html and "焊接安全" in html and "高师傅" in html
    assert 'data-kind="care_case"' in html and "仅本人可见" in html
    assert 'data-total="hours">12.5<' in html  # 7 class + 4 course + 1.5 mentoring
    response = client.get("/growth/me.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    assert response.mimetype == "application/pdf"


def test_officer_in_scope_reads_it_audited_without_care(year, client, auth):
    worker = year["worker_a"]
    auth.login(year["plant_officer"])
    response = client.get(f"/growth/people/{worker.id}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "焊工提高班" in html and 'data-kind="care_case"' not in html and "住院帮扶" not in html
    assert client.get(f"/growth/people/{worker.id}.pdf").status_code == 200
    actions = db.session.scalars(
        sa.select(AuditEntry.action).where(
            AuditEntry.entity_type == "growth_record", AuditEntry.entity_id == worker.id
        )
    ).all()
    assert sorted(actions) == ["export", "read"]


def test_officer_out_of_scope_and_other_workers_get_404(year, client, auth):
    auth.login(year["b_officer"])
    assert client.get(f"/growth/people/{year['worker_a'].id}").status_code == 404
    assert client.get(f"/api/v1/growth/people/{year['worker_a'].id}").status_code == 404
    auth.logout()
    auth.login(year["worker_b"])
    assert client.get(f"/growth/people/{year['worker_a'].id}").status_code == 404


def test_overview_page_shows_the_known_figures(year, client, auth):
    auth.login(year["union_officer"])
    html = client.get("/overview?year=2025").get_data(as_text=True)
    assert _value(html, "training.person_times") == "5"
    assert _value(html, "training.sessions") == "4"
    assert _value(html, "mentorship.graduations") == "1"
    assert "甲机械厂" in html and "乙供电公司" in html
    assert 'src="data:image/svg+xml;base64,' in html
    chosen = client.get("/overview?year=2025&figure=innovation.adopted").get_data(as_text=True)
    assert "采纳实施 · 按月" in chosen
    # An enterprise officer sees their own subtree only, and not another's.
    auth.logout()
    auth.login(year["plant_officer"])
    assert (
        _value(client.get("/overview?year=2025").get_data(as_text=True), "training.sessions") == "3"
    )
    assert client.get(f"/overview?year=2025&org={year['plant_b'].id}").status_code == 404
    assert client.get("/overview?year=1800").status_code == 422
    auth.logout()
    auth.login(year["worker_a"])
    assert client.get("/overview").status_code == 403


def test_annual_report_docx_and_xlsx_carry_the_figures(year, client, auth):
    auth.login(year["union_officer"])
    response = client.get(f"/overview/report.docx?year=2025&org={year['union'].id}")
    assert response.status_code == 200
    document = Document(io.BytesIO(response.data))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "2025 年，市总工会在培育技能人才方面" in text
    assert "培训人次 5人次" in text and "课程学时 8学时" in text
    assert "核定效益 12,000元" in text
    cells = [[c.text for c in row.cells] for t in document.tables for row in t.rows]
    assert ["培训人次（人次）", "5", "2", "3"] in cells  # 乙 sorts before 甲
    assert len(document.inline_shapes) == 1  # the chart of the months
    book = load_workbook(io.BytesIO(client.get("/overview/figures.xlsx?year=2025").data))
    rows = {r[2]: r for r in book.active.iter_rows(min_row=2, values_only=True)}
    assert rows["training.person_times"][4] == 5
    assert rows["innovation.benefit"][4] == 12000


def test_api_gives_the_same_figures(year, client, auth):
    auth.login(year["union_officer"])
    body = client.get("/api/v1/overview?year=2025").get_json()
    figures = {f["key"]: f for f in body["figures"]}
    assert figures["training.hours"]["value"] == 10
    assert figures["training.person_times"]["by_child"] == {
        str(year["plant_a"].id): 3,
        str(year["plant_b"].id): 2,
    }
    auth.logout()
    auth.login(year["worker_a"])
    mine = client.get("/api/v1/growth/me").get_json()
    assert mine["hours"] == 12.5


def test_overview_statements_do_not_grow_with_the_data(year, app, query_counter):
    officer = year["union_officer"]
    with app.test_request_context():
        with query_counter() as small:
            overview.build(officer, None, 2025)
        for month in range(1, 13):
            klass = TrainingClassFactory(organization=year["plant_b"])
            session = ClassSessionFactory(training_class=klass, starts_at=at(2025, month, 3))
            for _ in range(3):
                person = UserFactory(organization=year["plant_b"])
                db.session.add(
                    Attendance(
                        session_id=session.id, user_id=person.id, status="present", method="manual"
                    )
                )
        db.session.commit()
        with query_counter() as large:
            overview.build(officer, None, 2025)
        view = overview.build(officer, None, 2025)
    assert view.value("training.person_times") == 5 + 36
    assert len(large) == len(small)
    assert len(small) < 60


def test_figures_of_a_year_without_data_are_zero(year, app):
    with app.test_request_context():
        view = overview.build(year["union_officer"], None, 2024)
    assert view.value("training.sessions") == 0
    assert view.start == date(2024, 1, 1)

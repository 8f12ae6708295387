"""The competitions' pages as organizers, enterprise officers, judges, the chief judge, the
supervisor, contestants and the public use them."""

import io

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from lms.audit.models import AuditEntry
from lms.competitions import labour, services
from lms.competitions.models import Contest, Contestant, LabourResult
from lms.extensions import db
from tests.competitions.helpers import build
from tests.factories import DEFAULT_PASSWORD as PASSWORD
from tests.factories import UserFactory


def _text(response):
    return response.get_data(as_text=True)


@pytest.fixture
def world(app):
    world = build(places=2)
    db.session.commit()
    return world


def _register_two_each(world):
    people = []
    for officer, plant in zip(world.officers, world.plants, strict=True):
        for person in world.workers[plant.id][:2]:
            people.append(services.register(officer, world.trade, person))
    db.session.commit()
    return people


def test_the_organizer_creates_a_contest_and_sets_it_up(client, auth, world):
    auth.login(world.organizer)
    bad = client.post(
        "/competitions/new",
        data={
            "name": "市钳工大赛",
            "level": "city",
            "registration_opens_at": "2027-03-02T09:00",
            "registration_closes_at": "2027-03-01T09:00",
            "theory_weight": "0.3",
            "chief_technician_places": "1",
            "technical_expert_places": "2",
        },
    )
    assert bad.status_code == 422 and "报名截止时间须晚于开始时间" in _text(bad)
    assert db.session.scalar(sa.select(sa.func.count(Contest.id))) == 1
    made = client.post(
        "/competitions/new",
        data={
            "name": "市钳工大赛",
            "level": "city",
            "registration_opens_at": "2027-03-01T09:00",
            "registration_closes_at": "2027-03-09T09:00",
            "theory_weight": "0.3",
            "chief_technician_places": "1",
            "technical_expert_places": "2",
        },
    )
    contest = db.session.scalar(sa.select(Contest).where(Contest.name == "市钳工大赛"))
    assert made.headers["Location"].endswith(f"/competitions/{contest.id}")
    # 09:00 Beijing time is 01:00 UTC.
    assert contest.registration_opens_at.hour == 1
    client.post(f"/competitions/{contest.id}/trades", data={"trade-name": "钳工"})
    client.post(
        f"/competitions/{contest.id}/quotas",
        data={"quota-organization_id": world.plants[0].id, "quota-places": 3},
    )
    judge = UserFactory(organization=world.city)
    client.post(
        f"/competitions/{contest.id}/officials",
        data={
            "assign-trade_id": contest.trades[0].id,
            "assign-employee_no": judge.employee_no,
            "assign-official": "judge",
        },
    )
    page = _text(client.get(f"/competitions/{contest.id}"))
    assert "钳工" in page and "已报 0 / 名额 3" in page and judge.name in page
    listing = _text(client.get("/competitions/?q=钳工"))
    assert "市钳工大赛" in listing and "市职工焊工技能大赛" not in listing


def test_the_list_shows_an_enterprise_officer_only_contests_with_their_quota(client, auth, world):
    other = UserFactory(organization=world.city)
    services.create_contest(
        world.organizer,
        world.city,
        name="无名额的比赛",
        registration_opens_at=world.contest.registration_opens_at,
        registration_closes_at=world.contest.registration_closes_at,
    )
    db.session.commit()
    auth.login(world.officers[0])
    listing = _text(client.get("/competitions/"))
    assert "市职工焊工技能大赛" in listing and "无名额的比赛" not in listing
    page = _text(client.get(f"/competitions/{world.contest.id}"))
    assert "为本单位职工报名" in page and "发布成绩" not in page
    assert client.post(f"/competitions/{world.contest.id}/release").status_code == 404
    auth.logout()
    auth.login(other)
    assert client.get("/competitions/").status_code == 403


def test_an_officer_registers_within_quota_and_is_told_why_not(client, auth, world):
    plant = world.plants[0]
    a, b, c = world.workers[plant.id][:3]
    c.trade = "车工"
    db.session.commit()
    auth.login(world.officers[0])
    url = f"/competitions/{world.contest.id}/register"
    refused = client.post(url, data={"trade_id": world.trade.id, "employee_no": c.employee_no})
    assert refused.status_code == 422 and "报名须为焊工工种" in _text(refused)
    ok = client.post(url, data={"trade_id": world.trade.id, "employee_no": a.employee_no})
    assert ok.status_code == 302
    client.post(url, data={"trade_id": world.trade.id, "employee_no": b.employee_no})
    c.trade = "焊工"
    db.session.commit()
    full = client.post(url, data={"trade_id": world.trade.id, "employee_no": c.employee_no})
    assert full.status_code == 422 and "该单位的名额已满" in _text(full)
    page = _text(client.get(url))
    assert "已报 2 / 名额 2" in page and a.name in page
    unknown = client.post(url, data={"trade_id": world.trade.id, "employee_no": "NOBODY"})
    assert "没有这个工号的人员" in _text(unknown)
    stranger = world.workers[world.plants[1].id][0]
    foreign = client.post(
        url, data={"trade_id": world.trade.id, "employee_no": stranger.employee_no}
    )
    assert foreign.status_code == 403
    assert db.session.scalar(sa.select(sa.func.count(Contestant.id))) == 2


def _mark_through_pages(client, auth, world, contestants, marks):
    for judge in [world.chief, *world.judges]:
        auth.login(judge)
        for c in contestants:
            level = marks(judge, c)
            response = client.post(
                f"/competitions/judging/trades/{world.trade.id}/codes/{c.marking_code}",
                data={"m-M1": "40", "m-J1": str(level)},
            )
            assert response.status_code == 302, _text(response)[:400]
        auth.logout()


def test_judging_to_release_through_the_pages(client, auth, world):
    contestants = _register_two_each(world)
    first = contestants[0]
    # The chief judge marks the first contestant 0 on J1, the others 3: a flagged spread.
    _mark_through_pages(
        client,
        auth,
        world,
        contestants,
        lambda judge, c: 0 if (judge.id == world.chief.id and c.id == first.id) else 3,
    )
    auth.login(world.chief)
    chief = _text(client.get(f"/competitions/judging/trades/{world.trade.id}/chief"))
    assert f'data-flag="{first.marking_code}-J1"' in chief
    locked = client.post(
        f"/competitions/judging/trades/{world.trade.id}/lock", follow_redirects=True
    )
    assert "有待裁定的评分分歧" in _text(locked)
    client.post(
        f"/competitions/judging/trades/{world.trade.id}/resolve",
        data={"code": first.marking_code, "criterion": "J1", "level": "2", "note": "复核"},
    )
    client.post(f"/competitions/judging/trades/{world.trade.id}/lock")
    assert services.panel_of(world.trade).locked
    wrong = client.post(
        f"/competitions/judging/contests/{world.contest.id}/reveal",
        data={"supervisor_no": world.supervisor.employee_no, "supervisor_password": "wrong-1"},
    )
    assert wrong.status_code == 422
    client.post(
        f"/competitions/judging/contests/{world.contest.id}/reveal",
        data={"supervisor_no": world.supervisor.employee_no, "supervisor_password": PASSWORD},
    )
    db.session.refresh(world.contest)
    assert world.contest.revealed_by_chief_id == world.chief.id
    assert world.contest.revealed_by_supervisor_id == world.supervisor.id
    auth.logout()
    # Before release: nothing for the contestant or the public.
    person = db.session.get(type(world.organizer), first.user_id)
    auth.login(person)
    assert "成绩尚未发布" in _text(client.get("/competitions/mine"))
    auth.logout()
    assert client.get(f"/competitions/results/{world.contest.id}").status_code == 404
    auth.login(world.organizer)
    client.post(f"/competitions/{world.contest.id}/release")
    export = client.get(f"/competitions/{world.contest.id}/rankings.xlsx")
    sheet = load_workbook(io.BytesIO(export.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("项目", "名次", "参赛号") and len(rows) == 5
    assert person.name not in str(rows) and person.name[0] + "*" in str(rows)
    assert (
        db.session.scalar(
            sa.select(sa.func.count(AuditEntry.id)).where(
                AuditEntry.action == "export", AuditEntry.entity_type == "competition_rankings"
            )
        )
        == 1
    )
    auth.logout()
    public = _text(client.get(f"/competitions/results/{world.contest.id}"))
    assert person.name not in public and person.name[0] + "*" in public
    assert "市职工焊工技能大赛" in _text(client.get("/competitions/results"))
    auth.login(person)
    mine = _text(client.get("/competitions/mine"))
    assert "名次" in mine and "外观" in mine and "/ 共 4 人" in mine


def test_a_judge_cannot_mark_a_code_twice_or_out_of_range(client, auth, world):
    contestants = _register_two_each(world)
    judge = world.judges[0]
    auth.login(judge)
    url = f"/competitions/judging/trades/{world.trade.id}/codes/{contestants[0].marking_code}"
    bad = client.post(url, data={"m-M1": "13", "m-J1": "2"})
    assert bad.status_code == 422 and "尺寸 只能打" in _text(bad)
    missing = client.post(url, data={"m-M1": "40"})
    assert missing.status_code == 422 and "请为每个评分项打分" in _text(missing)
    assert client.post(url, data={"m-M1": "40", "m-J1": "2"}).status_code == 302
    again = client.post(url, data={"m-M1": "0", "m-J1": "0"})
    assert again.status_code == 422 and "已提交过" in _text(again)
    assert "您的评分（已提交）" in _text(client.get(url))


def test_people_without_the_duty_do_not_reach_judging_pages(client, auth, world):
    contestants = _register_two_each(world)
    auth.login(world.officers[0])
    code = contestants[0].marking_code
    assert client.get(f"/competitions/judging/trades/{world.trade.id}").status_code == 404
    assert (
        client.get(f"/competitions/judging/trades/{world.trade.id}/codes/{code}").status_code == 404
    )
    auth.logout()
    auth.login(world.judges[0])
    assert client.get(f"/competitions/judging/trades/{world.trade.id}/chief").status_code == 404
    assert client.post(f"/competitions/judging/trades/{world.trade.id}/lock").status_code == 404
    assert (
        client.get(f"/competitions/judging/contests/{world.contest.id}/reveal").status_code == 404
    )
    assert client.get(f"/competitions/{world.contest.id}").status_code == 404


def test_labour_competition_pages(client, auth, world):
    officer, plant = world.officers[0], world.plants[0]
    auth.login(officer)
    client.post(
        "/competitions/labour/new", data={"organization_id": plant.id, "name": "节能降耗竞赛"}
    )
    competition = db.session.scalars(sa.select(labour.LabourCompetition)).one()
    base = f"/competitions/labour/{competition.id}"
    client.post(
        f"{base}/indicators",
        data={
            "indicator-name": "节电量",
            "indicator-weight": "60",
            "indicator-higher_is_better": "y",
        },
    )
    client.post(f"{base}/entrants", data={"entrant-team": "一班", "entrant-members": "5"})
    person = world.workers[plant.id][0]
    client.post(f"{base}/entrants", data={"entrant-employee_no": person.employee_no})
    neither = client.post(f"{base}/entrants", data={}, follow_redirects=True)
    assert "参赛方须为一个班组或一名职工" in _text(neither)
    indicators, entrants = competition_parts(competition)
    for entrant, value in zip(entrants, ["120", "80"], strict=True):
        client.post(
            f"{base}/results",
            data={
                "entrant_id": entrant.id,
                "indicator_id": indicators[0].id,
                "period": "2026-11",
                "value": value,
            },
        )
    twice = client.post(
        f"{base}/results",
        data={
            "entrant_id": entrants[0].id,
            "indicator_id": indicators[0].id,
            "period": "2026-11",
            "value": "1",
        },
        follow_redirects=True,
    )
    assert "该周期的成绩已录入" in _text(twice)
    assert db.session.scalar(sa.select(sa.func.count(LabourResult.id))) == 2
    page = _text(client.get(base))
    assert "参与人次：6" in page and "一班" in page and person.name in page
    assert "节能降耗竞赛" in _text(client.get("/competitions/labour?q=节能"))
    auth.logout()
    auth.login(world.officers[1])
    assert client.get(base).status_code == 404


def competition_parts(competition):
    from lms.competitions import queries

    return queries.labour_parts(competition)


def test_the_demo_shows_every_role_a_released_contest(app, client, auth):
    from lms.core.demo import load_all

    load_all()
    contest = db.session.scalar(sa.select(Contest).where(Contest.level == "city"))
    assert contest.released_at and len(contest.trades) == 3
    public = _text(client.get(f"/competitions/results/{contest.id}"))
    assert public.count("首席技工") == 3 and public.count("技术能手") == 6
    assert "王小虎" not in public and "王*虎" in public
    auth.login("W0001", "demo1234")
    home = _text(client.get("/"))
    assert "我的比赛（1 项）" in home
    mine = _text(client.get("/competitions/mine"))
    assert "第 4 名 / 共 4 人" in mine and "安全文明生产" in mine
    auth.logout()
    auth.login("J0001", "demo1234")
    assert "裁判任务 3 项" in _text(client.get("/"))
    auth.logout()
    auth.login("T0001", "demo1234")
    assert "节能降耗劳动竞赛" in _text(client.get("/competitions/labour"))

"""Study tours: the trip machinery's second kind, and reports of what was learned attached
afterwards by participants only."""

import base64
import io
from datetime import timedelta

import pytest
import sqlalchemy as sa

from lms.care import services
from lms.care.models import TripReport
from lms.core import storage
from lms.errors import Conflict, Forbidden, Invalid, NotFound
from lms.extensions import db
from lms.notifications.models import Notification


def _tour(world, ended=True, people=("hero",)):
    today = services.local_today()
    tour = services.create_trip(
        world["carer"],
        world["plant"],
        kind="study_tour",
        name="赴沪学习考察",
        place="上海",
        starts_on=today + timedelta(days=1),
        ends_on=today + timedelta(days=3),
        capacity=5,
    )
    for who in people:
        services.approve(world["carer"], services.nominate(world["carer"], tour, world[who]))
    if ended:
        tour.starts_on, tour.ends_on = today - timedelta(days=6), today - timedelta(days=1)
        db.session.commit()
    return tour


def test_a_study_tour_runs_on_the_trip_machinery_and_tells_people_so(world):
    tour = _tour(world, ended=False)
    assert tour.kind == "study_tour" and tour.approved_count == 1
    listed = db.session.scalars(services.trips_query(world["carer"], kind="study_tour")).all()
    assert listed == [tour]
    assert db.session.scalars(services.trips_query(world["carer"], kind="recuperation")).all() == []
    [told] = db.session.scalars(sa.select(Notification)).all()
    assert "学习考察" in told.title and told.user_id == world["hero"].id
    timeline = services.care_file(world["carer"], world["hero"].id).timeline
    assert any(e.title.startswith("学习考察：赴沪学习考察") for e in timeline)


def test_an_unknown_kind_is_refused(world):
    today = services.local_today()
    with pytest.raises(Invalid) as refused:
        services.create_trip(
            world["carer"],
            world["plant"],
            kind="holiday",
            name="x",
            place="y",
            starts_on=today,
            ends_on=today,
            capacity=1,
        )
    assert "kind" in refused.value.errors


def test_a_participant_attaches_a_report_with_a_file_after_the_tour(world):
    tour = _tour(world)
    report = services.add_report(
        world["hero"],
        tour,
        title="数控焊接见闻",
        upload=services.Upload("见闻.pdf", "application/pdf", b"%PDF-1.4 notes"),
    )
    assert report.file_name == "见闻.pdf" and storage.open(report.file_key).read().startswith(
        b"%PDF"
    )
    reports = db.session.scalars(services.reports_query(world["carer"], tour)).all()
    assert [r.title for r in reports] == ["数控焊接见闻"]


def test_a_report_before_the_end_or_by_someone_who_did_not_go_is_refused(world):
    tour = _tour(world, ended=False, people=("hero2",))
    with pytest.raises(Conflict):
        services.add_report(world["hero2"], tour, title="t", summary="s")
    today = services.local_today()
    tour.starts_on, tour.ends_on = today - timedelta(days=6), today - timedelta(days=1)
    db.session.commit()
    services.record_trip_attendance(world["carer"], _nomination(tour, world["hero2"]), False)
    with pytest.raises(NotFound):  # marked absent: not a participant, not the care team
        services.add_report(world["hero2"], tour, title="t", summary="s")
    with pytest.raises(Forbidden):  # the care team reads reports, it does not write them
        services.add_report(world["carer"], tour, title="t", summary="s")
    for who in ("worker", "mentor", "officer"):
        with pytest.raises(NotFound):
            services.add_report(world[who], tour, title="t", summary="s")
    assert db.session.scalar(sa.select(sa.func.count(TripReport.id))) == 0


def _nomination(tour, person):
    from lms.care.models import Nomination

    return db.session.scalars(
        sa.select(Nomination).where(
            Nomination.trip_id == tour.id, Nomination.person_id == person.id
        )
    ).one()


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"title": " ", "summary": "s"}, "title"),
        ({"title": "t"}, "summary"),
        (
            {"title": "t", "upload": services.Upload("a.exe", "application/x-msdownload", b"MZ")},
            "file",
        ),
    ],
)
def test_a_bad_report_is_refused_and_nothing_is_stored(world, kwargs, field, app):
    tour = _tour(world)
    root = app.config["STORAGE_DIR"]
    import os

    before = sum(len(files) for _d, _s, files in os.walk(root))
    with pytest.raises(Invalid) as refused:
        services.add_report(world["hero"], tour, **kwargs)
    assert field in refused.value.errors
    assert sum(len(files) for _d, _s, files in os.walk(root)) == before
    assert db.session.scalar(sa.select(sa.func.count(TripReport.id))) == 0


@pytest.mark.parametrize("who", ["officer", "mentor", "worker", "hero2"])
def test_reports_are_not_found_for_people_outside_the_tour_and_its_care_team(
    client, auth, world, who
):
    tour = _tour(world)
    report = services.add_report(
        world["hero"], tour, title="心得", upload=services.Upload("a.txt", "text/plain", b"x")
    )
    auth.login(world[who])
    assert client.get(f"/care/trips/{tour.id}/reports").status_code == 404
    assert client.get(f"/api/v1/care/trips/{tour.id}/reports").status_code == 404
    assert client.get(f"/care/trip-reports/{report.id}/file").status_code == 404
    posted = client.post(f"/care/trips/{tour.id}/reports", data={"title": "t", "summary": "s"})
    assert posted.status_code == 404


def test_the_participant_uploads_on_the_page_and_the_care_team_downloads(client, auth, world):
    tour = _tour(world)
    auth.login(world["hero"])
    assert "考察报告" in client.get("/care/me").get_data(as_text=True)
    page = client.get(f"/care/trips/{tour.id}/reports").get_data(as_text=True)
    assert "提交我的考察报告" in page
    empty = client.post(f"/care/trips/{tour.id}/reports", data={"title": "心得"})
    assert empty.status_code == 422
    sent = client.post(
        f"/care/trips/{tour.id}/reports",
        data={
            "title": "心得",
            "summary": "学到了激光焊",
            "file": (io.BytesIO(b"%PDF-1.4"), "心得.pdf", "application/pdf"),
        },
        content_type="multipart/form-data",
    )
    assert sent.status_code == 302
    report = db.session.scalars(sa.select(TripReport)).one()
    auth.logout()
    auth.login(world["carer"])
    page = client.get(f"/care/trips/{tour.id}/reports").get_data(as_text=True)
    assert "学到了激光焊" in page and "提交我的考察报告" not in page
    download = client.get(f"/care/trip-reports/{report.id}/file")
    assert download.status_code == 200 and download.data == b"%PDF-1.4"


def test_the_api_takes_a_report_in_base64(client, auth, world):
    tour = _tour(world)
    auth.login(world["hero"])
    bad = client.post(
        f"/api/v1/care/trips/{tour.id}/reports",
        json={"title": "心得", "file_name": "a.pdf", "file_base64": "not base64!"},
    )
    assert bad.status_code == 422 and "file_base64" in bad.get_json()["errors"]
    made = client.post(
        f"/api/v1/care/trips/{tour.id}/reports",
        json={
            "title": "心得",
            "file_name": "a.pdf",
            "file_base64": base64.b64encode(b"%PDF-1.4").decode(),
        },
    )
    assert made.status_code == 201 and made.get_json()["file_type"] == "application/pdf"
    listing = client.get(f"/api/v1/care/trips/{tour.id}/reports").get_json()
    assert [r["title"] for r in listing["items"]] == ["心得"]

"""The rest of the care API: duties, visits, check-ups, trips and the report."""

from datetime import timedelta

from lms.care import services


def test_duties_visits_checkups_trips_and_report_over_the_api(client, auth, world):
    today = services.local_today()
    auth.login(world["union_carer"])
    granted = client.post(
        "/api/v1/care/duties",
        json={"user_id": world["officer"].id, "organization_id": world["plant"].id},
    )
    assert granted.status_code == 201
    assert client.delete(f"/api/v1/care/duties/{granted.get_json()['id']}").status_code == 204

    visit = client.post(
        "/api/v1/care/visits",
        json={
            "person_id": world["hero"].id,
            "occasion": "holiday",
            "planned_on": today.isoformat(),
        },
    )
    assert visit.status_code == 201
    done = client.post(
        f"/api/v1/care/visits/{visit.get_json()['id']}/record",
        json={"visitors": "关爱专员", "given": "米面油"},
    )
    assert done.get_json()["status"] == "done"

    bad = client.post(
        "/api/v1/care/checkup-batches",
        json={
            "name": "b",
            "year": today.year,
            "organization_id": world["union"].id,
            "levels": ["x"],
        },
    )
    assert bad.status_code == 422 and bad.get_json()["errors"]["levels"]
    batch = client.post(
        "/api/v1/care/checkup-batches",
        json={
            "name": "年度体检",
            "year": today.year,
            "organization_id": world["union"].id,
            "levels": ["national"],
        },
    )
    assert batch.status_code == 201 and batch.get_json()["levels"] == ["national"]
    batch_id = batch.get_json()["id"]
    [checkup] = client.get(f"/api/v1/care/checkup-batches/{batch_id}/checkups").get_json()["items"]
    booked = client.post(
        f"/api/v1/care/checkups/{checkup['id']}/booking",
        json={"appointment_on": (today + timedelta(days=3)).isoformat()},
    )
    assert booked.status_code == 200
    client.post(f"/api/v1/care/checkups/{checkup['id']}/attendance", json={"result_note": "正常"})

    trip = client.post(
        "/api/v1/care/trips",
        json={
            "name": "疗休养",
            "place": "兴城",
            "organization_id": world["union"].id,
            "starts_on": (today + timedelta(days=9)).isoformat(),
            "ends_on": (today + timedelta(days=12)).isoformat(),
            "capacity": 2,
        },
    )
    assert trip.status_code == 201
    trip_id = trip.get_json()["id"]
    quota = client.put(
        f"/api/v1/care/trips/{trip_id}/quotas",
        json={"organization_id": world["plant"].id, "places": 1},
    )
    assert quota.status_code == 200
    nominated = client.post(
        f"/api/v1/care/trips/{trip_id}/nominations",
        json={"person_id": world["hero"].id, "frontline": True},
    )
    assert nominated.status_code == 201 and nominated.get_json()["score"] == 50 + 30 + 30
    over_quota = client.post(
        f"/api/v1/care/trips/{trip_id}/nominations", json={"person_id": world["hero2"].id}
    )
    assert over_quota.status_code == 409

    report = client.get(f"/api/v1/care/reports?year={today.year}").get_json()
    assert report["checkups_done"] == 1 and report["checkups_on_batches"] == 1
    auth.logout()

    # An officer without the duty sees "done / not done" for their own people, nothing else.
    auth.login(world["officer"])
    status = client.get(f"/api/v1/care/checkup-batches/{batch_id}/status").get_json()
    assert status == [{"name": "高铁军", "organization": "焊接车间", "done": True}]
    assert client.get(f"/api/v1/care/checkup-batches/{batch_id}/checkups").status_code == 404
    assert client.get("/api/v1/care/reports").status_code == 403
    assert client.get(f"/api/v1/care/trips/{trip_id}").status_code == 404

"""Care: who may call its routes, and the objects of the first enterprise its URLs name."""

from __future__ import annotations

from lms.extensions import db
from tests.matrix import (  # noqa: F401 - the table's vocabulary
    ADMIN,
    EVERYONE,
    IN_SCOPE,
    LEARNERS,
    MENTOR,
    NOBODY,
    OFFICERS,
    SIGNED_IN,
    WORKER,
    Ref,
    may,
)

DEFAULT_IDS = {
    "survey_id": "care_survey",
    "response_id": "care_response",
    "need_id": "care_need",
    "tour_report_id": "care_tour_report",
}

ENTRIES = {
    # care (T0001 and the admin are the first enterprise's care team: T0001 holds the demo's
    # care duty for it, T0002 for the power company; M0001 is the honoured person whose file,
    # case, visit, check-up and nomination these are)
    "care.index GET": may(
        MENTOR, OFFICERS, why="the care team's list; an honoured person goes to their own file"
    ),
    "care.my_file GET": may(SIGNED_IN, why="one's own file, or a page saying there is none"),
    "care.person_file GET": may(MENTOR, IN_SCOPE, why="M0001 is sent to his own file"),
    "care.record_situation POST": may(IN_SCOPE, form={"housing": "自有住房"}),
    "care.new_case GET": may(IN_SCOPE),
    "care.new_case POST": may(IN_SCOPE),
    "care.plan_visit POST": may(IN_SCOPE),
    "care.duties GET": may(OFFICERS, why="every officer of the demo holds a care duty"),
    "care.duties POST": may(OFFICERS),
    "care.revoke_duty POST": may(ADMIN, why="T0001's own duty: only above it may revoke it"),
    "care.cases GET": may(OFFICERS),
    "care.case GET": may(IN_SCOPE),
    "care.add_step POST": may(IN_SCOPE),
    "care.complete_step POST": may(IN_SCOPE),
    "care.add_payment POST": may(IN_SCOPE),
    "care.close_case POST": may(IN_SCOPE),
    "care.visits GET": may(OFFICERS),
    "care.visit GET": may(IN_SCOPE),
    "care.visit POST": may(IN_SCOPE),
    "care.cancel_visit POST": may(IN_SCOPE),
    "care.checkups GET": may(OFFICERS),
    "care.new_batch GET": may(OFFICERS),
    "care.new_batch POST": may(OFFICERS),
    "care.batch GET": may(IN_SCOPE, ids={"batch_id": "care_batch"}),
    "care.refresh_eligible POST": may(IN_SCOPE, ids={"batch_id": "care_batch"}),
    "care.book_checkup POST": may(IN_SCOPE),
    "care.checkup_done POST": may(IN_SCOPE),
    "care.checkup_overview GET": may(OFFICERS, why="officers see who has been, nothing more"),
    "care.checkup_status GET": may(IN_SCOPE, ids={"batch_id": "care_batch"}),
    "care.trips GET": may(OFFICERS),
    "care.new_trip GET": may(OFFICERS),
    "care.new_trip POST": may(OFFICERS),
    "care.trip GET": may(IN_SCOPE),
    "care.set_quota POST": may(IN_SCOPE),
    "care.nominate POST": may(IN_SCOPE, form={"person_id": "care_person"}),
    "care.fill_trip POST": may(IN_SCOPE),
    "care.approve POST": may(IN_SCOPE),
    "care.decline POST": may(IN_SCOPE),
    "care.withdraw POST": may(IN_SCOPE),
    "care.trip_attendance POST": may(IN_SCOPE),
    "care.surveys GET": may(OFFICERS),
    "care.new_survey GET": may(OFFICERS),
    "care.new_survey POST": may(OFFICERS),
    "care.survey GET": may(IN_SCOPE),
    "care.send_survey POST": may(IN_SCOPE),
    "care.survey_response GET": may(MENTOR, IN_SCOPE, why="M0001 answered it himself"),
    "care.answer_survey GET": may(MENTOR, IN_SCOPE),
    "care.answer_survey POST": may(MENTOR, IN_SCOPE, form={"housing": "自有住房"}),
    "care.case_from_need POST": may(IN_SCOPE),
    "care.tour_reports GET": may(
        MENTOR, IN_SCOPE, ids={"trip_id": "care_tour"}, why="M0001 went on the study tour"
    ),
    "care.add_tour_report POST": may(
        MENTOR,
        ids={"trip_id": "care_tour"},
        form={"title": "考察心得", "summary": "学到了新的焊接工艺"},
        why="only a participant writes one; the care team reads them",
    ),
    "care.tour_report_file GET": may(MENTOR, IN_SCOPE),
    "care.reports GET": may(OFFICERS),
    "care.export_report GET": may(OFFICERS),
    "care-api.People GET": may(OFFICERS),
    "care-api.PersonFile GET": may(MENTOR, IN_SCOPE),
    "care-api.MyFile GET": may(MENTOR, why="an honoured person's own file; others have none"),
    "care-api.Situations POST": may(IN_SCOPE, json={"housing": "自有住房"}),
    "care-api.Duties GET": may(OFFICERS),
    "care-api.Duties POST": may(
        ADMIN,
        json={"user_id": Ref("officer"), "organization_id": Ref("workshop")},
        why="nobody grants themselves a duty; T0002's duty lies elsewhere",
    ),
    "care-api.DutyItem DELETE": may(ADMIN),
    "care-api.Cases GET": may(OFFICERS),
    "care-api.Cases POST": may(
        IN_SCOPE,
        json={
            "person_id": Ref("care_person"),
            "need": "housing",
            "help_kind": "living_subsidy",
            "title": "屋顶维修",
        },
    ),
    "care-api.CaseItem GET": may(IN_SCOPE),
    "care-api.CaseSteps POST": may(IN_SCOPE, json={"text": "电话回访", "due_on": "2027-01-20"}),
    "care-api.StepDone POST": may(IN_SCOPE, json={}),
    "care-api.CasePayments POST": may(IN_SCOPE, json={"amount": "500"}),
    "care-api.CaseClose POST": may(IN_SCOPE, json={"outcome": "已解决"}),
    "care-api.Visits GET": may(OFFICERS),
    "care-api.Visits POST": may(
        IN_SCOPE,
        json={"person_id": Ref("care_person"), "occasion": "holiday", "planned_on": "2027-01-20"},
    ),
    "care-api.VisitRecord POST": may(
        IN_SCOPE, json={"visited_on": "2026-11-30", "visitors": "关爱专员"}
    ),
    "care-api.VisitCancel POST": may(IN_SCOPE),
    "care-api.Batches GET": may(OFFICERS),
    "care-api.Batches POST": may(
        IN_SCOPE,
        json={
            "organization_id": Ref("enterprise"),
            "name": "补充体检",
            "year": 2026,
            "levels": ["city"],
        },
    ),
    "care-api.BatchCheckups GET": may(IN_SCOPE, ids={"batch_id": "care_batch"}),
    "care-api.BatchStatus GET": may(IN_SCOPE, ids={"batch_id": "care_batch"}),
    "care-api.CheckupBooking POST": may(IN_SCOPE, json={"appointment_on": "2027-01-20"}),
    "care-api.CheckupAttendance POST": may(IN_SCOPE, json={"attended_on": "2026-11-30"}),
    "care-api.Trips GET": may(OFFICERS),
    "care-api.Trips POST": may(
        IN_SCOPE,
        json={
            "organization_id": Ref("enterprise"),
            "name": "冬季疗休养",
            "place": "温泉疗养院",
            "starts_on": "2027-06-01",
            "ends_on": "2027-06-05",
            "capacity": 4,
        },
    ),
    "care-api.TripItem GET": may(IN_SCOPE),
    "care-api.TripQuotas PUT": may(
        IN_SCOPE, json={"organization_id": Ref("workshop"), "places": 2}
    ),
    "care-api.TripNominations GET": may(IN_SCOPE),
    "care-api.TripNominations POST": may(
        IN_SCOPE, json={"person_id": Ref("care_person"), "frontline": True}
    ),
    "care-api.NominationApproval POST": may(IN_SCOPE),
    "care-api.NominationDecline POST": may(IN_SCOPE),
    "care-api.NominationWithdrawal POST": may(IN_SCOPE),
    "care-api.NominationAttendance POST": may(IN_SCOPE, json={"attended": True}),
    "care-api.Reports GET": may(OFFICERS),
    "care-api.Surveys GET": may(OFFICERS),
    "care-api.Surveys POST": may(
        IN_SCOPE,
        json={
            "organization_id": Ref("enterprise"),
            "name": "补充调查",
            "levels": ["city"],
            "closes_on": "2027-01-20",
        },
    ),
    "care-api.SurveyItem GET": may(IN_SCOPE),
    "care-api.SurveySend POST": may(IN_SCOPE),
    "care-api.SurveyResponses GET": may(IN_SCOPE),
    "care-api.ResponseItem GET": may(MENTOR, IN_SCOPE),
    "care-api.ResponseAnswer POST": may(MENTOR, IN_SCOPE, json={"housing": "自有住房"}),
    "care-api.MySurveys GET": may(SIGNED_IN, why="one's own surveys, an empty list for most"),
    "care-api.NeedCase POST": may(IN_SCOPE),
    "care-api.TourReports GET": may(MENTOR, IN_SCOPE, ids={"trip_id": "care_tour"}),
    "care-api.TourReports POST": may(
        MENTOR, ids={"trip_id": "care_tour"}, json={"title": "考察心得", "summary": "新工艺"}
    ),
}


def seed(person: dict, machine) -> dict[str, object]:
    """Care objects of the first enterprise. The demo's T0001 holds the care duty for it (and
    T0002 for the power company): the care team here is T0001 and the admin. M0001, an
    honoured person of the first enterprise, is the person whose file is read."""
    from datetime import timedelta

    import sqlalchemy as sa

    from lms.care import services as care
    from lms.care.models import CareDuty, SurveyResponse

    admin, officer, honoured = person["A0001"], person["T0001"], person["M0001"]
    today = care.local_today()
    first = lambda stmt: db.session.scalars(stmt.limit(1)).one()  # noqa: E731
    case = care.open_case(
        officer, honoured, need="housing", help_kind="living_subsidy", title="老宅漏雨"
    )
    step = care.add_step(officer, case, text="上门查看", due_on=today + timedelta(days=3))
    visit = care.plan_visit(
        officer, honoured, occasion="holiday", planned_on=today + timedelta(days=3)
    )
    batch = care.create_batch(
        admin,
        machine,
        name="厂内劳模体检",
        year=today.year,
        levels=["national", "provincial", "city"],
        place="厂医院",
    )
    care.add_eligible(admin, batch)
    start = today + timedelta(days=200)
    trip = care.create_trip(
        admin,
        machine,
        name="厂内疗休养",
        place="厂疗养院",
        starts_on=start,
        ends_on=start + timedelta(days=3),
        capacity=4,
    )
    nomination = care.nominate(officer, trip, honoured, frontline=True)
    survey = care.create_survey(
        officer,
        machine,
        name="厂内生活状况调查",
        levels=["national", "provincial", "city"],
        closes_on=today + timedelta(days=30),
    )
    response = first(
        sa.select(SurveyResponse).where(
            SurveyResponse.survey_id == survey.id, SurveyResponse.person_id == honoured.id
        )
    )
    care.answer(honoured, response, housing="老宅漏雨", flagged=["housing"])
    tour = care.create_trip(
        admin,
        machine,
        kind="study_tour",
        name="赴外省学习考察",
        place="沈阳",
        starts_on=today + timedelta(days=1),
        ends_on=today + timedelta(days=2),
        capacity=3,
    )
    care.approve(admin, care.nominate(officer, tour, honoured))
    tour.starts_on, tour.ends_on = today - timedelta(days=5), today - timedelta(days=2)
    db.session.commit()
    tour_report = care.add_report(
        honoured,
        tour,
        title="考察心得",
        summary="学到了新的焊接工艺",
        upload=care.Upload("心得.txt", "text/plain", "新工艺".encode()),
    )
    return {
        "care_person": honoured.id,
        "care_case": case.id,
        "care_step": step.id,
        "visit": visit.id,
        "care_batch": batch.id,
        "checkup": sorted(batch.checkups, key=lambda c: c.id)[0].id,
        "trip": trip.id,
        "nomination": nomination.id,
        "care_survey": survey.id,
        "care_response": response.id,
        "care_need": response.needs[0].id,
        "care_tour": tour.id,
        "care_tour_report": tour_report.id,
        "care_duty": first(sa.select(CareDuty).where(CareDuty.user_id == officer.id)).id,
    }

"""Living-conditions surveys: who is asked, answering on the phone or after a visit, the care
file's living situation, flagged needs made cases once, and who may read the answers."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from lms.accounts.models import HonorLevel
from lms.audit.models import AuditEntry
from lms.care import services
from lms.care.models import CareCase, LivingSituation, SurveyResponse
from lms.errors import Conflict, Invalid, NotFound
from lms.extensions import db
from lms.notifications.models import Notification
from tests.factories import HonorFactory, UserFactory


def _survey(actor, organization, levels=("national", "provincial", "city"), days=14):
    return services.create_survey(
        actor,
        organization,
        name="2026年劳模生活状况调查",
        levels=list(levels),
        closes_on=services.local_today() + timedelta(days=days),
    )


def _response(survey, person):
    return db.session.scalars(
        sa.select(SurveyResponse).where(
            SurveyResponse.survey_id == survey.id, SurveyResponse.person_id == person.id
        )
    ).one()


def test_a_campaign_asks_the_honoured_people_in_scope_by_level(world):
    survey = _survey(world["carer"], world["plant"], levels=["national"])
    asked = set(
        db.session.scalars(
            sa.select(SurveyResponse.person_id).where(SurveyResponse.survey_id == survey.id)
        )
    )
    # The city-level hero2 and the far hero of another enterprise are not asked.
    assert asked == {world["hero"].id}
    told = db.session.scalars(sa.select(Notification.user_id)).all()
    assert told == [world["hero"].id]


def test_sending_again_asks_only_people_who_became_eligible(world):
    survey = _survey(world["carer"], world["plant"])
    newcomer = UserFactory(organization=world["weld"], name="新劳模")
    HonorFactory(user=newcomer, level=HonorLevel.city)
    db.session.commit()
    assert services.send_survey(world["carer"], survey) == 1
    assert services.send_survey(world["carer"], survey) == 0
    told = db.session.scalars(sa.select(Notification.user_id).order_by(Notification.id)).all()
    assert sorted(told) == sorted([world["hero"].id, world["hero2"].id, newcomer.id])


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"name": " "}, "name"),
        ({"levels": []}, "levels"),
        ({"closes_on": "yesterday"}, "closes_on"),
    ],
)
def test_a_bad_campaign_is_refused_and_nothing_is_sent(world, kwargs, field):
    values = {
        "name": "调查",
        "levels": ["national"],
        "closes_on": services.local_today() + timedelta(days=3),
    }
    values.update(kwargs)
    if values["closes_on"] == "yesterday":
        values["closes_on"] = services.local_today() - timedelta(days=1)
    with pytest.raises(Invalid) as refused:
        services.create_survey(world["carer"], world["plant"], **values)
    assert field in refused.value.errors
    assert db.session.scalar(sa.select(sa.func.count(SurveyResponse.id))) == 0
    assert db.session.scalar(sa.select(sa.func.count(Notification.id))) == 0


def test_a_campaign_outside_the_duty_is_not_found(world):
    with pytest.raises(NotFound):
        _survey(world["carer"], world["other_plant"])


def test_the_answer_becomes_the_files_living_situation_and_only_once(world):
    survey = _survey(world["carer"], world["plant"])
    response = _response(survey, world["hero"])
    services.answer(world["hero"], response, housing="租住老房", flagged=["housing", "illness"])
    care_file = services.care_file(world["carer"], world["hero"].id)
    assert care_file.situation.housing == "租住老房"
    assert response.via == "self" and [n.need for n in response.needs] == ["housing", "illness"]
    with pytest.raises(Conflict):
        services.answer(world["carer"], response, housing="自有住房")
    assert db.session.scalar(sa.select(sa.func.count(LivingSituation.id))) == 1


def test_an_officer_enters_the_answers_after_a_visit_with_its_date(world):
    survey = _survey(world["carer"], world["plant"])
    response = _response(survey, world["hero2"])
    visited = services.local_today() - timedelta(days=2)
    services.answer(world["carer"], response, surveyed_on=visited, income="退休金偏低")
    assert response.via == "officer" and response.situation.surveyed_on == visited
    with pytest.raises(Invalid) as refused:
        services.answer(
            world["carer"],
            _response(survey, world["hero"]),
            surveyed_on=services.local_today() + timedelta(days=1),
            income="x",
        )
    assert "surveyed_on" in refused.value.errors


def test_an_empty_answer_or_one_after_the_close_is_refused(world):
    survey = _survey(world["carer"], world["plant"])
    response = _response(survey, world["hero"])
    with pytest.raises(Invalid):
        services.answer(world["hero"], response, housing="  ")
    survey.closes_on = services.local_today() - timedelta(days=1)
    db.session.commit()
    with pytest.raises(Conflict):
        services.answer(world["hero"], response, housing="自有住房")
    assert response.status == "pending"


def test_a_flagged_need_becomes_a_prefilled_case_once(world):
    survey = _survey(world["carer"], world["plant"])
    response = _response(survey, world["hero"])
    services.answer(world["hero"], response, needs="医保断缴两年", flagged=["medical_insurance"])
    need = response.needs[0]
    case = services.case_from_need(world["carer"], need.id)
    assert case.need == "medical_insurance" and case.help_kind == "special_hardship"
    assert case.person_id == world["hero"].id and case.description == "医保断缴两年"
    assert survey.name in case.title
    with pytest.raises(Conflict):
        services.case_from_need(world["union_carer"], need.id)
    assert db.session.scalar(sa.select(sa.func.count(CareCase.id))) == 1


@pytest.mark.parametrize("who", ["officer", "mentor", "worker", "hero2"])
def test_answers_are_not_found_for_people_outside_the_care_team(client, auth, world, who):
    survey = _survey(world["carer"], world["plant"])
    response = _response(survey, world["hero"])
    services.answer(world["hero"], response, health="腰椎劳损", flagged=["illness"])
    auth.login(world[who])
    assert client.get(f"/care/responses/{response.id}").status_code == 404
    assert client.get(f"/api/v1/care/responses/{response.id}").status_code == 404
    assert client.post(f"/care/survey-needs/{response.needs[0].id}/case").status_code == 404
    assert client.get(f"/care/surveys/{survey.id}").status_code in (403, 404)
    assert client.get("/api/v1/care/surveys").status_code == 403
    reads = sa.select(sa.func.count(AuditEntry.id)).where(AuditEntry.action == "care.survey.read")
    assert db.session.scalar(reads) == 0


def test_the_care_team_reads_answers_audited_and_the_person_reads_their_own(client, auth, world):
    survey = _survey(world["union_carer"], world["union"])
    far = _response(survey, world["far_hero"])
    services.answer(world["far_hero"], far, family="老伴住院")
    auth.login(world["carer"])  # the machine plant's carer: the power company is not theirs
    assert client.get(f"/care/responses/{far.id}").status_code == 404
    auth.logout()
    auth.login(world["union_carer"])
    assert "老伴住院" in client.get(f"/care/responses/{far.id}").get_data(as_text=True)
    assert client.get(f"/api/v1/care/responses/{far.id}").get_json()["situation"]["family"]
    reads = db.session.scalars(
        sa.select(AuditEntry).where(AuditEntry.action == "care.survey.read")
    ).all()
    assert [r.actor_id for r in reads] == [world["union_carer"].id] * 2
    auth.logout()
    auth.login(world["far_hero"])
    assert "老伴住院" in client.get(f"/care/responses/{far.id}").get_data(as_text=True)
    assert (
        len(
            db.session.scalars(
                sa.select(AuditEntry.id).where(AuditEntry.action == "care.survey.read")
            ).all()
        )
        == 2
    )


def test_the_phone_journey_over_the_pages(client, auth, world):
    auth.login(world["carer"])
    made = client.post(
        "/care/surveys/new",
        data={
            "name": "冬季调查",
            "organization_id": world["plant"].id,
            "levels": ["national", "city"],
            "closes_on": (services.local_today() + timedelta(days=7)).isoformat(),
        },
    )
    assert made.status_code == 302
    survey_id = int(made.headers["Location"].rstrip("/").split("/")[-1])
    assert "0/2" in client.get(made.headers["Location"]).get_data(as_text=True)
    response = _response(db.session.get(services.surveys.Survey, survey_id), world["hero"])

    auth.logout()
    auth.login(world["hero"])
    assert "冬季调查" in client.get("/care/me").get_data(as_text=True)
    empty = client.post(f"/care/responses/{response.id}/answer", data={})
    assert empty.status_code == 422
    sent = client.post(
        f"/care/responses/{response.id}/answer",
        data={"housing": "房屋漏雨", "flagged": ["housing"]},
    )
    assert sent.status_code == 302
    assert "房屋漏雨" in client.get("/care/me").get_data(as_text=True)

    auth.logout()
    auth.login(world["carer"])
    need = response.needs[0]
    made_case = client.post(f"/care/survey-needs/{need.id}/case")
    assert "/care/cases/" in made_case.headers["Location"]
    again = client.post(f"/care/survey-needs/{need.id}/case", follow_redirects=True)
    assert "已经立案" in again.get_data(as_text=True)
    page = client.get(f"/care/surveys/{survey_id}").get_data(as_text=True)
    assert "1/2" in page and "1/1" in page


def test_the_api_runs_a_campaign(client, auth, world):
    auth.login(world["carer"])
    bad = client.post(
        "/api/v1/care/surveys",
        json={"organization_id": world["plant"].id, "name": "x", "levels": ["nope"]},
    )
    assert bad.status_code == 422 and "levels" in bad.get_json()["errors"]
    made = client.post(
        "/api/v1/care/surveys",
        json={
            "organization_id": world["plant"].id,
            "name": "电话调查",
            "levels": ["national"],
            "closes_on": (services.local_today() + timedelta(days=5)).isoformat(),
        },
    )
    assert made.status_code == 201 and made.get_json()["asked"] == 1
    survey_id = made.get_json()["id"]
    listing = client.get(f"/api/v1/care/surveys/{survey_id}/responses").get_json()
    [row] = listing["items"]
    assert "situation" not in row
    answered = client.post(
        f"/api/v1/care/responses/{row['id']}/answer",
        json={"health": "血压高", "flagged": ["illness"]},
    )
    assert answered.status_code == 200 and answered.get_json()["via"] == "officer"
    need_id = answered.get_json()["needs"][0]["id"]
    case = client.post(f"/api/v1/care/survey-needs/{need_id}/case")
    assert case.status_code == 201 and case.get_json()["need"] == "illness"
    assert client.post(f"/api/v1/care/survey-needs/{need_id}/case").status_code == 409
    auth.logout()
    auth.login(world["hero"])
    mine = client.get("/api/v1/care/me/surveys").get_json()
    assert [m["status"] for m in mine] == ["answered"]

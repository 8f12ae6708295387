"""Selection: who may call its routes, and the campaigns, dossier and objection its URLs name.

The campaigns are organised by the federation at the top of the demo tree: its organizer is
the admin (A0001). T0001 is an officer of the first enterprise, where the dossier (W0001's)
was nominated; T0002's enterprise is elsewhere, so the dossier is hidden from T0002. The
public notice needs no sign-in; an objection needs one.
"""

from __future__ import annotations

from tests.matrix import (  # noqa: F401 - the table's vocabulary
    ADMIN,
    EVERYONE,
    IN_SCOPE,
    MENTOR,
    OFFICERS,
    SIGNED_IN,
    Ref,
    may,
)

DEFAULT_IDS = {
    "campaign_id": "sel_campaign",
    "dossier_id": "sel_dossier",
    "objection_id": "sel_objection",
    "day": "sel_day",
    "vetting_id": "sel_vetting",
}

NOTICE = {"campaign_id": "sel_notice_campaign"}

ENTRIES = {
    "selection.index GET": may(OFFICERS),
    "selection.new_campaign GET": may(OFFICERS),
    "selection.new_campaign POST": may(OFFICERS),
    "selection.campaign GET": may(OFFICERS, why="every enterprise nominates into the city's"),
    "selection.set_quota POST": may(
        ADMIN, form={"organization_id": "enterprise", "places": 3}, why="the organizer's"
    ),
    "selection.publish POST": may(ADMIN),
    "selection.approve_campaign POST": may(ADMIN),
    "selection.calendar GET": may(OFFICERS, why="officers read it; admins keep it"),
    "selection.calendar POST": may(
        ADMIN, form={"day": "2031-05-01", "is_workday": "0", "note": "劳动节"}
    ),
    "selection.calendar_remove POST": may(ADMIN),
    "selection.queue GET": may(OFFICERS),
    "selection.nominate GET": may(IN_SCOPE, ids={"user_id": "worker"}),
    "selection.nominate POST": may(IN_SCOPE, ids={"user_id": "worker"}),
    "selection.dossier GET": may(IN_SCOPE),
    "selection.dossier POST": may(IN_SCOPE, why="the draft lies at T0001's level"),
    "selection.submit POST": may(IN_SCOPE),
    "selection.approve POST": may(IN_SCOPE),
    "selection.return_dossier POST": may(IN_SCOPE),
    "selection.reject POST": may(IN_SCOPE),
    "selection.revoke POST": may(ADMIN),
    "selection.notice GET": may(EVERYONE, ids=NOTICE, why="the public notice"),
    "selection.file_objection GET": may(SIGNED_IN, ids=NOTICE, why="real name: signed in"),
    "selection.file_objection POST": may(SIGNED_IN, ids=NOTICE),
    "selection.objections GET": may(ADMIN, ids=NOTICE, why="objectors are confidential"),
    "selection.objection GET": may(ADMIN),
    "selection.objection POST": may(ADMIN),
    "selection.vetting GET": may(SIGNED_IN, why="one's own requests, an empty list for most"),
    "selection.answer_vetting POST": may(MENTOR, why="M0001 is the tax department's reviewer"),
    "selection.add_department POST": may(ADMIN, form={"name": "市场监管局", "login": "T0002"}),
    "selection.ask_departments POST": may(ADMIN),
    "selection.add_member POST": may(ADMIN, form={"login": "T0002"}),
    "selection.committee GET": may(MENTOR, ADMIN, why="M0001 sits on the committee"),
    "selection.vote POST": may(MENTOR, why="members only; the organizer does not vote"),
    "selection.report GET": may(ADMIN, why="the organizer's composition report"),
    "selection.report_xlsx GET": may(ADMIN),
    "selection-public-api.PublicNotice GET": may(EVERYONE, ids=NOTICE),
    "selection-api.Campaigns GET": may(OFFICERS),
    "selection-api.Campaigns POST": may(
        OFFICERS,
        json={
            "title": "矩阵",
            "honour_kind": "craftsman",
            "honour_level": "city",
            "year": 2031,
            "places": 3,
            "nominate_until": "2031-03-01",
            "review_until": "2031-04-01",
        },
        why="officers start campaigns for their own organization",
    ),
    "selection-api.CampaignItem GET": may(OFFICERS),
    "selection-api.Quotas PUT": may(
        ADMIN, json={"organization_id": Ref("enterprise"), "places": 2}
    ),
    "selection-api.Queue GET": may(OFFICERS),
    "selection-api.Dossiers GET": may(OFFICERS),
    "selection-api.Dossiers POST": may(
        IN_SCOPE,
        json={"candidate_id": Ref("second_worker"), "summary": "能手", "achievements": "事迹"},
        why="W0002 is of T0001's enterprise",
    ),
    "selection-api.DossierItem GET": may(IN_SCOPE),
    "selection-api.Submission POST": may(IN_SCOPE),
    "selection-api.Approval POST": may(IN_SCOPE, json={}, why="409: a draft is not pending"),
    "selection-api.Return POST": may(IN_SCOPE, json={"reason": "补充材料"}),
    "selection-api.Rejection POST": may(IN_SCOPE, json={"reason": "不符合条件"}),
    "selection-api.PublishNotice POST": may(ADMIN, json={}),
    "selection-api.CampaignApproval POST": may(ADMIN),
    "selection-api.Objections GET": may(ADMIN, ids=NOTICE),
    "selection-api.Objections POST": may(
        SIGNED_IN,
        ids=NOTICE,
        json={
            "dossier_id": Ref("sel_listed"),
            "body": "反映的具体事实需要核实。",
            "contact": "139",
        },
    ),
    "selection-api.Investigation POST": may(ADMIN, json={"investigation": "走访"}),
    "selection-api.Finding POST": may(ADMIN, json={"finding": "属实"}),
    "selection-api.DispositionItem POST": may(
        ADMIN, json={"disposition": "upheld", "disposition_note": "撤出"}
    ),
    "selection-api.VettingAnswer POST": may(MENTOR, json={"verdict": "passed"}),
    "selection-api.Votes POST": may(
        MENTOR, json={"dossier_id": Ref("sel_dossier"), "choice": "yes"}
    ),
}


def seed(person: dict, machine) -> dict[str, object]:
    from datetime import date, timedelta

    from lms.accounts.models import Organization
    from lms.core.models import CalendarDay
    from lms.extensions import db
    from lms.selection import services

    admin, officer = person["A0001"], person["T0001"]
    root = db.session.get(Organization, int(machine.path.strip("/").split("/")[0]))
    today = services.local_today()
    dates = dict(nominate_until=today + timedelta(days=20), review_until=today + timedelta(days=40))
    campaign = services.create_campaign(
        admin,
        root,
        title="矩阵评选",
        honour_kind="model_worker",
        honour_level="city",
        year=2031,
        places=10,
        **dates,
    )
    dossier = services.nominate(
        officer, campaign, person["W0001"], summary="焊接能手", achievements="事迹材料"
    )
    on_notice = services.create_campaign(
        admin,
        root,
        title="矩阵公示",
        honour_kind="craftsman",
        honour_level="city",
        year=2031,
        places=10,
        **dates,
    )
    listed = services.nominate(
        admin, on_notice, person["M0001"], summary="带徒标兵", achievements="事迹材料"
    )
    services.submit(admin, listed)
    while listed.status.value == "pending":
        services.approve(admin, listed)
    services.add_department(admin, on_notice, "税务局", "M0001")
    services.ask_departments(admin, on_notice)
    (vetting,) = db.session.scalars(services.vettings_query(person["M0001"])).all()
    services.answer(person["M0001"], vetting.id, "passed", None)
    services.add_member(admin, campaign, "M0001")
    services.publish_notice(admin, on_notice)
    objection = services.file_objection(
        person["W0001"], on_notice, listed.id, body="反映的具体事实需要核实。", contact="139"
    )
    db.session.add(CalendarDay(day=date(2031, 1, 1), is_workday=False, note="元旦"))
    db.session.commit()
    return {
        "sel_campaign": campaign.id,
        "sel_notice_campaign": on_notice.id,
        "sel_dossier": dossier.id,
        "sel_objection": objection.id,
        "sel_day": "2031-01-01",
        "sel_vetting": vetting.id,
        "sel_listed": listed.id,
    }

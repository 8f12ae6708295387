"""Growth records and the five-links overview: who may call their routes. ``user_id`` is
W0001 of the first enterprise (T0001's scope); T0002 manages the power company only."""

from __future__ import annotations

from tests.matrix import IN_SCOPE, OFFICERS, SIGNED_IN, WORKER, may  # noqa: F401

ENTRIES = {
    "overview.my_growth GET": may(SIGNED_IN, why="one's own record"),
    "overview.my_growth_pdf GET": may(SIGNED_IN),
    "overview.person_growth GET": may(WORKER, IN_SCOPE, why="W0001 is sent to her own record"),
    "overview.person_growth_pdf GET": may(WORKER, IN_SCOPE, why="officers' downloads audited"),
    "overview.overview GET": may(OFFICERS, why="each officer sees their own subtree"),
    "overview.annual_report GET": may(OFFICERS),
    "overview.annual_figures GET": may(OFFICERS),
    "overview-api.MyGrowth GET": may(SIGNED_IN),
    "overview-api.PersonGrowth GET": may(WORKER, IN_SCOPE),
    "overview-api.Figures GET": may(OFFICERS),
}

ENTRIES.update(
    {
        "accounts.skill_changes GET": may(
            WORKER, IN_SCOPE, why="her own changes; officers in scope"
        ),
        "accounts.skill_changes POST": may(
            IN_SCOPE,
            form={
                "to_level": "technician",
                "changed_on": "2025-06-10",
                "certificate_no": "MATRIX-1",
                "issuing_body": "市职业技能鉴定中心",
            },
            why="the second caller meets the same certificate: 409 or a form error, not a refusal",
        ),
        "accounts-api.SkillChanges GET": may(WORKER, IN_SCOPE),
        "accounts-api.SkillChanges POST": may(
            IN_SCOPE,
            json={
                "to_level": "senior_technician",
                "changed_on": "2025-07-10",
                "certificate_no": "MATRIX-2",
                "issuing_body": "市职业技能鉴定中心",
            },
        ),
    }
)

"""Publicity: who may call its routes, and the objects of the first enterprise its URLs name."""

from __future__ import annotations

from tests.matrix import (  # noqa: F401 - the table's vocabulary
    ADMIN,
    EVERYONE,
    IN_SCOPE,
    OFFICERS,
    SIGNED_IN,
    WORKER,
    Ref,
    may,
)

DEFAULT_IDS = {
    "story_id": "story",
    "media_id": "story_media",
    "column_id": "column",
    "report_id": "media_report",
    "collection_id": "collection",
}

STORY = {
    "column_id": "column",
    "employee_no": "W0001",
    "title": "青年焊工",
    "body": "正文",
}

ENTRIES = {
    # publicity (the story is a draft by T0001 about W0001 of the first enterprise; reviewers
    # are admins and officers of the federation: of the six callers, only the admin)
    "publicity.index GET": may(
        SIGNED_IN, why="editors' list; others are sent to their own stories"
    ),
    "publicity.mine GET": may(SIGNED_IN),
    "publicity.new_story GET": may(OFFICERS),
    "publicity.new_story POST": may(OFFICERS),
    "publicity.story GET": may(WORKER, IN_SCOPE, why="W0001 is the person the story is about"),
    "publicity.edit_story GET": may(IN_SCOPE),
    "publicity.edit_story POST": may(IN_SCOPE, form=STORY),
    "publicity.submit POST": may(IN_SCOPE),
    "publicity.revise POST": may(IN_SCOPE),
    "publicity.consent POST": may(WORKER, form={"show_growth": "y"}),
    "publicity.revoke_consent POST": may(WORKER),
    "publicity.publish POST": may(ADMIN),
    "publicity.send_back POST": may(ADMIN, form={"note": "请补充"}),
    "publicity.withdraw POST": may(ADMIN, form={"note": "核实中"}),
    "publicity.add_media POST": may(IN_SCOPE),
    "publicity.delete_media POST": may(IN_SCOPE),
    "publicity.columns GET": may(ADMIN),
    "publicity.columns POST": may(ADMIN, form={"name": "最美职工"}),
    "publicity.edit_column POST": may(ADMIN, form={"name": "劳模风采（新）"}),
    "publicity.reports GET": may(OFFICERS),
    "publicity.new_report GET": may(OFFICERS),
    "publicity.new_report POST": may(OFFICERS),
    "publicity.report_scan GET": may(
        IN_SCOPE, ids={"report_id": "scanned_report"}, why="another report is deleted"
    ),
    "publicity.delete_report POST": may(IN_SCOPE),
    "publicity.reach GET": may(OFFICERS),
    "publicity.collections GET": may(OFFICERS),
    "publicity.collections POST": may(OFFICERS),
    "publicity.collection GET": may(IN_SCOPE),
    "publicity.collection_file GET": may(IN_SCOPE, ids={"kind": "pdf"}),
    "stories.home GET": may(EVERYONE, why="public pages for visitors without an account"),
    "stories.column GET": may(EVERYONE),
    "stories.story GET": may(EVERYONE, ids={"story_id": "public_story"}),
    "stories.qr GET": may(EVERYONE, ids={"story_id": "public_story"}),
    "stories.media GET": may(EVERYONE, ids={"media_id": "public_media"}),
    "stories.events GET": may(EVERYONE),
    "publicity-api.Columns GET": may(SIGNED_IN),
    "publicity-api.Columns POST": may(ADMIN, json={"name": "最美职工"}),
    "publicity-api.Stories GET": may(OFFICERS),
    "publicity-api.Stories POST": may(
        OFFICERS,
        json={"column_id": Ref("column"), "person_id": Ref("worker"), "title": "t", "body": "b"},
        why="every editor may write; T0002 is told W0001 is not in his scope (a field error)",
    ),
    "publicity-api.MyStories GET": may(SIGNED_IN),
    "publicity-api.StoryItem GET": may(WORKER, IN_SCOPE),
    "publicity-api.StoryItem PATCH": may(IN_SCOPE, json={"title": "新标题"}),
    "publicity-api.StorySubmit POST": may(IN_SCOPE),
    "publicity-api.StoryRevise POST": may(IN_SCOPE),
    "publicity-api.StoryConsent POST": may(WORKER, json={"show_growth": True}),
    "publicity-api.StoryConsentRevoke POST": may(WORKER, json={}),
    "publicity-api.StoryPublish POST": may(ADMIN, json={}),
    "publicity-api.StoryReturn POST": may(ADMIN, json={"note": "请补充"}),
    "publicity-api.StoryWithdraw POST": may(ADMIN, json={"note": "核实中"}),
    "publicity-api.Reports GET": may(OFFICERS),
    "publicity-api.Reports POST": may(
        OFFICERS,
        json={
            "outlet": "江城日报",
            "published_on": "2026-11-01",
            "title": "报道",
            "link": "https://example.com/a",
        },
    ),
    "publicity-api.ReportItem GET": may(IN_SCOPE),
    "publicity-api.ReportItem DELETE": may(IN_SCOPE),
    "publicity-api.Reach GET": may(OFFICERS, query={"year": 2026, "month": 12}),
}


def seed(person: dict, machine) -> dict[str, object]:
    """A draft by T0001 about W0001 with a photo, a published story about M0001 with a photo,
    a column and a media report with a scan, all of the first enterprise."""
    import io

    import sqlalchemy as sa

    from lms.extensions import db
    from lms.publicity import services
    from lms.publicity.models import Column

    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
    admin, officer = person["A0001"], person["T0001"]
    column = db.session.scalars(sa.select(Column).order_by(Column.id).limit(1)).one()
    draft = services.create_story(
        officer, column=column, person=person["W0001"], title="青年焊工", body="正文"
    )
    draft_media = services.add_media(
        officer, draft, stream=io.BytesIO(png), filename="a.png", content_type="image/png"
    )
    public = services.create_story(
        officer, column=column, person=person["M0001"], title="师傅", body="正文"
    )
    public_media = services.add_media(
        officer, public, stream=io.BytesIO(png), filename="b.png", content_type="image/png"
    )
    services.give_consent(person["M0001"], public, show_growth=True)
    services.submit(officer, public)
    services.publish(admin, public)
    report = services.record_report(
        officer,
        outlet="江城日报",
        published_on=services.local_today(),
        title="报道",
        organization=machine,
        scan=io.BytesIO(b"%PDF-1.4 test"),
        scan_filename="scan.pdf",
        scan_content_type="application/pdf",
    )
    scanned = services.record_report(
        officer,
        outlet="江城晚报",
        published_on=services.local_today(),
        title="报道（扫描件）",
        organization=machine,
        scan=io.BytesIO(b"%PDF-1.4 test"),
        scan_filename="scan.pdf",
        scan_content_type="application/pdf",
    )
    collection = services.create_collection(officer, title="工匠", story_ids=[public.id])
    return {
        "collection": collection.id,
        "scanned_report": scanned.id,
        "story": draft.id,
        "story_media": draft_media.id,
        "public_story": public.id,
        "public_media": public_media.id,
        "column": column.id,
        "media_report": report.id,
    }

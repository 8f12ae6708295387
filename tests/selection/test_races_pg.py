"""Races on PostgreSQL: two officers sending up for the last place at once get exactly one;
the approval writes honour certificates under the migrated CHECK constraint."""

import threading
from datetime import timedelta

import sqlalchemy as sa

from lms.accounts.models import User
from lms.certificates.models import Certificate, CertificateKind
from lms.errors import Conflict
from lms.extensions import db
from lms.selection import services
from lms.selection.models import CampaignQuota, Dossier, DossierStatus, Notice
from tests.selection.conftest import build_world, dossier_for, make_campaign, up_to_list


def test_two_officers_submitting_the_last_place_at_once_get_exactly_one(pg_app):
    w = build_world()
    campaign = make_campaign(w["organizer"])
    services.set_quota(w["organizer"], campaign, w["plant"], 1)
    ids = [dossier_for(w["plant_officer"], campaign, p).id for p in (w["p0"], w["p1"])]
    officer_ids = [w["plant_officer"].id, w["plant_officer_b"].id]
    w["plant"] = w["plant"].id
    db.session.remove()

    barrier = threading.Barrier(2)
    results: list[str] = []

    def submit(officer_id: int, dossier_id: int):
        with pg_app.app_context():
            try:
                actor = db.session.get(User, officer_id)
                dossier = services.get_dossier(actor, dossier_id)
                barrier.wait(timeout=10)
                services.submit(actor, dossier)
                results.append("ok")
            except Conflict:
                results.append("conflict")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=submit, args=(officer_ids[i], ids[i])) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(results) == ["conflict", "ok"]
    plant_id = w["plant"]
    used = db.session.scalar(
        sa.select(CampaignQuota.used).where(CampaignQuota.organization_id == plant_id)
    )
    assert used == 1
    statuses = db.session.scalars(sa.select(Dossier.status)).all()
    assert sorted(statuses) == sorted([DossierStatus.draft, DossierStatus.pending])


def test_approval_on_postgresql_issues_honour_certificates(pg_app):
    w = build_world()
    campaign = make_campaign(w["organizer"])
    up_to_list(campaign, dossier_for(w["shop_officer"], campaign, w["p0"]), w)
    services.publish_notice(w["organizer"], campaign)
    notice = db.session.scalar(sa.select(Notice))
    notice.starts_on -= timedelta(days=20)
    notice.ends_on = services.local_today() - timedelta(days=1)
    db.session.commit()
    services.approve_campaign(w["organizer"], campaign)
    cert = db.session.scalar(sa.select(Certificate))
    assert cert.kind == CertificateKind.honour and cert.holder_id == w["p0"].id

"""Certificates on PostgreSQL: concurrent issues, and a worker killed in a batch of 200."""

import json
import threading

import sqlalchemy as sa
from flask import current_app

from lms import signals
from lms.accounts.models import Role
from lms.certificates import services, tasks
from lms.certificates.models import BatchStatus, Certificate, CertificateBatch
from lms.core import storage
from lms.extensions import db
from tests.factories import EnterpriseFactory, UserFactory, WorkshopFactory
from tests.plugins.services import _key_prefix, wait_for


def _count(*where):
    db.session.rollback()
    return db.session.scalar(sa.select(sa.func.count(Certificate.id)).where(*where))


def test_the_same_completion_signalled_at_once_in_many_transactions_makes_one_certificate(
    pg_app,
):
    worker = UserFactory()
    db.session.commit()
    errors = []

    def complete():
        with pg_app.app_context():
            try:
                signals.course_completed.send(
                    current_app._get_current_object(),
                    user_id=worker.id,
                    course_id=5,
                    completed_at=None,
                    title="焊接安全规范",
                )
                db.session.commit()
            except Exception as exc:  # pragma: no cover - reported below
                errors.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=complete) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert _count() == 1


def test_a_worker_killed_in_a_batch_of_200_certificates_leaves_each_exactly_once(
    worker_app, worker_process
):
    # Queues of its own, so that only the workers started here take the batch; Redis hands
    # an unacknowledged task to another worker after the visibility timeout.
    queues = {
        "broker_transport_options": {
            "global_keyprefix": f"{_key_prefix()}killed-certs:",
            "visibility_timeout": 5,
            "unacked_restore_interval": 1,
            "unacked_restore_throttle": 1,
        }
    }
    worker_app.extensions["celery"].conf.update(queues)
    enterprise = EnterpriseFactory()
    officer = UserFactory(roles=[Role.officer], organization=enterprise)
    workshop = WorkshopFactory(parent=enterprise)
    holders = [UserFactory(organization=workshop) for _ in range(200)]
    db.session.commit()
    env = {"LMS_CELERY": json.dumps(queues)}
    first = worker_process("certs-a", concurrency=2, queues="pdf", extra_env=env)
    batch = services.create_batch(
        officer,
        holders=[h.employee_no for h in holders],
        kind="class",
        title="焊接技能提升班（第 3 期）",
        subject_type="class",
        subject_id=3,
    )
    db.session.commit()
    batch_id = batch.id
    wait_for(
        lambda: _count() >= 20,
        timeout=120,
        message="the first worker never started:\n" + first.log()[-3000:],
    )
    first.kill()
    assert _count() < 200, "the batch finished before the kill; nothing was tested"

    second = worker_process("certs-b", concurrency=2, queues="pdf", extra_env=env)

    def batch_done():
        db.session.rollback()  # a fresh snapshot, not the object cached in the session
        return db.session.get(CertificateBatch, batch_id).status == BatchStatus.done

    wait_for(
        batch_done,
        timeout=180,
        interval=1,
        message="the batch was not finished after the kill:\n" + second.log()[-3000:],
    )
    db.session.rollback()
    per_holder = db.session.execute(
        sa.select(Certificate.holder_id, sa.func.count(Certificate.id))
        .where(Certificate.subject_type == "class", Certificate.subject_id == 3)
        .group_by(Certificate.holder_id)
    ).all()
    assert len(per_holder) == 200 and {n for _h, n in per_holder} == {1}
    paths = db.session.scalars(sa.select(Certificate.pdf_path)).all()
    assert all(storage.path(p).read_bytes()[:4] == b"%PDF" for p in paths)
    batch = db.session.get(CertificateBatch, batch_id)
    assert batch.done == 200 and storage.exists(batch.zip_path)


def test_pdf_task_is_routed_to_the_pdf_queue(pg_app):
    router = pg_app.extensions["celery"].amqp.router
    route = router.route({}, tasks.render_certificate_pdf.name)
    assert route["queue"].name == "pdf"

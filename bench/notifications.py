"""Reminders and certificates with real workers: throughput and exactly-once.

    python -m bench.notifications [--scale 100] [--workers 2] [--concurrency 4]
                                  [--certificates 400] [--sink aiosmtpd]

- Dispatch: ``1,000 × scale`` due reminders (10 per worker, so ``100 × scale`` people) are
  dispatched by ``--workers`` Celery workers (prefork, ``--concurrency`` processes each) on
  Redis + PostgreSQL, as the beat task does it (batches of 2,000, each batch's mails one
  ``send_emails`` task), each mail sent over SMTP into a local sink on the worker process's
  one kept connection. Reported: seconds from the start of dispatch until every reminder is
  marked sent, seconds until every mail reached the sink, and the duplicates and missing
  mails the sink saw. The goal is scale 1000 (1,000,000 reminders) within 600 s.
- The sink (``bench/smtp_sink.py``) is a small SMTP server in its own process that offers
  PIPELINING, receives every mail whole over TCP and counts its ``X-LMS-Key``; its CPU time
  is reported, as it shares the machine's two cores. ``--sink aiosmtpd`` uses aiosmtpd in a
  thread of this process instead (no PIPELINING; ~0.65 ms of CPU per mail).
- Certificates: a bulk issue of ``20 × scale`` certificates (or ``--certificates``; PDF
  with CJK font and QR code) worked by the same workers; reported as PDFs per second
  (target ≥ 50/s).

Needs PostgreSQL (BENCH_DATABASE_URL, default the local ``test`` server) and Redis
(BENCH_REDIS_URL, default redis://127.0.0.1:6379/0). Prints one table and writes it to
``bench/results``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from datetime import timedelta
from pathlib import Path

from bench.harness import REDIS_URL, ROOT, free_port, fresh_database
from bench.smtp_sink import SinkProcess


class Sink:
    """An SMTP server that counts what it receives, and which reminder keys it saw twice."""

    def __init__(self) -> None:
        self.count = 0
        self.keys: set[str] = set()
        self.duplicates = 0
        self._lock = threading.Lock()

    @property
    def distinct(self) -> int:
        return len(self.keys)

    async def handle_DATA(self, server, session, envelope):
        key = ""
        for line in envelope.content.split(b"\r\n"):
            if line.startswith(b"X-LMS-Key:"):
                key = line.split(b":", 1)[1].strip().decode()
                break
            if not line:
                break
        with self._lock:
            self.count += 1
            if key in self.keys:
                self.duplicates += 1
            self.keys.add(key)
        return "250 OK"


def _workers(n: int, concurrency: int, env: dict, log_dir: Path) -> list[subprocess.Popen]:
    procs = []
    for i in range(n):
        log = open(log_dir / f"worker-{i}.log", "wb")  # noqa: SIM115 - the child keeps it
        procs.append(
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "celery_worker",
                    "worker",
                    "--hostname",
                    f"bench{i}@%h",
                    "--queues",
                    "default,email,pdf",
                    "--concurrency",
                    str(concurrency),
                    "--loglevel",
                    "WARNING",
                    "--without-gossip",
                    "--without-mingle",
                ],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        )
    return procs


def _tree_cpu(pids: list[int]) -> float:
    """CPU seconds used so far by these processes and their children (the pool's)."""
    import psutil

    total = 0.0
    for pid in pids:
        try:
            proc = psutil.Process(pid)
            for p in [proc, *proc.children(recursive=True)]:
                times = p.cpu_times()
                total += times.user + times.system
        except psutil.Error:
            continue
    return total


def _stop(procs: list[subprocess.Popen]) -> None:
    import signal

    for p in procs:
        if p.poll() is None:
            os.killpg(p.pid, signal.SIGTERM)
    for p in procs:
        try:
            p.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)


def _wait(predicate, timeout: float, what: str) -> float:
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if predicate():
            return time.monotonic() - start
        time.sleep(0.5)
    raise SystemExit(f"timed out after {timeout:.0f}s waiting for {what}")


def run(
    scale: int,
    workers: int,
    timeout: float,
    certificates_count: int | None = None,
    sink_kind: str = "lean",
    concurrency: int = 4,
) -> list[tuple[str, str, str]]:
    import sqlalchemy as sa
    from aiosmtpd.controller import Controller

    from bench import datagen
    from lms import create_app
    from lms.accounts.models import User
    from lms.certificates import services as certificates
    from lms.certificates.models import BatchStatus, CertificateBatch
    from lms.db import utcnow
    from lms.extensions import db
    from lms.notifications import services as notifications
    from lms.notifications import tasks
    from lms.notifications.models import EmailMessage, MailStatus, Reminder, ReminderStatus

    reminders = 1000 * scale
    people = reminders // 10
    certs = certificates_count or 20 * scale
    url = fresh_database(f"lms_bench_notifications_{scale}")
    prefix = f"lms-bench-{uuid.uuid4().hex[:8]}:"
    storage = Path(tempfile.mkdtemp(prefix="lms-bench-storage-"))
    smtp_port = free_port()
    if sink_kind == "aiosmtpd":
        sink = Sink()
        controller = Controller(sink, hostname="127.0.0.1", port=smtp_port)
    else:
        sink = controller = SinkProcess(smtp_port)
    controller.start()
    celery_conf = {"broker_transport_options": {"global_keyprefix": prefix}}
    env = {
        **os.environ,
        "LMS_ENV": "production",
        "SECRET_KEY": "bench-only-secret",
        "DATABASE_URL": url,
        "REDIS_URL": REDIS_URL,
        "LMS_STORAGE_DIR": str(storage),
        "LMS_MAIL_SERVER": "127.0.0.1",
        "LMS_MAIL_PORT": str(smtp_port),
        "LMS_CELERY": json.dumps(celery_conf),
    }
    app = create_app(
        "production",
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": "bench",
            "REDIS_URL": REDIS_URL,
            "STORAGE_DIR": str(storage),
            "CELERY": celery_conf,
        },
    )
    rows = []
    procs: list[subprocess.Popen] = []
    try:
        with app.app_context():
            generated = datagen.generate(max(1, -(-people // 500)))
            ids = generated.worker_ids[:people]
            db.session.execute(
                sa.update(User)
                .where(User.id.in_(ids))
                .values(email=User.employee_no + "@bench.local")
            )
            past, later = utcnow() - timedelta(minutes=1), utcnow() + timedelta(hours=3)
            for subject in range(10):
                notifications.schedule_reminders(
                    ids,
                    "class_session",
                    subject + 1,
                    [notifications.ReminderSpec("session_1h", past, later)],
                    category="class_session",
                    title=f"焊接技能提升班 · 第 {subject + 1} 课次",
                    detail="焊接车间二楼培训室",
                    event_at=later,
                    link=f"/training/sessions/{subject + 1}",
                )
            db.session.commit()
            total = db.session.scalar(sa.select(sa.func.count(Reminder.id)))

            def count(stmt):
                db.session.rollback()
                return db.session.scalar(stmt)

            procs = _workers(workers, concurrency, env, storage)
            time.sleep(8)  # workers start
            cpu_before = _tree_cpu([p.pid for p in procs])
            start = time.monotonic()
            for _ in range(workers):
                tasks.dispatch_reminders.delay(max_batches=100_000)
            sent_s = _wait(
                lambda: (
                    count(
                        sa.select(sa.func.count(Reminder.id)).where(
                            Reminder.status == ReminderStatus.sent
                        )
                    )
                    == total
                ),
                timeout,
                "reminders to be marked sent",
            )
            _wait(
                lambda: (
                    sink.count >= total
                    and count(
                        sa.select(sa.func.count(EmailMessage.id)).where(
                            EmailMessage.status == MailStatus.queued
                        )
                    )
                    == 0
                ),
                timeout,
                "mails to reach the SMTP sink",
            )
            mailed_s = time.monotonic() - start
            workers_cpu = _tree_cpu([p.pid for p in procs]) - cpu_before
            sink_cpu = getattr(sink, "cpu_seconds", None)
            rows.append(
                (
                    f"reminders marked sent ({workers}×{concurrency} processes)",
                    f"{total:,}",
                    f"{sent_s:.1f} s",
                )
            )
            rows.append(("  … per second", "", f"{total / sent_s:,.0f}/s"))
            rows.append(("mails in the SMTP sink", f"{sink.count:,}", f"{mailed_s:.1f} s"))
            rows.append(("  … per second", "", f"{sink.count / mailed_s:,.0f}/s"))
            rows.append(
                ("duplicate mails / missing", f"{sink.duplicates} / {total - sink.distinct}", "")
            )
            rows.append(("  … CPU used by the workers", "", f"{workers_cpu:.1f} s"))
            if sink_cpu is not None:
                rows.append(("  … CPU used by the SMTP sink", "", f"{sink_cpu:.1f} s"))

            # The admin issues (every holder is in scope); officers work the same way.
            officer = db.session.get(User, generated.admin_id)
            holders = db.session.scalars(
                sa.select(User.employee_no).where(User.id.in_(generated.worker_ids[:certs]))
            ).all()
            start = time.monotonic()
            batch = certificates.create_batch(
                officer,
                holders=holders,
                kind="class",
                title="焊接技能提升班（2026 年第 3 期）",
                subject_type="class",
                subject_id=1,
            )
            db.session.commit()
            # One more runner per extra worker: the batch's items are shared out (SKIP LOCKED).
            from lms.certificates import tasks as cert_tasks

            for _ in range(workers - 1):
                cert_tasks.run_batch.delay(batch.id)
            pdf_s = _wait(
                lambda: (
                    count(sa.select(CertificateBatch.status).where(CertificateBatch.id == batch.id))
                    == BatchStatus.done
                ),
                timeout,
                "the certificate batch",
            )
            rows.append(
                (
                    f"certificate PDFs + ZIP ({workers} workers)",
                    f"{len(holders):,}",
                    f"{pdf_s:.1f} s",
                )
            )
            rows.append(("  … PDFs per second", "", f"{len(holders) / pdf_s:,.1f}/s"))
            db.session.remove()
            db.engine.dispose()
    finally:
        _stop(procs)
        controller.stop()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=int, default=100, help="1,000 × scale reminders")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=4, help="processes per worker")
    parser.add_argument("--timeout", type=float, default=1800)
    parser.add_argument("--certificates", type=int, default=None, help="default 20 × scale")
    parser.add_argument(
        "--sink",
        choices=("lean", "aiosmtpd"),
        default="lean",
        help="the SMTP server mails go to: bench/smtp_sink.py in its own process, or aiosmtpd "
        "in a thread of this one (as before; ~0.65 ms of CPU per mail)",
    )
    args = parser.parse_args()
    rows = run(
        args.scale, args.workers, args.timeout, args.certificates, args.sink, args.concurrency
    )
    title = (
        f"Notifications and certificates (scale {args.scale}, {args.workers} workers ×"
        f" {args.concurrency} processes,"
        f" {args.sink} SMTP sink)"
    )
    header = f"{'what':<44} {'count':>14} {'time / rate':>14}"
    lines = [title, header, "-" * len(header)]
    lines += [f"{a:<44} {b:>14} {c:>14}" for a, b, c in rows]
    text = "\n".join(lines)
    print(text, flush=True)
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    (out / f"{stamp}-notifications-scale-{args.scale}.txt").write_text(text + "\n")


if __name__ == "__main__":
    main()

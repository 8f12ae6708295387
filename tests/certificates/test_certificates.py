"""Certificates: issued once from completions, verified by QR code, revoked, reissued."""

import io
import shutil
import subprocess
import zipfile
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa
from flask import current_app

from lms import signals
from lms.accounts.models import Role
from lms.audit.models import AuditEntry
from lms.certificates import services
from lms.certificates.models import Certificate, CertificateStatus
from lms.core import storage
from lms.extensions import db
from lms.notifications.models import Notification
from tests.factories import CertificateFactory, EnterpriseFactory, UserFactory, WorkshopFactory


def _complete_course(user_id, course_id=5, title=None):
    kwargs = {"user_id": user_id, "course_id": course_id, "completed_at": datetime.now(UTC)}
    if title:
        kwargs["title"] = title
    signals.course_completed.send(current_app._get_current_object(), **kwargs)
    db.session.commit()


def _certs():
    return list(db.session.scalars(sa.select(Certificate).order_by(Certificate.id)))


def test_finishing_a_course_issues_one_certificate_however_often_the_signal_fires(app):
    worker = UserFactory(name="王小虎")
    _complete_course(worker.id, title="焊接安全规范")
    _complete_course(worker.id, title="焊接安全规范")
    [cert] = _certs()
    assert cert.holder_id == worker.id and cert.title == "焊接安全规范"
    assert cert.serial.startswith(f"GJ{cert.issued_on:%Y}") and len(cert.code) == 16
    assert cert.pdf_path and storage.path(cert.pdf_path).read_bytes()[:4] == b"%PDF"
    [note] = db.session.scalars(sa.select(Notification)).all()
    assert "焊接安全规范" in note.title and note.link == f"/certificates/{cert.id}"


def test_class_completion_and_mentorship_graduation_issue_their_own_kinds(app):
    worker = UserFactory()
    app_obj = current_app._get_current_object()
    signals.class_completed.send(app_obj, class_id=3, user_id=worker.id, rate=0.9)
    signals.mentorship_completed.send(
        app_obj, mentorship_id=8, mentor_id=None, apprentice_id=worker.id, completed_at=None
    )
    db.session.commit()
    assert sorted((c.kind.value, c.subject_id) for c in _certs()) == [
        ("class", 3),
        ("mentorship", 8),
    ]


def test_a_class_certificate_keeps_the_title_and_issuer_the_signal_carried(app):
    """Certificates store what the class was called and who ran it at issue time: they never
    read training's tables, and a class renamed later leaves the certificate as it was."""
    worker = UserFactory()
    issuer = worker.organization
    signals.class_completed.send(
        current_app._get_current_object(),
        class_id=3,
        user_id=worker.id,
        rate=0.9,
        title="焊接技能提升班（第 3 期）",
        organization_id=issuer.id,
    )
    [cert] = _certs()
    assert cert.title == "培训班结业：焊接技能提升班（第 3 期）"
    assert cert.organization_id == issuer.id


def test_certificates_import_no_domain():
    """Certificates sit above the domains and hear them through signals only."""
    import ast
    from pathlib import Path

    import lms.certificates

    domains = ("lms.training", "lms.mentorship", "courses", "lms.competitions")
    for path in Path(lms.certificates.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom | ast.Import):
                names = [node.module or ""] if isinstance(node, ast.ImportFrom) else []
                names += [a.name for a in node.names] if isinstance(node, ast.Import) else []
                assert not any(n.startswith(domains) for n in names), (path, names)


def test_the_database_refuses_a_second_current_certificate_for_the_same_subject(app):
    cert = CertificateFactory()
    with pytest.raises(sa.exc.IntegrityError):
        CertificateFactory(holder=cert.holder, subject_type="course", subject_id=cert.subject_id)
    db.session.rollback()


def _qr_urls_in_pdf(data: bytes, tmp_path) -> list[str]:
    import zxingcpp
    from PIL import Image

    if not shutil.which("pdftoppm"):
        pytest.fail("pdftoppm (poppler-utils) is needed to read the certificate's QR code")
    (tmp_path / "c.pdf").write_bytes(data)
    subprocess.run(
        ["pdftoppm", "-r", "150", "-png", "-singlefile", tmp_path / "c.pdf", tmp_path / "c"],
        check=True,
    )
    return [r.text for r in zxingcpp.read_barcodes(Image.open(tmp_path / "c.png"))]


def test_the_qr_code_on_the_pdf_opens_the_verification_page_valid_then_revoked(
    app, client, auth, tmp_path
):
    org = WorkshopFactory()
    worker = UserFactory(name="王小虎", organization=org)
    officer = UserFactory(roles=[Role.officer], organization=org.parent)
    _complete_course(worker.id, title="焊接安全规范")
    [cert] = _certs()
    auth.login(worker)
    response = client.get(f"/certificates/{cert.id}/pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    [url] = _qr_urls_in_pdf(response.data, tmp_path)
    assert url == f"http://127.0.0.1:5000/verify/{cert.code}"
    auth.logout()

    path = url.removeprefix("http://127.0.0.1:5000")
    page = client.get(path).get_data(as_text=True)  # signed out
    assert 'data-state="valid"' in page and "此证书真实有效" in page
    assert "焊接安全规范" in page and "王*虎" in page and "王小虎" not in page

    auth.login(officer)
    client.post(f"/certificates/{cert.id}/revoke", data={"reason": "考核成绩有误"})
    auth.logout()
    page = client.get(path).get_data(as_text=True)
    assert 'data-state="revoked"' in page and "已被吊销" in page
    entry = db.session.scalar(
        sa.select(AuditEntry).where(AuditEntry.action == "certificate.revoke")
    )
    assert entry.actor_id == officer.id and entry.after["reason"] == "考核成绩有误"
    told = db.session.scalars(
        sa.select(Notification.title).where(Notification.user_id == worker.id)
    ).all()
    assert "证书已吊销：焊接安全规范" in told


def _poppler(tool: str, data: bytes, tmp_path) -> str:
    if not shutil.which(tool):
        pytest.fail(f"{tool} (poppler-utils) is needed to read the certificate PDF")
    (tmp_path / "p.pdf").write_bytes(data)
    args = [tool, tmp_path / "p.pdf"] + (["-"] if tool == "pdftotext" else [])
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def test_the_pdf_is_a4_landscape_with_the_chinese_font_embedded_and_searchable(
    client, auth, tmp_path
):
    cert = CertificateFactory(title="焊工（高级）技能提升班", holder__name="欧阳晓燕")
    db.session.commit()
    auth.login(cert.holder)
    data = client.get(f"/certificates/{cert.id}/pdf").data
    info = dict(
        (k.strip(), v.strip())
        for k, v in (
            line.split(":", 1) for line in _poppler("pdfinfo", data, tmp_path).splitlines()
        )
    )
    assert info["Pages"] == "1"
    assert info["Page size"].startswith("841.89 x 595.2")  # A4, wider than tall
    fonts = _poppler("pdffonts", data, tmp_path).splitlines()[2:]
    # Every font is embedded (a reader without Chinese fonts still shows the names) and
    # has a Unicode map (the text can be searched and copied).
    assert fonts and all(line.split()[-5:-2] == ["yes", "yes", "yes"] for line in fonts)
    text = _poppler("pdftotext", data, tmp_path)
    assert "欧阳晓燕" in text and "焊工（高级）技能提升班" in text and cert.serial in text


def test_a_font_without_truetype_outlines_is_reported_clearly(app, client, auth, tmp_path):
    not_a_font = tmp_path / "broken.ttf"
    not_a_font.write_bytes(b"OTTO" + bytes(200))  # PostScript-outline signature, no tables
    app.config["CERTIFICATE_FONT_PATH"] = str(not_a_font)
    cert = CertificateFactory()
    db.session.commit()
    auth.login(cert.holder)
    response = client.get(f"/certificates/{cert.id}/pdf")
    assert response.status_code == 503
    assert "fonts-wqy-microhei" in response.get_data(as_text=True)


def test_an_expired_certificate_says_so_on_the_verification_page(client):
    cert = CertificateFactory(expires_on=date(2020, 1, 1))
    db.session.commit()
    assert 'data-state="expired"' in client.get(f"/verify/{cert.code}").get_data(as_text=True)
    body = client.get(f"/api/v1/verify/{cert.code}").get_json()
    assert body["state"] == "expired" and "holder_id" not in body


def test_an_unknown_code_is_not_found(client):
    assert client.get("/verify/NOPE").status_code == 404


def test_reissue_after_a_correction_supersedes_the_old_certificate(app, client, auth):
    org = WorkshopFactory()
    worker = UserFactory(organization=org)
    officer = UserFactory(roles=[Role.officer], organization=org)
    _complete_course(worker.id, title="焊接安全规范（错字）")
    [old] = _certs()
    auth.login(officer)
    response = client.post(
        f"/certificates/{old.id}/reissue",
        data={"title": "焊接安全规范", "issued_on": "2026-11-20", "reason": "名称错字"},
    )
    assert response.status_code == 302
    old, new = _certs()
    assert old.status == CertificateStatus.superseded and old.superseded_by_id == new.id
    assert new.title == "焊接安全规范" and new.serial != old.serial and new.code != old.code
    assert "已被更正后的新证书取代" in client.get(f"/verify/{old.code}").get_data(as_text=True)
    assert db.session.scalar(
        sa.select(sa.func.count(AuditEntry.id)).where(AuditEntry.action == "certificate.reissue")
    )


def test_only_the_holder_and_officers_in_scope_see_or_download_a_certificate(client, auth):
    enterprise = EnterpriseFactory()
    worker = UserFactory(organization=WorkshopFactory(parent=enterprise))
    cert = CertificateFactory(holder=worker)
    in_scope = UserFactory(roles=[Role.officer], organization=enterprise)
    elsewhere = UserFactory(roles=[Role.officer], organization=EnterpriseFactory())
    stranger = UserFactory()
    db.session.commit()
    for person, status in ((worker, 200), (in_scope, 200), (elsewhere, 404), (stranger, 404)):
        auth.login(person)
        assert client.get(f"/certificates/{cert.id}/pdf").status_code == status, person
        auth.logout()
    auth.login(elsewhere)
    assert client.post(f"/certificates/{cert.id}/revoke", data={"reason": "x"}).status_code == 404
    auth.logout()
    auth.login(worker)
    response = client.post(f"/api/v1/certificates/{cert.id}/revoke", json={"reason": "x"})
    assert response.status_code == 403


def test_officer_bulk_issues_a_class_and_downloads_the_zip(app, client, auth):
    enterprise = EnterpriseFactory()
    officer = UserFactory(roles=[Role.officer], organization=enterprise)
    workers = [UserFactory(organization=WorkshopFactory(parent=enterprise)) for _ in range(12)]
    db.session.commit()
    auth.login(officer)
    holders = "\n".join(w.employee_no for w in workers) + "\n" + workers[0].employee_no
    response = client.post(
        "/certificates/batches/new",
        data={"kind": "class", "title": "焊接技能提升班", "subject_id": "3", "holders": holders},
    )
    assert response.status_code == 302
    batch_url = response.location
    progress = client.get(batch_url + "/progress").get_json()
    assert progress == {
        "id": progress["id"],
        "status": "done",
        "total": 12,
        "done": 12,
        "percent": 100,
        "zip_ready": True,
    }
    assert 'aria-valuenow="12"' in client.get(batch_url).get_data(as_text=True)
    archive = zipfile.ZipFile(io.BytesIO(client.get(batch_url + "/zip").data))
    assert len(archive.namelist()) == 12
    assert all(archive.read(n)[:4] == b"%PDF" for n in archive.namelist())
    exported = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "export"))
    assert exported.actor_id == officer.id and exported.after == {"rows": 12}
    # The same class again: nobody gets a second certificate.
    client.post(
        "/certificates/batches/new",
        data={"kind": "class", "title": "焊接技能提升班", "subject_id": "3", "holders": holders},
    )
    assert len(_certs()) == 12


def test_bulk_issue_refuses_people_outside_the_officers_scope(app, client, auth):
    officer = UserFactory(roles=[Role.officer], organization=EnterpriseFactory())
    outsider = UserFactory(organization=WorkshopFactory())
    db.session.commit()
    auth.login(officer)
    response = client.post(
        "/certificates/batches/new",
        data={"kind": "class", "title": "班", "subject_id": "3", "holders": outsider.employee_no},
    )
    assert response.status_code == 403
    assert _certs() == []


def test_a_missing_chinese_font_is_reported_clearly(app, client, auth):
    app.config["CERTIFICATE_FONT_PATH"] = "/nonexistent/font.ttf"
    cert = CertificateFactory()
    db.session.commit()
    auth.login(cert.holder)
    response = client.get(f"/certificates/{cert.id}/pdf")
    assert response.status_code == 503
    assert "fonts-wqy-microhei" in response.get_data(as_text=True)


def test_a_certificate_with_an_expiry_reminds_its_holder_a_month_before(app):
    from lms.notifications.models import Reminder

    worker = UserFactory()
    cert, created = services.issue_certificate(
        worker.id, "course", "course", 1, "高压电工作业", expires_on=date(2030, 6, 30)
    )
    db.session.commit()
    [reminder] = db.session.scalars(sa.select(Reminder)).all()
    assert reminder.kind == "cert_expiry" and reminder.user_id == worker.id
    assert reminder.due_at.date() == date(2030, 5, 30) or reminder.due_at.date() == (
        date(2030, 6, 30) - timedelta(days=31)
    )


def test_an_officers_certificate_list_costs_the_same_queries_for_3_or_15(
    app, client, auth, query_counter
):
    enterprise = EnterpriseFactory()
    officer = UserFactory(roles=[Role.officer], organization=enterprise)
    workshop = WorkshopFactory(parent=enterprise)
    for _ in range(3):
        CertificateFactory(holder=UserFactory(organization=workshop))
    db.session.commit()
    auth.login(officer)
    client.get("/certificates?all=1")  # the header's badge is cached from now on
    with query_counter() as few:
        assert client.get("/certificates?all=1").status_code == 200
    for _ in range(12):
        CertificateFactory(holder=UserFactory(organization=workshop))
    db.session.commit()
    with query_counter() as many:
        page = client.get("/certificates?all=1").get_data(as_text=True)
    assert page.count('class="card"') == 15
    assert len(many) == len(few)


def test_the_worker_finds_their_certificates_on_the_home_page(client, auth):
    cert = CertificateFactory()
    db.session.commit()
    auth.login(cert.holder)
    page = client.get("/").get_data(as_text=True)
    assert "我的证书" in page and "1</span> 张有效证书" in page


def test_an_integration_issues_a_batch_through_the_api(app, client, auth):
    enterprise = EnterpriseFactory()
    officer = UserFactory(roles=[Role.officer], organization=enterprise)
    workers = [UserFactory(organization=WorkshopFactory(parent=enterprise)) for _ in range(3)]
    db.session.commit()
    auth.login(officer)
    response = client.post(
        "/api/v1/certificates/batches",
        json={
            "kind": "class",
            "title": "焊接技能提升班",
            "subject_type": "class",
            "subject_id": 3,
            "holders": [w.employee_no for w in workers],
        },
    )
    assert response.status_code == 202
    progress = client.get(f"/api/v1/certificates/batches/{response.get_json()['id']}").get_json()
    assert progress["done"] == 3 and progress["zip_ready"]
    listed = client.get("/api/v1/certificates?all=true").get_json()
    assert listed["total"] == 3 and {c["state"] for c in listed["items"]} == {"valid"}
    bad = client.post("/api/v1/certificates/batches", json={"kind": "class", "holders": []})
    assert bad.status_code == 422 and "title" in bad.get_json()["errors"]


def test_a_batch_tells_each_holder_once_with_the_same_queries_for_3_or_10_people(
    app, query_counter
):
    from lms.notifications.models import EmailMessage

    enterprise = EnterpriseFactory()
    officer = UserFactory(roles=[Role.officer], organization=enterprise)

    def batch_for(count: int, subject_id: int) -> list[str]:
        workers = [UserFactory(organization=enterprise, email=None) for _ in range(count)]
        for w in workers:
            w.email = f"{w.employee_no}@example.org"
        db.session.commit()
        services.create_batch(
            officer,
            holders=[w.employee_no for w in workers],
            kind="class",
            title="焊接技能提升班",
            subject_type="class",
            subject_id=subject_id,
        )
        with query_counter() as statements:
            db.session.commit()  # the batch runs (eager tasks in this tier)
        for w in workers:
            told = db.session.scalars(
                sa.select(Notification.title).where(Notification.user_id == w.id)
            ).all()
            mails = db.session.scalars(
                sa.select(EmailMessage.key).where(EmailMessage.user_id == w.id)
            ).all()
            assert told == ["您的证书已就绪：焊接技能提升班"] and len(mails) == 1
        return statements

    def people_reads(statements: list[str]) -> int:
        # Reads of preferences, addresses and existing mails, the part that is per person
        # when notifications are written one by one.
        return sum(
            ("FROM notification_preferences" in s)
            or ("FROM users" in s and "users.email" in s)
            or ("FROM email_messages" in s and "email_messages.key" in s)
            for s in statements
        )

    small, large = batch_for(3, 1), batch_for(10, 2)
    assert people_reads(small) == people_reads(large)

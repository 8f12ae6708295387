"""Sensitive changes to people and exports of their data are in the audit log: who, when,
what, before and after. Accounts announces them; the audit package writes them."""

import ast
import inspect
from pathlib import Path

import sqlalchemy as sa
from openpyxl import load_workbook

from lms.accounts import services
from lms.accounts.models import Role
from lms.audit import services as audit
from lms.audit.models import AuditEntry
from lms.extensions import db
from tests.factories import EnterpriseFactory, UserFactory, WorkshopFactory

ROOT = Path(__file__).resolve().parents[2]


def _entry(action: str) -> AuditEntry:
    return db.session.scalar(
        sa.select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id.desc())
    )


def test_a_password_reset_by_an_officer_is_recorded_with_what_it_revoked(app):
    officer = UserFactory(roles=[Role.officer])
    worker = UserFactory(organization=officer.organization)
    services.create_api_token(worker, "脚本")
    services.reset_password(officer, worker, "reset-pass-9")
    entry = _entry("user.password_reset")
    assert entry.actor_id == officer.id and entry.entity_id == worker.id
    assert entry.organization_id == worker.organization_id
    assert entry.after == {"sessions_revoked": 0, "tokens_revoked": 1}
    assert entry.created_at is not None


def test_a_deactivation_is_recorded_with_before_and_after(app):
    admin = UserFactory(roles=[Role.admin])
    worker = UserFactory()
    services.update_user(admin, worker, active=False)
    entry = _entry("user.deactivate")
    assert entry.actor_id == admin.id and entry.entity_id == worker.id
    assert entry.before["active"] is True and entry.after["active"] is False


def test_a_role_change_is_recorded_with_before_and_after(app):
    admin = UserFactory(roles=[Role.admin])
    worker = UserFactory()
    services.set_roles(admin, worker, {Role.worker, Role.officer})
    entry = _entry("user.roles")
    assert entry.actor_id == admin.id and entry.organization_id == worker.organization_id
    assert entry.before == {"roles": ["worker"]}
    assert entry.after == {"roles": ["officer", "worker"]}


def test_own_contact_details_are_not_audited(app):
    worker = UserFactory()
    services.update_user(worker, worker, email="me@example.cn")
    assert _entry("user.update") is None


def test_record_export_keeps_who_what_scope_and_rows(app):
    officer = UserFactory(roles=[Role.officer])
    entry = audit.record_export(officer, "roster", officer.organization_id, 42)
    db.session.commit()
    assert (entry.actor_id, entry.action, entry.entity_type) == (officer.id, "export", "roster")
    assert entry.organization_id == officer.organization_id and entry.after == {"rows": 42}
    params = list(inspect.signature(audit.record_export).parameters)
    assert params == ["actor", "what", "organization_id", "rows"]


def test_exporting_the_people_list_is_audited(client, auth):
    plant = EnterpriseFactory(name="红星厂")
    shop = WorkshopFactory(parent=plant, name="焊接车间")
    officer = UserFactory(roles=[Role.officer], organization=plant)
    UserFactory(organization=shop, name="高师傅")
    UserFactory(name="外厂人")  # another enterprise: not exported
    auth.login(officer)
    response = client.get("/people/export.xlsx")
    assert response.status_code == 200
    import io

    rows = list(load_workbook(io.BytesIO(response.data)).active.iter_rows(values_only=True))
    names = [row[1] for row in rows[1:]]
    assert "高师傅" in names and "外厂人" not in names
    entry = _entry("export")
    assert entry.actor_id == officer.id and entry.entity_type == "people"
    assert entry.organization_id == plant.id and entry.after == {"rows": len(rows) - 1}


def test_a_worker_cannot_export_people(client, auth):
    auth.login(UserFactory())
    assert client.get("/people/export.xlsx").status_code == 403
    assert _entry("export") is None


def _imported_modules(package: str, pattern: str = "*.py") -> set[str]:
    found = set()
    for path in (ROOT / package).rglob(pattern):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                found.add(node.module)
            elif isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
    return found


def test_accounts_does_not_import_audit_and_the_login_loaders_live_in_accounts():
    assert not {m for m in _imported_modules("lms/accounts") if m.startswith("lms.audit")}
    core_init = _imported_modules("lms/core", "__init__.py")
    assert not {m for m in core_init if m.startswith("lms.accounts")}

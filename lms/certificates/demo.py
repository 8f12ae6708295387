"""A valid demo certificate for the demo worker (PDF made on first download)."""

from __future__ import annotations

from lms.certificates import services
from lms.certificates.models import CertificateKind
from lms.core.demo import DemoData, register_loader


def load(data: DemoData) -> None:
    worker = data.people.get("worker")
    if worker is None:
        return
    services.issue_certificate(
        worker.id,
        CertificateKind.training_class,
        "class",
        900001,
        "焊接技能提升班（2026 年第 1 期）",
        organization_id=data.orgs["union"].id,
        render_pdf=False,
    )
    services.issue_certificate(
        data.people["worker2"].id,
        CertificateKind.course,
        "course",
        900001,
        "焊接安全规范（在线课程）",
        organization_id=data.orgs["machine"].id,
        render_pdf=False,
    )


def register() -> None:
    register_loader(70, load)

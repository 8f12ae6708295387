"""Certificates: what a person achieved, provable by a serial number and a QR code."""

from __future__ import annotations

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.accounts.models import Organization, User
from lms.db import Base, enum_type, utcnow


class CertificateKind(enum.StrEnum):
    course = "course"
    training_class = "class"
    mentorship = "mentorship"
    competition = "competition"
    honour = "honour"  # an honour conferred by a selection campaign


class CertificateStatus(enum.StrEnum):
    valid = "valid"
    revoked = "revoked"
    superseded = "superseded"  # replaced by a corrected certificate


class BatchStatus(enum.StrEnum):
    queued = "queued"
    running = "running"
    done = "done"


_CURRENT = sa.text("status <> 'superseded'")


class Certificate(Base):
    """One certificate. A holder has at most one current (not superseded) certificate per
    subject: a partial unique index, so a signal fired twice or a retried task never makes two.
    """

    __tablename__ = "certificates"
    __table_args__ = (
        sa.Index(
            "uq_certificates_holder_subject_current",
            "holder_id",
            "subject_type",
            "subject_id",
            unique=True,
            postgresql_where=_CURRENT,
            sqlite_where=_CURRENT,
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    holder_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="RESTRICT"), index=True
    )
    kind: Mapped[CertificateKind] = mapped_column(enum_type(CertificateKind, "certificate_kind"))
    subject_type: Mapped[str] = mapped_column(sa.String(32))
    subject_id: Mapped[int]
    title: Mapped[str] = mapped_column(sa.String(200))
    organization_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organizations.id", ondelete="RESTRICT"), index=True
    )
    issued_on: Mapped[date]
    serial: Mapped[str] = mapped_column(sa.String(32), unique=True)
    code: Mapped[str] = mapped_column(sa.String(32), unique=True)
    expires_on: Mapped[date | None]
    status: Mapped[CertificateStatus] = mapped_column(
        enum_type(CertificateStatus, "certificate_status"), default=CertificateStatus.valid
    )
    revoked_at: Mapped[datetime | None]
    revoke_reason: Mapped[str | None] = mapped_column(sa.String(255))
    superseded_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("certificates.id", ondelete="SET NULL")
    )
    issued_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    pdf_path: Mapped[str | None] = mapped_column(sa.String(255))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    holder: Mapped[User] = relationship(foreign_keys=[holder_id], lazy="joined", innerjoin=True)
    organization: Mapped[Organization] = relationship()

    def state(self, today: date) -> str:
        """valid / revoked / superseded, or expired when its date has passed."""
        if self.status == CertificateStatus.valid and self.expires_on and self.expires_on < today:
            return "expired"
        return self.status.value


class CertificateBatch(Base):
    """An officer's bulk issue for many holders; its progress feeds the page's progress bar."""

    __tablename__ = "certificate_batches"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    organization_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organizations.id", ondelete="RESTRICT")
    )
    kind: Mapped[CertificateKind] = mapped_column(enum_type(CertificateKind, "certificate_kind"))
    subject_type: Mapped[str] = mapped_column(sa.String(32))
    subject_id: Mapped[int]
    title: Mapped[str] = mapped_column(sa.String(200))
    issued_on: Mapped[date]
    expires_on: Mapped[date | None]
    status: Mapped[BatchStatus] = mapped_column(
        enum_type(BatchStatus, "certificate_batch_status"), default=BatchStatus.queued
    )
    total: Mapped[int] = mapped_column(default=0)
    done: Mapped[int] = mapped_column(default=0)
    zip_path: Mapped[str | None] = mapped_column(sa.String(255))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]

    organization: Mapped[Organization] = relationship()


class CertificateBatchItem(Base):
    """One holder of a batch; ``done`` once their certificate and PDF exist."""

    __tablename__ = "certificate_batch_items"
    __table_args__ = (sa.UniqueConstraint("batch_id", "holder_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(
        sa.ForeignKey("certificate_batches.id", ondelete="CASCADE")
    )
    holder_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    certificate_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("certificates.id", ondelete="SET NULL")
    )
    done: Mapped[bool] = mapped_column(default=False)

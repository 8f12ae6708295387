"""People and organizations."""

from __future__ import annotations

import enum
from datetime import date, datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.db import Base, TimestampMixin, enum_type, utcnow


class OrgKind(enum.StrEnum):
    federation = "federation"
    enterprise = "enterprise"
    workshop = "workshop"


class Role(enum.StrEnum):
    worker = "worker"
    mentor = "mentor"
    officer = "officer"
    admin = "admin"


class SkillLevel(enum.StrEnum):
    apprentice = "apprentice"
    junior = "junior"
    intermediate = "intermediate"
    senior = "senior"
    technician = "technician"
    senior_technician = "senior_technician"
    principal_technician = "principal_technician"
    chief_technician = "chief_technician"


SKILL_ORDER = {level: rank for rank, level in enumerate(SkillLevel)}


class HonorKind(enum.StrEnum):
    model_worker = "model_worker"
    craftsman = "craftsman"
    chief_technician = "chief_technician"
    technical_expert = "technical_expert"
    labour_medal = "labour_medal"


class HonorLevel(enum.StrEnum):
    national = "national"
    provincial = "provincial"
    city = "city"
    enterprise = "enterprise"


class Organization(TimestampMixin, Base):
    """A node of the tree federation → enterprise → workshop.

    ``path`` is the chain of ids from the root, e.g. ``/1/4/17/``; a subtree is
    every row whose path starts with its root's path, one indexed LIKE query.
    """

    __tablename__ = "organizations"
    __table_args__ = (sa.UniqueConstraint("parent_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    kind: Mapped[OrgKind] = mapped_column(enum_type(OrgKind, "org_kind"))
    parent_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organizations.id", ondelete="RESTRICT"), index=True
    )
    path: Mapped[str] = mapped_column(sa.String(255), default="", index=True)

    parent: Mapped[Organization | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Organization]] = relationship(back_populates="parent")

    @property
    def depth(self) -> int:
        return self.path.count("/") - 2

    def __repr__(self) -> str:
        return f"<Organization {self.id} {self.name}>"


class User(UserMixin, TimestampMixin, Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_no: Mapped[str] = mapped_column(sa.String(32), unique=True)
    mobile: Mapped[str | None] = mapped_column(sa.String(20), unique=True)
    name: Mapped[str] = mapped_column(sa.String(64), index=True)
    id_number: Mapped[str | None] = mapped_column(sa.String(18))
    email: Mapped[str | None] = mapped_column(sa.String(254))
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    organization_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organizations.id", ondelete="RESTRICT"), index=True
    )
    trade: Mapped[str | None] = mapped_column(sa.String(64), index=True)
    skill_level: Mapped[SkillLevel | None] = mapped_column(enum_type(SkillLevel, "skill_level"))
    bio: Mapped[str | None] = mapped_column(sa.Text)
    locale: Mapped[str | None] = mapped_column(sa.String(8))
    active: Mapped[bool] = mapped_column(default=True)
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None]
    last_login_at: Mapped[datetime | None]
    # Set for accounts created with an initial password (bulk import): asked to change it.
    must_change_password: Mapped[bool] = mapped_column(default=False)

    organization: Mapped[Organization] = relationship(lazy="joined", innerjoin=True)
    role_rows: Mapped[list[UserRole]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )
    # The honours a person holds now: a revoked one (撤销) is kept in ``honour_history``
    # and shown nowhere else.
    honors: Mapped[list[Honor]] = relationship(
        back_populates="user",
        cascade="all, delete-orphan",
        order_by="Honor.year.desc()",
        primaryjoin="and_(Honor.user_id == User.id, Honor.revoked_at.is_(None))",
    )
    honour_history: Mapped[list[Honor]] = relationship(viewonly=True, order_by="Honor.year.desc()")

    @property
    def roles(self) -> set[Role]:
        return {row.role for row in self.role_rows}

    def has_role(self, *roles: Role | str) -> bool:
        return bool(self.roles & {Role(r) for r in roles})

    #: The device session (UserSession id) this request is signed in with; not a column.
    #: Set by the sign-in and by the loader; Flask-Login keeps it in the signed cookie.
    device_session_id = None

    @property
    def is_active(self) -> bool:  # Flask-Login
        return self.active

    def get_id(self) -> str:
        """Flask-Login: the cookie names the device session. Without one (a request signed
        in by token) an id that names no session, so a cookie made from it signs nobody in."""
        return self.device_session_id or f"user:{self.id}"

    # One object per row in a session: equality is identity, not Flask-Login's get_id.
    __eq__ = object.__eq__
    __ne__ = object.__ne__
    __hash__ = object.__hash__

    def __repr__(self) -> str:
        return f"<User {self.id} {self.employee_no}>"


class UserRole(Base):
    __tablename__ = "user_roles"

    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[Role] = mapped_column(enum_type(Role, "role"), primary_key=True)

    user: Mapped[User] = relationship(back_populates="role_rows")


class Honor(TimestampMixin, Base):
    """An honour a person holds: model worker (劳模), craftsman (工匠) and the like."""

    __tablename__ = "honors"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "kind", "level", "year"),
        sa.CheckConstraint("year BETWEEN 1950 AND 2100", name="year_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[HonorKind] = mapped_column(enum_type(HonorKind, "honor_kind"))
    level: Mapped[HonorLevel] = mapped_column(enum_type(HonorLevel, "honor_level"))
    year: Mapped[int]
    title: Mapped[str | None] = mapped_column(sa.String(120))
    citation: Mapped[str | None] = mapped_column(sa.Text)
    # A revoked honour stays on record with the reason; public pages no longer show it.
    revoked_at: Mapped[datetime | None]
    revoked_reason: Mapped[str | None] = mapped_column(sa.String(300))

    user: Mapped[User] = relationship(back_populates="honors")


#: Levels from which a worker counts as high-skilled (高技能人才: senior worker and above).
HIGH_SKILL = frozenset(
    {
        SkillLevel.senior,
        SkillLevel.technician,
        SkillLevel.senior_technician,
        SkillLevel.principal_technician,
        SkillLevel.chief_technician,
    }
)


class SkillChange(Base):
    """A change of a person's vocational skill level (职业技能等级), with its evidence.

    The latest change by date sets ``User.skill_level``; "high-skill workers trained" counts
    the changes that reach a high-skill level from below it.
    """

    __tablename__ = "skill_changes"
    __table_args__ = (
        sa.UniqueConstraint("issuing_body", "certificate_no"),
        sa.Index("ix_skill_changes_user_changed", "user_id", "changed_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    # Two columns of one enum: each CHECK constraint needs a name of its own.
    from_level: Mapped[SkillLevel | None] = mapped_column(enum_type(SkillLevel, "from_level"))
    to_level: Mapped[SkillLevel] = mapped_column(enum_type(SkillLevel, "to_level"))
    changed_on: Mapped[date] = mapped_column(index=True)
    certificate_no: Mapped[str] = mapped_column(sa.String(64))
    issuing_body: Mapped[str] = mapped_column(sa.String(120))
    recorded_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    recorded_by: Mapped[User | None] = relationship(foreign_keys=[recorded_by_id])


class ApiToken(Base):
    """A personal API token. Only its SHA-256 is stored; the token is shown once."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(80))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    prefix: Mapped[str] = mapped_column(sa.String(12))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()


class UserSession(Base):
    """One signed-in device: the signed session cookie (and remember-me cookie) name it.

    Signing out revokes this row, so a copied cookie stops working on that device alone;
    "sign out everywhere" and a password reset revoke every row of the person.
    """

    __tablename__ = "user_sessions"

    # Random, so a row cannot be named even by someone who could sign a cookie.
    id: Mapped[str] = mapped_column(sa.String(43), primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    user_agent: Mapped[str] = mapped_column(sa.String(255), default="")
    revoked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()

"""Care for honoured people (服务): the care duty, care files, hardship cases and their
ledger, visits, check-ups and recuperation trips.

Health, income and family data are sensitive personal information: every table here is
read through ``lms.care.services`` only, which checks the care duty.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.accounts.models import Organization, User
from lms.db import Base, TimestampMixin, enum_type, utcnow

#: The largest single help amount the ledger accepts (yuan); anything above is a typo.
MAX_AMOUNT = Decimal("200000.00")


class NeedKind(enum.StrEnum):
    medical_insurance = "medical_insurance"
    housing = "housing"
    income = "income"
    illness = "illness"
    family = "family"


class HelpKind(enum.StrEnum):
    """The model-worker fund's three kinds of help."""

    living_subsidy = "living_subsidy"  # 生活困难补助
    special_hardship = "special_hardship"  # 特殊困难帮扶
    checkup_subsidy = "checkup_subsidy"  # 体检补助


class CaseStatus(enum.StrEnum):
    open = "open"
    closed = "closed"


class VisitOccasion(enum.StrEnum):
    holiday = "holiday"
    illness = "illness"
    other = "other"


class VisitStatus(enum.StrEnum):
    planned = "planned"
    done = "done"
    cancelled = "cancelled"


class NominationStatus(enum.StrEnum):
    nominated = "nominated"
    approved = "approved"
    declined = "declined"
    withdrawn = "withdrawn"


#: Nominations that hold a person's dates (and a unit's quota).
HOLDING_STATUSES = (NominationStatus.nominated, NominationStatus.approved)


class TripKind(enum.StrEnum):
    recuperation = "recuperation"  # 疗休养
    study_tour = "study_tour"  # 学习考察


class ResponseStatus(enum.StrEnum):
    pending = "pending"
    answered = "answered"


class AnsweredVia(enum.StrEnum):
    self = "self"  # the person, on the phone
    officer = "officer"  # a care officer, after a visit


class CareDuty(Base):
    """An officer's care duty: they read and keep the care files of the organization's subtree."""

    __tablename__ = "care_duties"
    __table_args__ = (sa.UniqueConstraint("user_id", "organization_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    organization_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    granted_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    organization: Mapped[Organization] = relationship()


class LivingSituation(Base):
    """One survey of a person's living conditions; the file shows the latest."""

    __tablename__ = "care_living_situations"
    __table_args__ = (sa.Index("ix_care_living_person_date", "person_id", "surveyed_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    surveyed_on: Mapped[date]
    housing: Mapped[str | None] = mapped_column(sa.String(200))
    income: Mapped[str | None] = mapped_column(sa.String(200))
    health: Mapped[str | None] = mapped_column(sa.String(200))
    family: Mapped[str | None] = mapped_column(sa.String(200))
    needs: Mapped[str | None] = mapped_column(sa.Text)
    internal: Mapped[bool] = mapped_column(default=False)
    recorded_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class CareCase(TimestampMixin, Base):
    """A hardship case (困难帮扶): one need of one person, its steps and the help paid."""

    __tablename__ = "care_cases"
    __table_args__ = (sa.Index("ix_care_cases_status_org", "status", "organization_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="RESTRICT"), index=True
    )
    # The person's organization when the case was opened: the scope it is kept in.
    organization_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organizations.id", ondelete="RESTRICT"), index=True
    )
    need: Mapped[NeedKind] = mapped_column(enum_type(NeedKind, "care_need_kind"))
    help_kind: Mapped[HelpKind] = mapped_column(enum_type(HelpKind, "care_help_kind"))
    title: Mapped[str] = mapped_column(sa.String(120))
    description: Mapped[str | None] = mapped_column(sa.Text)
    owner_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="RESTRICT"))
    status: Mapped[CaseStatus] = mapped_column(
        enum_type(CaseStatus, "care_case_status"), default=CaseStatus.open
    )
    opened_on: Mapped[date]
    closed_on: Mapped[date | None]
    outcome: Mapped[str | None] = mapped_column(sa.Text)
    internal: Mapped[bool] = mapped_column(default=False)

    person: Mapped[User] = relationship(foreign_keys=[person_id])
    owner: Mapped[User] = relationship(foreign_keys=[owner_id])
    organization: Mapped[Organization] = relationship()
    steps: Mapped[list[CaseStep]] = relationship(
        back_populates="case", order_by="CaseStep.due_on", cascade="all, delete-orphan"
    )
    payments: Mapped[list[HelpPayment]] = relationship(
        back_populates="case", order_by="HelpPayment.paid_on"
    )


class CaseStep(Base):
    """A step or follow-up of a case, due on a date; done when ``done_on`` is set."""

    __tablename__ = "care_case_steps"
    __table_args__ = (sa.Index("ix_care_steps_open_due", "done_on", "due_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(
        sa.ForeignKey("care_cases.id", ondelete="CASCADE"), index=True
    )
    text: Mapped[str] = mapped_column(sa.String(500))
    due_on: Mapped[date]
    done_on: Mapped[date | None]
    note: Mapped[str | None] = mapped_column(sa.Text)
    internal: Mapped[bool] = mapped_column(default=False)
    reminded_at: Mapped[datetime | None]
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    case: Mapped[CareCase] = relationship(back_populates="steps")


class HelpPayment(Base):
    """One amount of help paid: the yearly ledger by kind."""

    __tablename__ = "care_help_payments"
    __table_args__ = (
        sa.CheckConstraint("amount > 0 AND amount <= 200000", name="amount_range"),
        sa.CheckConstraint("year BETWEEN 2000 AND 2100", name="year_range"),
        # One health check-up subsidy per person and year, whatever reaches the database.
        sa.Index(
            "uq_care_checkup_subsidy_person_year",
            "person_id",
            "year",
            unique=True,
            postgresql_where=sa.text("kind = 'checkup_subsidy'"),
            sqlite_where=sa.text("kind = 'checkup_subsidy'"),
        ),
        sa.Index("ix_care_payments_year_kind", "year", "kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="RESTRICT"), index=True
    )
    organization_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organizations.id", ondelete="RESTRICT"), index=True
    )
    case_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("care_cases.id", ondelete="SET NULL"), index=True
    )
    kind: Mapped[HelpKind] = mapped_column(enum_type(HelpKind, "care_help_kind"))
    amount: Mapped[Decimal] = mapped_column(sa.Numeric(12, 2))
    year: Mapped[int]
    paid_on: Mapped[date]
    note: Mapped[str | None] = mapped_column(sa.String(200))
    recorded_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    case: Mapped[CareCase | None] = relationship(back_populates="payments")
    person: Mapped[User] = relationship(foreign_keys=[person_id])


class Visit(TimestampMixin, Base):
    """A visit to an honoured person (走访慰问), planned and then recorded."""

    __tablename__ = "care_visits"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="RESTRICT"), index=True
    )
    organization_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organizations.id", ondelete="RESTRICT"), index=True
    )
    occasion: Mapped[VisitOccasion] = mapped_column(enum_type(VisitOccasion, "care_visit_occasion"))
    status: Mapped[VisitStatus] = mapped_column(
        enum_type(VisitStatus, "care_visit_status"), default=VisitStatus.planned
    )
    planned_on: Mapped[date]
    visited_on: Mapped[date | None]
    visitors: Mapped[str | None] = mapped_column(sa.String(200))
    given: Mapped[str | None] = mapped_column(sa.String(200))
    note: Mapped[str | None] = mapped_column(sa.Text)
    internal: Mapped[bool] = mapped_column(default=False)
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )

    person: Mapped[User] = relationship(foreign_keys=[person_id])


class CheckupBatch(TimestampMixin, Base):
    """A year's health check-up batch for the honoured people of an organization's subtree."""

    __tablename__ = "care_checkup_batches"
    __table_args__ = (sa.CheckConstraint("year BETWEEN 2000 AND 2100", name="year_range"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    year: Mapped[int]
    organization_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organizations.id", ondelete="RESTRICT"), index=True
    )
    # Comma-separated honour levels that make a person eligible, e.g. "national,provincial".
    levels: Mapped[str] = mapped_column(sa.String(80))
    place: Mapped[str | None] = mapped_column(sa.String(200))
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )

    organization: Mapped[Organization] = relationship()
    checkups: Mapped[list[Checkup]] = relationship(back_populates="batch")


class Checkup(Base):
    """One person's place in a batch: appointment, attendance, and (care team only) notes."""

    __tablename__ = "care_checkups"
    __table_args__ = (sa.UniqueConstraint("batch_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(
        sa.ForeignKey("care_checkup_batches.id", ondelete="CASCADE"), index=True
    )
    person_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="RESTRICT"), index=True
    )
    appointment_on: Mapped[date | None]
    attended_on: Mapped[date | None]
    result_note: Mapped[str | None] = mapped_column(sa.Text)

    batch: Mapped[CheckupBatch] = relationship(back_populates="checkups")
    person: Mapped[User] = relationship()

    @property
    def done(self) -> bool:
        return self.attended_on is not None


class Trip(TimestampMixin, Base):
    """A recuperation trip (疗休养): dates, place, capacity, and how nominees are ranked."""

    __tablename__ = "care_trips"
    __table_args__ = (
        sa.CheckConstraint("ends_on >= starts_on", name="ends_after_start"),
        sa.CheckConstraint("capacity BETWEEN 1 AND 1000", name="capacity_range"),
        sa.CheckConstraint("approved_count BETWEEN 0 AND capacity", name="approved_within"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[TripKind] = mapped_column(
        enum_type(TripKind, "care_trip_kind"),
        default=TripKind.recuperation,
        server_default=TripKind.recuperation.value,
    )
    name: Mapped[str] = mapped_column(sa.String(120))
    place: Mapped[str] = mapped_column(sa.String(120))
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    capacity: Mapped[int]
    approved_count: Mapped[int] = mapped_column(default=0)
    itinerary: Mapped[str | None] = mapped_column(sa.Text)
    organization_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organizations.id", ondelete="RESTRICT"), index=True
    )
    # Priority weights: points for never having gone, for a front-line or hazardous post,
    # and per honour rank (national 3, provincial 2, city 1, enterprise 0).
    weight_first_time: Mapped[int] = mapped_column(default=50)
    weight_frontline: Mapped[int] = mapped_column(default=30)
    weight_honour: Mapped[int] = mapped_column(default=10)
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )

    organization: Mapped[Organization] = relationship()
    quotas: Mapped[list[TripQuota]] = relationship(
        back_populates="trip", cascade="all, delete-orphan"
    )

    @property
    def places_left(self) -> int:
        return self.capacity - self.approved_count


class TripQuota(Base):
    """How many people a unit may nominate for a trip."""

    __tablename__ = "care_trip_quotas"
    __table_args__ = (
        sa.UniqueConstraint("trip_id", "organization_id"),
        sa.CheckConstraint("places BETWEEN 1 AND 1000", name="places_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    trip_id: Mapped[int] = mapped_column(sa.ForeignKey("care_trips.id", ondelete="CASCADE"))
    organization_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organizations.id", ondelete="CASCADE")
    )
    places: Mapped[int]

    trip: Mapped[Trip] = relationship(back_populates="quotas")
    organization: Mapped[Organization] = relationship()


class Nomination(TimestampMixin, Base):
    """A person nominated for a trip by their unit, then approved or declined."""

    __tablename__ = "care_nominations"
    __table_args__ = (
        sa.UniqueConstraint("trip_id", "person_id"),
        sa.Index("ix_care_nominations_person_status", "person_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    trip_id: Mapped[int] = mapped_column(
        sa.ForeignKey("care_trips.id", ondelete="CASCADE"), index=True
    )
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="RESTRICT"))
    organization_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organizations.id", ondelete="RESTRICT"), index=True
    )
    quota_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("care_trip_quotas.id", ondelete="SET NULL")
    )
    frontline: Mapped[bool] = mapped_column(default=False)
    score: Mapped[int] = mapped_column(default=0)
    status: Mapped[NominationStatus] = mapped_column(
        enum_type(NominationStatus, "care_nomination_status"),
        default=NominationStatus.nominated,
    )
    attended: Mapped[bool | None]
    nominated_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    decided_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    decided_at: Mapped[datetime | None]

    trip: Mapped[Trip] = relationship()
    person: Mapped[User] = relationship(foreign_keys=[person_id])


class TripReport(Base):
    """What a participant learned on a study tour (学习考察), attached after the tour; the
    file lives in storage under an opaque key."""

    __tablename__ = "care_trip_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    trip_id: Mapped[int] = mapped_column(
        sa.ForeignKey("care_trips.id", ondelete="CASCADE"), index=True
    )
    nomination_id: Mapped[int] = mapped_column(
        sa.ForeignKey("care_nominations.id", ondelete="CASCADE"), index=True
    )
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="RESTRICT"))
    title: Mapped[str] = mapped_column(sa.String(120))
    summary: Mapped[str | None] = mapped_column(sa.Text)
    file_key: Mapped[str | None] = mapped_column(sa.String(64))
    file_name: Mapped[str | None] = mapped_column(sa.String(200))
    file_type: Mapped[str | None] = mapped_column(sa.String(100))
    file_size: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    person: Mapped[User] = relationship()


class Survey(TimestampMixin, Base):
    """A living-conditions survey campaign (生活状况调查) sent to the honoured people of an
    organization's subtree who hold an honour of one of its levels."""

    __tablename__ = "care_surveys"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    organization_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organizations.id", ondelete="RESTRICT"), index=True
    )
    # Comma-separated honour levels, e.g. "national,provincial".
    levels: Mapped[str] = mapped_column(sa.String(80))
    intro: Mapped[str | None] = mapped_column(sa.Text)
    closes_on: Mapped[date]
    sent_at: Mapped[datetime | None]
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )

    organization: Mapped[Organization] = relationship()


class SurveyResponse(Base):
    """One person's place in a survey: pending until answered (by them or by an officer);
    the answers are a ``LivingSituation`` row, which the care file shows as the latest."""

    __tablename__ = "care_survey_responses"
    __table_args__ = (
        sa.UniqueConstraint("survey_id", "person_id"),
        sa.Index("ix_care_responses_person_status", "person_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(
        sa.ForeignKey("care_surveys.id", ondelete="CASCADE"), index=True
    )
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="RESTRICT"))
    # The person's organization when the survey was sent: the scope the answers are kept in.
    organization_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organizations.id", ondelete="RESTRICT"), index=True
    )
    status: Mapped[ResponseStatus] = mapped_column(
        enum_type(ResponseStatus, "care_response_status"), default=ResponseStatus.pending
    )
    via: Mapped[AnsweredVia | None] = mapped_column(enum_type(AnsweredVia, "care_answered_via"))
    answered_at: Mapped[datetime | None]
    answered_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    situation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("care_living_situations.id", ondelete="SET NULL")
    )

    survey: Mapped[Survey] = relationship()
    person: Mapped[User] = relationship(foreign_keys=[person_id])
    organization: Mapped[Organization] = relationship()
    situation: Mapped[LivingSituation | None] = relationship()
    needs: Mapped[list[SurveyNeed]] = relationship(
        back_populates="response", order_by="SurveyNeed.id", cascade="all, delete-orphan"
    )


class SurveyNeed(Base):
    """A need the answer flagged; a care officer turns it into a case once."""

    __tablename__ = "care_survey_needs"
    __table_args__ = (sa.UniqueConstraint("response_id", "need"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(
        sa.ForeignKey("care_survey_responses.id", ondelete="CASCADE"), index=True
    )
    need: Mapped[NeedKind] = mapped_column(enum_type(NeedKind, "care_need_kind"))
    case_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("care_cases.id", ondelete="SET NULL"), unique=True
    )

    response: Mapped[SurveyResponse] = relationship(back_populates="needs")

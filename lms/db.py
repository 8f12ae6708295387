"""Database base class, column types and transaction hooks shared by every package."""

from __future__ import annotations

import enum
import logging
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, registry

# Named constraints make migrations reversible on every database.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(sa.types.TypeDecorator):
    """A timestamp that is always timezone-aware UTC in Python, whatever the database.

    SQLite has no time zones, so values are normalised to UTC before they are written
    and tagged as UTC when they are read. Naive datetimes are refused: they are bugs.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given where an aware one is required")
        value = value.astimezone(UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    registry = registry(
        metadata=sa.MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={datetime: UTCDateTime()},
    )


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


# --- work that must wait for the transaction to commit -------------------------------------

_PENDING_KEY = "lms_after_commit"


def after_commit(session: Session, callback, *args: Any, **kwargs: Any) -> None:
    """Run ``callback(*args, **kwargs)`` once the current transaction commits.

    Used to queue Celery tasks and e-mails so nothing is sent for a change that
    was rolled back, and no worker reads a row that is not yet visible.
    """
    session.info.setdefault(_PENDING_KEY, []).append((callback, args, kwargs))


@event.listens_for(Session, "after_commit")
def _run_after_commit(session: Session) -> None:
    pending = session.info.pop(_PENDING_KEY, [])
    for callback, args, kwargs in pending:
        callback(*args, **kwargs)


@event.listens_for(Session, "after_soft_rollback")
def _drop_after_rollback(session: Session, previous_transaction) -> None:
    if previous_transaction.parent is None:
        session.info.pop(_PENDING_KEY, None)


def enqueue_after_commit(session: Session, task, *args: Any, **kwargs: Any) -> None:
    """Queue a Celery task with ids as arguments once the transaction has committed.

    The change is committed by then, so a broker that is down must not turn it into an error
    page: the failure is logged and the work stays where the task's own beat sweep (an outbox
    row, a certificate without its PDF) finds it again.
    """
    after_commit(session, _delay_quietly, task, *args, **kwargs)


def _delay_quietly(task, *args: Any, **kwargs: Any) -> None:
    try:
        task.delay(*args, **kwargs)
    except Exception:  # noqa: BLE001 - any broker failure; a beat sweep picks the work up
        logging.getLogger(__name__).warning(
            "could not queue %s%r; left for its sweep", task.name, args
        )


def dialect_name(session: Session) -> str:
    """The one way code asks which database it runs on: ``"postgresql"`` or ``"sqlite"``."""
    return session.get_bind().dialect.name


def is_postgres(session: Session) -> bool:
    return dialect_name(session) == "postgresql"


def insert_ignoring_duplicates(session: Session, model, index_elements: list[str]):
    """``INSERT … ON CONFLICT (index_elements) DO NOTHING`` on PostgreSQL and SQLite alike.

    The unique constraint behind a side effect decides who wins a race; the loser's row is
    silently dropped, so a repeated task or a double submit has its effect once.
    """
    if is_postgres(session):
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(model).on_conflict_do_nothing(index_elements=index_elements)


def enum_type(cls: type[enum.Enum], name: str) -> sa.Enum:
    """An enum column type stored as plain strings with a CHECK constraint: readable in SQL,
    portable, and a new value is a small migration."""
    return sa.Enum(
        cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        values_callable=lambda e: [m.value for m in e],
        length=32,
    )


@event.listens_for(sa.Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record) -> None:
    # Only SQLite: foreign keys on, and WAL so web and worker processes can share the file.
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

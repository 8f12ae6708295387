"""Notifications keyed per person, so a repeated signal tells a person once

Revision ID: 0008_mentorship_notifications
Revises: 0006_courses_security
Create Date: 2026-12-02 13:10:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0008_mentorship_notifications"
down_revision = "0006_courses_security"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("notifications") as batch:
        batch.add_column(sa.Column("key", sa.String(length=120), nullable=True))
        batch.create_index("uq_notifications_user_key", ["user_id", "key"], unique=True)


def downgrade():
    with op.batch_alter_table("notifications") as batch:
        batch.drop_index("uq_notifications_user_key")
        batch.drop_column("key")

"""Drop users.session_token: sign-in is per device (user_sessions) and nothing reads it

Revision ID: 0026_drop_session_token
Revises: 0019_assessment
Create Date: 2026-12-03 07:50:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0026_drop_session_token"
down_revision = "0019_assessment"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("session_token")


def downgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("session_token", sa.String(length=43), nullable=False, server_default="")
        )

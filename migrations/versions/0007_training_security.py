"""Training: one link between a class and a course (dropped from the class), city-wide open
classes, and per-class check-in options (networks, a shorter QR life)

Revision ID: 0007_training_security
Revises: 0009_accounts_sessions
Create Date: 2026-12-02 13:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007_training_security'
down_revision = '0009_accounts_sessions'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('training_classes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('city_wide', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('checkin_networks', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('qr_window_seconds', sa.Integer(), nullable=True))
        batch_op.drop_index(batch_op.f('ix_training_classes_course_id'))
        batch_op.drop_constraint(batch_op.f('fk_training_classes_course_id_courses'), type_='foreignkey')
        batch_op.drop_column('course_id')


def downgrade():
    with op.batch_alter_table('training_classes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('course_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_training_classes_course_id_courses'), 'courses', ['course_id'], ['id'], ondelete='SET NULL')
        batch_op.create_index(batch_op.f('ix_training_classes_course_id'), ['course_id'], unique=False)
        batch_op.drop_column('qr_window_seconds')
        batch_op.drop_column('checkin_networks')
        batch_op.drop_column('city_wide')

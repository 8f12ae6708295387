"""Courses: watched time counted on the server; a course's audience is its own subtree.

- ``lecture_progress.watched_seconds``: the seconds of a recording a learner has watched,
  counted save by save; a video completes when it reaches 90% of the length. Rows from
  before start at 0 (a position alone no longer proves watching).
- Courses that enterprises or workshops had opened to "everyone" are narrowed to their own
  organization's subtree: only the federation (the root organization) keeps city-wide
  courses.

Revision ID: 0006_courses_security
Revises: 0005_notifications
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_courses_security"
down_revision = "0005_notifications"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("lecture_progress") as batch_op:
        batch_op.add_column(
            sa.Column("watched_seconds", sa.Integer(), server_default="0", nullable=False)
        )
    narrowed = sa.text(
        "SELECT courses.id, courses.organization_id FROM courses"
        " JOIN organizations ON organizations.id = courses.organization_id"
        " WHERE courses.visibility = 'everyone' AND organizations.parent_id IS NOT NULL"
    )
    bind = op.get_bind()
    for course_id, organization_id in bind.execute(narrowed).all():
        bind.execute(
            sa.text("DELETE FROM course_organizations WHERE course_id = :c"), {"c": course_id}
        )
        bind.execute(
            sa.text(
                "INSERT INTO course_organizations (course_id, organization_id) VALUES (:c, :o)"
            ),
            {"c": course_id, "o": organization_id},
        )
        bind.execute(
            sa.text("UPDATE courses SET visibility = 'organizations' WHERE id = :c"),
            {"c": course_id},
        )


def downgrade():
    # The narrowed audiences are not widened again: that would publish courses to people
    # their owners never chose.
    with op.batch_alter_table("lecture_progress") as batch_op:
        batch_op.drop_column("watched_seconds")

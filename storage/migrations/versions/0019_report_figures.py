"""when memberships began and ended, and the indexes the effectiveness report reads by

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-07 21:20:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

REPORT_INDEXES = [
    ("materials", "ix_materials_submitted_at", ["submitted_at"]),
    ("materials", "ix_materials_status_published", ["status", "published_at", "views"]),
    ("review_items", "ix_review_items_decided_at", ["decided_at"]),
    ("material_ratings", "ix_material_ratings_at", ["at"]),
    ("material_downloads", "ix_material_downloads_at", ["at"]),
    ("material_views", "ix_material_views_hour_views", ["hour", "material_id", "views"]),
    ("group_messages", "ix_group_messages_created_at", ["created_at"]),
    ("deliveries", "ix_deliveries_created_at", ["created_at"]),
    ("threads", "ix_threads_created_at", ["created_at"]),
    ("posts", "ix_posts_created_at", ["created_at"]),
]


def upgrade() -> None:
    with op.batch_alter_table("memberships", schema=None) as batch_op:
        batch_op.add_column(sa.Column("joined_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("left_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(
            "ix_memberships_community_joined", ["community_id", "joined_at"], unique=False
        )
    # What the effectiveness report reads by period (measured with bench/bench_reports.py).
    for table, name, columns in REPORT_INDEXES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_index(name, columns, unique=False)
    # A period's card openings from the index alone, replacing the index on the hour.
    with op.batch_alter_table("material_views", schema=None) as batch_op:
        batch_op.drop_index("ix_material_views_hour")
    # The best guess for the past: a membership began when it was approved, or asked for
    # when it needed no approval. When a left one ended was never kept.
    op.execute(
        "UPDATE memberships SET joined_at = COALESCE(decided_at, created_at)"
        " WHERE status IN ('active', 'left')"
    )


def downgrade() -> None:
    with op.batch_alter_table("material_views", schema=None) as batch_op:
        batch_op.create_index("ix_material_views_hour", ["hour"], unique=False)
    for table, name, _columns in reversed(REPORT_INDEXES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(name)
    with op.batch_alter_table("memberships", schema=None) as batch_op:
        batch_op.drop_index("ix_memberships_community_joined")
        batch_op.drop_column("left_at")
        batch_op.drop_column("joined_at")

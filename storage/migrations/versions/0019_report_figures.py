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


def upgrade() -> None:
    with op.batch_alter_table("memberships", schema=None) as batch_op:
        batch_op.add_column(sa.Column("joined_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("left_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(
            "ix_memberships_community_joined", ["community_id", "joined_at"], unique=False
        )
    # The best guess for the past: a membership began when it was approved, or asked for
    # when it needed no approval. When a left one ended was never kept.
    op.execute(
        "UPDATE memberships SET joined_at = COALESCE(decided_at, created_at)"
        " WHERE status IN ('active', 'left')"
    )


def downgrade() -> None:
    with op.batch_alter_table("memberships", schema=None) as batch_op:
        batch_op.drop_index("ix_memberships_community_joined")
        batch_op.drop_column("left_at")
        batch_op.drop_column("joined_at")

"""event series and report deadlines

Events gain a series (recurring events are one row per occurrence) and a revision
(reschedules); report deadlines and the coordinators' submissions are new.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 05:13:52.363304
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "report_deadlines",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("offsets", sa.JSON(), nullable=False),
        sa.Column(
            "creator_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "length(title) > 0", name=op.f("ck_report_deadlines_deadline_title_not_empty")
        ),
        sa.ForeignKeyConstraint(
            ["creator_id"],
            ["users.id"],
            name=op.f("fk_report_deadlines_creator_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_deadlines")),
    )
    op.create_table(
        "report_submissions",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "deadline_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("user_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["deadline_id"],
            ["report_deadlines.id"],
            name=op.f("fk_report_submissions_deadline_id_report_deadlines"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_report_submissions_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_submissions")),
        sa.UniqueConstraint(
            "deadline_id", "user_id", name=op.f("uq_report_submissions_deadline_id_user_id")
        ),
    )
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "series_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
            )
        )
        batch_op.add_column(
            sa.Column("recurrence", sa.String(length=32), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column(
                "revision",
                sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
                nullable=False,
                server_default="0",
            )
        )
        batch_op.create_index(batch_op.f("ix_events_series_id"), ["series_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_events_series_id"))
        batch_op.drop_column("revision")
        batch_op.drop_column("recurrence")
        batch_op.drop_column("series_id")

    op.drop_table("report_submissions")
    op.drop_table("report_deadlines")

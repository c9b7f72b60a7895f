"""expert reviews

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 19:54:18.737932
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "expert_reviews",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "material_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expert_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column(
            "verdict",
            sa.Enum(
                "recommended",
                "needs_work",
                name="expertverdict",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["expert_id"],
            ["users.id"],
            name=op.f("fk_expert_reviews_expert_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["material_id"],
            ["materials.id"],
            name=op.f("fk_expert_reviews_material_id_materials"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_expert_reviews")),
    )
    with op.batch_alter_table("expert_reviews", schema=None) as batch_op:
        batch_op.create_index(
            "ix_expert_reviews_material", ["material_id", "requested_at"], unique=False
        )

    with op.batch_alter_table("materials", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "expert_verdict",
                sa.Enum(
                    "recommended",
                    "needs_work",
                    name="expertverdict",
                    native_enum=False,
                    create_constraint=True,
                    length=32,
                ),
                nullable=True,
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("materials", schema=None) as batch_op:
        # The enum's CHECK names the column; it must go first or the table copy fails.
        batch_op.drop_constraint("expertverdict", type_="check")
        batch_op.drop_column("expert_verdict")

    with op.batch_alter_table("expert_reviews", schema=None) as batch_op:
        batch_op.drop_index("ix_expert_reviews_material")

    op.drop_table("expert_reviews")

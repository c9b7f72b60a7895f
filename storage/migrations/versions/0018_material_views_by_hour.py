"""material card openings counted per hour, for reports over any period

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07 20:15:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "material_views",
        sa.Column(
            "material_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("hour", sa.DateTime(timezone=True), nullable=False),
        sa.Column("views", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.ForeignKeyConstraint(
            ["material_id"],
            ["materials.id"],
            name=op.f("fk_material_views_material_id_materials"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("material_id", "hour", name=op.f("pk_material_views")),
    )
    with op.batch_alter_table("material_views", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_material_views_hour"), ["hour"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("material_views", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_material_views_hour"))
    op.drop_table("material_views")

"""sealed survey answers: unfinished answers and responses waiting for their batch

Unfinished answers and submitted responses are stored sealed with the survey key, and a
response reaches survey_responses only in a shuffled batch of at least the survey's
minimum group (docs/privacy.md).

Unfinished answers kept in the clear cannot be sealed here (the key is not the
database's): they are deleted, and those respondents start their survey again. Responses
stored before this revision stay as they are; their participants count as released.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07 16:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "survey_sealed_responses",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("survey_id", ID, nullable=False),
        sa.Column("group_id", ID, nullable=True),
        sa.Column("sealed", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["survey_id"],
            ["surveys.id"],
            name=op.f("fk_survey_sealed_responses_survey_id_surveys"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["communities.id"],
            name=op.f("fk_survey_sealed_responses_group_id_communities"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_sealed_responses")),
        sqlite_with_rowid=False,
    )
    with op.batch_alter_table("survey_participants", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("released", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(sa.Column("group_id", ID, nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_survey_participants_group_id_communities"),
            "communities",
            ["group_id"],
            ["id"],
            ondelete="SET NULL",
        )
    op.execute(sa.text("UPDATE survey_participants SET released = answered"))
    op.execute(sa.text("DELETE FROM survey_progress"))
    with op.batch_alter_table("survey_progress", schema=None) as batch_op:
        batch_op.drop_column("answers")
        batch_op.add_column(
            sa.Column("sealed", sa.LargeBinary(), nullable=False, server_default=sa.text("''"))
        )


def downgrade() -> None:
    op.execute(sa.text("DELETE FROM survey_progress"))
    with op.batch_alter_table("survey_progress", schema=None) as batch_op:
        batch_op.drop_column("sealed")
        batch_op.add_column(
            sa.Column("answers", sa.JSON(), nullable=False, server_default=sa.text("'{}'"))
        )
    with op.batch_alter_table("survey_participants", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_survey_participants_group_id_communities"), type_="foreignkey"
        )
        batch_op.drop_column("group_id")
        batch_op.drop_column("released")
    op.drop_table("survey_sealed_responses")

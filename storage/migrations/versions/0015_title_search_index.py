"""a title-only full-text index on PostgreSQL

Search takes titles that hold every word asked for first (storage/search.py). The combined
document's GIN index cannot tell a title word from a body word (weights are rechecked row
by row), so on common words that first pass was slow; a title-only tsvector with its own
GIN index makes it as cheap as the combined one. SQLite's FTS5 filters by column already.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07 17:00:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("material_search", "thread_search")


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in TABLES:
        op.execute(
            f"ALTER TABLE {table} ADD COLUMN title_document TSVECTOR"
            " GENERATED ALWAYS AS (to_tsvector('simple', title)) STORED"
        )
        op.execute(f"CREATE INDEX ix_{table}_title ON {table} USING GIN (title_document)")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in TABLES:
        op.execute(f"DROP INDEX ix_{table}_title")
        op.execute(f"ALTER TABLE {table} DROP COLUMN title_document")

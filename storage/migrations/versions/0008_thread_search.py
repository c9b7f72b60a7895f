"""thread search

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-22 23:55:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The same normalised tokens as material_search (see storage/search.py).
SQLITE_SEARCH = (
    "CREATE VIRTUAL TABLE thread_search USING fts5("
    "title, body, facets, tokenize = 'unicode61 remove_diacritics 0', prefix = '2 3 4')"
)
POSTGRES_SEARCH = (
    """
    CREATE TABLE thread_search (
        thread_id BIGINT PRIMARY KEY REFERENCES threads (id) ON DELETE CASCADE,
        title TEXT NOT NULL,
        body TEXT NOT NULL,
        facets TEXT NOT NULL,
        document TSVECTOR GENERATED ALWAYS AS
            (setweight(to_tsvector('simple', title), 'A') || to_tsvector('simple', body)) STORED,
        facet_tokens TEXT[] GENERATED ALWAYS AS (string_to_array(facets, ' ')) STORED
    )
    """,
    "CREATE INDEX ix_thread_search_document ON thread_search USING GIN (document)",
    "CREATE INDEX ix_thread_search_facets ON thread_search USING GIN (facet_tokens)",
)


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for statement in POSTGRES_SEARCH:
            op.execute(statement)
    else:
        op.execute(SQLITE_SEARCH)


def downgrade() -> None:
    op.execute("DROP TABLE IF EXISTS thread_search")

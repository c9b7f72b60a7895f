"""Alembic driven from code: the CLI and the test suite migrate the same way."""

from pathlib import Path

from alembic import command
from alembic.config import Config

from storage.db import check_sqlite_folder

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
# Tables that live outside the ORM on purpose: the search index (and FTS5's shadow tables).
UNMAPPED_TABLES = ("material_search", "thread_search")


def include_object(obj: object, name: str | None, type_: str, *_: object) -> bool:
    """Autogenerate and the models-vs-migrations test skip the unmapped tables."""
    if type_ == "table" and name and name.startswith(UNMAPPED_TABLES):
        return False
    table = getattr(obj, "table", None)
    return not (table is not None and str(table.name).startswith(UNMAPPED_TABLES))


def alembic_config(database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    # ConfigParser treats % as interpolation; URLs may carry escaped characters.
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def upgrade(database_url: str, revision: str = "head") -> None:
    check_sqlite_folder(database_url)
    command.upgrade(alembic_config(database_url), revision)


def downgrade(database_url: str, revision: str) -> None:
    command.downgrade(alembic_config(database_url), revision)


def revisions() -> list[str]:
    """Revision ids from base to head."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    return [rev.revision for rev in reversed(list(script.walk_revisions()))]

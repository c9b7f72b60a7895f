"""Russian-aware search over published materials, the same on SQLite and PostgreSQL.

Words are normalised in Python (lower case, ё→е, Snowball stems for Russian and English),
so both backends index and query identical tokens: an FTS5 table on SQLite, a GIN-indexed
tsvector on PostgreSQL. A query is rebuilt from our own tokens, so quotes, asterisks,
brackets or AND/OR/NOT typed by a user are only ever words or nothing.

Ranking: the index returns matching ids newest first and stops after a candidate window;
the window is ranked in Python (``rank``: how much of the query the title covers comes
first). For rare words the window holds every match; for the most common words (урок,
класс) it holds the freshest ones, which keeps those queries as fast as the rare ones
instead of scoring the whole index.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import Stemmer
from sqlalchemy import Row, text
from sqlalchemy.ext.asyncio import AsyncSession

# (id, title, body, facets) of the index rows that match, newest first
Rows = Sequence[Row[int, str, str, str]]

CANDIDATE_WINDOW = 200
RARE_CAP = 2000  # PostgreSQL: up to this many matches, collect them all from the GIN index
_WORD = re.compile(r"[0-9a-zа-я]+")
_CYRILLIC = re.compile(r"[а-я]")
# Operator words of search syntaxes: a user typing them means syntax, not content.
_OPERATORS = frozenset({"and", "or", "not", "near"})
# "6 класс", "6-й класс", "6 кл.", "в 6 классе", "grade 6": a grade, not words to find.
_GRADE = re.compile(
    r"(?<![\w-])(?:(?P<n>\d{1,2})(?:\s*-?\s*(?:й|ый|ой|ий|го|м))?\s*(?:класс\w*|кл)\b\.?"
    r"|grade\s+(?P<en>\d{1,2})(?!\w))",
    re.IGNORECASE,
)
_GRADE_PREPOSITIONS = frozenset({"в", "во", "для", "за", "in", "for"})
SCHOOL_GRADES = range(1, 12)


@lru_cache(maxsize=2)
def _stemmer(language: str) -> Stemmer.Stemmer:
    return Stemmer.Stemmer(language)


@lru_cache(maxsize=65_536)
def stem(word: str) -> str:
    if word.isdigit():
        return word
    language = "russian" if _CYRILLIC.search(word) else "english"
    stemmed: str = _stemmer(language).stemWord(word)  # PyStemmer ships no type hints
    return stemmed


def words(text_: str) -> list[str]:
    return _WORD.findall(text_.lower().replace("ё", "е"))


def tokens(text_: str) -> list[str]:
    return [stem(word) for word in words(text_)]


def split_grade(raw: str) -> tuple[str, int | None]:
    """A grade typed in a query ("дроби 6 класс") becomes the grade filter; the rest is
    searched. The first grade named wins; a number that is no school grade stays a word."""
    for match in _GRADE.finditer(raw):
        grade = int(match.group("n") or match.group("en"))
        if grade in SCHOOL_GRADES:
            before = raw[: match.start()].split()
            if before and before[-1].lower() in _GRADE_PREPOSITIONS:
                before.pop()
            return " ".join([*before, *raw[match.end() :].split()]), grade
    return raw, None


@dataclass(frozen=True, slots=True)
class Query:
    terms: tuple[str, ...]  # stems that must all match
    prefix: str | None  # the last word, possibly still being typed

    @property
    def empty(self) -> bool:
        return not self.terms and not self.prefix


def parse_query(raw: str, *, typing: bool = True) -> Query:
    """The last word is matched as a prefix too (it may be half typed)."""
    found = [word for word in words(raw) if word not in _OPERATORS][:12]
    if not found:
        return Query((), None)
    stems = tuple(dict.fromkeys(stem(word) for word in found))
    if typing and len(found[-1]) >= 2:
        last = found[-1]
        head = tuple(s for s in stems if s != stem(last))
        # The prefix of the stem also matches the fully typed word's other forms.
        return Query(head, min(stem(last), last, key=len))
    return Query(stems, None)


RECOMMENDED = "e1x"  # an expert recommended the material: it ranks higher


def facet_tokens(
    *, community_id: int | None, kind: str | None, grades: list[int], recommended: bool = False
) -> list[str]:
    """Filters as tokens that no word can produce (words are letters and digits only)."""
    facets = [RECOMMENDED] if recommended else []
    if community_id is not None:
        facets.append(f"c{community_id}x")
    if kind:
        facets.append(f"k{kind.replace('_', '')}x")
    facets += [f"g{grade}x" for grade in grades]
    return facets


@dataclass(frozen=True, slots=True)
class Indexed:
    title: str
    body: str
    facets: str


def document(
    *,
    title: str,
    description: str,
    tags: list[str],
    file_name: str | None,
    body: str,
    community_id: int | None,
    kind: str | None,
    grades: list[int],
    recommended: bool = False,
) -> Indexed:
    return Indexed(
        title=" ".join(tokens(title)),
        body=" ".join(tokens(" ".join([description, *tags, file_name or "", body]))),
        facets=" ".join(
            facet_tokens(
                community_id=community_id, kind=kind, grades=grades, recommended=recommended
            )
        ),
    )


class SearchIndex:
    """One full-text table (materials by default; threads use their own)."""

    def __init__(
        self, session: AsyncSession, table: str = "material_search", key: str = "material_id"
    ):
        self._session = session
        self._table = table
        self._key = key

    @property
    def _postgres(self) -> bool:
        return self._session.get_bind().dialect.name == "postgresql"

    async def put(self, row_id: int, indexed: Indexed) -> None:
        await self.remove(row_id)
        if self._postgres:
            await self._session.execute(
                text(
                    f"INSERT INTO {self._table} ({self._key}, title, body, facets)"
                    " VALUES (:id, :title, :body, :facets)"
                ),
                {
                    "id": row_id,
                    "title": indexed.title,
                    "body": indexed.body,
                    "facets": indexed.facets,
                },
            )
        else:
            await self._session.execute(
                text(
                    f"INSERT INTO {self._table} (rowid, title, body, facets)"
                    " VALUES (:id, :title, :body, :facets)"
                ),
                {
                    "id": row_id,
                    "title": indexed.title,
                    "body": indexed.body,
                    "facets": indexed.facets,
                },
            )

    async def remove(self, row_id: int) -> None:
        column = self._key if self._postgres else "rowid"
        await self._session.execute(
            text(f"DELETE FROM {self._table} WHERE {column} = :id"), {"id": row_id}
        )

    async def search(
        self, query: Query, facets: list[str], *, window: int = CANDIDATE_WINDOW
    ) -> list[int]:
        """Ids of matching published materials, best first, at most ``window`` of them."""
        if query.empty:
            return []
        # Titles that hold every word first: for common words the newest matches anywhere
        # would crowd out older lessons titled with exactly what was asked.
        rows = list(await self._candidates(query, facets, window, title_only=True))
        if len(rows) < window:
            found = {row[0] for row in rows}
            rows += [
                row
                for row in await self._candidates(query, facets, window, title_only=False)
                if row[0] not in found
            ]
        return rank(query, rows)

    async def _candidates(
        self, query: Query, facets: list[str], window: int, *, title_only: bool
    ) -> Rows:
        if self._postgres:
            return await self._search_postgres(query, facets, window, title_only)
        return await self._search_sqlite(query, facets, window, title_only)

    async def _search_sqlite(
        self, query: Query, facets: list[str], window: int, title_only: bool
    ) -> Rows:
        parts = [f'"{term}"' for term in query.terms]
        if query.prefix:
            parts.append(f'"{query.prefix}"*')
        columns = "title" if title_only else "{title body}"
        match = columns + " : (" + " AND ".join(parts) + ")"
        if facets:
            match += " AND facets : (" + " AND ".join(f'"{f}"' for f in facets) + ")"
        result = await self._session.execute(
            text(
                f"SELECT rowid, title, body, facets FROM {self._table}"
                f" WHERE {self._table} MATCH :q ORDER BY rowid DESC LIMIT :window"
            ),
            {"q": match, "window": window},
        )
        return result.all()

    async def _search_postgres(
        self, query: Query, facets: list[str], window: int, title_only: bool
    ) -> Rows:
        """Two plans, picked by how many documents match.

        Rare words: the GIN bitmap finds every match quickly and the newest are taken from
        those. Common words: walking the primary key newest-first stops after ``window``
        matches. PostgreSQL's planner cannot tell the two apart from a tsquery, so the first
        plan runs with a cap and the second takes over when the cap is reached.
        """
        parts = [f"'{term}'" for term in query.terms]
        if query.prefix:
            parts.append(f"'{query.prefix}':*")
        # The title's own tsvector has its own GIN index (migration 0015).
        column = "title_document" if title_only else "document"
        where = f"{column} @@ to_tsquery('simple', :q)"
        params: dict[str, object] = {"q": " & ".join(parts), "window": window, "cap": RARE_CAP + 1}
        if facets:
            where += " AND facet_tokens @> CAST(:facets AS text[])"
            params["facets"] = facets
        ids = (
            await self._session.scalars(
                text(f"SELECT {self._key} FROM {self._table} WHERE {where} LIMIT :cap"), params
            )
        ).all()
        if len(ids) <= RARE_CAP:
            newest = sorted(ids, reverse=True)[:window]
            result = await self._session.execute(
                text(
                    f"SELECT {self._key}, title, body, facets FROM {self._table}"
                    f" WHERE {self._key} = ANY(:ids) ORDER BY {self._key} DESC"
                ),
                {"ids": newest},
            )
            return result.all()
        result = await self._session.execute(
            text(
                f"SELECT {self._key}, title, body, facets FROM {self._table} WHERE {where}"
                f" ORDER BY {self._key} DESC LIMIT :window"
            ),
            params,
        )
        return result.all()


def rank(query: Query, rows: Rows) -> list[int]:
    """Most query words in the title first, then most in the body, then an expert's
    recommendation, then the newer. A word counts once however often it is repeated, so
    "класс класс класс" never outranks a lesson whose title holds both words asked for."""
    # Index texts are tokens joined by single spaces: a padded substring test is a token
    # test, done in C instead of building a set of every body's tokens.
    whole = tuple(f" {term} " for term in query.terms)
    prefix = f" {query.prefix}" if query.prefix else None
    recommended = f" {RECOMMENDED} "
    scored = []
    for material_id, title, body, facets in rows:
        scored.append(
            (
                -_covered(whole, prefix, f" {title} "),
                -_covered(whole, prefix, f" {body} "),
                recommended not in f" {facets} ",
                -material_id,
            )
        )
    scored.sort()
    return [-key[-1] for key in scored]


def _covered(whole: tuple[str, ...], prefix: str | None, padded: str) -> int:
    """How many query words a padded index text holds (the typed prefix as a prefix)."""
    count = sum(term in padded for term in whole)
    if prefix is not None:
        count += prefix in padded
    return count

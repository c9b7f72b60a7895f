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

import itertools
import math
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import Stemmer
from sqlalchemy import Row, text
from sqlalchemy.ext.asyncio import AsyncSession

# (id, title, body, facets) of the index rows that match, newest first
Rows = Sequence[Row[int, str, str, str]]

CANDIDATE_WINDOW = 200
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
        self._plans_set = False  # PostgreSQL: plan_cache_mode set for the search under way

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
        self._plans_set = False
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
        """The newest ``window`` matches, by whichever of two plans reads less.

        Common words: walking the primary key newest first stops after ``window`` matches.
        Rare words: the GIN index finds every match and the newest are kept. PostgreSQL's
        own choice goes wrong both ways on a large table: it cannot bound a walk it
        misjudged, and it under-prices the GIN index for common words, above all for a
        typed prefix ("урок":*), whose postings it must gather in full before it can skip
        through them. So the choice is made here from the same statistics the planner
        reads (``most_common_elems``, refreshed by ANALYZE), the walk is bounded, and a
        common prefix is checked row by row instead of being looked up in the index.
        """
        # The title's own tsvector has its own GIN index (migration 0015).
        column = "title_document" if title_only else "document"
        items = [f"'{term}'" for term in query.terms]
        if query.prefix:
            items.append(f"'{query.prefix}':*")
        share = await self._shares(column, query, facets)
        plan = share.plan(query, facets, window)
        params: dict[str, object] = {"window": window, "q": " & ".join(items)}
        facet_filter = ""
        if facets:
            facet_filter = " AND facet_tokens @> CAST(:facets AS text[])"
            params["facets"] = facets
        if plan.walk:
            result = await self._session.execute(
                text(
                    f"SELECT {self._key}, title, body, facets FROM"
                    f" (SELECT {self._key}, title, body, facets, {column}, facet_tokens"
                    f" FROM {self._table} ORDER BY {self._key} DESC LIMIT :walk) AS newest"
                    f" WHERE {column} @@ to_tsquery('simple', :q){facet_filter}"
                    f" ORDER BY {self._key} DESC LIMIT :window"
                ),
                {**params, "walk": plan.walk},
            )
            rows = result.all()
            if len(rows) == window:
                return rows
        # The index looks up the rarest of the words (ts_match_vq is @@ that no index can
        # serve, so the rest are checked on the rows found); "+ 0" keeps the planner off an
        # unbounded primary key walk.
        params["indexed"] = " & ".join(items[i] for i in plan.indexed)
        result = await self._session.execute(
            text(
                f"SELECT {self._key}, title, body, facets FROM {self._table}"
                f" WHERE {column} @@ to_tsquery('simple', :indexed)"
                f" AND ts_match_vq({column}, to_tsquery('simple', :q)){facet_filter}"
                f" ORDER BY {self._key} + 0 DESC LIMIT :window"
            ),
            params,
        )
        return result.all()

    async def _shares(self, column: str, query: Query, facets: list[str]) -> "Shares":
        """How common the words and facets are, from the statistics of the last ANALYZE."""
        if not self._plans_set:
            # For the search statements that follow in this transaction only: plans made for
            # their own words (asyncpg prepares statements, and after five runs PostgreSQL
            # may switch to a generic plan that cannot see how common a word is).
            await self._session.execute(
                text("SELECT set_config('plan_cache_mode', 'force_custom_plan', true)")
            )
            self._plans_set = True
        where = (self._session.get_bind().engine.url.render_as_string(), self._table)
        cached = _STATISTICS.get(where)
        if cached is None or time.monotonic() - cached[0] > STATISTICS_TTL:
            cached = (time.monotonic(), await self._read_statistics())
            _STATISTICS[where] = cached
        return Shares.build(column, cached[1])

    async def _read_statistics(self) -> "Statistics":
        result = await self._session.execute(
            text(
                "SELECT c.reltuples, s.attname, s.most_common_elems::text::text[],"
                " s.most_common_elem_freqs"
                " FROM pg_class AS c LEFT JOIN pg_stats AS s ON s.schemaname = current_schema()"
                " AND s.tablename = :table"
                " AND s.attname IN ('title_document', 'document', 'facet_tokens')"
                " WHERE c.oid = to_regclass(:relation)"
            ),
            {"relation": self._table, "table": self._table},
        )
        rows, columns = 0.0, {}
        for reltuples, attname, elements, shares in result.all():
            rows = max(float(reltuples or 0), 0.0)
            if attname and elements and shares:
                # the shares end with the least and the greatest share, and that of NULLs
                found = dict(zip(elements, map(float, shares[: len(elements)]), strict=True))
                columns[attname] = (float(shares[-3]), found)
        return Statistics(rows, columns)


# What PostgreSQL's statistics (most_common_elems) say about a search table, by database
# and table, reread after STATISTICS_TTL seconds: they change only when the table is
# analysed, and reading them takes longer than many a search. Stale figures can only make
# a plan slower, never change what it finds.
STATISTICS_TTL = 60.0


@dataclass(frozen=True, slots=True)
class Statistics:
    rows: float
    columns: dict[str, tuple[float, dict[str, float]]]  # column: (least share, shares)


_STATISTICS: dict[tuple[str, str], tuple[float, Statistics]] = {}


# Relative costs of the two plans, per row or index entry, measured at a million materials:
# a walk reads neighbouring rows newest first and checks each; the GIN index decodes the
# postings of exact words about as far as the rarest one's reach (it skips through the
# others), gathers every posting of a prefix into a bitmap first, and then fetches each row
# found from a page of its own.
WALK_ROW = 1.0
POSTING = 0.2
PREFIX_POSTING = 0.6
FETCHED_ROW = 4.0
MIN_WALK = 1000  # newest rows a walk reads at least
WALK_SLACK = 3  # a walk may read this many times the rows expected before the index takes over


@dataclass(frozen=True, slots=True)
class Plan:
    walk: int  # newest rows to walk through first; 0: go straight to the index
    indexed: tuple[int, ...]  # which of the query's words (the prefix last) the index looks up


@dataclass(frozen=True, slots=True)
class Shares:
    """Shares of rows holding a lexeme (or facet), as PostgreSQL's statistics see them.

    A lexeme the statistics do not list is rarer than every one they do (``floor``)."""

    rows: float
    shares: dict[str, float]
    prefixes: dict[str, float]
    floor: float

    @classmethod
    def build(cls, column: str, statistics: Statistics) -> "Shares":
        # No statistics (a new or small table): everything counts as rare.
        floor, found = statistics.columns.get(column, (0.0, {}))
        _, facets = statistics.columns.get("facet_tokens", (0.0, {}))
        return cls(statistics.rows, {**facets, **found}, found, floor / 2)

    def of(self, word: str) -> float:
        return self.shares.get(word, self.floor)

    def prefix(self, query: Query) -> float:
        if not query.prefix:
            return 1.0
        total = sum(s for lexeme, s in self.prefixes.items() if lexeme.startswith(query.prefix))
        return min(1.0, max(total, self.floor))

    def plan(self, query: Query, facets: list[str], window: int) -> Plan:
        """The cheaper plan by the relative costs above, words taken as independent."""
        words = [self.of(term) for term in query.terms]
        if query.prefix:
            words.append(self.prefix(query))
        filtered = math.prod(self.of(facet) for facet in facets)
        everything = math.prod(words) * filtered
        walk = window / everything if everything else math.inf
        # PostgreSQL may intersect the facets' own GIN index with the words' (when it pays).
        facet_bitmap = PREFIX_POSTING * sum(self.of(facet) for facet in facets)
        # Which words to look up: the cheapest set by postings decoded and rows fetched.
        exact = range(len(query.terms))
        best = math.inf
        indexed: tuple[int, ...] = (min(range(len(words)), key=words.__getitem__),)
        for chosen in _subsets(len(words)):
            in_exact = [words[i] for i in chosen if i in exact]
            postings = len(in_exact) * min(in_exact, default=0.0)
            prefixed = sum(words[i] for i in chosen if i not in exact)
            fetched = math.prod(words[i] for i in chosen)
            cost = self.rows * (
                POSTING * postings
                + PREFIX_POSTING * prefixed
                + min(FETCHED_ROW * fetched, facet_bitmap + FETCHED_ROW * fetched * filtered)
            )
            if cost < best:
                best, indexed = cost, chosen
        # A walk that may not find the whole window is only worth it when it surely will:
        # short of the window, the index has to be asked anyway (the table may have grown
        # since the statistics were taken, so even a walk "through every row" proves nothing).
        if walk <= self.rows and WALK_ROW * walk < best:
            return Plan(max(int(walk * WALK_SLACK), MIN_WALK), indexed)
        return Plan(0, indexed)


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


def _subsets(count: int) -> list[tuple[int, ...]]:
    """Non-empty subsets of range(count); past six words, only the single words and all."""
    if count > 6:
        return [(i,) for i in range(count)] + [tuple(range(count))]
    return [
        chosen
        for size in range(1, count + 1)
        for chosen in itertools.combinations(range(count), size)
    ]

"""How PostgreSQL search picks its candidates: a bounded newest-first walk for common words,
the GIN index for rare ones, and a common typed prefix checked row by row instead of looked
up. The choice is made from column statistics; whatever it is, the matches are the same."""

import pytest
from sqlalchemy import text

from storage import search
from storage.search import Plan, SearchIndex, Shares, Statistics, facet_tokens, parse_query

MILLION = 1_000_000.0


def shares(**found: float) -> Shares:
    """Statistics of a million rows: these lexemes (all in the searched column), the rest
    rarer than one in ten thousand."""
    return Shares(MILLION, dict(found), dict(found), floor=0.0001)


def test_common_words_walk_the_newest_rows() -> None:
    stats = shares(урок=0.3, класс=0.25)

    plan = stats.plan(parse_query("урок класс"), [], window=200)

    assert plan.walk >= 200 / (0.3 * 0.25)  # room for the whole window, and then some
    assert plan.walk < MILLION


def test_rare_words_are_looked_up_and_a_common_prefix_is_only_checked() -> None:
    stats = shares(урок=0.3, фотосинтез=0.0005)

    # "урок" is a prefix here (the last word, maybe still typed): gathering every posting
    # under it would cost more than checking it on the few rows "фотосинтез" finds.
    assert stats.plan(parse_query("фотосинтез урок"), [], window=200) == Plan(0, (0,))
    # Two rare words: both looked up, the index intersects them.
    assert stats.plan(parse_query("фотосинтез хлорофилл"), [], window=200) == Plan(0, (0, 1))


def test_fewer_matches_than_the_window_expected_go_straight_to_the_index() -> None:
    stats = shares(урок=0.3)

    # Expected 30 matches in 100 rows: a walk could not fill the window of 200.
    small = Shares(100.0, stats.shares, stats.prefixes, floor=0.0001)
    assert small.plan(parse_query("урок"), [], window=200).walk == 0


def test_without_statistics_everything_is_looked_up() -> None:
    stats = Shares.build("document", Statistics(0.0, {}))

    assert stats.plan(parse_query("урок класс"), [], window=200) == Plan(0, (0,))


def test_facets_count_towards_how_common_a_query_is() -> None:
    stats = Shares(MILLION, {"урок": 0.3, "c1x": 0.001}, {"урок": 0.3}, floor=0.0001)

    assert stats.plan(parse_query("урок"), [], window=200).walk
    assert not stats.plan(parse_query("урок"), ["c1x"], window=200).walk


@pytest.fixture
def postgres(repo) -> None:
    if repo.session.get_bind().dialect.name != "postgresql":
        pytest.skip("the plans are PostgreSQL's; SQLite's FTS5 has one")


@pytest.mark.parametrize("query", ["урок", "дроби", "сложение дроб", "работа учениками", "уро"])
@pytest.mark.parametrize("window", [1, 200])
async def test_walk_and_lookup_find_the_same(
    postgres, repo, library, monkeypatch, query, window
) -> None:
    _, maths, _ = library
    index = SearchIndex(repo.session)
    parsed = parse_query(query)
    everything = tuple(range(len(parsed.terms) + (parsed.prefix is not None)))
    found = {}
    for name, plan in (("walk", Plan(10**6, everything)), ("lookup", Plan(0, everything[:1]))):
        monkeypatch.setattr(Shares, "plan", lambda *_, plan=plan, **__: plan)
        for facets in ([], facet_tokens(community_id=maths.id, kind=None, grades=[])):
            found[name, tuple(facets)] = await index.search(parsed, facets, window=window)

    for facets in ((), tuple(facet_tokens(community_id=maths.id, kind=None, grades=[]))):
        assert found["walk", facets] == found["lookup", facets]
    assert found["walk", ()]  # every query finds something in the library


async def test_search_statistics_are_read_once_analysed(
    postgres, repo, library, monkeypatch
) -> None:
    monkeypatch.setattr(search, "_STATISTICS", {})  # none kept from an earlier test
    await repo.session.execute(text("ANALYZE material_search"))
    stats = await SearchIndex(repo.session)._shares("document", parse_query("урок"), [])

    assert stats.rows > 0
    assert stats.of("урок") > stats.floor


async def test_only_the_search_asks_for_plans_made_for_its_words(postgres, repo, library) -> None:
    setting = text("SELECT current_setting('plan_cache_mode')")
    assert await repo.session.scalar(setting) == "auto"

    await repo.materials.search("урок")

    # SET LOCAL: until the transaction ends, then the connection is as it was
    assert await repo.session.scalar(setting) == "force_custom_plan"
    await repo.session.commit()
    assert await repo.session.scalar(setting) == "auto"

"""Survey anonymity against the database itself (issue 16, docs/privacy.md).

Twenty people answer a survey whose minimum group is ten, in an order unlike the order
they were invited in, each with a written answer of a different length. Then an attacker
who can read everything the database keeps tries to link each respondent to their
response: on PostgreSQL with a superuser connection (xmin and xmax, ctid and cmin order,
commit timestamps, every tuple left on every page), on SQLite with the files (the order of
the rows in the file, the write-ahead log, bytes left behind by deleted rows).

"No better than chance within a batch" is checked two ways. Where the database could tie a
person to a response (a transaction id, a commit time, a dead row) the attacker must find
the whole batch tied to everyone in it, or nothing at all. Where it could only order them
(row order in a file) the attacker's best guess is scored against the truth: a random
order gets one of ten right on average, and a leak gets all ten; a batch scoring 8 or more
fails (a random order does that about once in 100,000 runs).
"""

import asyncio
import logging
import random
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, text, update
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from storage.enums import GlobalRole, QuestionKind
from storage.models import (
    SealedResponse,
    Survey,
    SurveyAnswer,
    SurveyParticipant,
    SurveyProgress,
    SurveyResponse,
)
from storage.repositories import Repo
from storage.repositories.surveys import TRACED_TABLES, Release, sealed_size
from storage.sealing import Seal, SealError, new_key
from tests.harness import until

BATCH = 10
PEOPLE = 2 * BATCH
LUCKY = 8  # right guesses in one batch that chance all but never reaches

pytestmark = pytest.mark.postgres


@dataclass
class Observed:
    """What the attacker and the test saw while people answered."""

    survey: Survey
    order: list[int]  # user ids in the order they submitted
    words: dict[int, str]  # user id -> their written answer (unique, so it names them)
    submit_xids: set[int] = field(default_factory=set)  # PostgreSQL: each answer's transaction
    sealed: list[bytes] = field(default_factory=list)  # every sealed value seen before release
    sealed_sizes: set[int] = field(default_factory=set)

    def batches(self) -> list[list[int]]:
        return [self.order[start : start + BATCH] for start in range(0, PEOPLE, BATCH)]


def written(number: int) -> str:
    """Answers from three words to three hundred: a length anyone could match."""
    return opening(number) + " ".join(["подробнее"] * (3 + number * 15))


def opening(number: int) -> str:
    """Where an answer starts: unique, and on the row's own page even when the rest of a
    long answer spills over to others."""
    return f"Ответ {number:02d}: "


async def arrange(repo: Repo, *, people: int = PEOPLE, k: int = BATCH) -> tuple[Survey, list[int]]:
    owner = await repo.users.get_or_create(555_000)
    await repo.users.give_consent(owner, username=None)
    await repo.users.grant_role(owner, GlobalRole.METHODIST, None)
    survey = await repo.surveys.create(owner, "Итоги методического дня")
    await repo.surveys.add_question(
        survey, owner, kind=QuestionKind.SCALE, text="Насколько полезен был день?"
    )
    await repo.surveys.add_question(
        survey, owner, kind=QuestionKind.TEXT, text="Что стоит изменить?", max_length=4000
    )
    await repo.surveys.publish(
        survey,
        owner,
        audience=None,
        opens_at=None,
        closes_at=repo.clock() + timedelta(days=7),
        min_group=k,
    )
    ids = []
    for number in range(people):
        user = await repo.users.get_or_create(556_000 + number)
        await repo.users.give_consent(user, username=None)
        ids.append(user.id)
    await repo.session.commit()
    await repo.surveys.invite(survey)
    await repo.session.commit()
    return survey, ids


async def answer_all(repo: Repo, engine: AsyncEngine, *, postgres: bool) -> Observed:
    survey, people = await arrange(repo)
    order = list(people)
    random.Random(16).shuffle(order)  # not the order they were invited (and stored) in
    seen = Observed(survey, order, {})
    async with engine.connect() as attacker:
        for number, user_id in enumerate(order):
            user = await repo.users.get(user_id)
            assert user is not None
            progress = await repo.surveys.start(survey, user)
            [scale, free] = survey.questions
            await repo.surveys.keep(progress, scale, {"number": 1 + number % 5})
            seen.words[user_id] = written(number)
            await repo.surveys.keep(progress, free, {"text": seen.words[user_id]})
            await repo.session.commit()
            await watch_progress(attacker, seen, user_id)
            await repo.surveys.submit(survey, user, progress)
            await repo.session.commit()
            await watch_pool(attacker, seen, user_id, postgres=postgres)
    return seen


async def watch_progress(attacker: AsyncConnection, seen: Observed, user_id: int) -> None:
    """Unfinished answers: sealed, and as long as everyone else's."""
    [sealed] = (
        await attacker.execute(
            select(SurveyProgress.sealed).where(SurveyProgress.user_id == user_id)
        )
    ).scalars()
    assert seen.words[user_id].encode() not in sealed
    seen.sealed.append(sealed)
    seen.sealed_sizes.add(len(sealed))
    await attacker.rollback()


async def watch_pool(
    attacker: AsyncConnection, seen: Observed, user_id: int, *, postgres: bool
) -> None:
    """After each answer: who answered is plain (that is the one-answer rule); what they
    answered is nowhere readable until a batch of ten is released."""
    for sealed in (await attacker.execute(select(SealedResponse.sealed))).scalars():
        assert not any(words.encode() in sealed for words in seen.words.values())
        seen.sealed.append(sealed)
        seen.sealed_sizes.add(len(sealed))
    answered = len(seen.words)
    if postgres and answered % BATCH:
        # (the answer that completes a batch is submitted in the release's own transaction)
        xid = await attacker.scalar(
            text("SELECT xmin::text::bigint FROM survey_participants WHERE user_id = :id"),
            {"id": user_id},
        )
        seen.submit_xids.add(xid)
    released = await attacker.scalar(select(func.count()).select_from(SurveyResponse))
    assert released == answered - answered % BATCH  # ten at a time, none before
    await attacker.rollback()


def authors(seen: Observed, texts: list[str]) -> list[int]:
    by_words = {words: user_id for user_id, words in seen.words.items()}
    return [by_words[each] for each in texts]


def right_guesses(guess: list[int], truth: list[int]) -> int:
    return sum(1 for a, b in zip(guess, truth, strict=True) if a == b)


def assert_chance(seen: Observed, ordered_authors: list[int], attack: str) -> None:
    """The attacker pairs the n-th response in some physical order with the n-th person to
    answer in its batch (the order a watcher of the database saw them answer in)."""
    for batch in seen.batches():
        in_batch = [author for author in ordered_authors if author in batch]
        assert sorted(in_batch) == sorted(batch)
        right = right_guesses(in_batch, batch)
        assert right < LUCKY, f"{attack}: {right} of {BATCH} linked"


def common_checks(seen: Observed, sizes: set[int]) -> None:
    """Every sealed value had one length, whatever it held: 3 words or 300."""
    assert len(seen.sealed_sizes) == 1
    assert sizes == {sealed_size(seen.survey) + 28}


# --- PostgreSQL -------------------------------------------------------------------------------


async def pages(attacker: AsyncConnection, relation: str) -> list[tuple[int, int]]:
    """(t_xmin, t_xmax) of every tuple on every page of the relation, live or dead."""
    rows = await attacker.execute(
        text(
            "SELECT t_xmin::text::bigint, coalesce(t_xmax::text::bigint, 0)"
            " FROM generate_series(0, (pg_relation_size(CAST(:rel AS regclass))"
            "       / current_setting('block_size')::int)::int - 1) AS page,"
            " LATERAL heap_page_items(get_raw_page(CAST(:rel AS text), page))"
            " WHERE t_xmin IS NOT NULL"
        ),
        {"rel": relation},
    )
    return [(xmin, xmax) for xmin, xmax in rows.all()]


async def test_postgres_superuser_cannot_link_a_respondent_to_a_response(
    repo, engine, database_url
) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("PostgreSQL: xmin, ctid, commit timestamps, pages")
    seen = await answer_all(repo, engine, postgres=True)
    common_checks(seen, seen.sealed_sizes)

    async def scrubbed() -> bool:
        """VACUUM FULL keeps what some snapshot may still see (another database's busy
        connections can hold that back for a moment); the survey pass scrubs again."""
        assert await repo.surveys.scrub()
        async with engine.connect() as attacker:
            for table in TRACED_TABLES:
                for xmin, xmax in await pages(attacker, table):
                    if xmin in seen.submit_xids or xmax in seen.submit_xids:
                        return False
        return True

    async with engine.connect() as setup:
        await setup.execute(text("CREATE EXTENSION IF NOT EXISTS pageinspect"))
        await setup.commit()
    await until(scrubbed, "a scrub left no row of an answer's transaction", timeout=30, step=0.2)

    async with engine.connect() as attacker:

        async def about_survey(sql: str) -> list:
            """The attacker's query about this survey (``:s``)."""
            return list((await attacker.execute(text(sql), {"s": seen.survey.id})).all())

        marks = await about_survey(
            "SELECT user_id, xmin::text::bigint, xmax::text::bigint"
            " FROM survey_participants WHERE survey_id = :s AND answered"
        )
        responses = await about_survey(
            "SELECT a.text, r.xmin::text::bigint, r.xmax::text::bigint"
            " FROM survey_responses r JOIN survey_answers a ON a.response_id = r.id"
            " WHERE r.survey_id = :s AND a.text <> '' ORDER BY r.ctid"
        )
        assert len(marks) == len(responses) == PEOPLE

        # 1. equal xmin / xmax: each person is tied to their whole batch, no narrower
        xid_of_person = {user_id: xmin for user_id, xmin, _ in marks}
        for batch in seen.batches():
            batch_xids = {xid_of_person[user_id] for user_id in batch}
            assert len(batch_xids) == 1  # one release transaction rewrote every mark
            [release_xid] = batch_xids
            tied = [words for words, xmin, _ in responses if xmin == release_xid]
            assert sorted(authors(seen, tied)) == sorted(batch)
        # xmax: none, or the release itself (the answers' foreign keys lock their response
        # in that transaction), which ties a row to its batch and no narrower
        release_xids = {xmin for _, xmin, _ in marks}
        for _, xmin, xmax in [*marks, *responses]:
            assert xmax in (0, xmin)
            assert xmin in release_xids
        # no mark and no response kept the transaction that submitted the answer
        assert not seen.submit_xids & {xmin for _, xmin, _ in marks}
        assert not seen.submit_xids & {xmin for _, xmin, _ in responses}

        # 2. commit timestamps: one per batch, shared by its people and its responses
        track = await attacker.scalar(text("SHOW track_commit_timestamp"))
        if track == "on":
            [(stamped,)] = await about_survey(
                "SELECT count(DISTINCT pg_xact_commit_timestamp(xmin))"
                " FROM survey_participants WHERE survey_id = :s AND answered"
            )
            assert stamped == len(seen.batches())
        # (off: a commit time belongs to a transaction id, and those are equal above)

        # 3. physical order: responses by ctid, and their answers by ctid and cmin
        assert_chance(seen, authors(seen, [words for words, *_ in responses]), "ctid")
        by_answer = (
            await attacker.execute(
                text(
                    "SELECT text FROM survey_answers WHERE text <> ''"
                    " ORDER BY cmin::text::bigint, ctid"
                )
            )
        ).scalars()
        assert_chance(seen, authors(seen, list(by_answer)), "answers' cmin, ctid")
        # the order the release rewrote the marks in
        marks_order = [
            user_id
            for (user_id,) in await about_survey(
                "SELECT user_id FROM survey_participants WHERE survey_id = :s AND answered"
                " ORDER BY ctid"
            )
        ]
        response_order = authors(seen, [words for words, *_ in responses])
        for batch in seen.batches():
            guess = [m for m in marks_order if m in batch]
            truth = [r for r in response_order if r in batch]
            assert right_guesses(guess, truth) < LUCKY, "marks' ctid against responses' ctid"

        # 4. every tuple on every page (dead ones too, and the TOAST of sealed values):
        # nothing written by an answer's own transaction is left anywhere
        relations = list(TRACED_TABLES)
        for table in TRACED_TABLES:
            toast = await attacker.scalar(
                text(
                    "SELECT reltoastrelid::regclass::text FROM pg_class"
                    " WHERE oid = CAST(:t AS regclass) AND reltoastrelid <> 0"
                ),
                {"t": table},
            )
            if toast:
                relations.append(toast)
        for relation in relations:
            for xmin, xmax in await pages(attacker, relation):
                assert xmin not in seen.submit_xids, relation
                assert xmax not in seen.submit_xids, relation
        left = await attacker.scalar(select(func.count()).select_from(SealedResponse))
        assert left == 0


# --- SQLite ---------------------------------------------------------------------------------


def read_files(path: Path) -> tuple[int, bytes]:
    """(the write-ahead log's size, the database file's bytes)."""
    wal = Path(f"{path}-wal")
    return (wal.stat().st_size if wal.exists() else 0), path.read_bytes()


async def test_sqlite_files_cannot_link_a_respondent_to_a_response(
    repo, engine, database_url
) -> None:
    if not database_url.startswith("sqlite"):
        pytest.skip("SQLite: the database file and its write-ahead log")
    path = Path(make_url(database_url).database or "")
    seen = await answer_all(repo, engine, postgres=False)
    await repo.session.close()
    assert await repo.surveys.scrub()
    common_checks(seen, seen.sealed_sizes)

    # 1. the write-ahead log, which held every page the answers touched, is empty
    wal_size, data = read_files(path)
    assert wal_size == 0

    # 2. nothing sealed before the release is left in the file (secure_delete zeroed it)
    for sealed in seen.sealed:
        assert sealed[:64] not in data

    # 3. each person's words are in the file, released (before that they were only sealed,
    # so a second copy can only be the b-tree's own: an index b-tree, as a WITHOUT ROWID
    # table is, keeps whole rows as dividers on its interior pages)
    starts = {user_id: opening(seen.order.index(user_id)).encode() for user_id in seen.words}
    assert all(start in data for start in starts.values())

    # 4. the order of the responses in the file, against the order people answered in
    at = {user_id: data.index(start) for user_id, start in starts.items()}
    assert_chance(seen, sorted(at, key=at.__getitem__), "file order of the answers")
    async with engine.connect() as attacker:
        keys = (
            await attacker.execute(
                select(SurveyResponse.id, SurveyAnswer.text)
                .join(SurveyAnswer, SurveyAnswer.response_id == SurveyResponse.id)
                .where(SurveyAnswer.text != "")
            )
        ).all()
        marks = (
            await attacker.execute(
                select(SurveyParticipant.user_id, SurveyParticipant.released).where(
                    SurveyParticipant.answered.is_(True)
                )
            )
        ).all()
    assert {released for _, released in marks} == {True}
    key_at = {key: data.index(key.encode()) for key, _ in keys}
    in_file = [words for key, words in sorted(keys, key=lambda row: key_at[row[0]])]
    assert_chance(seen, authors(seen, in_file), "file order of the response keys")


async def test_postgres_two_answers_at_once_never_release_a_batch_below_the_minimum(
    repo, sessionmaker, database_url
) -> None:
    """Two people submit at the same moment when two responses already wait and k is 3.
    Each transaction sees three; the first claims them, and the second, finding only its
    own left, must put it back to wait rather than release a batch of one."""
    if not database_url.startswith("postgresql"):
        pytest.skip("PostgreSQL: concurrent transactions (SQLite writes one at a time)")
    survey, people = await arrange(repo, people=4, k=3)
    survey_id = survey.id

    async def ready(session, user_id: int):
        other = Repo(session, repo.clock)
        mine = await other.surveys.get(survey_id)
        user = await other.users.get(user_id)
        assert user is not None
        progress = await other.surveys.start(mine, user)
        await other.surveys.keep(progress, mine.questions[0], {"number": 3})
        await other.surveys.keep(progress, mine.questions[1], {"text": f"Ответ {user_id}"})
        await session.commit()
        return other, mine, user, progress

    for user_id in people[:2]:
        async with sessionmaker() as session:
            other, mine, user, progress = await ready(session, user_id)
            assert await other.surveys.submit(mine, user, progress) == Release()
            await session.commit()
    async with sessionmaker() as first, sessionmaker() as second:
        a = await ready(first, people[2])
        b = await ready(second, people[3])
        assert await a[0].surveys.submit(*a[1:]) == Release(released=3)  # not committed yet
        late = asyncio.create_task(b[0].surveys.submit(*b[1:]))
        await until(lambda: waiting_on_a_lock(repo), "the second submit waits for the first")
        await first.commit()
        assert await late == Release()  # its batch came up short: nothing released
        await second.commit()
    repo.session.expire_all()
    survey = await repo.surveys.get(survey_id)
    assert await repo.surveys.pending(survey) == 1
    assert len(await repo.surveys.responses(survey)) == 3
    [waiting] = (
        await repo.session.scalars(
            select(SurveyParticipant.user_id).where(
                SurveyParticipant.released.is_(False), SurveyParticipant.answered.is_(True)
            )
        )
    ).all()
    assert waiting == people[3]


async def waiting_on_a_lock(repo: Repo) -> bool:
    count = await repo.session.scalar(
        text("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'")
    )
    await repo.session.rollback()
    return bool(count)


async def test_a_changed_key_holds_back_only_what_it_cannot_open(
    repo, caplog: pytest.LogCaptureFixture
) -> None:
    """The operator changed METODSET_SURVEY_KEY while a response and an unfinished answer
    waited. Answering goes on; the unfinished one starts afresh; the batch forms from
    what opens; the one that cannot open waits, is said so in the log (no values), and
    is deleted unread when the survey closes."""
    survey, people = await arrange(repo, people=6, k=3)
    old = Seal.from_text(new_key())

    async def take(user_id: int, words: str, *, submit: bool = True) -> Release:
        user = await repo.users.get(user_id)
        assert user is not None
        progress = await repo.surveys.start(survey, user)
        await repo.surveys.keep(progress, survey.questions[0], {"number": 4})
        await repo.surveys.keep(progress, survey.questions[1], {"text": words})
        release = await repo.surveys.submit(survey, user, progress) if submit else Release()
        await repo.session.commit()
        return release

    await take(people[0], "Сданный при старом ключе")
    await take(people[1], "Начатый при старом ключе", submit=False)
    size = sealed_size(survey)
    await repo.session.execute(
        update(SealedResponse).values(
            sealed=old.seal({}, size=size, context=f"response:{survey.id}")
        )
    )
    await repo.session.execute(
        update(SurveyProgress).values(
            sealed=old.seal({}, size=size, context=f"progress:{survey.id}:{people[1]}")
        )
    )
    await repo.session.commit()

    user = await repo.users.get(people[1])
    assert user is not None
    progress = await repo.surveys.start(survey, user)  # begins again, nothing lost but that
    assert (repo.surveys.answers_of(progress), progress.position) == ({}, 0)
    await repo.session.commit()
    with caplog.at_level(logging.WARNING):
        assert await take(people[1], "Ответ два") == Release()
        assert await take(people[2], "Ответ три") == Release()  # 3 wait, 2 open
        assert await take(people[3], "Ответ четыре") == Release(released=3)
    assert f"Survey {survey.id}: 1 waiting responses do not open" in caplog.text
    assert "Ответ" not in caplog.text
    texts = sorted(
        a.text for r in await repo.surveys.responses(survey) for a in r.answers if a.text
    )
    assert texts == ["Ответ два", "Ответ три", "Ответ четыре"]
    assert await repo.surveys.pending(survey) == 1
    assert await take(people[4], "Ответ пять") == Release()
    assert await take(people[5], "Ответ шесть") == Release()  # 3 wait, only 2 open
    # closing: three wait, but a batch of the two that open would be below k: all go unread
    assert await repo.surveys.close(survey) == Release(discarded=3)
    await repo.session.commit()
    assert await repo.surveys.pending(survey) == 0


# --- the seal itself ------------------------------------------------------------------------


def test_a_sealed_value_opens_only_with_its_key_and_for_its_row() -> None:
    seal = Seal.from_text(new_key())
    short = seal.seal({"1": {"number": 4}}, size=512, context="response:7")
    long = seal.seal({"1": {"text": "слово " * 40}}, size=512, context="response:7")
    assert len(short) == len(long) == 512 + 28
    assert seal.open(short, context="response:7") == {"1": {"number": 4}}
    with pytest.raises(SealError, match="another key, or for another row"):
        seal.open(short, context="response:8")  # copied into another survey's row
    with pytest.raises(SealError):
        Seal.from_text(new_key()).open(short, context="response:7")
    # longer than the survey's size: refused, rather than a longer value to match by length
    with pytest.raises(SealError, match="longer than the survey's sealed size"):
        seal.seal({"1": {"text": "слово " * 100}}, size=512, context="response:7")
    assert "слово" not in str(SealError("the answers are longer than the survey's sealed size"))

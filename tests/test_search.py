"""Search that understands Russian: word forms, ё/е, English stems, prefixes, filters, and
queries that would break an index's syntax. Runs on SQLite and PostgreSQL alike."""

import pytest

from storage.enums import (
    CommunityRole,
    CommunityStatus,
    MaterialKind,
    MaterialStatus,
    MembershipStatus,
    UserStatus,
)
from storage.models import Community, Membership, User
from storage.repositories.materials import ContentCheck, SearchFilters, Submitted
from storage.search import parse_query, tokens


async def publish(
    repo,
    author,
    community,
    title,
    *,
    description="",
    tags=(),
    kind=MaterialKind.LESSON_PLAN,
    grades=(5,),
):
    draft = await repo.materials.start_draft(author)
    draft.community_id = community.id
    draft.title = title
    draft.description = description
    draft.tags = list(tags)
    draft.kind = kind
    draft.grades = list(grades)
    await repo.session.flush()
    outcome, _ = await repo.materials.submit(draft, ContentCheck(), trusted_after=0)
    assert outcome is Submitted.PUBLISHED
    return draft


@pytest.fixture
async def library(repo):
    now = repo.clock()
    author = User(
        telegram_id=1, status=UserStatus.ACTIVE, full_name="Автор", subjects=[], created_at=now
    )
    maths = Community(title="Математики", status=CommunityStatus.ACTIVE, created_at=now)
    biology = Community(title="Биологи", status=CommunityStatus.ACTIVE, created_at=now)
    repo.session.add_all([author, maths, biology])
    await repo.session.flush()
    repo.session.add(
        Membership(
            community_id=maths.id,
            user_id=author.id,
            role=CommunityRole.EXPERT,
            status=MembershipStatus.ACTIVE,
            created_at=now,
        )
    )
    repo.session.add(
        Membership(
            community_id=biology.id,
            user_id=author.id,
            role=CommunityRole.EXPERT,
            status=MembershipStatus.ACTIVE,
            created_at=now,
        )
    )
    await repo.session.flush()
    items = {
        "fractions": await publish(
            repo,
            author,
            maths,
            "Сложение дробей",
            description="Урок для 5 класса: обыкновенные дроби",
            grades=(5,),
        ),
        "pupils": await publish(
            repo,
            author,
            maths,
            "Работа с учениками",
            description="Как мотивировать учеников",
            kind=MaterialKind.RECOMMENDATIONS,
            grades=(6, 7),
        ),
        "hedgehog": await publish(
            repo,
            author,
            biology,
            "Ёжик в лесу",
            description="Внеурочное занятие",
            kind=MaterialKind.VIDEO,
            grades=(2,),
        ),
        "english": await publish(
            repo,
            author,
            biology,
            "Teaching photosynthesis",
            description="Lesson with experiments",
            tags=("biology",),
            grades=(6,),
        ),
    }
    await repo.session.commit()
    return items, maths, biology


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("дробь", "fractions"),
        ("дроби", "fractions"),
        ("дробей", "fractions"),
        ("дробями", "fractions"),
        ("ученик", "pupils"),
        ("ученики", "pupils"),
        ("учеников", "pupils"),
        ("ежик", "hedgehog"),
        ("ёжики", "hedgehog"),
        ("ЁЖИК", "hedgehog"),
        ("photosynthesis", "english"),
        ("experiment", "english"),
        ("teach", "english"),
        ("дро", "fractions"),  # still typing
        ("сложение дроб", "fractions"),
    ],
)
async def test_word_forms_find_each_other(repo, library, query, expected) -> None:
    items, _, _ = library

    found = await repo.materials.search(query)

    assert found[:1] == [items[expected].id]


@pytest.mark.parametrize(
    ("query", "finds_fractions"),
    [
        # A query with no words left shows the newest materials, as an empty search does.
        ('"', True),
        ('""дробь', True),
        ("дробь*", True),
        ("*", True),
        ("(дроби", True),
        ("дроби)", True),
        ("дроби AND", True),  # operator words are not searched for
        ("OR NOT", True),
        ("NEAR(дробь урок)", True),
        ("title:дробь", False),  # "title" is just a word here, and no material has it
        ("дробь^5", True),
        ("'; DROP TABLE materials; --", False),
        ("дробь & | !", True),
        ("\\", True),
        ("'", True),
        (":*", True),
        ("😀 дроби", True),
        ("", True),
        ("   ", True),
    ],
)
async def test_index_syntax_in_a_query_never_errors(repo, library, query, finds_fractions) -> None:
    items, _, _ = library

    found = await repo.materials.search(query)

    assert (items["fractions"].id in found) is finds_fractions


async def test_all_words_must_match(repo, library) -> None:
    items, _, _ = library
    assert await repo.materials.search("дроби ученики") == []
    assert await repo.materials.search("работа учениками") == [items["pupils"].id]


async def test_filters_by_community_kind_and_grade(repo, library) -> None:
    items, maths, biology = library

    assert await repo.materials.search("урок", SearchFilters(community_id=maths.id)) == [
        items["fractions"].id
    ]
    assert await repo.materials.search("урок", SearchFilters(community_id=biology.id)) == []
    assert await repo.materials.search("", SearchFilters(kind=MaterialKind.VIDEO.value)) == [
        items["hedgehog"].id
    ]
    assert await repo.materials.search("мотивировать", SearchFilters(grade=7)) == [
        items["pupils"].id
    ]
    assert await repo.materials.search("мотивировать", SearchFilters(grade=5)) == []


async def test_title_matches_rank_first(repo, library) -> None:
    items, maths, _ = library
    author = items["fractions"].author
    body_only = await publish(
        repo, author, maths, "Контрольная работа", description="проверка навыков сложения дробей"
    )
    await repo.session.commit()

    found = await repo.materials.search("дроби")

    assert found == [items["fractions"].id, body_only.id]


async def test_withdrawn_materials_are_not_found(repo, library) -> None:
    items, _, _ = library
    author = items["fractions"].author

    await repo.materials.withdraw(items["fractions"].id, author)
    await repo.session.commit()

    assert await repo.materials.search("дроби") == []
    assert items["fractions"].status is MaterialStatus.WITHDRAWN


def test_normalisation_is_shared_by_index_and_query() -> None:
    assert tokens("Ёлки и ЕЛКИ") == tokens("елки и елки")
    assert parse_query("дробями", typing=False).terms == ("дроб",)
    assert parse_query("5 класс").terms == ("5",)
    assert parse_query("5 класс").prefix == "класс"

"""The conduct code in the bot: materials checked before they reach anyone, linked groups
policed as messages arrive, the sanctions ladder, and the learned filter."""

from datetime import UTC, datetime

from aiogram.types import Chat, MessageEntity, Update
from sqlalchemy import func, select

from bot.conduct import ConductBook
from storage.enums import CommunityRole, MaterialStatus, ReviewSource, SanctionKind
from storage.models import ConductHit, ConductVersion, Material, ReviewItem
from tests.flows import (
    calls_named,
    linked_group,
    material,
    sanctions,
    setup_community,
    share_document,
)
from tests.harness import BotHarness, Person, labels
from tests.people import GROUP, MODERATOR, STRANGER, TEACHER

NEWCOMER = Person(id=7102, first_name="Новичок")


# --- materials -----------------------------------------------------------------------------


async def test_a_material_that_breaks_the_code_is_refused_with_the_clause_and_kept(
    harness: BotHarness, repo
) -> None:
    h = harness
    await setup_community(h, repo)
    await share_document(h, tags="дроби, для д3билов")

    # Refused as the tags are typed (issue 13), with the clause the final check names.
    assert h.last_message(TEACHER.id).text == (
        "В тегах — нарушение кодекса: §7.2 (оскорбление участников). "
        "С таким текстом материал не опубликовать, напишите иначе."
    )
    stored = await material(repo)
    assert stored.status is MaterialStatus.DRAFT  # nothing lost: the draft waits for a fix
    assert await repo.session.scalar(select(func.count()).select_from(ReviewItem)) == 0
    assert not any("на проверку" in (c.text or "") for c in h.sent_to(MODERATOR.id))
    hit = await repo.session.scalar(select(ConductHit))
    assert (hit.rule, hit.source, hit.dry_run) == ("insult", "material", False)


async def test_a_trusted_authors_agitation_goes_to_the_queue_with_the_hits_shown(
    harness: BotHarness, repo
) -> None:
    h = harness
    community = await setup_community(h, repo)
    membership = await repo.communities.membership(
        await repo.users.by_telegram_id(TEACHER.id), community.id
    )
    membership.role = CommunityRole.EXPERT  # an expert skips premoderation ...
    await repo.session.commit()
    await share_document(h, tags="дроби, голосуйте за нашего кандидата")
    await h.tap(TEACHER, h.last_message(TEACHER.id), "Отправить")

    # ... but not the conduct code
    assert h.last_message(TEACHER.id).text.startswith("📨 Материал «Сложение дробей» отправлен")
    item = await repo.session.scalar(select(ReviewItem))
    assert item.source is ReviewSource.AUTO_FLAG
    assert {hit["rule"] for hit in item.hits} == {"politics"}
    card = h.last_message(MODERATOR.id)
    assert "Найдено проверкой по кодексу:" in card.text
    assert "• политическая пропаганда: «голосуйте за нашего кандидата» (§7.2)" in card.text


async def test_the_learned_filter_holds_what_moderators_kept_rejecting(
    harness: BotHarness, repo, sessionmaker
) -> None:
    h = harness
    community = await setup_community(h, repo)
    membership = await repo.communities.membership(
        await repo.users.by_telegram_id(TEACHER.id), community.id
    )
    membership.role = CommunityRole.EXPERT
    for text in ("диплом переподготовка дистанционно быстро", "диплом переподготовка недорого"):
        await repo.conduct.learn(community.id, text, spam=True)
    for text in ("конспект по литературе", "презентация по биологии"):
        await repo.conduct.learn(community.id, text, spam=False)
    await repo.session.commit()
    harness.dispatcher["conduct"] = ConductBook(learned_min_docs=2)

    await share_document(h, tags="диплом, переподготовка дистанционно")
    await h.tap(TEACHER, h.last_message(TEACHER.id), "Отправить")

    item = await repo.session.scalar(select(ReviewItem))
    assert item.source is ReviewSource.AUTO_FLAG
    assert item.hits[0]["rule"] == "learned"
    assert "Обученный фильтр сообщества" in h.last_message(MODERATOR.id).text

    # The moderator's rejection teaches the filter once more.
    await h.tap(MODERATOR, h.last_message(MODERATOR.id), "Отклонить")
    await h.tap(MODERATOR, h.last_message(MODERATOR.id), "Не по теме")
    model = await repo.conduct.model(community.id, ["диплом"])
    assert model.spam_docs == 3


async def test_rules_an_admin_saved_take_effect_for_the_next_check(
    harness: BotHarness, repo
) -> None:
    from moderation import rules

    h = harness
    await setup_community(h, repo)
    await share_document(h, tags="дроби, для балбесов")  # allowed while it is typed
    edited = rules.add_entry(rules.default_text(), "insult", "words", "балбес")
    author = await repo.users.by_telegram_id(MODERATOR.id)
    await repo.conduct.save_version(edited, rules.parse(edited).version, author, "balbes")
    await repo.session.commit()
    assert await repo.session.scalar(select(func.count()).select_from(ConductVersion)) == 1
    h.clock.advance(60)  # past the book's reload interval

    # The final check reads the rules saved meanwhile.
    await h.tap(TEACHER, h.last_message(TEACHER.id), "Отправить")
    assert h.last_message(TEACHER.id).text == (
        "Материал нельзя опубликовать: он нарушает §7.2 (оскорбление участников). "
        "Исправьте текст и отправьте снова."
    )


# --- linked groups ---------------------------------------------------------------------------


async def test_a_violation_in_the_group_is_deleted_and_the_author_warned_without_the_text(
    harness: BotHarness, repo
) -> None:
    h = harness
    h.started(STRANGER)  # they once opened the bot, so it can tell them privately
    await linked_group(h, repo)
    await h.send(STRANGER, "Хороший урок", chat=GROUP)
    assert not calls_named(h, "deleteMessage")

    await h.send(STRANGER, "Ты идиот, коллега", chat=GROUP)

    deleted = calls_named(h, "deleteMessage")
    assert [(c.method.chat_id) for c in deleted] == [GROUP.id]
    notice = h.last_message(GROUP.id).text
    assert notice == (
        "Гость, сообщение удалено: оно нарушает §7.2 (оскорбление участников). "
        "Предупреждение 1 из 3."
    )
    assert "идиот" not in notice
    [warning] = await sanctions(repo)
    assert warning.kind is SanctionKind.WARNING
    assert (warning.rule, warning.clause, warning.issued_by_id) == ("insult", "§7.2", None)
    # the member is told privately how to appeal
    private = h.last_message(STRANGER.id)
    assert private.text.startswith(f"Предупреждение № {warning.id} в сообществе «Математики»: §7.2")
    assert labels(private) == ["⚖️ Обжаловать"]


async def test_the_ladder_warns_then_mutes_then_bans(harness: BotHarness, repo) -> None:
    h = harness
    await linked_group(h, repo, warnings_to_mute=2, mutes_to_ban=2)
    await h.send(STRANGER, "дебил", chat=GROUP)
    assert not calls_named(h, "restrictChatMember")

    await h.send(STRANGER, "кретин", chat=GROUP)
    [mute] = calls_named(h, "restrictChatMember")
    assert mute.method.user_id == STRANGER.id
    assert mute.method.permissions.can_send_messages is False
    assert mute.method.until_date is not None
    assert "запись в группе закрыта до" in h.last_message(GROUP.id).text

    await h.send(STRANGER, "идиот", chat=GROUP)
    [ban] = calls_named(h, "banChatMember")
    assert ban.method.user_id == STRANGER.id
    assert h.last_message(GROUP.id).text.startswith("Гость исключён(а) из группы")
    kinds = [s.kind for s in await sanctions(repo)]
    assert kinds == [
        SanctionKind.WARNING,
        SanctionKind.WARNING,
        SanctionKind.MUTE,
        SanctionKind.WARNING,
        SanctionKind.BAN,
    ]


async def test_a_mute_after_more_warnings_than_the_step_counts_them_truly(
    harness: BotHarness, repo
) -> None:
    h = harness
    await linked_group(h, repo, warnings_to_mute=2, mutes_to_ban=3)
    await h.send(STRANGER, "дебил", chat=GROUP)
    await h.send(STRANGER, "кретин", chat=GROUP)
    assert "Это 2-е предупреждение" in h.last_message(GROUP.id).text
    await h.send(STRANGER, "идиот", chat=GROUP)
    assert "Это 3-е предупреждение" in h.last_message(GROUP.id).text


async def test_warnings_expire(harness: BotHarness, repo, clock) -> None:
    h = harness
    await linked_group(h, repo, warnings_to_mute=2, warning_days=1)
    await h.send(STRANGER, "дебил", chat=GROUP)
    clock.advance(2 * 24 * 3600)
    await h.send(STRANGER, "кретин", chat=GROUP)
    assert not calls_named(h, "restrictChatMember")
    assert h.last_message(GROUP.id).text.endswith("Предупреждение 1 из 2.")


async def test_moderators_are_not_policed(harness: BotHarness, repo) -> None:
    h = harness
    await linked_group(h, repo)
    await h.send(MODERATOR, "Цитирую нарушителя: «ты идиот»", chat=GROUP)
    assert not calls_named(h, "deleteMessage")


async def test_flood_gets_a_slow_down_then_a_mute(harness: BotHarness, repo) -> None:
    h = harness
    h.started(STRANGER)  # they once opened the bot, so it can tell them privately
    h.pace_seconds = 0.1
    await linked_group(h, repo, flood_messages=3, flood_seconds=10)
    for number in range(4):
        await h.send(STRANGER, f"сообщение {number}", chat=GROUP)
    assert h.last_message(GROUP.id).text == (
        "Гость, пожалуйста, не так часто: слишком много сообщений подряд."
    )
    for number in range(4):
        await h.send(STRANGER, f"ещё {number}", chat=GROUP)
    assert "за флуд" in h.last_message(GROUP.id).text
    assert calls_named(h, "restrictChatMember")
    assert [s.reason for s in await sanctions(repo, SanctionKind.MUTE)] == ["flood"]
    # told privately too, like every sanction, with the way to appeal
    notice = h.last_message(STRANGER.id)
    assert notice.text.startswith("Запись в группе сообщества «Математики» закрыта до ")
    assert "(МСК): флуд." in notice.text
    assert labels(notice) == ["⚖️ Обжаловать"]


async def test_a_newcomers_first_messages_may_not_carry_links(harness: BotHarness, repo) -> None:
    h = harness
    await linked_group(h, repo, new_member_messages=2)
    link = "смотрите https://resh.edu.ru/subject/lesson/1"
    entity = [MessageEntity(type="url", offset=9, length=35)]
    await h.send(NEWCOMER, link, chat=GROUP, entities=entity)
    assert len(calls_named(h, "deleteMessage")) == 1
    assert h.last_message(GROUP.id).text == (
        "Новичок, новые участники могут публиковать ссылки после 2 сообщений. Сообщение удалено."
    )
    await h.send(NEWCOMER, "Здравствуйте, коллеги", chat=GROUP)
    await h.send(NEWCOMER, link, chat=GROUP, entities=entity)
    assert len(calls_named(h, "deleteMessage")) == 1  # the third message may


async def test_unlinked_groups_are_left_alone(harness: BotHarness, repo) -> None:
    h = harness
    await setup_community(h, repo)
    await h.send(STRANGER, "ты идиот", chat=Chat(id=-100999, type="supergroup", title="x"))
    assert not calls_named(h, "deleteMessage")
    assert await repo.session.scalar(select(func.count()).select_from(Material)) == 0


async def test_a_message_edited_into_a_violation_is_taken_down(harness: BotHarness, repo) -> None:
    h = harness
    await linked_group(h, repo)
    original = h.message(STRANGER, "Спасибо за материалы", chat=GROUP)
    await h.feed(Update(update_id=next(h.update_ids), message=original))
    assert not calls_named(h, "deleteMessage")

    edited = h.message(
        STRANGER,
        "Спасибо за материалы, идиоты",
        chat=GROUP,
        edit_date=int(datetime.now(UTC).timestamp()),
    ).model_copy(update={"message_id": original.message_id})
    await h.feed(Update(update_id=next(h.update_ids), edited_message=edited))

    [deleted] = calls_named(h, "deleteMessage")
    assert deleted.method.message_id == original.message_id
    assert h.last_message(GROUP.id).text.endswith("Предупреждение 1 из 3.")

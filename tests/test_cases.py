"""Reports of group messages and appeals of sanctions, decided in the review queue."""

import asyncio

from sqlalchemy import select

from bot.callbacks import CaseAction, CaseCallback
from storage.enums import ReviewSource, ReviewStatus, SanctionKind
from storage.models import GroupMessage, ReviewItem
from tests.flows import calls_named, linked_group, make_moderator, register, report, sanctions
from tests.harness import BotHarness, labels
from tests.people import GROUP, MODERATOR, READER, SECOND_MODERATOR, STRANGER, TEACHER


async def test_a_reported_message_reaches_the_moderators_without_the_reporter_exposed(
    harness: BotHarness, repo
) -> None:
    h = harness
    await linked_group(h, repo)
    await report(h, READER)

    # the command leaves the group at once, and the reporter hears back privately
    [deleted] = calls_named(h, "deleteMessage")
    assert deleted.method.chat_id == GROUP.id
    assert not [c for c in h.sent_to(GROUP.id) if c.name == "sendMessage"]
    assert h.last_message(READER.id).text.startswith("Жалоба передана модераторам")

    card = h.last_message(MODERATOR.id)
    assert card.html_text.splitlines()[:5] == [
        "🚩 <b>Жалоба участника</b>",
        "Сообщество: Математики",
        "Участник: участник id7101",
        "Сообщение: «Вы все тут бездари»",
        "Жалоб: 1",
    ]
    assert "• Петров Пётр: оскорбление (всего жалоб: 1, необоснованных: 0)" in card.text
    assert labels(card) == ["🗑 Удалить и предупредить", "👌 Оставить", "📋 История участника"]
    item = await repo.session.scalar(select(ReviewItem))
    assert (item.object_type, item.source, item.priority) == (
        "group_message",
        ReviewSource.MEMBER_REPORT,
        1,
    )


async def test_repeated_reports_raise_the_priority_and_one_reporter_counts_once(
    harness: BotHarness, repo
) -> None:
    h = harness
    await linked_group(h, repo)
    target = await report(h, READER)
    await h.send(TEACHER, "/report", chat=GROUP, reply_to_message=target)
    item = await repo.session.scalar(select(ReviewItem))
    assert item.priority == 2
    assert "Жалоб: 2" in h.last_message(MODERATOR.id).text  # the card was updated in place

    await h.send(TEACHER, "/report", chat=GROUP, reply_to_message=target)
    assert h.last_message(TEACHER.id).text == "Вы уже пожаловались на это сообщение."
    assert not [c for c in h.sent_to(GROUP.id) if c.name == "sendMessage"]
    repo.session.expire_all()
    assert (await repo.session.scalar(select(ReviewItem))).priority == 2


async def test_deleting_a_reported_message_warns_its_author_and_closes_every_card(
    harness: BotHarness, repo
) -> None:
    h = harness
    h.started(STRANGER)  # they once opened the bot, so it can tell them privately
    await linked_group(h, repo)
    target = await report(h, READER)
    card = h.last_message(MODERATOR.id)
    await h.tap(MODERATOR, card, "Удалить")

    deleted = [c.method.message_id for c in calls_named(h, "deleteMessage")]
    assert target.message_id in deleted
    assert h.last_message(MODERATOR.id).text.endswith(
        "🗑 Удалено, автор предупреждён: Смирнова Ольга"
    )
    assert labels(h.last_message(MODERATOR.id)) == []
    [warning] = await sanctions(repo)
    assert warning.kind is SanctionKind.WARNING
    notice = h.last_message(STRANGER.id).text
    assert notice.startswith(f"Предупреждение № {warning.id} в сообществе «Математики»")
    assert "Петров" not in notice  # the author never learns who reported
    message = await repo.session.scalar(select(GroupMessage))
    assert message.deleted


async def test_unfounded_reports_show_on_the_reporters_next_cards(
    harness: BotHarness, repo
) -> None:
    h = harness
    await linked_group(h, repo)
    await report(h, READER, text="Хороший урок получился")
    await h.tap(MODERATOR, h.last_message(MODERATOR.id), "Оставить")
    assert h.last_message(MODERATOR.id).text.endswith("👌 Оставлено: Смирнова Ольга")
    assert await sanctions(repo) == []

    await report(h, READER, reason="спам", text="Спасибо за методичку")
    assert "(всего жалоб: 2, необоснованных: 1)" in h.last_message(MODERATOR.id).text


async def test_two_moderators_deciding_at_once_get_one_decision(harness: BotHarness, repo) -> None:
    h = harness
    community = await linked_group(h, repo)
    await register(h, SECOND_MODERATOR, full_name="Кузнецова Ирина")
    await make_moderator(repo, SECOND_MODERATOR, community)
    await report(h, READER)
    item = await repo.session.scalar(select(ReviewItem))
    card = h.last_message(MODERATOR.id)
    delete = CaseCallback(action=CaseAction.DELETE, item_id=item.id).pack()
    keep = CaseCallback(action=CaseAction.KEEP, item_id=item.id).pack()

    await asyncio.gather(h.press(MODERATOR, card, delete), h.press(SECOND_MODERATOR, card, keep))

    repo.session.expire_all()
    item = await repo.session.scalar(select(ReviewItem))
    assert item.status in (ReviewStatus.REJECTED, ReviewStatus.APPROVED)
    assert h.alerts()[-1].startswith("Решение уже принято")
    deleted = item.status is ReviewStatus.REJECTED
    assert len(await sanctions(repo)) == (1 if deleted else 0)


async def test_a_member_cannot_decide_a_case(harness: BotHarness, repo) -> None:
    h = harness
    await linked_group(h, repo)
    await report(h, READER)
    item = await repo.session.scalar(select(ReviewItem))
    card = h.last_message(MODERATOR.id)
    await h.press(TEACHER, card, CaseCallback(action=CaseAction.DELETE, item_id=item.id).pack())
    assert h.alerts()[-1] == "⛔ У вас нет прав на это действие."
    repo.session.expire_all()
    assert (await repo.session.scalar(select(ReviewItem))).status is ReviewStatus.OPEN


# --- appeals --------------------------------------------------------------------------------


async def test_an_appeal_goes_to_another_moderator_who_can_lift_the_sanction(
    harness: BotHarness, repo
) -> None:
    h = harness
    community = await linked_group(h, repo)
    await register(h, SECOND_MODERATOR, full_name="Кузнецова Ирина")
    await make_moderator(repo, SECOND_MODERATOR, community)
    await register(h, STRANGER, full_name="Гостев Гость")
    target = h.message(STRANGER, "резковато вышло", chat=GROUP)
    await h.send(MODERATOR, "/mute 1d грубость", chat=GROUP, reply_to_message=target)
    [mute] = await sanctions(repo)

    await h.send(STRANGER, f"/appeal {mute.id} коротко")
    assert h.last_message(STRANGER.id).text.startswith("Объясните, почему вы не согласны")
    await h.send(STRANGER, "/appeal 999 я ничего не делал, честно")
    assert h.last_message(STRANGER.id).text == "Санкция с таким номером не найдена среди ваших."
    await h.send(STRANGER, f"/appeal {mute.id} Я цитировал ученика, а не грубил коллегам")
    assert h.last_message(STRANGER.id).text.startswith("Апелляция отправлена")

    # the moderator who imposed it neither gets the card nor may decide it
    card = h.last_message(SECOND_MODERATOR.id)
    assert card.text.startswith("⚖️ Обжалование санкции")
    assert "Апелляция: «Я цитировал ученика, а не грубил коллегам»" in card.text
    assert not h.last_message(MODERATOR.id).text.startswith("⚖️")
    item = await repo.session.scalar(select(ReviewItem).where(ReviewItem.object_type == "appeal"))
    await h.press(MODERATOR, card, CaseCallback(action=CaseAction.LIFT, item_id=item.id).pack())
    assert h.alerts()[-1] == "⛔ У вас нет прав на это действие."

    await h.tap(SECOND_MODERATOR, card, "Снять санкцию")
    assert calls_named(h, "unbanChatMember")
    assert calls_named(h, "restrictChatMember")[-1].method.permissions.can_send_messages
    [lifted] = await sanctions(repo)
    assert lifted.lifted_at is not None
    assert h.last_message(STRANGER.id).text == (
        f"✅ Апелляция удовлетворена: санкция № {mute.id} в сообществе «Математики» снята."
    )
    await h.send(STRANGER, f"/appeal {mute.id} ещё раз хочу обжаловать это")
    assert h.last_message(STRANGER.id).text == "Эта санкция уже снята."


async def test_a_flagged_group_message_stays_and_goes_to_the_queue(
    harness: BotHarness, repo
) -> None:
    from moderation import rules

    h = harness
    await linked_group(h, repo)
    flagged = rules.set_action(rules.default_text(), "spam", rules.Action.FLAG)
    author = await repo.users.by_telegram_id(MODERATOR.id)
    await repo.conduct.save_version(flagged, rules.parse(flagged).version, author, "spam: flag")
    await repo.session.commit()

    await h.send(STRANGER, "Промокод на скидку в описании канала", chat=GROUP)

    assert not calls_named(h, "deleteMessage")
    card = h.last_message(MODERATOR.id)
    assert card.html_text.startswith("⚠️ <b>Сообщение в группе: автоматическая отметка</b>")
    assert "Сообщение: «Промокод на скидку в описании канала»" in card.text
    assert "спам и реклама" in card.text
    item = await repo.session.scalar(select(ReviewItem))
    assert (item.object_type, item.source) == ("group_message", ReviewSource.AUTO_FLAG)


async def test_an_appeal_is_a_button_on_the_notice_then_a_dialog(harness: BotHarness, repo) -> None:
    h = harness
    community = await linked_group(h, repo)
    await register(h, SECOND_MODERATOR, full_name="Кузнецова Ирина")
    await make_moderator(repo, SECOND_MODERATOR, community)
    await register(h, STRANGER, full_name="Гостев Гость")
    target = h.message(STRANGER, "резковато вышло", chat=GROUP)
    await h.send(MODERATOR, "/mute 1d грубость", chat=GROUP, reply_to_message=target)
    [mute] = await sanctions(repo)
    notice = h.last_message(STRANGER.id)
    assert notice.text.startswith("Запись в группе сообщества «Математики» закрыта до ")

    # the button asks why, and Cancel leaves nothing sent
    await h.tap(STRANGER, notice, "Обжаловать")
    asked = h.last_message(STRANGER.id)
    assert asked.text.startswith(f"Апелляция на санкцию № {mute.id} (ограничение записи")
    await h.tap(STRANGER, asked, "Отменить")
    assert h.last_message(STRANGER.id).text.startswith("Апелляция не отправлена.")

    # the reason typed next is taken, shown back, and sent on confirmation
    await h.tap(STRANGER, notice, "Обжаловать")
    asked = h.last_message(STRANGER.id)
    await h.send(STRANGER, "коротко")
    assert h.last_message(STRANGER.id).text.startswith("Объясните, почему вы не согласны")
    await h.send(STRANGER, "Я цитировал ученика, а не грубил")
    confirm = h.last_message(STRANGER.id)
    assert "«Я цитировал ученика, а не грубил»" in confirm.text
    assert labels(confirm) == ["✅ Отправить", "✏️ Написать заново", "✖ Отменить"]
    # the question's Cancel has given way to the confirmation's buttons
    assert labels(h.now(asked)) == []
    await h.tap(STRANGER, confirm, "Написать заново")
    await h.send(STRANGER, "Я цитировал ученика, а не грубил коллегам")
    await h.tap(STRANGER, h.last_message(STRANGER.id), "Отправить")
    assert h.last_message(STRANGER.id).text.startswith("Апелляция отправлена")
    card = h.last_message(SECOND_MODERATOR.id)
    assert "Апелляция: «Я цитировал ученика, а не грубил коллегам»" in card.text
    # a second press of the old confirmation sends nothing more
    await h.tap(STRANGER, confirm, "Отправить")
    items = (await repo.session.scalars(select(ReviewItem))).all()
    assert len(items) == 1
    # nor does the old Cancel say "not sent" about an appeal that was sent
    await h.tap(STRANGER, confirm, "Отменить")
    assert not h.last_message(STRANGER.id).text.startswith("Апелляция не отправлена")

    # /appeal <number> alone opens the same dialog; with a reason it still sends at once
    await h.send(STRANGER, f"/appeal {mute.id}")
    assert h.last_message(STRANGER.id).text == "Апелляция на эту санкцию уже подана."


async def test_appeal_by_number_alone_asks_for_the_reason(harness: BotHarness, repo) -> None:
    h = harness
    await linked_group(h, repo)
    await register(h, STRANGER, full_name="Гостев Гость")
    target = h.message(STRANGER, "резковато вышло", chat=GROUP)
    await h.send(MODERATOR, "/warn грубость", chat=GROUP, reply_to_message=target)
    [warning] = await sanctions(repo)
    await h.send(STRANGER, f"/appeal {warning.id}")
    assert h.last_message(STRANGER.id).text.startswith(f"Апелляция на санкцию № {warning.id}")
    await h.send(STRANGER, "Это была цитата из методички")
    await h.tap(STRANGER, h.last_message(STRANGER.id), "Отправить")
    assert h.last_message(STRANGER.id).text.startswith("Апелляция отправлена")


async def test_a_granted_appeal_of_a_ladder_mute_takes_its_warning_off_the_count(
    harness: BotHarness, repo
) -> None:
    h = harness
    community = await linked_group(h, repo, warnings_to_mute=2)
    await register(h, SECOND_MODERATOR, full_name="Кузнецова Ирина")
    await make_moderator(repo, SECOND_MODERATOR, community)
    await register(h, STRANGER, full_name="Гостев Гость")
    await h.send(STRANGER, "дебил", chat=GROUP)
    await h.send(STRANGER, "кретин", chat=GROUP)
    mute = (await sanctions(repo, SanctionKind.MUTE))[0]
    await h.send(STRANGER, f"/appeal {mute.id} Это было про персонажа книги, не про коллег")
    card = h.last_message(MODERATOR.id)
    # the card names the clause and reads the moderator's time, not a rule key in UTC
    assert "от 02.11.2026 12:00 (МСК), причина: §7.2 (оскорбление участников)" in card.text
    assert "conduct:" not in card.text
    await h.tap(MODERATOR, card, "Снять санкцию")

    member = await repo.users.by_telegram_id(STRANGER.id)
    assert await repo.conduct.active_warnings(community.id, member) == 1
    await h.tap(MODERATOR, card, "История")
    lines = h.last_message(MODERATOR.id).text.splitlines()
    assert lines[1].startswith(f"• № {mute.id}, 02.11.2026 — ограничение записи (снято)")
    assert lines[2].startswith(f"• № {mute.id - 1}, 02.11.2026 — предупреждение (снято)")

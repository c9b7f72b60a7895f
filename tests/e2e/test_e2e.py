"""What each persona's chat shows, with the bot running for real against the sandbox."""

from bot.demo import METHODIST, MODERATOR, MODERATORS_CHAT_ID, TEACHER
from tests.e2e.conftest import Player


async def onboard(teacher: Player) -> None:
    await teacher.client.start(teacher.user_id)
    await teacher.tap("Согласен")
    await teacher.sees("Как вас зовут?")
    await teacher.say("Иванова Мария Петровна", expect="организац")
    await teacher.say("Гимназия № 5", expect="Что такое «Гимназия № 5»?")
    await teacher.tap("Школа")
    await teacher.tap("Учитель-предметник")
    await teacher.tap("Математика")
    await teacher.tap("Готово")
    await teacher.sees("Теперь выберите сообщество")


async def test_onboarding_and_joining_a_community(world) -> None:
    teacher = Player(world, TEACHER.telegram_id)

    await onboard(teacher)

    profile = await teacher.sees("Ваш профиль")
    assert "Организация: Гимназия № 5" in profile.content
    view = await world.chat_view(teacher.user_id)
    assert "📚 Сообщества" in view.reply_keyboard.buttons

    await world.press_reply_button(teacher.user_id, "📚 Сообщества")
    await teacher.sees("Сообщества сети — 4 сообщества.")
    await teacher.tap("Учителя математики")
    toast = await teacher.tap("Вступить")

    assert toast == "Вы вступили в сообщество «Учителя математики»."
    card = await teacher.sees("✅ Вы участник")
    assert "Модераторы: Смирнова Ольга Викторовна" in card.content


async def test_moderator_approves_a_join_request(world) -> None:
    teacher = Player(world, TEACHER.telegram_id)
    moderator = Player(world, MODERATOR.telegram_id)
    await onboard(teacher)
    await teacher.say("/communities", expect="Сообщества сети")
    await teacher.tap("Педагоги-психологи")

    toast = await teacher.tap("Подать заявку")

    assert toast.startswith("Заявка в «Педагоги-психологи» отправлена модераторам.")
    await moderator.sees("Иванова Мария Петровна (Гимназия № 5) просит принять в сообщество")
    await moderator.tap("Одобрить")
    assert (await moderator.sees("✅ Одобрено")).content.endswith(
        "✅ Одобрено: Смирнова Ольга Викторовна"
    )
    await teacher.sees("✅ Ваша заявка в сообщество «Педагоги-психологи» одобрена.")


async def test_shared_file_is_approved_in_the_moderators_group_then_found(world) -> None:
    teacher = Player(world, TEACHER.telegram_id)
    moderator = Player(world, MODERATOR.telegram_id)
    colleague = Player(world, METHODIST.telegram_id)
    await onboard(teacher)
    await teacher.say("/communities", expect="Сообщества сети")
    await teacher.tap("Учителя математики")
    await teacher.tap("Вступить")
    await teacher.sees("✅ Вы участник")

    await teacher.say("/share", expect="Пришлите материал")
    await world.send_file(
        teacher.user_id,
        b"%PDF-1.4 demo",
        "Тригонометрические_уравнения.pdf",
        mime_type="application/pdf",
    )
    await teacher.sees("Название материала")
    await teacher.tap("Взять имя файла")
    await teacher.tap("Пропустить")
    # her only community is chosen for her (issue 13)
    await teacher.tap("План (конспект) урока")
    await teacher.tap("10 кл.")
    await teacher.tap("Готово")
    await teacher.tap("Пропустить")
    await teacher.tap("Отправить")
    assert (await teacher.last()).content.startswith("📨 Материал «Тригонометрические уравнения»")

    card = await moderator.last(MODERATORS_CHAT_ID)
    assert card.content.startswith("📨 Материал на проверку")
    await moderator.tap("Одобрить", MODERATORS_CHAT_ID)
    assert (await moderator.last(MODERATORS_CHAT_ID)).content.endswith(
        "✅ Одобрено: Смирнова Ольга Викторовна"
    )
    assert (await teacher.last()).content.startswith(
        "✅ Ваш материал «Тригонометрические уравнения»"
    )

    await colleague.say(
        "/search тригонометрическое уравнение",
        expect="🔎 «тригонометрическое уравнение»: 1 материал",
    )
    await colleague.tap("1")  # the first of the numbered results
    await colleague.tap("Скачать")

    download = await colleague.sees("Тригонометрические уравнения")
    assert download.media is not None
    assert download.media.file_name == "Тригонометрические_уравнения.pdf"
    assert await world.download(download.media.file_id) == b"%PDF-1.4 demo"

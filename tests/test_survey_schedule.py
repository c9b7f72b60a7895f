"""Surveys on a schedule: opening at the set time with invitations, reminders spread over
the open period to those who have not answered (at most reminders_max, one after
downtime), closing at the set time with the owner told (and told of the answers too few
to show, deleted unread); the templates; the results' minimum group. The job is called
directly with the test clock."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from scheduler.surveys import run_survey_schedule
from storage.enums import DeliveryState, GlobalRole, QuestionKind, SurveyStatus
from storage.models import Delivery, SealedResponse, SurveyParticipant, SurveyResponse
from storage.repositories.surveys import Release
from storage.survey_templates import template
from tests.flows import register, setup_community
from tests.harness import BotHarness, Person
from tests.people import MODERATOR, READER, TEACHER

METHODIST = Person(id=7601, first_name="Нина")
OPENS = datetime(2026, 11, 10, 7, 0, tzinfo=UTC)  # 10:00 in Moscow


async def methodist(h: BotHarness, repo):
    await register(h, METHODIST, full_name="Методистова Нина")
    user = await repo.users.by_telegram_id(METHODIST.id)
    await repo.users.grant_role(user, GlobalRole.METHODIST, None)
    await repo.session.commit()
    return user


async def deliveries(repo, prefix: str) -> list[Delivery]:
    repo.session.expire_all()
    rows = await repo.session.scalars(
        select(Delivery).where(Delivery.key.startswith(prefix)).order_by(Delivery.id)
    )
    return list(rows)


async def test_a_scheduled_survey_opens_reminds_and_closes(
    harness: BotHarness, repo, sessionmaker, clock, i18n
) -> None:
    h = harness
    community = await setup_community(h, repo)
    owner = await methodist(h, repo)
    survey = await repo.surveys.create(owner, "Итоги полугодия", "Пять минут, анонимно.")
    await repo.surveys.add_question(
        survey, owner, kind=QuestionKind.SCALE, text="Как вам полугодие?"
    )
    await repo.surveys.publish(
        survey,
        owner,
        audience=[community.id],
        opens_at=OPENS,
        closes_at=OPENS + timedelta(days=9),
        reminders_max=2,
    )
    await repo.session.commit()
    survey_id = survey.id

    async def run(at: datetime) -> dict[str, int]:
        clock.now = at
        return await run_survey_schedule(sessionmaker=sessionmaker, i18n_hub=i18n, clock=clock)

    # before its time nothing happens
    assert (await run(OPENS - timedelta(minutes=1)))["opened"] == 0
    assert await deliveries(repo, f"survey:{survey_id}:") == []

    done = await run(OPENS)
    assert (done["opened"], done["invited"]) == (1, 3)
    invitations = await deliveries(repo, f"survey:{survey_id}:invite:")
    assert sorted(d.chat_id for d in invitations) == sorted([TEACHER.id, MODERATOR.id, READER.id])
    assert invitations[0].text.startswith("📝 Анонимный опрос «Итоги полугодия»: вопросов — 1.")
    assert invitations[0].text.endswith("Пять минут, анонимно.")
    assert invitations[0].markup["inline_keyboard"][0][0]["text"] == "📝 Пройти опрос"
    assert invitations[0].expires_at.replace(tzinfo=UTC) == OPENS + timedelta(days=9)
    assert (await run(OPENS + timedelta(minutes=5)))["invited"] == 0  # nothing twice

    # one of them answers; the reminders (at a third and two thirds of nine days) skip them
    survey = await repo.surveys.get(survey_id)
    reader = await repo.users.by_telegram_id(READER.id)
    reader_id = reader.id
    progress = await repo.surveys.start(survey, reader)
    await repo.surveys.keep(progress, survey.questions[0], {"number": 5})
    await repo.surveys.submit(survey, reader, progress)
    await repo.session.commit()

    assert (await run(OPENS + timedelta(days=2, hours=23)))["reminded"] == 0
    assert (await run(OPENS + timedelta(days=3)))["reminded"] == 2
    first = await deliveries(repo, f"survey:{survey_id}:remind:1:")
    assert sorted(d.chat_id for d in first) == sorted([TEACHER.id, MODERATOR.id])
    assert first[0].text == "⏰ Вы ещё не ответили на опрос «Итоги полугодия». Осталось дней: 6."
    assert (await run(OPENS + timedelta(days=3, hours=1)))["reminded"] == 0

    # down from before the second reminder until after it: one reminder, never a third
    assert (await run(OPENS + timedelta(days=8)))["reminded"] == 2
    assert (await run(OPENS + timedelta(days=8, hours=12)))["reminded"] == 0
    assert len(await deliveries(repo, f"survey:{survey_id}:remind:")) == 4

    # the one answer waits sealed for a batch of five (the default minimum group)
    survey = await repo.surveys.get(survey_id)
    assert await repo.surveys.pending(survey) == 1

    # at its time it closes: what is still waiting is withdrawn, the lone answer is too few
    # to ever show and is deleted unread, and the owner is told both
    done = await run(OPENS + timedelta(days=9))
    assert (done["closed"], done["released"], done["discarded"]) == (1, 0, 1)
    repo.session.expire_all()
    survey = await repo.surveys.get(survey_id)
    assert survey.status is SurveyStatus.CLOSED
    [notice] = await deliveries(repo, f"survey:{survey_id}:closed")
    assert notice.chat_id == METHODIST.id
    assert notice.text == (
        "📊 Опрос «Итоги полугодия» закрыт: ответили 1 из 3. Итоги — в /surveys.\n\n"
        "Не вошли в итоги ответов: 1 — их меньше минимальной группы (5), и по ним можно"
        " было бы узнать ответивших. Они удалены непрочитанными."
    )
    survey = await repo.surveys.get(survey_id)
    assert await repo.surveys.pending(survey) == 0
    assert list(await repo.session.scalars(select(SealedResponse))) == []
    assert list(await repo.session.scalars(select(SurveyResponse))) == []
    assert await repo.surveys.results(survey) == []
    rows = await repo.session.execute(
        select(SurveyParticipant.user_id, SurveyParticipant.answered, SurveyParticipant.released)
    )
    marks = {user_id: (answered, released) for user_id, answered, released in rows}
    assert marks.pop(reader_id) == (True, True)  # answered, and settled with the discard
    assert list(marks.values()) == [(False, False)] * 2
    assert all(
        d.state is DeliveryState.CANCELLED
        for d in await deliveries(repo, f"survey:{survey_id}:remind:")
    )


async def test_templates_in_both_languages_and_the_minimum_group(
    harness: BotHarness, repo, i18n
) -> None:
    h = harness
    await setup_community(h, repo)
    owner = await methodist(h, repo)
    needs = await repo.surveys.from_template(owner, template("needs", i18n.translator("en")))
    assert needs.title == "Teachers' professional needs"
    assert [q.kind for q in needs.questions] == [
        QuestionKind.MULTIPLE,
        QuestionKind.SINGLE,
        QuestionKind.SCALE,
        QuestionKind.SINGLE,
        QuestionKind.MULTIPLE,
        QuestionKind.TEXT,
    ]
    assert needs.questions[0].allow_other
    assert not needs.questions[-1].required
    effectiveness = await repo.surveys.from_template(
        owner, template("effectiveness", i18n.translator("ru"))
    )
    assert effectiveness.questions[0].text == (
        "Насколько в целом вы удовлетворены работой сообщества?"
    )
    assert effectiveness.questions[0].scale_labels == ["совсем нет", "полностью"]

    async def answered_by_three(survey) -> None:
        await repo.surveys.invite(survey)
        for person in (TEACHER, MODERATOR, READER):
            member = await repo.users.by_telegram_id(person.id)
            progress = await repo.surveys.start(survey, member)
            for question in survey.questions:
                if question.kind is QuestionKind.SCALE:
                    await repo.surveys.keep(progress, question, {"number": 4})
                elif question.kind is QuestionKind.SINGLE:
                    await repo.surveys.keep(progress, question, {"choices": [question.options[1]]})
                elif question.kind is QuestionKind.MULTIPLE:
                    await repo.surveys.keep(progress, question, {"choices": question.options[:2]})
            await repo.surveys.submit(survey, member, progress)
        await repo.session.commit()

    # three answers under a minimum group of five (the default): nothing is shown, they
    # wait sealed, and at the close, still too few, they are deleted unread
    await repo.surveys.publish(
        needs, owner, audience=None, opens_at=None, closes_at=clock_in(repo, days=7)
    )
    assert needs.min_group == 5
    await answered_by_three(needs)
    assert await repo.surveys.results(needs) == []
    assert await repo.surveys.pending(needs) == 3
    assert await repo.surveys.close(needs) == Release(discarded=3)
    await repo.session.commit()
    assert await repo.surveys.results(needs) == []
    assert await repo.surveys.pending(needs) == 0

    # a minimum group below three is raised to three: the third answer releases the batch
    await repo.surveys.publish(
        effectiveness,
        owner,
        audience=None,
        opens_at=None,
        closes_at=clock_in(repo, days=7),
        min_group=1,
    )
    assert effectiveness.min_group == 3
    await answered_by_three(effectiveness)
    assert await repo.surveys.pending(effectiveness) == 0
    [together] = await repo.surveys.results(effectiveness)
    assert together.responses == 3
    assert together.questions[0].average == 4.0
    assert together.questions[2].counts == {"Раз в месяц": 3}


def clock_in(repo, *, days: int) -> datetime:
    return repo.clock() + timedelta(days=days)

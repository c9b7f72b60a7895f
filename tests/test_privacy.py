"""/privacy, /export_me and /delete_me."""

import json
from datetime import timedelta

from sqlalchemy import select

from storage.clock import as_utc
from storage.enums import (
    CommunityRole,
    CommunityStatus,
    EventKind,
    MaterialStatus,
    MembershipStatus,
    QuestionKind,
    ReviewSource,
    RsvpStatus,
    SanctionKind,
    SurveyStatus,
    UserStatus,
)
from storage.models import (
    Appeal,
    Community,
    ConductHit,
    Event,
    EventRsvp,
    ExpertReview,
    Material,
    Membership,
    Post,
    Report,
    ReviewItem,
    Sanction,
    SealedResponse,
    Survey,
    SurveyAnswer,
    SurveyParticipant,
    SurveyProgress,
    SurveyQuestion,
    SurveyResponse,
    Thread,
    ThreadFollow,
)
from storage.sealing import Seal
from tests.conftest import SURVEY_KEY
from tests.flows import make_community, make_moderator, register
from tests.harness import BotHarness, Person, labels, texts

TEACHER = Person(id=3001, first_name="Мария", username="maria")


async def test_privacy_policy_is_readable_before_consent(harness: BotHarness) -> None:
    calls = await harness.send(TEACHER, "/privacy")

    assert "Ваши персональные данные" in texts(calls)[0]
    assert calls[0].reply_markup is None  # nothing to export or delete yet


async def test_export_sends_everything_stored_as_a_json_file(harness: BotHarness, repo) -> None:
    h = harness
    await register(h, TEACHER)
    await make_community(repo, "Математики")
    await h.send(TEACHER, "/communities")
    await h.tap(TEACHER, h.last_message(TEACHER.id), "Математики")
    await h.tap(TEACHER, h.last_message(TEACHER.id), "Вступить")

    calls = await h.send(TEACHER, "/export_me")

    (document,) = [c for c in calls if c.name == "sendDocument"]
    assert document.caption.startswith("Все данные, которые бот хранит о вас:")
    assert document.method.document.filename == f"metodset-{TEACHER.id}.json"
    exported = json.loads(document.method.document.data)
    assert exported["full_name"] == "Иванова Мария Петровна"
    assert exported["organisation"]["name"] == "МБОУ СОШ № 1"
    assert exported["subjects"] == ["math"]
    assert exported["memberships"][0]["community"] == "Математики"


async def seed_everything(repo, person: Person) -> None:
    """One row in every table that holds the person's id, as the bot's features leave them."""
    user = await repo.users.by_telegram_id(person.id)
    moderator = await repo.users.get_or_create(9999)
    now = repo.clock()
    community = await make_community(repo, "Математики")
    s = repo.session
    s.add(
        Membership(
            community_id=community.id,
            user_id=user.id,
            role=CommunityRole.MEMBER,
            status=MembershipStatus.ACTIVE,
            created_at=now,
            notify_materials=True,
        )
    )
    s.add(
        Community(
            title="Функциональная грамотность",
            area="Метапредмет",
            status=CommunityStatus.PROPOSED,
            problem="Низкие результаты PISA",
            created_by_id=user.id,
            created_at=now,
        )
    )
    material = Material(
        author_id=user.id,
        community_id=community.id,
        status=MaterialStatus.PUBLISHED,
        title="Дроби в 6 классе",
        created_at=now,
        updated_at=now,
    )
    s.add(material)
    thread = Thread(
        community_id=community.id,
        author_id=user.id,
        title="Как объяснять дроби",
        created_at=now,
        last_post_at=now,
    )
    s.add(thread)
    await s.flush()
    s.add(ExpertReview(material_id=material.id, requested_at=now))
    s.add(Post(thread_id=thread.id, author_id=user.id, body="Через пиццу", created_at=now))
    s.add(ThreadFollow(thread_id=thread.id, user_id=user.id, created_at=now))
    item = ReviewItem(
        community_id=community.id,
        object_type="material",
        object_id=material.id,
        source=ReviewSource.MEMBER_REPORT,
        created_at=now,
    )
    s.add(item)
    sanction = Sanction(
        community_id=community.id,
        user_id=user.id,
        kind=SanctionKind.WARNING,
        reason="Флуд",
        clause="7.3",
        issued_by_id=moderator.id,
        created_at=now,
    )
    s.add(sanction)
    event = Event(
        kind=EventKind.SEMINAR,
        title="Семинар по дробям",
        starts_at=now + timedelta(days=3),
        time_zone="Europe/Moscow",
        created_at=now,
        updated_at=now,
    )
    s.add(event)
    survey = Survey(title="Нагрузка учителя", status=SurveyStatus.OPEN, created_at=now)
    s.add(survey)
    await s.flush()
    s.add(Report(review_item_id=item.id, reporter_id=user.id, reason="spam", created_at=now))
    s.add(Appeal(sanction_id=sanction.id, text="Я не флудила, это был один вопрос", created_at=now))
    s.add(
        EventRsvp(
            event_id=event.id,
            user_id=user.id,
            status=RsvpStatus.GOING,
            created_at=now,
            updated_at=now,
        )
    )
    question = SurveyQuestion(
        survey_id=survey.id, position=0, kind=QuestionKind.TEXT, text="Что мешает?"
    )
    s.add(question)
    s.add(
        SurveyParticipant(
            survey_id=survey.id,
            user_id=user.id,
            answered=True,
            released=True,
            group_id=community.id,
        )
    )
    await s.flush()
    response = SurveyResponse(id="r1", survey_id=survey.id, community_id=community.id)
    s.add(response)
    await s.flush()
    s.add(
        SurveyAnswer(
            id="a1",
            response_id=response.id,
            question_id=question.id,
            text="ТАЙНЫЙ ОТВЕТ про отчёты",
        )
    )
    second = Survey(title="Методические дни", status=SurveyStatus.OPEN, created_at=now)
    s.add(second)
    await s.flush()
    s.add(SurveyParticipant(survey_id=second.id, user_id=user.id, answered=False))
    # unfinished answers and a response waiting for its batch are stored sealed
    seal = Seal.from_text(SURVEY_KEY)
    s.add(
        SurveyProgress(
            survey_id=second.id,
            user_id=user.id,
            sealed=seal.seal(
                {str(question.id): {"text": "НЕДОПИСАННЫЙ ответ"}},
                size=256,
                context=f"progress:{second.id}:{user.id}",
            ),
        )
    )
    s.add(
        SealedResponse(
            id="s1",
            survey_id=survey.id,
            group_id=None,
            sealed=seal.seal(
                {str(question.id): {"text": "ЗАПЕЧАТАННЫЙ ответ"}},
                size=256,
                context=f"response:{survey.id}",
            ),
        )
    )
    s.add(
        ConductHit(
            at=now,
            rule="conduct:insult",
            category="insult",
            action="block",
            source="post",
            community_id=community.id,
            user_id=user.id,
        )
    )
    await repo.audit.record(
        moderator,
        "sanction.warning",
        "sanction",
        sanction.id,
        user=user.id,
        community=community.id,
        reason="Флуд",
    )
    await s.commit()


async def test_export_holds_every_table_about_the_person_but_no_survey_answers(
    harness: BotHarness, repo
) -> None:
    h = harness
    await register(h, TEACHER)
    await seed_everything(repo, TEACHER)

    calls = await h.send(TEACHER, "/export_me")

    (document,) = [c for c in calls if c.name == "sendDocument"]
    raw = document.method.document.data.decode()
    exported = json.loads(raw)
    assert exported["memberships"][0]["new_materials_subscription"] is True
    assert exported["community_applications"][0]["title"] == "Функциональная грамотность"
    assert exported["materials"][0]["title"] == "Дроби в 6 классе"
    assert exported["expertise_requests"][0]["material"] == "Дроби в 6 классе"
    assert exported["threads_started"][0]["title"] == "Как объяснять дроби"
    assert exported["thread_posts"][0]["body"] == "Через пиццу"
    assert exported["thread_follows"][0]["thread"] == "Как объяснять дроби"
    assert exported["reports_made"][0]["reason"] == "spam"
    assert exported["sanctions"][0]["reason"] == "Флуд"
    assert exported["appeals"][0]["text"] == "Я не флудила, это был один вопрос"
    assert exported["event_rsvps"][0] == {
        "event": "Семинар по дробям",
        "starts_at": exported["event_rsvps"][0]["starts_at"],
        "answer": "going",
        "updated_at": exported["event_rsvps"][0]["updated_at"],
    }
    assert exported["conduct_checks"][0]["rule"] == "conduct:insult"
    participation = {row["survey"]: row for row in exported["survey_participation"]}
    assert participation["Нагрузка учителя"]["answered"] is True
    assert participation["Методические дни"]["answer_in_progress"] is True
    about = exported["audit_log_about_you"]
    assert [(e["action"], e["by_you"]) for e in about] == [("sanction.warning", False)]
    # The moderator who acted is not named; the survey answers are never there.
    assert "actor" not in about[0] and "actor_id" not in about[0]
    assert "ТАЙНЫЙ" not in raw and "НЕДОПИСАННЫЙ" not in raw and "ЗАПЕЧАТАННЫЙ" not in raw


async def test_delete_asks_then_erases_personal_data(harness: BotHarness, repo) -> None:
    h = harness
    await register(h, TEACHER)
    await make_community(repo, "Математики")
    await h.send(TEACHER, "/communities")
    await h.tap(TEACHER, h.last_message(TEACHER.id), "Математики")
    await h.tap(TEACHER, h.last_message(TEACHER.id), "Вступить")

    await h.send(TEACHER, "/delete_me")
    assert labels(h.last_message(TEACHER.id)) == ["Да, удалить", "Отмена"]
    calls = await h.tap(TEACHER, h.last_message(TEACHER.id), "Да, удалить")

    assert texts(calls) == [
        "Ваши персональные данные удалены. Опубликованное остаётся с подписью «удалённый участник».",
        "Если захотите вернуться — отправьте /start.",
    ]
    repo.session.expire_all()
    user = await repo.users.by_telegram_id(TEACHER.id)
    assert user.status is UserStatus.DELETED
    assert (user.full_name, user.username, user.organisation_id, user.position) == (
        None,
        None,
        None,
        None,
    )
    assert user.subjects == []
    # The membership ends (the community's figures count who left when) but is no more.
    ended = (await repo.session.scalars(select(Membership))).all()
    assert [(m.status, as_utc(m.left_at)) for m in ended] == [(MembershipStatus.LEFT, repo.clock())]
    calls = await h.send(TEACHER, "/communities")
    assert "/start" in texts(calls)[0]


async def test_delete_can_be_cancelled(harness: BotHarness, repo) -> None:
    h = harness
    await register(h, TEACHER)
    await h.send(TEACHER, "/delete_me")

    await h.tap(TEACHER, h.last_message(TEACHER.id), "Отмена")

    assert h.last_message(TEACHER.id).text == "Удаление отменено, данные на месте."
    repo.session.expire_all()
    assert (await repo.users.by_telegram_id(TEACHER.id)).full_name == "Иванова Мария Петровна"


async def test_erased_member_is_shown_anonymously(harness: BotHarness, repo) -> None:
    h = harness
    moderator = Person(id=3002)
    await register(h, moderator, full_name="Смирнова Ольга")
    community = await make_community(repo, "Математики")
    await make_moderator(repo, moderator, community)
    await register(h, TEACHER)
    await h.send(moderator, "/delete_me")
    await h.tap(moderator, h.last_message(moderator.id), "Да, удалить")

    await h.send(TEACHER, "/communities")
    await h.tap(TEACHER, h.last_message(TEACHER.id), "Математики")

    assert "Смирнова" not in h.last_message(TEACHER.id).text

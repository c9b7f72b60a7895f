"""Anonymous surveys: building, publishing, answering once, results that cannot single
anyone out, even to someone who reads the database itself (docs/privacy.md).

Anonymity by design: ``SurveyParticipant`` knows who was invited and whether they have
answered, and nothing else; ``SurveyProgress`` keeps an unfinished respondent's answers,
sealed, and is deleted when the response is submitted; the response waits sealed in
``SealedResponse`` until its group holds ``min_group``, and the whole batch is then
released at once (``release``); ``SurveyResponse`` and ``SurveyAnswer`` carry random keys,
the survey, the community the results are grouped by, and the answers: no user, no
message id, no time. Nothing joins the two sides.
"""

import logging
import secrets
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from storage.clock import Clock
from storage.db import insert_new, rowcount, scrub_tables
from storage.enums import (
    GlobalRole,
    MembershipStatus,
    QuestionKind,
    SurveyStatus,
)
from storage.errors import InvalidState, NotFound, PermissionDenied
from storage.models import (
    Membership,
    SealedResponse,
    Survey,
    SurveyAnswer,
    SurveyParticipant,
    SurveyProgress,
    SurveyQuestion,
    SurveyResponse,
    User,
)
from storage.repositories.audit import AuditRepo
from storage.repositories.users import reachable
from storage.sealing import SEAL_INFO, Seal, SealError, padded_size

logger = logging.getLogger(__name__)

# One stored answer ({"number": 4}, {"choices": [0, 2]}, {"text": ...}) and a respondent's
# answers so far, by question id.
Answer = dict[str, Any]
Answers = dict[str, Answer]

RUNNER_ROLES = {GlobalRole.ADMIN, GlobalRole.METHODIST, GlobalRole.COORDINATOR}
TITLE_MAX = 150
INTRO_MAX = 1000
QUESTION_MAX = 500
OPTION_MAX = 100
OPTIONS_MAX = 10
QUESTIONS_MAX = 30
TEXT_LIMIT_MAX = 4000
# The smallest minimum group: responses reach the results in batches of at least this many
# (a batch of one would be its author's answers, plainly).
MIN_GROUP_FLOOR = 3


def _key() -> str:
    return secrets.token_hex(16)


# What a release leaves traces of: rows deleted (sealed responses, progress) and marks
# rewritten (participants), beside the rows it writes.
TRACED_TABLES = (
    "survey_sealed_responses",
    "survey_progress",
    "survey_participants",
    "survey_responses",
    "survey_answers",
)


class _ShortBatch(Exception):
    """Fewer sealed responses were claimed than a batch needs."""


@dataclass(frozen=True)
class Release:
    """What a release did: responses released into the results, and (only when a survey
    closes) responses too few to ever show, deleted unread."""

    released: int = 0
    discarded: int = 0

    def __bool__(self) -> bool:
        """Anything left traces to scrub."""
        return bool(self.released or self.discarded)


def _progress_context(progress: SurveyProgress) -> str:
    return f"progress:{progress.survey_id}:{progress.user_id}"


def _pool_context(survey_id: int) -> str:
    # Not the group: a community deleted meanwhile moves its waiting responses to no group.
    return f"response:{survey_id}"


def _waiting_marks(survey: Survey) -> ColumnElement[bool]:
    """The participants whose response still waits, sealed."""
    return and_(
        SurveyParticipant.survey_id == survey.id,
        SurveyParticipant.answered.is_(True),
        SurveyParticipant.released.is_(False),
    )


def _same_group(
    column: InstrumentedAttribute[int | None], group: int | None
) -> ColumnElement[bool]:
    return column.is_(None) if group is None else column == group


def sealed_size(survey: Survey) -> int:
    """The one size every sealed value of the survey is padded to: the longest JSON its
    answers can make. A character takes at most 6 bytes (an escaped control character);
    the answers' lengths are bounded by the questions (``validate_answer``)."""
    bound = 2  # {}
    for question in survey.questions:
        bound += len(str(question.id)) + 4  # "id": and a comma
        if question.kind is QuestionKind.SCALE:
            bound += 16  # {"number":10}
        elif question.kind is QuestionKind.SINGLE:
            bound += 16 + 6 * max((len(o) for o in question.options), default=0)
        elif question.kind is QuestionKind.MULTIPLE:
            bound += 28 + sum(6 * len(o) + 3 for o in question.options) + 6 * OPTION_MAX
        else:
            bound += 12 + 6 * question.max_length
    return padded_size(bound)


def _response(survey: Survey, answers: Answers, *, community_id: int | None) -> SurveyResponse:
    response = SurveyResponse(id=_key(), survey_id=survey.id, community_id=community_id, answers=[])
    for question in survey.questions:
        value = answers.get(str(question.id))
        if value is None:
            continue
        response.answers.append(
            SurveyAnswer(
                id=_key(),
                question_id=question.id,
                number=value.get("number"),
                choices=list(value.get("choices", [])),
                text=value.get("text", ""),
            )
        )
    return response


@dataclass
class QuestionResult:
    """What one question's answers add up to, for one group of responses."""

    question: SurveyQuestion
    answered: int = 0
    counts: Counter[str] = field(default_factory=Counter)  # option or scale value -> count
    average: float | None = None
    texts: list[str] = field(default_factory=list)


@dataclass
class GroupResult:
    community_id: int | None  # None: everyone together
    responses: int
    questions: list[QuestionResult]


class SurveyRepo:
    def __init__(self, session: AsyncSession, clock: Clock, audit: AuditRepo):
        self._session = session
        self._clock = clock
        self._audit = audit

    # --- building ---------------------------------------------------------------------------

    @staticmethod
    def can_run(user: User) -> bool:
        return bool(user.global_roles & RUNNER_ROLES)

    def _check_owner(self, survey: Survey, actor: User) -> None:
        if survey.creator_id != actor.id and GlobalRole.ADMIN not in actor.global_roles:
            raise PermissionDenied()

    def _check_draft(self, survey: Survey) -> None:
        if survey.status is not SurveyStatus.DRAFT:
            raise InvalidState("survey-not-draft")

    async def create(self, creator: User, title: str, intro: str = "") -> Survey:
        if not self.can_run(creator):
            raise PermissionDenied()
        title = " ".join(title.split())
        if not 3 <= len(title) <= TITLE_MAX:
            raise InvalidState("survey-title-length", max=TITLE_MAX)
        if len(intro) > INTRO_MAX:
            raise InvalidState("survey-intro-length", max=INTRO_MAX)
        survey = Survey(
            title=title,
            intro=intro.strip(),
            creator_id=creator.id,
            status=SurveyStatus.DRAFT,
            created_at=self._clock(),
            questions=[],  # a new collection, so reading it needs no lazy load
        )
        self._session.add(survey)
        await self._session.flush()
        await self._audit.record(creator, "survey.create", "survey", survey.id)
        return survey

    async def from_template(self, creator: User, data: dict[str, Any]) -> Survey:
        """A draft filled from a ready template (storage/survey_templates.template), to
        adjust before publishing."""
        survey = await self.create(creator, data["title"], data["intro"])
        for kind, text, extra in data["questions"]:
            if kind is QuestionKind.SCALE:
                await self.add_question(survey, creator, kind=kind, text=text, scale_labels=extra)
            elif kind is QuestionKind.TEXT:
                await self.add_question(survey, creator, kind=kind, text=text, required=False)
            else:
                await self.add_question(
                    survey,
                    creator,
                    kind=kind,
                    text=text,
                    options=extra,
                    allow_other=kind is QuestionKind.MULTIPLE,
                )
        return survey

    async def get(self, survey_id: int) -> Survey:
        survey = await self._session.get(Survey, survey_id)
        if survey is None:
            raise NotFound("survey-not-found")
        return survey

    async def owned(self, survey_id: int, actor: User) -> Survey:
        survey = await self.get(survey_id)
        self._check_owner(survey, actor)
        return survey

    async def mine(self, user: User) -> list[Survey]:
        """The surveys the user runs (an admin sees all), newest first."""
        query = select(Survey).order_by(Survey.created_at.desc(), Survey.id.desc()).limit(30)
        if GlobalRole.ADMIN not in user.global_roles:
            query = query.where(Survey.creator_id == user.id)
        return list(await self._session.scalars(query))

    async def question(self, question_id: int) -> SurveyQuestion:
        question = await self._session.get(SurveyQuestion, question_id)
        if question is None:
            raise NotFound("survey-question-not-found")
        return question

    async def add_question(
        self,
        survey: Survey,
        actor: User,
        *,
        kind: QuestionKind,
        text: str,
        options: list[str] | None = None,
        scale_max: int = 5,
        scale_labels: list[str] | None = None,
        allow_other: bool = False,
        required: bool = True,
        max_length: int = 1000,
    ) -> SurveyQuestion:
        self._check_owner(survey, actor)
        self._check_draft(survey)
        if len(survey.questions) >= QUESTIONS_MAX:
            raise InvalidState("survey-too-many-questions", max=QUESTIONS_MAX)
        values = validate_question(
            kind, text, options or [], scale_max, scale_labels or [], max_length
        )
        question = SurveyQuestion(
            survey_id=survey.id,
            position=len(survey.questions),
            kind=kind,
            allow_other=allow_other and kind is QuestionKind.MULTIPLE,
            required=required,
            **values,
        )
        survey.questions.append(question)
        await self._session.flush()
        return question

    async def edit_question(self, question: SurveyQuestion, actor: User, **changes: Any) -> None:
        survey = await self.get(question.survey_id)
        self._check_owner(survey, actor)
        self._check_draft(survey)
        merged: dict[str, Any] = {
            "text": question.text,
            "options": list(question.options),
            "scale_max": question.scale_max,
            "scale_labels": list(question.scale_labels),
            "max_length": question.max_length,
        }
        merged.update({k: v for k, v in changes.items() if k in merged})
        values = validate_question(question.kind, **merged)
        for name, value in values.items():
            setattr(question, name, value)
        if "required" in changes:
            question.required = bool(changes["required"])
        if "allow_other" in changes:
            question.allow_other = bool(changes["allow_other"]) and (
                question.kind is QuestionKind.MULTIPLE
            )
        await self._session.flush()

    async def remove_question(self, question: SurveyQuestion, actor: User) -> None:
        survey = await self.get(question.survey_id)
        self._check_owner(survey, actor)
        self._check_draft(survey)
        survey.questions.remove(question)
        for position, each in enumerate(survey.questions):
            each.position = position
        await self._session.flush()

    async def move_question(self, question: SurveyQuestion, actor: User, step: int) -> None:
        """Up (-1) or down (+1) one place; at either end nothing changes."""
        survey = await self.get(question.survey_id)
        self._check_owner(survey, actor)
        self._check_draft(survey)
        questions = list(survey.questions)
        index = questions.index(question)
        other = index + step
        if not 0 <= other < len(questions):
            return
        questions[index], questions[other] = questions[other], questions[index]
        for position, each in enumerate(questions):
            each.position = position
        survey.questions.sort(key=lambda q: q.position)
        await self._session.flush()

    # --- publishing -------------------------------------------------------------------------

    async def publish(
        self,
        survey: Survey,
        actor: User,
        *,
        audience: list[int] | None,
        opens_at: datetime | None,
        closes_at: datetime,
        min_group: int = 5,
        reminders_max: int = 2,
    ) -> None:
        """Now (``opens_at`` None) or at a set time; the invitations follow."""
        self._check_owner(survey, actor)
        self._check_draft(survey)
        if not survey.questions:
            raise InvalidState("survey-no-questions")
        now = self._clock()
        if opens_at is not None and opens_at <= now:
            raise InvalidState("survey-date-past")
        if closes_at <= (opens_at or now):
            raise InvalidState("survey-closes-before-opening")
        survey.audience = sorted(audience) if audience else None
        survey.opens_at = opens_at or now
        survey.closes_at = closes_at
        survey.min_group = max(MIN_GROUP_FLOOR, min_group)
        survey.reminders_max = max(0, reminders_max)
        survey.status = SurveyStatus.SCHEDULED if opens_at else SurveyStatus.OPEN
        await self._session.flush()
        await self._audit.record(actor, "survey.publish", "survey", survey.id)

    async def due_to_open(self) -> list[Survey]:
        rows = await self._session.scalars(
            select(Survey).where(
                Survey.status == SurveyStatus.SCHEDULED, Survey.opens_at <= self._clock()
            )
        )
        return list(rows)

    async def open(self, survey: Survey) -> None:
        survey.status = SurveyStatus.OPEN
        await self._session.flush()

    async def due_to_close(self) -> list[Survey]:
        rows = await self._session.scalars(
            select(Survey).where(
                Survey.status == SurveyStatus.OPEN, Survey.closes_at <= self._clock()
            )
        )
        return list(rows)

    async def close(self, survey: Survey, actor: User | None = None) -> Release:
        """Early by its owner, or when its time comes; results stay available. What still
        waits sealed is released or, too few to show, deleted unread (``release``)."""
        if actor is not None:
            self._check_owner(survey, actor)
        if survey.status is SurveyStatus.CLOSED:
            raise InvalidState("survey-closed")
        if survey.status is SurveyStatus.DRAFT:
            raise InvalidState("survey-not-published")
        survey.status = SurveyStatus.CLOSED
        survey.closed_at = self._clock()
        await self._session.flush()
        await self._audit.record(actor, "survey.close", "survey", survey.id)
        return await self.release(survey, closing=True)

    async def audience(self, survey: Survey) -> list[User]:
        return list(await self._session.scalars(reachable(survey.audience or None)))

    async def invite(self, survey: Survey) -> list[User]:
        """Participant rows for the audience; returns those newly invited."""
        invited = []
        for user in await self.audience(survey):
            values = {"survey_id": survey.id, "user_id": user.id, "answered": False}
            unique = [SurveyParticipant.survey_id, SurveyParticipant.user_id]
            if await insert_new(
                self._session, SurveyParticipant, values | {"reminders_sent": 0}, unique
            ):
                invited.append(user)
        return invited

    async def to_remind(self, survey: Survey) -> list[SurveyParticipant]:
        rows = await self._session.scalars(
            select(SurveyParticipant).where(
                SurveyParticipant.survey_id == survey.id,
                SurveyParticipant.answered.is_(False),
                SurveyParticipant.reminders_sent < survey.reminders_max,
            )
        )
        return list(rows)

    async def open_surveys(self) -> list[Survey]:
        rows = await self._session.scalars(
            select(Survey).where(Survey.status == SurveyStatus.OPEN).order_by(Survey.id)
        )
        return list(rows)

    async def counts(self, survey: Survey) -> tuple[int, int]:
        """(invited, answered)."""
        rows = await self._session.execute(
            select(SurveyParticipant.answered, func.count())
            .where(SurveyParticipant.survey_id == survey.id)
            .group_by(SurveyParticipant.answered)
        )
        counted = dict(rows.all())
        return counted.get(True, 0) + counted.get(False, 0), counted.get(True, 0)

    # --- answering --------------------------------------------------------------------------

    async def participant(self, survey: Survey, user: User) -> SurveyParticipant | None:
        return await self._session.scalar(
            select(SurveyParticipant).where(
                SurveyParticipant.survey_id == survey.id, SurveyParticipant.user_id == user.id
            )
        )

    async def start(self, survey: Survey, user: User) -> SurveyProgress:
        """The respondent's place in the survey, kept until they submit."""
        if survey.status is not SurveyStatus.OPEN:
            raise InvalidState(
                "survey-closed" if survey.status is SurveyStatus.CLOSED else "survey-not-open"
            )
        participant = await self.participant(survey, user)
        if participant is None:
            raise PermissionDenied()
        if participant.answered:
            raise InvalidState("survey-already-answered")
        progress = await self._session.scalar(
            select(SurveyProgress).where(
                SurveyProgress.survey_id == survey.id, SurveyProgress.user_id == user.id
            )
        )
        if progress is None:
            progress = SurveyProgress(survey_id=survey.id, user_id=user.id, position=0)
            progress.sealed = self._seal_progress(survey, progress, {})
            self._session.add(progress)
            await self._session.flush()
        elif not self._opens(progress):
            # sealed with another key (METODSET_SURVEY_KEY changed): begin again
            progress.sealed = self._seal_progress(survey, progress, {})
            progress.position = 0
            await self._session.flush()
        return progress

    def _opens(self, progress: SurveyProgress) -> bool:
        try:
            self.answers_of(progress)
        except SealError:
            return False
        return True

    def answers_of(self, progress: SurveyProgress) -> Answers:
        """The unfinished answers, opened."""
        answers: Answers = self._seal.open(progress.sealed, context=_progress_context(progress))
        return answers

    async def keep(
        self, progress: SurveyProgress, question: SurveyQuestion, value: Answer | None
    ) -> None:
        """One answer (None: skipped) into the unfinished response."""
        survey = await self.get(progress.survey_id)
        answers = with_answer(self.answers_of(progress), question, value)
        progress.sealed = self._seal_progress(survey, progress, answers)
        await self._session.flush()

    async def move(self, progress: SurveyProgress, position: int) -> None:
        """Where the participant is in the survey, kept so they can come back to it."""
        progress.position = position
        await self._session.flush()

    async def submit(self, survey: Survey, user: User, progress: SurveyProgress) -> Release:
        """Mark the participant, forget the progress, and put the response in the sealed
        pool; when that makes its group big enough, the group's batch is released in this
        same transaction."""
        if survey.status is not SurveyStatus.OPEN:
            raise InvalidState("survey-closed")
        answers = self.answers_of(progress)
        missing = [
            q.position + 1 for q in survey.questions if q.required and str(q.id) not in answers
        ]
        if missing:
            raise InvalidState("survey-unanswered", numbers=", ".join(map(str, missing)))
        group = await self._group_of(survey, user)
        # The one-answer rule holds under a double press: only one update wins.
        marked = await self._session.execute(
            update(SurveyParticipant)
            .where(
                SurveyParticipant.survey_id == survey.id,
                SurveyParticipant.user_id == user.id,
                SurveyParticipant.answered.is_(False),
            )
            .values(answered=True, group_id=group)
            .execution_options(synchronize_session=False)
        )
        if rowcount(marked) != 1:
            raise InvalidState("survey-already-answered")
        self._session.add(
            SealedResponse(
                id=_key(),
                survey_id=survey.id,
                group_id=group,
                sealed=self._seal.seal(
                    answers, size=sealed_size(survey), context=_pool_context(survey.id)
                ),
            )
        )
        await self._session.execute(delete(SurveyProgress).where(SurveyProgress.id == progress.id))
        await self._session.flush()
        return await self.release(survey)

    # --- releasing --------------------------------------------------------------------------

    async def pending(self, survey: Survey) -> int:
        """Responses submitted and still sealed, waiting for their group to be big enough."""
        return (
            await self._session.scalar(
                select(func.count())
                .select_from(SealedResponse)
                .where(SealedResponse.survey_id == survey.id)
            )
            or 0
        )

    async def release(self, survey: Survey, *, closing: bool = False) -> Release:
        """Release every group whose sealed responses number at least ``min_group``.

        ``closing``: the survey takes no more answers, so what is left of the smaller
        groups goes out together, counted for everyone but for no community, if it makes
        ``min_group``; if it does not, it can never be shown without singling its authors
        out, and is deleted unread."""
        released = 0
        waiting = await self._session.execute(
            select(SealedResponse.group_id, func.count())
            .where(SealedResponse.survey_id == survey.id)
            .group_by(SealedResponse.group_id)
        )
        for group, count in waiting.all():
            if count >= survey.min_group:
                released += await self._release_batch(survey, group)
        discarded = 0
        if closing:
            if await self.pending(survey) >= survey.min_group:
                released += await self._release_batch(survey, None, every_group=True)
            # too few, or sealed with another key: never to be shown
            if await self.pending(survey):
                discarded = await self._discard(survey)
        return Release(released, discarded)

    async def _release_batch(
        self, survey: Survey, group: int | None, *, every_group: bool = False
    ) -> int:
        """One batch: claim the sealed rows, open them, write the responses in a shuffled
        order, and rewrite the batch's participants' marks, all in the caller's one
        transaction (docs/privacy.md says why each step). ``every_group``: all that waits,
        whatever its group, counted for no community."""
        pool = SealedResponse.survey_id == survey.id
        marks = _waiting_marks(survey)
        if not every_group:
            pool = and_(pool, _same_group(SealedResponse.group_id, group))
            marks = and_(marks, _same_group(SurveyParticipant.group_id, group))
        waiting = (
            await self._session.execute(
                select(SealedResponse.id, SealedResponse.group_id, SealedResponse.sealed).where(
                    pool
                )
            )
        ).all()
        readable: dict[str, tuple[int | None, Answers]] = {}
        for key, stored_group, sealed in waiting:
            try:
                answers = self._seal.open(sealed, context=_pool_context(survey.id))
            except SealError:
                continue  # sealed with another key: it waits until the survey closes
            readable[key] = stored_group, answers
        if unreadable := len(waiting) - len(readable):
            logger.warning(
                "Survey %s: %d waiting responses do not open with METODSET_SURVEY_KEY",
                survey.id,
                unreadable,
            )
        if len(readable) < survey.min_group:
            return 0
        try:
            # A savepoint: where a concurrent release claimed part of the batch first, what
            # is left goes back to wait rather than out in a batch below min_group.
            async with self._session.begin_nested():
                claimed = (
                    await self._session.scalars(
                        delete(SealedResponse)
                        .where(SealedResponse.id.in_(list(readable)))
                        .returning(SealedResponse.id)
                        .execution_options(synchronize_session=False)
                    )
                ).all()
                if len(claimed) < survey.min_group:
                    raise _ShortBatch()
        except _ShortBatch:
            return 0
        opened = [readable[key] for key in claimed]
        secrets.SystemRandom().shuffle(opened)
        await self._settle(marks)
        for stored_group, answers in opened:
            self._session.add(
                _response(
                    survey,
                    answers,
                    community_id=None if every_group else stored_group,
                )
            )
        await self._session.flush()
        return len(opened)

    async def _discard(self, survey: Survey) -> int:
        """Too few to ever show: deleted unread, their authors' marks settled."""
        gone = await self._session.execute(
            delete(SealedResponse)
            .where(SealedResponse.survey_id == survey.id)
            .execution_options(synchronize_session=False)
        )
        await self._settle(_waiting_marks(survey))
        return rowcount(gone)

    async def _settle(self, marks: ColumnElement[bool]) -> None:
        """Rewrite these participants' marks in one statement: in this transaction, in the
        table's own order, whatever order they answered in."""
        await self._session.execute(
            update(SurveyParticipant)
            .where(marks)
            .values(released=True)
            .execution_options(synchronize_session=False)
        )

    async def scrub(self) -> bool:
        """After a release has committed: what the released rows left behind is removed
        (storage.db.scrub_tables)."""
        bind = self._session.bind
        assert isinstance(bind, AsyncEngine)
        return await scrub_tables(bind, TRACED_TABLES)

    # --- sealing ----------------------------------------------------------------------------

    @property
    def _seal(self) -> Seal:
        seal = self._session.info.get(SEAL_INFO)
        if seal is None:
            raise SealError("no survey key: set METODSET_SURVEY_KEY")
        assert isinstance(seal, Seal)
        return seal

    def _seal_progress(self, survey: Survey, progress: SurveyProgress, answers: Answers) -> bytes:
        return self._seal.seal(
            answers, size=sealed_size(survey), context=_progress_context(progress)
        )

    async def _group_of(self, survey: Survey, user: User) -> int | None:
        """The community the response is counted in, when the survey spans several."""
        if not survey.audience or len(survey.audience) < 2:
            return None
        return await self._session.scalar(
            select(Membership.community_id)
            .where(
                Membership.user_id == user.id,
                Membership.community_id.in_(survey.audience),
                Membership.status == MembershipStatus.ACTIVE,
            )
            .order_by(Membership.community_id)
            .limit(1)
        )

    # --- results ----------------------------------------------------------------------------

    async def responses(self, survey: Survey) -> list[SurveyResponse]:
        rows = await self._session.scalars(
            select(SurveyResponse)
            .where(SurveyResponse.survey_id == survey.id)
            .order_by(SurveyResponse.id)
        )
        return list(rows)

    async def invited_open(self, user: User) -> list[Survey]:
        """The open surveys the user was invited to and has not answered, closing soonest
        first."""
        rows = await self._session.scalars(
            select(Survey)
            .join(SurveyParticipant, SurveyParticipant.survey_id == Survey.id)
            .where(
                SurveyParticipant.user_id == user.id,
                SurveyParticipant.answered.is_(False),
                Survey.status == SurveyStatus.OPEN,
            )
            .order_by(Survey.closes_at, Survey.id)
        )
        return list(rows)

    async def response_count(self, survey: Survey) -> int:
        return (
            await self._session.scalar(
                select(func.count())
                .select_from(SurveyResponse)
                .where(SurveyResponse.survey_id == survey.id)
            )
            or 0
        )

    async def ungrouped(self, survey: Survey) -> int:
        """Responses of a survey sent to several communities that count for everyone but
        for no community: a closing survey's leftovers from groups too small to be shown
        (``release``)."""
        if len(survey.audience or []) < 2:
            return 0
        return (
            await self._session.scalar(
                select(func.count())
                .select_from(SurveyResponse)
                .where(
                    SurveyResponse.survey_id == survey.id,
                    SurveyResponse.community_id.is_(None),
                )
            )
            or 0
        )

    async def results(self, survey: Survey) -> list[GroupResult]:
        """Everyone together first, then each community with at least ``min_group``
        responses; a smaller group is left out so that a small school cannot be singled
        out. With fewer than ``min_group`` responses in all, nothing is shown."""
        responses = await self.responses(survey)
        if len(responses) < survey.min_group:
            return []
        groups = [GroupResult(None, len(responses), tally(survey, responses))]
        by_community: dict[int, list[SurveyResponse]] = {}
        for response in responses:
            if response.community_id is not None:
                by_community.setdefault(response.community_id, []).append(response)
        for community_id, members in sorted(by_community.items()):
            if len(members) >= survey.min_group:
                groups.append(GroupResult(community_id, len(members), tally(survey, members)))
        return groups


def tally(survey: Survey, responses: list[SurveyResponse]) -> list[QuestionResult]:
    results = {q.id: QuestionResult(q) for q in survey.questions}
    for response in responses:
        for answer in response.answers:
            result = results.get(answer.question_id)
            if result is None:
                continue
            result.answered += 1
            kind = result.question.kind
            if kind is QuestionKind.SCALE and answer.number is not None:
                result.counts[str(answer.number)] += 1
            elif kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
                for choice in answer.choices:
                    result.counts[choice] += 1
                if answer.text:
                    result.texts.append(answer.text)
            elif answer.text:
                result.texts.append(answer.text)
    for result in results.values():
        if result.question.kind is QuestionKind.SCALE and result.answered:
            total = sum(int(value) * count for value, count in result.counts.items())
            result.average = total / result.answered
    return [results[q.id] for q in survey.questions]


def validate_question(
    kind: QuestionKind,
    text: str,
    options: list[str],
    scale_max: int,
    scale_labels: list[str],
    max_length: int,
) -> dict[str, Any]:
    text = " ".join(text.split())
    if not 3 <= len(text) <= QUESTION_MAX:
        raise InvalidState("survey-question-length", max=QUESTION_MAX)
    values: dict[str, Any] = {
        "text": text,
        "options": [],
        "scale_max": 5,
        "scale_labels": [],
        "max_length": 1000,
    }
    if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        cleaned = [" ".join(option.split()) for option in options if option.strip()]
        if not 2 <= len(cleaned) <= OPTIONS_MAX:
            raise InvalidState("survey-options-count", max=OPTIONS_MAX)
        if any(len(option) > OPTION_MAX for option in cleaned):
            raise InvalidState("survey-option-length", max=OPTION_MAX)
        if len({option.casefold() for option in cleaned}) != len(cleaned):
            raise InvalidState("survey-options-repeat")
        values["options"] = cleaned
    elif kind is QuestionKind.SCALE:
        if scale_max not in (5, 10):
            raise InvalidState("survey-scale-max")
        labels = [" ".join(label.split())[:40] for label in scale_labels][:2]
        values["scale_max"] = scale_max
        values["scale_labels"] = labels if len(labels) == 2 and all(labels) else []
    else:
        if not 10 <= max_length <= TEXT_LIMIT_MAX:
            raise InvalidState("survey-text-limit", max=TEXT_LIMIT_MAX)
        values["max_length"] = max_length
    return values


def with_answer(answers: Answers, question: SurveyQuestion, value: Answer | None) -> Answers:
    """The answers with this one kept (validated) or, when ``value`` is None, skipped:
    only an optional question may be skipped."""
    answers = dict(answers)
    if value is None:
        if question.required:
            raise InvalidState("survey-answer-required")
        answers.pop(str(question.id), None)
    else:
        answers[str(question.id)] = validate_answer(question, value)
    return answers


def validate_answer(question: SurveyQuestion, value: Answer) -> Answer:
    """The stored form of one answer; anything that does not fit the question is refused."""
    kind = question.kind
    if kind is QuestionKind.SCALE:
        number = value.get("number")
        if not isinstance(number, int) or not 1 <= number <= question.scale_max:
            raise InvalidState("survey-answer-scale", max=question.scale_max)
        return {"number": number}
    if kind is QuestionKind.SINGLE:
        choices = value.get("choices", [])
        if len(choices) != 1 or choices[0] not in question.options:
            raise InvalidState("survey-answer-choice")
        return {"choices": list(choices)}
    if kind is QuestionKind.MULTIPLE:
        choices = [c for c in question.options if c in value.get("choices", [])]
        other = (
            " ".join(str(value.get("text", "")).split())[:OPTION_MAX]
            if question.allow_other
            else ""
        )
        if not choices and not other:
            raise InvalidState("survey-answer-choice")
        return {"choices": choices, "text": other}
    text = str(value.get("text", "")).strip()
    if not 1 <= len(text) <= question.max_length:
        raise InvalidState("survey-answer-length", max=question.max_length)
    return {"text": text}

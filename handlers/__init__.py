"""Routers assembled fresh for each Dispatcher, with their scopes set on parent routers."""

from types import ModuleType

from aiogram import Router
from aiogram.enums import ChatType

from handlers import (
    admin,
    applications,
    broadcasts,
    case_review,
    communities,
    deadlines,
    errors,
    event_form,
    events,
    expertise,
    fallback,
    group_conduct,
    groups,
    library,
    materials,
    privacy,
    profile,
    queue,
    reports,
    review,
    rules,
    sanctions,
    start,
    survey_answer,
    survey_builder,
    survey_results,
    threads,
)
from handlers.common import ChatIs, ConsentGate
from handlers.routing import group, keyed


def setup() -> list[Router]:
    """The Dispatcher's routers, in order (included straight into it: a root router around
    them would be one more check for every update)."""
    private = Router(name="private")
    private.message.filter(ChatIs(ChatType.PRIVATE))
    private.include_router(
        group(
            "public",
            (
                materials.setup_cancel(),  # /cancel in /share: the draft is kept
                start.setup(),
                privacy.setup_public(),
                case_review.setup_appeals(),
            ),
        )
    )
    # Features behind the consent gate, in runs that one check each passes over.
    private.include_routers(
        _registered("registered-people", profile, privacy, communities, applications, admin),
        _registered("registered-materials", materials, library, expertise, threads, rules),
        _registered("registered-events", events, event_form, deadlines, broadcasts, reports),
        _registered("registered-surveys", survey_builder, survey_answer, survey_results),
    )
    # Last: typed text no feature took is a search.
    private.include_router(_gated(keyed(library.setup_typed_search())))

    # Review cards are pressed in private chats and in moderators' groups alike.
    moderation = _gated(Router(name="moderation"))
    moderation.include_router(review.setup())
    moderation.include_router(queue.setup())
    return [
        private,
        group(
            "commands-and-cards",
            (
                moderation,
                library.setup_inline(),
                groups.setup(),
                sanctions.setup(),
                case_review.setup(),
            ),
        ),
        group_conduct.setup(),
        fallback.setup(),
        # Only error events reach it: last, so no message or button press is checked on it.
        errors.setup(),
    ]


def _gated(router: Router) -> Router:
    router.message.middleware(ConsentGate())
    router.callback_query.middleware(ConsentGate())
    return router


def _registered(name: str, *features: ModuleType) -> Router:
    """Features that need the personal-data consent (ConsentGate runs once a handler in
    them matched), behind one check of what any of them takes."""
    return _gated(group(name, (feature.setup() for feature in features)))

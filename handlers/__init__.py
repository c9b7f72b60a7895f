"""Routers assembled fresh for each Dispatcher, with their scopes set on parent routers."""

from aiogram import F, Router
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
    review,
    rules,
    sanctions,
    start,
    survey_answer,
    survey_builder,
    survey_results,
    threads,
)
from handlers.common import ConsentGate


def setup() -> Router:
    root = Router(name="root")
    root.include_router(errors.setup())

    private = Router(name="private")
    private.message.filter(F.chat.type == ChatType.PRIVATE)
    private.include_router(materials.setup_cancel())  # /cancel in /share: the draft is kept
    private.include_router(start.setup())
    private.include_router(privacy.setup_public())
    private.include_router(case_review.setup_appeals())

    registered = Router(name="registered")
    registered.message.middleware(ConsentGate())
    registered.callback_query.middleware(ConsentGate())
    registered.include_routers(
        profile.setup(),
        privacy.setup(),
        communities.setup(),
        applications.setup(),
        admin.setup(),
        materials.setup(),
        library.setup(),
        expertise.setup(),
        threads.setup(),
        rules.setup(),
        events.setup(),
        event_form.setup(),
        deadlines.setup(),
        broadcasts.setup(),
        survey_builder.setup(),
        survey_answer.setup(),
        survey_results.setup(),
        library.setup_typed_search(),  # last: typed text no feature took is a search
    )
    private.include_router(registered)

    root.include_router(private)
    # Review cards are pressed in private chats and in moderators' groups alike.
    moderation = Router(name="moderation")
    moderation.message.middleware(ConsentGate())
    moderation.callback_query.middleware(ConsentGate())
    moderation.include_router(review.setup())
    moderation.include_router(queue.setup())
    root.include_router(moderation)
    root.include_router(library.setup_inline())
    root.include_router(groups.setup())
    root.include_router(sanctions.setup())
    root.include_router(case_review.setup())
    root.include_router(group_conduct.setup())
    root.include_router(fallback.setup())
    return root

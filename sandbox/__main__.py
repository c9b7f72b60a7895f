"""``python -m sandbox``: run the sandbox standalone on loopback."""

from __future__ import annotations

import argparse
import asyncio
import contextlib

from .ratelimit import RateLimits
from .server import SandboxServer
from .state import DEFAULT_TOKEN


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m sandbox",
        description="A local stand-in for the Telegram Bot API with a chat page.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="loopback address (default 127.0.0.1)")
    parser.add_argument(
        "--port", type=int, default=8081, help="port, 0 for any free (default 8081)"
    )
    parser.add_argument("--token", default=DEFAULT_TOKEN, help="the bot token to accept")
    parser.add_argument("--username", default="metodset_sandbox_bot", help="the bot's username")
    parser.add_argument(
        "--no-rate-limits", action="store_true", help="turn Telegram's flood control off"
    )
    parser.add_argument(
        "--no-privacy", action="store_true", help="the bot sees every group message"
    )
    parser.add_argument(
        "--demo", action="store_true", help="create two personas and a forum group to start with"
    )
    return parser.parse_args(argv)


def seed_demo(server: SandboxServer) -> None:
    state = server.state
    anna = state.add_user("Анна", last_name="Петрова", username="anna_teacher")
    boris = state.add_user("Борис", last_name="Иванов", username="boris_methodist")
    state.add_group(
        "Учителя математики",
        is_forum=True,
        creator_id=boris.id,
        members=[anna.id],
        bot_status="administrator",
    )


async def serve(args: argparse.Namespace) -> None:
    server = SandboxServer(
        args.token,
        bot_username=args.username,
        rate_limits=RateLimits.off() if args.no_rate_limits else None,
        privacy_mode=not args.no_privacy,
    )
    if args.demo:
        seed_demo(server)
    base_url = await server.start(args.host, args.port)
    print(f"Sandbox Bot API: {base_url}  (token {server.token})", flush=True)
    print(f"Chat page:       {base_url}/", flush=True)
    print(
        f"aiogram:         TelegramAPIServer.from_base({base_url!r})",
        flush=True,
    )
    try:
        await asyncio.Event().wait()
    finally:
        await server.stop()


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve(args))


if __name__ == "__main__":
    main()

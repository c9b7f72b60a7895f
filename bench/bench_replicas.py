"""Replicas benchmark: the broadcast's rate with 1 and 3 replicas, then the fault test at full size.

    python bench/bench_replicas.py --database postgresql+asyncpg://postgres@127.0.0.1/metodset_bench
        --redis redis://127.0.0.1:6379/7 [--members 500] [--recipients 2000] [--seed N]

The database must be one of its own: its schema is dropped and migrated before each run.
Three runs through bench/fault.py, the sandbox playing Telegram with its flood limits on:

1. a broadcast to ``--recipients`` with one replica, nobody else writing;
2. the same with three replicas (one of them leads the outbox: the rate must not change);
3. the fault test of issue 20: three replicas, ``--members`` members onboarding and joining
   a community while the broadcast runs, the outbox's leader SIGKILLed part-way and
   restarted. Prints the updates per second the deployment handled for the members.

Checks: the broadcast at 95% of 30/s or more in runs 1 and 2, and in every run no
duplicates, no losses beyond the kill's interrupted rows, no 429 answers, every journey
finished, no update answered twice.
"""

import argparse
import asyncio
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script

from sqlalchemy import text

from bench.fault import Figures, run, table
from bench.outbox_crash import ALLOWED_RATE, LANES
from storage.db import create_engine
from storage.migrate import upgrade


async def fresh(database_url: str) -> None:
    engine = create_engine(database_url)
    try:
        async with engine.begin() as connection:
            await connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            await connection.execute(text("CREATE SCHEMA public"))
    finally:
        await engine.dispose()
    await asyncio.to_thread(upgrade, database_url)


def problems_of(figures: Figures, *, rate_checked: bool) -> list[str]:
    problems = []
    broadcast = figures.broadcast
    if broadcast is not None:
        problems += broadcast.problems
        if broadcast.interrupted > LANES:
            problems.append(f"{broadcast.interrupted} interrupted rows, more than {LANES}")
        if rate_checked and broadcast.rate < 0.95 * ALLOWED_RATE:
            problems.append(f"broadcast at {broadcast.rate:.2f}/s, below 95% of 30/s")
    if figures.too_many_requests:
        problems.append(f"{figures.too_many_requests} answers 429: {dict(figures.limited)}")
    if figures.finished != figures.members:
        problems.append(f"{figures.members - figures.finished} journeys unfinished")
    problems += figures.stuck[:5] + figures.double_answers[:5]
    return problems


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", required=True, help="a PostgreSQL database of its own")
    parser.add_argument("--redis", required=True, help="e.g. redis://127.0.0.1:6379/7")
    parser.add_argument("--members", type=int, default=500)
    parser.add_argument("--recipients", type=int, default=2000)
    # Each member's journey is about 9 new messages from the bot: 500 of them are 4,500
    # messages, two and a half minutes of Telegram's whole budget before any broadcast.
    parser.add_argument(
        "--arrival", type=float, default=240.0, help="seconds the members arrive over"
    )
    parser.add_argument("--seed", type=int)
    args = parser.parse_args()
    seed = args.seed if args.seed is not None else random.randrange(1 << 32)
    rng = random.Random(seed)
    print(f"{args.members} members, {args.recipients} recipients, seed {seed}")
    runs = [
        ("1 replica", {"replicas": 1, "members": 0, "kill": False}, True),
        ("3 replicas", {"replicas": 3, "members": 0, "kill": False}, True),
        ("3, SIGKILL", {"replicas": 3, "members": args.members, "kill": True}, False),
    ]
    results: list[Figures] = []
    failed = False
    with tempfile.TemporaryDirectory() as folder:
        for label, options, rate_checked in runs:
            await fresh(args.database)
            started = time.perf_counter()
            figures = await run(
                database_url=args.database,
                redis_url=args.redis,
                folder=Path(folder) / label.replace(" ", "-").replace(",", ""),
                rng=rng,
                recipients=args.recipients,
                arrival=args.arrival,
                label=label,
                progress=True,
                **options,  # type: ignore[arg-type]
            )
            print(f"  {label}: done in {time.perf_counter() - started:.1f} s", flush=True)
            print(table([figures]), flush=True)
            results.append(figures)
            for problem in problems_of(figures, rate_checked=rate_checked):
                print(f"{label}: {problem}")
                failed = True
    print()
    print(table(results))
    print()
    print(
        "broadcast rate = (messages - 1) / seconds from the first to the last broadcast message"
        " the sandbox took; with the kill it includes the failover (a new leader after ~10 s)"
        " and the answers' share of the budget. updates/s = the members' updates (messages and"
        " presses) / seconds from the first member's start to the last one's end; members wait"
        " for each answer and think ~2 s, so this is the load they offered, all of it handled."
    )
    print("all checks passed" if not failed else "CHECKS FAILED")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))

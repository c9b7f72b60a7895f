"""Outbox benchmark: a broadcast to 10,000 recipients through the sandbox, limits on.

    python bench/bench_outbox.py [--recipients 10000] [--kill/--no-kill] [--seed N]

Runs the production worker (bench/outbox_crash.py) as a child process against the sandbox
with Telegram's flood limits (30 messages/s per bot, 1/s per private chat): first a clean
run, then (with --kill, the default) a run SIGKILLed after a random 20-80% of the messages
and restarted. Prints the achieved rate against the allowed 30/s, the 429 answers the
sandbox gave, duplicates, losses, and the rows interrupted by the kill (failed; resent only
if the sender asks) with how many of them the sandbox did receive. Figures, and the crash
contract checked.
"""

import argparse
import asyncio
import random
import sys
import tempfile
import time
from pathlib import Path

from outbox_crash import ALLOWED_RATE, LANES, Figures, broadcast, table


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recipients", type=int, default=10_000)
    parser.add_argument(
        "--kill",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="also run a broadcast SIGKILLed at a random point and restarted (default: yes)",
    )
    parser.add_argument("--seed", type=int, help="for the text and the kill point")
    parser.add_argument(
        "--per-second",
        type=float,
        help="override the worker's pace, SendLimits.per_second (default: the worker's own)",
    )
    args = parser.parse_args()
    seed = args.seed if args.seed is not None else random.randrange(1 << 32)
    rng = random.Random(seed)
    minutes = args.recipients / ALLOWED_RATE / 60 * (2 if args.kill else 1)
    pace = f"{args.per_second}/s (overridden)" if args.per_second else "the worker's default"
    print(f"{args.recipients} recipients, seed {seed}, pace {pace}; ~{minutes:.1f} min of sending")
    results: list[Figures] = []
    with tempfile.TemporaryDirectory() as folder:
        runs = [("clean", False)] + ([("killed", True)] if args.kill else [])
        for label, kill in runs:
            started = time.perf_counter()
            figures = await broadcast(
                args.recipients,
                kill=kill,
                folder=Path(folder) / label,
                rng=rng,
                label=label,
                progress=True,
                per_second=args.per_second,
            )
            print(f"  {label}: done in {time.perf_counter() - started:.1f} s", flush=True)
            results.append(figures)
    print()
    print(table(results))
    print()
    print(
        "rate = (messages - 1) / seconds from the first to the last sendMessage the sandbox"
        " answered with success (its API log), counting the worker's opening burst;"
        " 'without the gap' leaves out the restart (and so counts a second opening burst)."
    )
    print(
        "interrupted: rows the kill left 'sending', failed by recover(), resent only if the"
        f" sender asks (at most {LANES}, one per lane);"
        " '...of them received' reached the sandbox anyway."
    )
    failed = False
    for figures in results:
        problems = list(figures.problems)
        # The killed run is judged without its restart gap: the process start is not sending.
        rate = figures.sending_rate
        if rate < 0.95 * ALLOWED_RATE:
            problems.append(f"rate {rate:.2f}/s is below 95% of {ALLOWED_RATE:.0f}/s")
        for problem in problems:
            print(f"{figures.label}: {problem}")
        failed = failed or bool(problems)
    print("all checks passed" if not failed else "CHECKS FAILED")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))

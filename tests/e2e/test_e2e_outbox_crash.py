"""A broadcast survives SIGKILL: the worker process is killed mid-way and started again.

The worker runs as a real child process against the sandbox with Telegram's flood limits
on; the judge (bench/outbox_crash.py) compares the outbox with what the sandbox received.
Skipped on PostgreSQL runs with the rest of tests/e2e.
"""

import random

from bench.outbox_crash import LANES, broadcast

RECIPIENTS = 300  # about 10 s at 30 messages a second


async def test_a_killed_broadcast_resumes_and_delivers_the_rest_exactly_once(tmp_path) -> None:
    seed = random.randrange(1 << 32)
    print(f"\nrandom seed {seed}")
    figures = await broadcast(RECIPIENTS, kill=True, folder=tmp_path, rng=random.Random(seed))
    print(
        f"{figures.received} messages, SIGKILL after {figures.kill_at},"
        f" {figures.span:.1f} s first to last ({figures.rate:.1f}/s,"
        f" {figures.sending_rate:.1f}/s without the {figures.restart_gap:.1f} s restart),"
        f" {figures.too_many_requests} × 429, {figures.duplicates} duplicates,"
        f" {figures.losses} losses, {figures.interrupted} interrupted of which"
        f" {figures.interrupted_received} received"
    )

    assert figures.duplicates == 0
    assert figures.losses == 0
    assert figures.interrupted <= LANES
    assert figures.received == figures.sent_rows + figures.interrupted_received
    assert figures.sent_rows + figures.interrupted == RECIPIENTS
    assert figures.too_many_requests == 0, "the worker went over Telegram's flood limits"
    assert figures.problems == []

"""Prometheus metrics in a registry of the process's own (built in app assembly, so each
test gets fresh counters): updates by kind, handler latency and errors, the outbox's
outcomes and depth, the scheduler's job runs, which roles this replica leads.

Layers below bot/ do not import prometheus: the outbox worker reports to any
``DeliveryObserver`` (scheduler/outbox.py), which ``Metrics`` is; the scheduler's runs
come from APScheduler's own events."""

import time
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject, Update
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

LEADER_ROLES = ("outbox", "scheduler")
Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


class Metrics:
    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        self.registry = registry or CollectorRegistry()
        self.updates = Counter(
            "metodset_updates",
            "Updates handled, by kind (message, callback_query, ...)",
            ["kind"],
            registry=self.registry,
        )
        self.update_seconds = Histogram(
            "metodset_update_handling_seconds",
            "Time from an update's arrival in the dispatcher to its handler's end",
            ["kind"],
            registry=self.registry,
        )
        self.update_errors = Counter(
            "metodset_update_errors",
            "Updates whose handling raised, by kind",
            ["kind"],
            registry=self.registry,
        )
        self.duplicate_updates = Counter(
            "metodset_updates_duplicate",
            "Updates dropped because they had been handled already (here or on a replica)",
            registry=self.registry,
        )
        self.outbox_sent = Counter(
            "metodset_outbox_sent", "Outbox messages Telegram accepted", registry=self.registry
        )
        self.outbox_failed = Counter(
            "metodset_outbox_failed",
            "Outbox messages given up on (an API error, or network errors past the last try)",
            registry=self.registry,
        )
        self.outbox_rate_limited = Counter(
            "metodset_outbox_rate_limited",
            "Outbox sends Telegram answered with 429 (retry_after)",
            registry=self.registry,
        )
        self.outbox_blocked = Counter(
            "metodset_outbox_blocked",
            "Outbox sends refused with 403: the recipient blocked the bot",
            registry=self.registry,
        )
        self.outbox_retried = Counter(
            "metodset_outbox_retried",
            "Outbox sends put back after a network error",
            registry=self.registry,
        )
        self.outbox_depth = Gauge(
            "metodset_outbox_depth",
            "Outbox rows waiting to be sent (read when metrics are scraped)",
            registry=self.registry,
        )
        self.job_runs = Counter(
            "metodset_scheduler_job_runs",
            "Scheduled job runs, by job id and outcome (ok, error)",
            ["job", "outcome"],
            registry=self.registry,
        )
        self.leader = Gauge(
            "metodset_leader",
            "1 while this replica leads the role (outbox: sends the outbox; scheduler: runs"
            " the scheduled jobs), else 0; one replica leads each",
            ["role"],
            registry=self.registry,
        )
        for role in LEADER_ROLES:
            self.leader.labels(role=role).set(0)

    # scheduler/outbox.py DeliveryObserver
    def delivery(self, outcome: str) -> None:
        counter = {
            "sent": self.outbox_sent,
            "failed": self.outbox_failed,
            "rate_limited": self.outbox_rate_limited,
            "blocked": self.outbox_blocked,
            "retried": self.outbox_retried,
        }.get(outcome)
        if counter is not None:
            counter.inc()

    def job_event(self, event: Any) -> None:
        """An APScheduler listener for EVENT_JOB_EXECUTED | EVENT_JOB_ERROR."""
        outcome = "error" if getattr(event, "exception", None) is not None else "ok"
        self.job_runs.labels(job=event.job_id, outcome=outcome).inc()

    # storage/leadership.py LeadershipObserver
    def leadership(self, role: str, leading: bool) -> None:
        self.leader.labels(role=role).set(1 if leading else 0)

    def exposition(self) -> bytes:
        return generate_latest(self.registry)


class UpdateMetrics(BaseMiddleware):
    """An outer update middleware: counts and times every update, throttled ones too."""

    def __init__(self, metrics: Metrics, monotonic: Callable[[], float] = time.perf_counter):
        self._metrics = metrics
        self._monotonic = monotonic

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        if not isinstance(event, Update):
            return await handler(event, data)
        kind = event.event_type
        started = self._monotonic()
        try:
            return await handler(event, data)
        except Exception:
            self._metrics.update_errors.labels(kind=kind).inc()
            raise
        finally:
            self._metrics.updates.labels(kind=kind).inc()
            self._metrics.update_seconds.labels(kind=kind).observe(self._monotonic() - started)

"""Scheduled jobs: each domain declares its own in its tasks.py with `@scheduled(...)`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class ScheduledJob:
    """Run `run` once per slot of `every_seconds`, on whichever worker takes the slot first."""

    name: str
    every_seconds: int
    run: Callable[[], object]


_jobs: dict[str, ScheduledJob] = {}


def scheduled(*, name: str, every_seconds: int) -> Callable[[F], F]:
    """Declare `func` (a task's `enqueue`, or a quick function) a job run every `every_seconds`."""

    def register(func: F) -> F:
        existing = _jobs.get(name)
        if existing is not None and existing.run is not func:
            raise ValueError(f"Scheduled job {name!r} is already declared by {existing.run!r}.")
        _jobs[name] = ScheduledJob(name=name, every_seconds=every_seconds, run=func)
        return func

    return register


def scheduled_jobs() -> list[ScheduledJob]:
    return sorted(_jobs.values(), key=lambda job: job.name)

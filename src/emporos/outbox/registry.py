"""Which handlers react to which event class. Handlers register when their domain's handlers.py is
imported (every installed Emporos app's `events` and `handlers` modules are imported at start-up)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from emporos.outbox.events import DomainEvent

E = TypeVar("E", bound=DomainEvent)


@dataclass(frozen=True)
class Handler:
    name: str
    event_class: type[DomainEvent]
    func: Callable[[Any], None]

    @property
    def topic(self) -> str:
        return self.event_class.topic


_by_topic: dict[str, list[Handler]] = {}
_by_name: dict[str, Handler] = {}


def handles(event_class: type[E], *, name: str) -> Callable[[Callable[[E], None]], Callable[[E], None]]:
    """Register `func(event)` as the handler `name` for `event_class`. Names are stable: they key
    deliveries, so renaming a handler orphans its pending deliveries."""
    if not (isinstance(event_class, type) and issubclass(event_class, DomainEvent)):
        raise TypeError(f"handles() takes an event class, not {event_class!r}.")

    def register(func: Callable[[E], None]) -> Callable[[E], None]:
        existing = _by_name.get(name)
        if existing is not None and existing.func is not func:
            raise ValueError(f"Outbox handler name {name!r} is already taken by {existing.func!r}.")
        handler = Handler(name=name, event_class=event_class, func=func)
        _by_name[name] = handler
        if handler not in _by_topic.setdefault(event_class.topic, []):
            _by_topic[event_class.topic].append(handler)
        return func

    return register


def handlers_for(topic: str) -> list[Handler]:
    return list(_by_topic.get(topic, []))


def handler_named(name: str) -> Handler | None:
    return _by_name.get(name)


def all_handlers() -> list[Handler]:
    return sorted(_by_name.values(), key=lambda handler: handler.name)

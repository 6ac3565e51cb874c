"""Which handlers react to which topic. Handlers register at import of their domain's handlers.py."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from emporos.outbox.models import Event

HandlerFunc = Callable[[Event], None]


@dataclass(frozen=True)
class Handler:
    name: str
    topic: str
    func: HandlerFunc


_by_topic: dict[str, list[Handler]] = {}
_by_name: dict[str, Handler] = {}


def handles(topic: str, *, name: str) -> Callable[[HandlerFunc], HandlerFunc]:
    """Register `func` as the handler `name` for `topic`. Names are stable: they key deliveries."""

    def register(func: HandlerFunc) -> HandlerFunc:
        existing = _by_name.get(name)
        if existing is not None and existing.func is not func:
            raise ValueError(f"Outbox handler name {name!r} is already taken by {existing.func!r}.")
        handler = Handler(name=name, topic=topic, func=func)
        _by_name[name] = handler
        if handler not in _by_topic.setdefault(topic, []):
            _by_topic[topic].append(handler)
        return func

    return register


def handlers_for(topic: str) -> list[Handler]:
    return list(_by_topic.get(topic, []))


def handler_named(name: str) -> Handler | None:
    return _by_name.get(name)

"""Typed events: each topic is one frozen dataclass, known by its topic for as long as Emporos lives.

A subclass sets `topic` ("<domain>.<what_happened>") and declares small fields that JSON keeps
as they are (ids, codes, counts, decimal strings, dates as ISO strings, lists of those): never
personal data. Defining a class registers its topic; two classes can never share one. Handlers
receive the dataclass rebuilt from the stored payload (`from_payload`), with `meta` telling which
stored event it is.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import types
import typing
import uuid
from typing import Any, ClassVar, Self

# Field types a payload may hold; anything else would not survive the JSON round trip.
JSON_FIELD_TYPES = frozenset({"int", "str", "bool", "list[int]", "list[str]", "int | None", "str | None"})


@dataclasses.dataclass(frozen=True)
class EventMeta:
    """Which stored event a handler is looking at: its row id, its public uuid, when it was emitted."""

    id: int
    uuid: uuid.UUID
    created_at: dt.datetime


class UnknownTopic(LookupError):
    """A stored event whose topic no class claims (its domain was not loaded, or a typo)."""


_classes: dict[str, type[DomainEvent]] = {}


@dataclasses.dataclass(frozen=True)
class DomainEvent:
    """Base of every event. Fields are the payload; `meta` is set only on events a handler receives."""

    topic: ClassVar[str]
    meta: EventMeta | None = dataclasses.field(default=None, compare=False, repr=False, kw_only=True)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        topic = cls.__dict__.get("topic")
        if not isinstance(topic, str):
            raise TypeError(f"{cls.__qualname__} must set topic = '<domain>.<what_happened>'.")
        known = _classes.get(topic)
        # The same class defined again (its module imported twice) is not a second owner.
        if known is not None and (known.__module__, known.__qualname__) != (cls.__module__, cls.__qualname__):
            raise TypeError(f"Topic {topic!r} already belongs to {known.__module__}.{known.__qualname__}.")
        _classes[topic] = cls

    def payload(self) -> dict[str, Any]:
        return {field.name: getattr(self, field.name) for field in payload_fields(type(self))}

    @classmethod
    def from_payload(cls, payload: dict[str, Any], *, meta: EventMeta | None = None) -> Self:
        """Rebuild the event from its stored payload. Keys a later version dropped are ignored;
        fields a later version added take their defaults when an older payload lacks them."""
        known = {field.name for field in payload_fields(cls)}
        return cls(**{key: value for key, value in payload.items() if key in known}, meta=meta)


def payload_fields(cls: type[DomainEvent]) -> list[dataclasses.Field[Any]]:
    return [field for field in dataclasses.fields(cls) if field.name != "meta"]


def required_fields(cls: type[DomainEvent]) -> list[str]:
    """Payload fields without a default: an older payload must have every one of them."""
    return [
        field.name
        for field in payload_fields(cls)
        if field.default is dataclasses.MISSING and field.default_factory is dataclasses.MISSING
    ]


def field_types(cls: type[DomainEvent]) -> dict[str, str]:
    """The payload's field names and their types as written ("int", "list[int]", "str | None")."""
    hints = typing.get_type_hints(cls)
    return {field.name: _type_name(hints[field.name]) for field in payload_fields(cls)}


def _type_name(hint: Any) -> str:
    if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
        return " | ".join(_type_name(arg) for arg in typing.get_args(hint))
    if hint is type(None):
        return "None"
    origin = typing.get_origin(hint)
    if origin is not None:
        return f"{origin.__name__}[{', '.join(_type_name(arg) for arg in typing.get_args(hint))}]"
    return str(hint.__name__)


def event_class(topic: str) -> type[DomainEvent]:
    try:
        return _classes[topic]
    except KeyError:
        raise UnknownTopic(f"No event class has the topic {topic!r}; is its domain's events.py imported?") from None


def event_classes() -> dict[str, type[DomainEvent]]:
    """Every known topic and its class (each domain's events.py is imported at start-up)."""
    return dict(sorted(_classes.items()))

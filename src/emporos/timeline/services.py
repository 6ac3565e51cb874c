"""Writing the timeline: one call records the entry and emits its event, in the caller's transaction."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from emporos.core import clock
from emporos.core.actor import Actor
from emporos.outbox.events import DomainEvent
from emporos.outbox.services import emit
from emporos.timeline.models import Entry, Subject, SubjectKind
from emporos.timeline.rendering import kind_named


@dataclass(frozen=True)
class About:
    """A subject of an entry: About(SubjectKind.ORDER, order.pk)."""

    kind: SubjectKind
    id: int


class KindWithoutWords(LookupError):
    """An event recorded on the timeline without a renderer: it could not be shown to anyone."""


def record(
    *,
    event: DomainEvent,
    about: list[About],
    actor: Actor,
    facts: dict[str, Any] | None = None,
    occurred_at: dt.datetime | None = None,
) -> Entry:
    """Emit `event` and add an entry about each subject in `about`, both in the current transaction.

    The entry's kind is the event's topic; its facts are the event's payload plus `facts` (small
    values the words need that do not belong in the event, such as a note someone typed).
    """
    values, subjects = entry_rows(event=event, about=about, actor=actor, facts=facts, occurred_at=occurred_at)
    stored = emit(event)
    entry = Entry.objects.create(**values, event=stored)
    Subject.objects.bulk_create([Subject(entry=entry, **subject) for subject in subjects])
    return entry


def entry_rows(
    *,
    event: DomainEvent,
    about: list[About],
    actor: Actor,
    facts: dict[str, Any] | None = None,
    occurred_at: dt.datetime | None = None,
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """What `record` writes besides the event, as field values: the Entry row (its `event_id`
    left to the writer) and one Subject row per subject (their `entry_id` likewise). For a
    writer that stores the entry in a statement of its own, with the event `emitted_rows` gives."""
    if kind_named(event.topic) is None:
        raise KindWithoutWords(f"Declare how {event.topic} reads (timeline.rendering.renders) before recording it.")
    values = {
        "kind": event.topic,
        "facts": {**event.payload(), **(facts or {})},
        "actor_kind": actor.kind,
        "actor_id": actor.id,
        "actor_name": actor.name[:150],
        "occurred_at": occurred_at or clock.now(),
    }
    return values, [{"kind": subject.kind, "ref_id": subject.id} for subject in dict.fromkeys(about)]

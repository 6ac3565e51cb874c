"""Reading the timeline in the reader's language."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from emporos.core import formats
from emporos.timeline.models import Entry, SubjectKind
from emporos.timeline.rendering import actor_words, render_text


@dataclass(frozen=True)
class ShownEntry:
    """An entry as a reader sees it."""

    occurred_at: dt.datetime
    when: str  # occurred_at in the reader's language and the shop's time zone (Babel, 24-hour)
    kind: str
    text: str
    note: str
    actor: str  # in words: a name, "Emporos (automatic)"...
    actor_kind: str
    actor_name: str
    facts: dict[str, Any]


def entries_about(kind: SubjectKind, ref_id: int) -> QuerySet[Entry]:
    """Entries about one subject, newest first."""
    return Entry.objects.filter(subjects__kind=kind, subjects__ref_id=ref_id).order_by("-occurred_at", "-id")


def show(entries: list[Entry], *, language: str, time_zone: str) -> list[ShownEntry]:
    shown = []
    for entry in entries:
        words = render_text(entry.kind, entry.facts, language=language, time_zone=time_zone)
        shown.append(
            ShownEntry(
                occurred_at=entry.occurred_at,
                when=formats.datetime(entry.occurred_at, language=language, time_zone=time_zone),
                kind=entry.kind,
                text=words.text,
                note=words.note,
                actor=actor_words(entry.actor_kind, entry.actor_name, language=language),
                actor_kind=entry.actor_kind,
                actor_name=entry.actor_name,
                facts=entry.facts,
            )
        )
    return shown


def timeline_of(kind: SubjectKind, ref_id: int, *, language: str, time_zone: str, limit: int = 500) -> list[ShownEntry]:
    """The newest `limit` entries about a subject, in words."""
    return show(list(entries_about(kind, ref_id)[:limit]), language=language, time_zone=time_zone)

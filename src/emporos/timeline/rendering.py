"""How each kind of entry reads, in the reader's language.

Every domain declares, in its `timeline_kinds.py`, one renderer per event class it records:

    @renders(OrderHeld, example={"order_id": 1, "reason": "Waiting for the customer"})
    def _held(facts: Facts, words: Words) -> Text:
        return Text(_("Put on hold."), note=facts.text("reason"))

The renderer runs under the reader's language, so gettext, ngettext and `words` (Babel formats)
all speak it. Free text someone typed (a reason, a note) goes in `note`, shown as typed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from emporos.core import formats
from emporos.core.actor import ActorKind
from emporos.outbox.events import DomainEvent


@dataclass(frozen=True)
class Facts:
    """An entry's facts with typed getters; a fact an older entry lacks reads as absent."""

    values: Mapping[str, Any]

    def has(self, name: str) -> bool:
        return self.values.get(name) not in (None, "")

    def text(self, name: str) -> str:
        value = self.values.get(name)
        return "" if value is None else str(value)

    def number(self, name: str) -> int:
        return int(self.values.get(name) or 0)

    def amount(self, name: str) -> Decimal:
        return Decimal(str(self.values.get(name) or 0))

    def strings(self, name: str) -> list[str]:
        return [str(value) for value in self.values.get(name) or []]


@dataclass(frozen=True)
class Words:
    """Money, numbers and dates in the reader's language and the shop's time zone."""

    language: str
    time_zone: str

    def money(self, amount: Decimal | str, currency: str) -> str:
        return formats.money(amount, currency, language=self.language)

    def number(self, value: int | Decimal) -> str:
        return formats.number(value, language=self.language)

    def percent(self, value: Decimal) -> str:
        """'10%', '10 %' or '10%' as the reader's language writes a percentage."""
        return formats.percent(value, language=self.language)

    def date(self, value: dt.date | str) -> str:
        """A day as the reader's language writes it: '4 Dec 2026', '4 Δεκ 2026', '4 gru 2026'."""
        day = dt.date.fromisoformat(value) if isinstance(value, str) else value
        return formats.date(day, language=self.language)

    def join(self, items: list[str]) -> str:
        """'a, b and c' in the reader's language."""
        if len(items) <= 1:
            return "".join(items)
        return _("%(items)s and %(last)s") % {"items": ", ".join(items[:-1]), "last": items[-1]}


@dataclass(frozen=True)
class Text:
    """An entry in words: `text` in the reader's language; `note` as the person typed it."""

    text: str
    note: str = ""


Renderer = Callable[[Facts, Words], Text]


@dataclass(frozen=True)
class Kind:
    event_class: type[DomainEvent]
    render: Renderer
    examples: tuple[Mapping[str, Any], ...] = field(default=())

    @property
    def name(self) -> str:
        return self.event_class.topic


_kinds: dict[str, Kind] = {}


def renders(
    event_class: type[DomainEvent], *, example: Mapping[str, Any], more_examples: tuple[Mapping[str, Any], ...] = ()
) -> Callable[[Renderer], Renderer]:
    """Declare how entries recorded with `event_class` read. `example` (and `more_examples`, e.g. for
    plural forms or optional facts) are the facts the four-language test renders."""

    def register(func: Renderer) -> Renderer:
        existing = _kinds.get(event_class.topic)
        if existing is not None and existing.render is not func:
            raise ValueError(f"Timeline kind {event_class.topic!r} already has a renderer: {existing.render!r}.")
        _kinds[event_class.topic] = Kind(event_class=event_class, render=func, examples=(example, *more_examples))
        return func

    return register


def kind_named(name: str) -> Kind | None:
    return _kinds.get(name)


def kinds() -> dict[str, Kind]:
    """Every kind of entry, by name (the event topic)."""
    return dict(sorted(_kinds.items()))


def render_text(kind: str, facts: Mapping[str, Any], *, language: str, time_zone: str) -> Text:
    """The words of one entry in `language`. An unknown kind (a domain removed) still reads."""
    with translation.override(language):
        found = _kinds.get(kind)
        if found is None:
            # Kept as it was written (an entry from before its kind was known, or of a removed domain).
            return Text(_("Earlier entry:"), note=str(facts.get("summary", "")))
        return found.render(Facts(facts), Words(language=language, time_zone=time_zone))


def actor_words(kind: str, name: str, *, language: str) -> str:
    """How the one who did it is shown: a person by name, the system as Emporos itself."""
    with translation.override(language):
        if kind == ActorKind.SYSTEM:
            return _("Emporos (automatic)")
        if kind == ActorKind.API_KEY:
            return _("Integration “%(name)s”") % {"name": name}
        return name

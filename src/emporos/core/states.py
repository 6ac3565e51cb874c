"""Declared lifecycle states: a transition table and one check, used by every domain."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import TypeVar

from emporos.core.errors import TransitionNotAllowed

S = TypeVar("S", bound=StrEnum)


def check_transition(table: Mapping[S, frozenset[S]], *, current: S, target: S, what: str) -> None:
    """Raise TransitionNotAllowed unless `table` allows `current` -> `target`."""
    if target not in table.get(current, frozenset()):
        allowed = ", ".join(sorted(table.get(current, frozenset()))) or "nothing (final)"
        raise TransitionNotAllowed(
            f"The {what} cannot go from {current} to {target}; from {current} it can go to: {allowed}."
        )

"""Base of the frozen dataclasses every domain publishes as events."""

from __future__ import annotations

import dataclasses
from typing import Any, ClassVar


@dataclasses.dataclass(frozen=True)
class DomainEvent:
    """Subclasses set `topic` ("<domain>.<what_happened>") and declare small, id-only fields."""

    topic: ClassVar[str]

    def payload(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

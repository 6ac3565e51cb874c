"""Who did it: every timeline row and ledger movement names an actor."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class ActorKind(StrEnum):
    STAFF = "staff"
    API_KEY = "api_key"
    SYSTEM = "system"
    CUSTOMER = "customer"


@dataclass(frozen=True)
class Actor:
    kind: ActorKind
    label: str

    @classmethod
    def system(cls, label: str = "Emporos") -> Actor:
        return cls(ActorKind.SYSTEM, label)

    @classmethod
    def api_key(cls, name: str) -> Actor:
        return cls(ActorKind.API_KEY, name)

    @classmethod
    def staff(cls, username: str) -> Actor:
        return cls(ActorKind.STAFF, username)

    def __str__(self) -> str:
        return f"{self.kind}:{self.label}"

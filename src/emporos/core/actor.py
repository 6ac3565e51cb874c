"""Who did it: every timeline entry and ledger movement names an actor."""

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
    """`kind` and `id` say who it was for good (a user's id, an API key's prefix, a customer's id);
    `name` is how to show them (a username, a key's name, what the system was doing)."""

    kind: ActorKind
    name: str
    id: str = ""

    @classmethod
    def system(cls, name: str = "Emporos") -> Actor:
        return cls(ActorKind.SYSTEM, name)

    @classmethod
    def api_key(cls, name: str, *, prefix: str = "") -> Actor:
        return cls(ActorKind.API_KEY, name, prefix)

    @classmethod
    def staff(cls, username: str, *, user_id: int | None = None) -> Actor:
        return cls(ActorKind.STAFF, username, "" if user_id is None else str(user_id))

    @classmethod
    def customer(cls, name: str, *, customer_id: int) -> Actor:
        return cls(ActorKind.CUSTOMER, name, str(customer_id))

    def __str__(self) -> str:
        return f"{self.kind}:{self.name}"

from __future__ import annotations

from dataclasses import dataclass

from emporos.outbox.events import DomainEvent


@dataclass(frozen=True)
class StaffRoleSet(DomainEvent):
    topic = "access.staff_role_set"
    user_id: int
    role: str

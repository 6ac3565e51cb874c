from __future__ import annotations

from dataclasses import dataclass

from emporos.outbox.events import DomainEvent


@dataclass(frozen=True)
class StaffRoleSet(DomainEvent):
    topic = "access.staff_role_set"
    user_id: int
    role: str


@dataclass(frozen=True)
class PasswordResetRequested(DomainEvent):
    """Someone asked for a reset link; the id of the request row only (never the address)."""

    topic = "access.password_reset_requested"
    request_id: int

from __future__ import annotations

from dataclasses import dataclass

from emporos.outbox.events import DomainEvent


@dataclass(frozen=True)
class StaffRoleSet(DomainEvent):
    """A staff account was given a role; `previous_role` is blank for a new account."""

    topic = "access.staff_role_set"
    user_id: int
    role: str
    previous_role: str = ""


@dataclass(frozen=True)
class StaffInvited(DomainEvent):
    """An owner created a staff account and asked for a link to choose its first password."""

    topic = "access.staff_invited"
    user_id: int
    role: str
    language: str


@dataclass(frozen=True)
class StaffDeactivated(DomainEvent):
    """The account can no longer sign in; its history stays."""

    topic = "access.staff_deactivated"
    user_id: int


@dataclass(frozen=True)
class StaffReactivated(DomainEvent):
    topic = "access.staff_reactivated"
    user_id: int


@dataclass(frozen=True)
class StaffPasswordLinkSent(DomainEvent):
    """An owner asked for a link to (re)set the account's password; `purpose` is reset or invite."""

    topic = "access.staff_password_link_sent"
    user_id: int
    purpose: str


@dataclass(frozen=True)
class PasswordResetRequested(DomainEvent):
    """Someone asked for a reset link; the id of the request row only (never the address)."""

    topic = "access.password_reset_requested"
    request_id: int

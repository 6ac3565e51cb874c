"""Reactions to events: the password-reset link leaves from the worker, never from the request."""

from __future__ import annotations

from emporos.access.events import PasswordResetRequested
from emporos.access.password_reset import send_requested_reset
from emporos.outbox.registry import handles


@handles(PasswordResetRequested, name="access.send_password_reset")
def send_password_reset(event: PasswordResetRequested) -> None:
    send_requested_reset(request_id=event.request_id)

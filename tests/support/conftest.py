"""Support's tests send and receive real mail: the SMTP server on loopback of the notifications tests."""

from __future__ import annotations

from tests.notifications.conftest import smtp

__all__ = ["smtp"]

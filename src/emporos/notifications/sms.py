"""What Emporos asks of an SMS provider, and the backends chosen by EMPOROS_SMS_BACKEND.

`console` prints each message, `file:/path` appends one JSON line per message (to, text, order,
event); providers that call out over HTTP live in `emporos.integrations.sms` and register here
at start-up (`register("smsapi", ...)`), so this domain never opens a connection itself.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from emporos.core.config import setting
from emporos.core.errors import DomainError


@dataclass(frozen=True)
class Sms:
    to: str  # E.164, e.g. +48500100200
    text: str
    order: str  # the order's number, "" when none
    event: str  # the uuid of the event that asked for it
    message: str  # the message's own uuid (a provider's idempotency or reference key)


class SmsFailed(DomainError):
    """The provider refused the message or could not be reached; the text says which and why."""

    code = "sms_failed"


class SmsNotConfigured(SmsFailed):
    code = "sms_not_configured"


class SmsSender(Protocol):
    name: str

    def send(self, sms: Sms) -> str:
        """Hand the message over; returns the provider's id for it."""
        ...


_FACTORIES: dict[str, Callable[[str], SmsSender]] = {}


def register(name: str, factory: Callable[[str], SmsSender]) -> None:
    """Make a backend known by name; the factory receives what follows "name:" in the setting."""
    _FACTORIES[name] = factory


def known() -> list[str]:
    return sorted(_FACTORIES)


def sender(spec: str | None = None) -> SmsSender:
    """The backend EMPOROS_SMS_BACKEND names ("console", "file:/var/sms.jsonl", "smsapi"), built now."""
    spec = (spec if spec is not None else setting("SMS_BACKEND")).strip()
    name, _, argument = spec.partition(":")
    factory = _FACTORIES.get(name)
    if factory is None:
        raise SmsNotConfigured(f"Unknown SMS backend {name!r}; set EMPOROS_SMS_BACKEND to one of {', '.join(known())}.")
    return factory(argument)


class ConsoleSender:
    name = "console"

    def __init__(self, argument: str = "") -> None:
        self.stream = sys.stdout

    def send(self, sms: Sms) -> str:
        self.stream.write(f"SMS to {sms.to} (order {sms.order or '-'}): {sms.text}\n")
        self.stream.flush()
        return f"console:{sms.message}"


class FileSender:
    """One JSON line per message, appended: for development and for tests."""

    name = "file"

    def __init__(self, argument: str) -> None:
        if not argument:
            raise SmsNotConfigured("The file SMS backend needs a path: EMPOROS_SMS_BACKEND=file:/path/to/sms.jsonl")
        self.path = Path(argument)

    def send(self, sms: Sms) -> str:
        fields = {"to": sms.to, "text": sms.text, "order": sms.order, "event": sms.event, "message": sms.message}
        line = json.dumps(fields, ensure_ascii=False)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as out:
            out.write(line + "\n")
        return f"file:{sms.message}"


register("console", ConsoleSender)
register("file", FileSender)

from __future__ import annotations

from dataclasses import dataclass

from emporos.outbox.events import DomainEvent


@dataclass(frozen=True)
class ShopSettingsChanged(DomainEvent):
    topic = "shop.settings_changed"
    changed: list[str]  # the names of the fields whose value changed

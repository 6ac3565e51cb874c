"""What the owner's support settings publish: a canned reply or an SLA target changed."""

from __future__ import annotations

from dataclasses import dataclass

from emporos.outbox.events import DomainEvent


@dataclass(frozen=True)
class MacroSaved(DomainEvent):
    """The owner created or changed a canned reply (macro); `created`: it is new."""

    topic = "support.macro_saved"
    macro_id: int
    created: bool


@dataclass(frozen=True)
class SlaTargetSaved(DomainEvent):
    """The owner set the working minutes to answer and to solve for a priority (and optionally a
    topic: `topic_code` empty means every topic); tickets opened from now on use them."""

    topic = "support.sla_target_saved"
    priority: str
    topic_code: str
    first_response_minutes: int
    next_response_minutes: int
    resolution_minutes: int

"""The owner's support settings: canned replies (macros) in four languages, and the SLA targets in
working minutes per priority (optionally per topic). Each save is checked, stored and announced
(`support.macro_saved`, `support.sla_target_saved`), as the return policy is."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.db import IntegrityError, transaction

from emporos.core import clock
from emporos.core.actor import Actor
from emporos.core.errors import ErrorCollector
from emporos.outbox.services import emit
from emporos.support.macros import LANGUAGES, PLACEHOLDERS, unknown_placeholders
from emporos.support.models import Macro, Priority, SlaTarget, Status, Topic
from emporos.support.settings_events import MacroSaved, SlaTargetSaved

MAX_NAME = 100
MAX_BODY = 5000
MAX_TAGS = 20
MAX_MINUTES = 60 * 24 * 30  # a month of working minutes is already no promise at all
ASKS_FOR = ("order_number", "address", "email", "phone")


def _clean_tags(tags: Sequence[str]) -> list[str]:
    return sorted({tag.strip().lower()[:40] for tag in tags if tag.strip()})[:MAX_TAGS]


def save_macro(
    *,
    macro: Macro | None,
    name: str,
    bodies: Mapping[str, str],
    actor: Actor,
    set_status: str = "",
    set_topic: str = "",
    add_tags: Sequence[str] = (),
    asks_for: str = "",
    position: int = 0,
) -> Macro:
    """Create a canned reply (`macro` None) or change one. Errors name the field: `name`,
    `body_<language>`, `set_status`, `set_topic`, `asks_for`, `position`."""
    errors = ErrorCollector()
    cleaned_name = name.strip()
    if not cleaned_name:
        errors.add("name", "required", "Give the reply a name staff will recognise in the list.")
    elif len(cleaned_name) > MAX_NAME:
        errors.add("name", "too_long", f"A name has at most {MAX_NAME} characters.")
    cleaned = {code: str(bodies.get(code, "")).strip() for code in LANGUAGES}
    for code, text in cleaned.items():
        if len(text) > MAX_BODY:
            errors.add(f"body_{code}", "too_long", f"A reply has at most {MAX_BODY} characters; shorten it.")
        unknown = unknown_placeholders(text)
        if unknown:
            errors.add(
                f"body_{code}",
                "unknown_placeholder",
                f"{{{unknown[0]}}} is no placeholder; use {', '.join('{' + name + '}' for name in PLACEHOLDERS)}.",
            )
    if not any(cleaned.values()):
        errors.add("body_en", "required", "Write the reply in at least one language.")
    if set_status not in ("", *Status.values):
        errors.add("set_status", "invalid", f"Pick a status: {', '.join(Status.values)}.")
    if set_topic not in ("", *Topic.values):
        errors.add("set_topic", "invalid", f"Pick a topic: {', '.join(Topic.values)}.")
    if asks_for not in ("", *ASKS_FOR):
        errors.add("asks_for", "invalid", f"Pick one of: {', '.join(ASKS_FOR)}.")
    if not 0 <= position <= 1000:
        errors.add("position", "out_of_range", "Give a place in the list from 0 to 1000.")
    errors.raise_if_any()
    created = macro is None
    row = macro or Macro()
    row.name = cleaned_name
    row.bodies = {code: text for code, text in cleaned.items() if text}
    row.set_status, row.set_topic, row.asks_for = set_status, set_topic, asks_for
    row.add_tags = _clean_tags(add_tags)
    row.position = position
    row.updated_at = clock.now()
    try:
        with transaction.atomic():
            row.save()
            emit(MacroSaved(macro_id=row.pk, created=created))
    except IntegrityError:
        if created:
            row.pk = None
        errors.add("name", "taken", f"A reply named {cleaned_name} exists already; give this one another name.")
        errors.raise_if_any()
    return row


def save_sla_target(
    *,
    priority: str,
    topic: str,
    first_response_minutes: int,
    next_response_minutes: int,
    resolution_minutes: int,
    actor: Actor,
) -> SlaTarget:
    """Set the targets for `priority` (and `topic`, or every topic when empty); the row for the
    pair is created or replaced. Tickets keep the targets they opened with until reclassified."""
    errors = ErrorCollector()
    if priority not in Priority.values:
        errors.add("priority", "invalid", f"Pick a priority: {', '.join(Priority.values)}.")
    if topic not in ("", *Topic.values):
        errors.add("topic", "invalid", f"Pick a topic: {', '.join(Topic.values)}.")
    minutes = {
        "first_response_minutes": first_response_minutes,
        "next_response_minutes": next_response_minutes,
        "resolution_minutes": resolution_minutes,
    }
    for field, value in minutes.items():
        if not 1 <= value <= MAX_MINUTES:
            errors.add(field, "out_of_range", f"Give from 1 to {MAX_MINUTES} working minutes.")
    if 1 <= resolution_minutes < first_response_minutes:
        errors.add(
            "resolution_minutes",
            "before_first_response",
            "Solving cannot be due before the first answer: give at least the first answer's minutes.",
        )
    errors.raise_if_any()
    with transaction.atomic():
        row, _created = SlaTarget.objects.update_or_create(priority=priority, topic=topic, defaults=minutes)
        emit(
            SlaTargetSaved(
                priority=priority,
                topic_code=topic,
                first_response_minutes=first_response_minutes,
                next_response_minutes=next_response_minutes,
                resolution_minutes=resolution_minutes,
            )
        )
    return row

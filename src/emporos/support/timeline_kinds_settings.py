"""How the support settings' events read, in the reader's language. Imported by
support/timeline_kinds.py (only modules named timeline_kinds are discovered)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from emporos.support import settings_events as events
from emporos.support.labels import label
from emporos.timeline.rendering import Facts, Text, Words, renders


@renders(
    events.MacroSaved,
    example={"macro_id": 1, "created": True},
    more_examples=({"macro_id": 1, "created": False},),
)
def _macro(facts: Facts, words: Words) -> Text:
    if facts.values.get("created") is True:
        return Text(_("A canned reply was added."))
    return Text(_("A canned reply was changed."))


@renders(
    events.SlaTargetSaved,
    example={
        "priority": "high",
        "topic_code": "",
        "first_response_minutes": 60,
        "next_response_minutes": 120,
        "resolution_minutes": 480,
    },
    more_examples=(
        {
            "priority": "urgent",
            "topic_code": "payment",
            "first_response_minutes": 30,
            "next_response_minutes": 60,
            "resolution_minutes": 240,
        },
    ),
)
def _target(facts: Facts, words: Words) -> Text:
    values = {
        "priority": label("priority", facts.text("priority")).lower(),
        "minutes": words.number(facts.number("first_response_minutes")),
    }
    if facts.text("topic_code"):
        values["topic"] = label("topic", facts.text("topic_code")).lower()
        return Text(
            _(
                "Support targets for %(priority)s priority, topic %(topic)s: first answer within %(minutes)s working minutes."
            )
            % values
        )
    return Text(
        _("Support targets for %(priority)s priority: first answer within %(minutes)s working minutes.") % values
    )

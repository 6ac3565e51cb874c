"""How the feedback domain's timeline entries read, in the reader's language."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from emporos.core import formats
from emporos.feedback import events
from emporos.feedback.words import score_words
from emporos.timeline.rendering import Facts, Text, Words, renders

_CHECK = {"check_id": 1, "order_id": 1, "number": "EM-10001"}


@renders(events.SatisfactionCheckScheduled, example={**_CHECK, "due_at": "2026-12-05T10:00:00+00:00"})
def _scheduled(facts: Facts, words: Words) -> Text:
    due = formats.datetime(
        dt.datetime.fromisoformat(facts.text("due_at")), language=words.language, time_zone=words.time_zone
    )
    return Text(_("Delivered in full: the customer will be asked how it went on %(when)s.") % {"when": due})


@renders(
    events.SatisfactionAnswered,
    example={
        **_CHECK,
        "customer_id": 1,
        "score": 2,
        "is_bad": True,
        "has_comment": True,
        "is_change": False,
        "comment": "Το κουτί ήρθε σκισμένο.",
    },
    more_examples=(
        {**_CHECK, "customer_id": 1, "score": 5, "is_bad": False, "has_comment": False, "is_change": False},
        {**_CHECK, "customer_id": 1, "score": 4, "is_bad": False, "has_comment": False, "is_change": True},
    ),
)
def _answered(facts: Facts, words: Words) -> Text:
    values = {"score": words.number(facts.number("score")), "words": score_words(facts.number("score"))}
    if facts.values.get("is_change") is True:
        text = _("The customer changed their answer: %(score)s of 5 (%(words)s).") % values
    elif facts.values.get("is_bad") is True:
        text = _("The customer is not satisfied: %(score)s of 5 (%(words)s). Get in touch today.") % values
    else:
        text = _("The customer said how it went: %(score)s of 5 (%(words)s).") % values
    return Text(text, note=facts.text("comment"))

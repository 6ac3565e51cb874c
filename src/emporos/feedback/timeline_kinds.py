"""How the feedback domain's timeline entries read, in the reader's language."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from emporos.core import formats
from emporos.feedback import events
from emporos.feedback.words import platform_name, reviewer, score_words
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


_REVIEW = {"review_id": 1, "platform": "google", "author": "Μαρία Παπαδοπούλου"}


def _review_values(facts: Facts, words: Words) -> dict[str, str]:
    return {
        "author": reviewer(facts.text("author") if facts.has("author") else ""),
        "platform": platform_name(facts.text("platform")),
    }


@renders(
    events.ReviewReceived,
    example={**_REVIEW, "stars": 1, "is_low": True, "has_reply": False},
    more_examples=(
        {**_REVIEW, "stars": 5, "is_low": False, "has_reply": True, "author": ""},
        {**_REVIEW, "stars": 4, "is_low": False, "has_reply": False},
    ),
)
def _review_received(facts: Facts, words: Words) -> Text:
    stars = facts.number("stars")
    values = {**_review_values(facts, words), "stars": words.number(stars)}
    text = (
        ngettext(
            "%(author)s reviewed the shop on %(platform)s: %(stars)s star.",
            "%(author)s reviewed the shop on %(platform)s: %(stars)s stars.",
            stars,
        )
        % values
    )
    if facts.values.get("is_low") is True and facts.values.get("has_reply") is not True:
        text = " ".join((text, _("Answer it today.")))
    return Text(text)


@renders(events.ReviewEdited, example={**_REVIEW, "stars": 2, "stars_before": 4})
def _review_edited(facts: Facts, words: Words) -> Text:
    stars = facts.number("stars")
    values = {
        **_review_values(facts, words),
        "stars": words.number(stars),
        "before": words.number(facts.number("stars_before")),
    }
    return Text(
        ngettext(
            "%(author)s changed their review on %(platform)s: %(stars)s star now, %(before)s before.",
            "%(author)s changed their review on %(platform)s: %(stars)s stars now, %(before)s before.",
            stars,
        )
        % values
    )


@renders(
    events.ReviewReplyWritten,
    example={**_REVIEW, "reply_version": 1, "reply": "Λυπούμαστε πολύ, σας στείλαμε καινούργιο."},
)
def _reply_written(facts: Facts, words: Words) -> Text:
    text = _("Reply to the review by %(author)s written; it is being posted on %(platform)s.")
    return Text(text % _review_values(facts, words), note=facts.text("reply") if facts.has("reply") else "")


@renders(events.ReviewReplyPosted, example={**_REVIEW, "reply_version": 1})
def _reply_posted(facts: Facts, words: Words) -> Text:
    return Text(_("The reply to the review by %(author)s is shown on %(platform)s.") % _review_values(facts, words))


@renders(
    events.ReviewReplyRefused,
    example={**_REVIEW, "reply_version": 1, "error": "Google refused the reply (HTTP 404 NOT_FOUND)."},
)
def _reply_refused(facts: Facts, words: Words) -> Text:
    text = _("%(platform)s refused the reply to the review by %(author)s.")
    return Text(text % _review_values(facts, words), note=facts.text("error") if facts.has("error") else "")

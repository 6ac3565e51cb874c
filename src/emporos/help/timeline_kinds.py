"""How the help centre's timeline entries read, in the reader's language. An article's title is
what staff typed: it is returned as the note, shown as typed."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from emporos.help import events
from emporos.timeline.rendering import Facts, Text, Words, renders

_ARTICLE = {"article_id": 1, "language": "el", "title": "Πόσο διαρκεί η αποστολή;"}


@renders(
    events.ArticleSaved,
    example={**_ARTICLE, "topic_key": "delivery-times", "created": True},
    more_examples=({**_ARTICLE, "topic_key": "delivery-times", "created": False},),
)
def _saved(facts: Facts, words: Words) -> Text:
    if facts.values.get("created") is True:
        return Text(_("Help article written."), note=facts.text("title"))
    return Text(_("Help article changed."), note=facts.text("title"))


@renders(events.ArticlePublished, example=_ARTICLE)
def _published(facts: Facts, words: Words) -> Text:
    return Text(_("Help article published: customers can read it."), note=facts.text("title"))


@renders(events.ArticleUnpublished, example=_ARTICLE)
def _unpublished(facts: Facts, words: Words) -> Text:
    return Text(_("Help article hidden from customers."), note=facts.text("title"))


@renders(
    events.ArticleVoted,
    example={"article_id": 1, "helpful": True},
    more_examples=({"article_id": 1, "helpful": False},),
)
def _voted(facts: Facts, words: Words) -> Text:
    if facts.values.get("helpful") is True:
        return Text(_("A reader found the help article answered their question."))
    return Text(_("A reader found the help article did not answer their question."))


@renders(events.ArticleViewed, example={"article_id": 1})
def _viewed(facts: Facts, words: Words) -> Text:
    return Text(_("A reader opened the help article."))


@renders(
    events.ContactAfterReading,
    example={"article_ids": [1]},
    more_examples=({"article_ids": [1, 2, 3]},),
)
def _contacted(facts: Facts, words: Words) -> Text:
    count = len(facts.strings("article_ids"))
    return Text(
        ngettext(
            "A reader wrote to the shop after reading %(count)s help article.",
            "A reader wrote to the shop after reading %(count)s help articles.",
            count,
        )
        % {"count": words.number(count)}
    )


@renders(events.CategorySaved, example={"category_id": 1, "slug": "delivery"})
def _category(facts: Facts, words: Words) -> Text:
    return Text(_("Help centre category saved."))

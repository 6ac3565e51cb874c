"""What the help centre publishes (payloads: ids and small facts; a visitor's key never leaves)."""

from __future__ import annotations

from dataclasses import dataclass

from emporos.outbox.events import DomainEvent


@dataclass(frozen=True)
class ArticleSaved(DomainEvent):
    """Staff wrote a help article or changed one (`created`: the first version in its language)."""

    topic = "help.article_saved"
    article_id: int
    topic_key: str
    language: str
    created: bool


@dataclass(frozen=True)
class ArticlePublished(DomainEvent):
    """A help article is shown to customers from now on."""

    topic = "help.article_published"
    article_id: int
    language: str


@dataclass(frozen=True)
class ArticleUnpublished(DomainEvent):
    """A help article is hidden from customers (kept for staff to edit)."""

    topic = "help.article_unpublished"
    article_id: int
    language: str


@dataclass(frozen=True)
class ArticleVoted(DomainEvent):
    """A reader said whether the article answered their question (a later vote replaces theirs)."""

    topic = "help.article_voted"
    article_id: int
    helpful: bool


@dataclass(frozen=True)
class ArticleViewed(DomainEvent):
    """A reader opened a published help article."""

    topic = "help.article_viewed"
    article_id: int


@dataclass(frozen=True)
class ContactAfterReading(DomainEvent):
    """A reader wrote to the shop after reading these articles: they did not answer the question."""

    topic = "help.contact_after_reading"
    article_ids: list[int]


@dataclass(frozen=True)
class CategorySaved(DomainEvent):
    """A shelf of the help centre was added or renamed."""

    topic = "help.category_saved"
    category_id: int
    slug: str

"""Writes of the help centre: articles (staff), votes, views and contacts after reading (visitors).

Staff changes are recorded on the timeline with their actor (`timeline.services.record` with no
subject: an article is not one of the timeline's subjects, the entry keeps who did what and when)
and emit their event. A visitor's vote, view and contact only emit their event: no person is
named, and a timeline entry per page view would be noise.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid

from django.db import IntegrityError, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from emporos.core import clock
from emporos.core.actor import Actor
from emporos.core.errors import ErrorCollector, FieldError, ValidationFailed
from emporos.core.latin import to_latin
from emporos.core.text import check_text, search_form
from emporos.help.events import (
    ArticlePublished,
    ArticleSaved,
    ArticleUnpublished,
    ArticleViewed,
    ArticleVoted,
    CategorySaved,
    ContactAfterReading,
)
from emporos.help.models import Article, ArticleView, ArticleVote, Category, Language
from emporos.outbox.services import emit
from emporos.timeline.services import record

MAX_TITLE = 200
MAX_BODY = 20_000
MAX_SLUG = 120
MAX_TOPIC_KEY = 80
MAX_POSITION = 10_000
# A reload within this time is the same reading, not another view.
SAME_READING = dt.timedelta(minutes=30)
_SLUG = re.compile(r"[-\w]+")
_TOPIC_KEY = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def save_category(*, slug: str, names: dict[str, str], position: int = 0) -> Category:
    """Add the category `slug` or rename it; `names` gives its name per language."""
    errors = ErrorCollector()
    if not _TOPIC_KEY.fullmatch(slug) or len(slug) > 60:
        errors.add("slug", "invalid_slug", _("Use lower-case letters a-z, digits and '-', e.g. delivery."))
    unknown = sorted(set(names) - set(Language.values))
    if unknown or not any(name.strip() for name in names.values()):
        errors.add("names", "invalid_names", _("Give the name in at least one of en, el, pl, he."))
    for language, name in names.items():
        check_text(errors, f"names.{language}", name, max_length=100)
    errors.raise_if_any()
    with transaction.atomic():
        category, _created = Category.objects.update_or_create(
            slug=slug, defaults={"names": {key: value.strip() for key, value in names.items()}, "position": position}
        )
        emit(CategorySaved(category_id=category.pk, slug=category.slug))
    return category


def save_article(
    *,
    article: Article | None = None,
    language: str,
    category: Category,
    title: str,
    body: str,
    slug: str = "",
    topic_key: str = "",
    position: int = 0,
    actor: Actor,
) -> Article:
    """Write a new article (`article` None) or change one. Title and body are required; the slug is
    made from the title when left empty and must be free in its language; `topic_key` ties the
    article to its versions in the other languages (made from the title when left empty)."""
    title, body, slug, topic_key = title.strip(), body.strip(), slug.strip(), topic_key.strip()
    _check_article(article=article, language=language, title=title, body=body, slug=slug, topic_key=topic_key)
    if not 0 <= position <= MAX_POSITION:
        raise ValidationFailed([FieldError("position", "out_of_range", _("Give a position between 0 and 10000."))])
    is_new = article is None
    now = clock.now()
    try:
        with transaction.atomic():
            row = article or Article(language=language, created_at=now, created_by=str(actor)[:150])
            row.slug = slug or _free_slug(_slug_of(title, language=language), language=language, article=article)
            row.topic_key = topic_key or row.topic_key or _free_topic_key(title, language=language)
            row.category, row.title, row.body, row.position = category, title, body, position
            row.search_title, row.search_body = search_form(title)[:400], search_form(body)
            row.updated_at, row.updated_by = now, str(actor)[:150]
            row.save()
            event = ArticleSaved(article_id=row.pk, topic_key=row.topic_key, language=row.language, created=is_new)
            record(event=event, about=[], actor=actor, facts={"title": row.title})
    except IntegrityError:
        raise _taken(language=language, slug=slug, topic_key=topic_key) from None
    return row


def _check_article(*, article: Article | None, language: str, title: str, body: str, slug: str, topic_key: str) -> None:
    errors = ErrorCollector()
    if language not in Language.values:
        errors.add("language", "invalid_choice", _("Choose one of the languages offered: en, el, pl or he."))
    elif article is not None and article.language != language:
        errors.add("language", "language_fixed", _("An article keeps its language; write a new one in the other."))
    if not title:
        errors.add("title", "required", _('Give the article a title, e.g. "How long does delivery take?".'))
    else:
        check_text(errors, "title", title, max_length=MAX_TITLE)
    if not body:
        errors.add("body", "required", _("Write the article's text: the answer a customer is looking for."))
    else:
        check_text(errors, "body", body, max_length=MAX_BODY, multiline=True)
    if slug and (not _SLUG.fullmatch(slug) or len(slug) > MAX_SLUG or slug != slug.lower()):
        errors.add(
            "slug",
            "invalid_slug",
            _("Use lower-case letters, digits and '-' only, e.g. delivery-times; or leave it empty."),
        )
    if topic_key and (not _TOPIC_KEY.fullmatch(topic_key) or len(topic_key) > MAX_TOPIC_KEY):
        errors.add(
            "topic_key",
            "invalid_topic_key",
            _("Use lower-case letters a-z, digits and '-' only, e.g. delivery-times; or leave it empty."),
        )
    errors.raise_if_any()


def _slug_of(title: str, *, language: str) -> str:
    """'Πόσο κάνει η αποστολή;' -> 'poso-kanei-i-apostoli'; Hebrew keeps its letters."""
    made = slugify(to_latin(title), allow_unicode=True)[:MAX_SLUG].strip("-")
    return made or f"article-{uuid.uuid4().hex[:8]}"


def _free_slug(base: str, *, language: str, article: Article | None) -> str:
    """`base`, or `base-2`, `base-3`... the first not used by another article in `language`."""
    others = Article.objects.filter(language=language)
    if article is not None:
        others = others.exclude(pk=article.pk)
        if article.slug == base:
            return base
    candidate, number = base, 1
    while others.filter(slug=candidate).exists():
        number += 1
        candidate = f"{base[: MAX_SLUG - 6]}-{number}"
    return candidate


def _free_topic_key(title: str, *, language: str) -> str:
    base = slugify(to_latin(title))[:MAX_TOPIC_KEY].strip("-") or f"article-{uuid.uuid4().hex[:8]}"
    candidate, number = base, 1
    while Article.objects.filter(topic_key=candidate, language=language).exists():
        number += 1
        candidate = f"{base[: MAX_TOPIC_KEY - 6]}-{number}"
    return candidate


def _taken(*, language: str, slug: str, topic_key: str) -> ValidationFailed:
    """The unique key an article collided with, as the field to change."""
    errors = ErrorCollector()
    if slug and Article.objects.filter(language=language, slug=slug).exists():
        errors.add("slug", "slug_taken", _("Another article in this language has this address; choose another."))
    if topic_key and Article.objects.filter(language=language, topic_key=topic_key).exists():
        errors.add(
            "topic_key",
            "version_exists",
            _("This article already has a version in this language; edit that one instead."),
        )
    if not errors.errors:
        errors.add("slug", "slug_taken", _("Another article in this language has this address; choose another."))
    return ValidationFailed(errors.errors)


def publish(*, article: Article, actor: Actor) -> Article:
    """Show the article to customers. Publishing a published article changes nothing."""
    with transaction.atomic():
        changed = Article.objects.filter(pk=article.pk, is_published=False).update(
            is_published=True, updated_at=clock.now(), updated_by=str(actor)[:150]
        )
        if changed:
            event = ArticlePublished(article_id=article.pk, language=article.language)
            record(event=event, about=[], actor=actor, facts={"title": article.title})
    article.refresh_from_db()
    return article


def unpublish(*, article: Article, actor: Actor) -> Article:
    """Hide the article from customers; staff still see and edit it."""
    with transaction.atomic():
        changed = Article.objects.filter(pk=article.pk, is_published=True).update(
            is_published=False, updated_at=clock.now(), updated_by=str(actor)[:150]
        )
        if changed:
            event = ArticleUnpublished(article_id=article.pk, language=article.language)
            record(event=event, about=[], actor=actor, facts={"title": article.title})
    article.refresh_from_db()
    return article


def _check_visitor(visitor_key: str) -> None:
    if not visitor_key or len(visitor_key) > 64:
        raise ValidationFailed(
            [FieldError("visitor_key", "invalid_visitor", "Give the visitor's key (1-64 characters).")]
        )


def record_vote(*, article: Article, helpful: bool, visitor_key: str) -> ArticleVote:
    """The visitor's answer to "Did this answer your question?"; their last vote counts."""
    _check_visitor(visitor_key)
    with transaction.atomic():
        vote, created = ArticleVote.objects.get_or_create(
            article=article, visitor_key=visitor_key, defaults={"is_helpful": helpful, "voted_at": clock.now()}
        )
        if not created and vote.is_helpful == helpful:
            return vote
        if not created:
            vote.is_helpful, vote.voted_at = helpful, clock.now()
            vote.save(update_fields=["is_helpful", "voted_at"])
        emit(ArticleVoted(article_id=article.pk, helpful=helpful))
    return vote


def record_view(*, article: Article, visitor_key: str) -> ArticleView:
    """The visitor opened the article; opening it again within SAME_READING is the same view."""
    _check_visitor(visitor_key)
    now = clock.now()
    with transaction.atomic():
        recent = (
            ArticleView.objects.filter(article=article, visitor_key=visitor_key, viewed_at__gt=now - SAME_READING)
            .order_by("-viewed_at")
            .first()
        )
        if recent is not None:
            return recent
        view = ArticleView.objects.create(article=article, visitor_key=visitor_key, viewed_at=now)
        emit(ArticleViewed(article_id=article.pk))
    return view


def record_contact(visitor_key: str, *, since: dt.timedelta = dt.timedelta(days=1)) -> int:
    """The visitor wrote to the shop: mark the articles they read within `since` as not having
    answered them. Returns how many articles were marked (0: nothing read, nothing emitted)."""
    if not visitor_key:
        return 0
    with transaction.atomic():
        recent = ArticleView.objects.filter(
            visitor_key=visitor_key[:64], viewed_at__gte=clock.now() - since, contacted_after=False
        )
        article_ids = sorted(set(recent.values_list("article_id", flat=True)))
        if not article_ids:
            return 0
        recent.update(contacted_after=True)
        emit(ContactAfterReading(article_ids=article_ids))
    return len(article_ids)

"""Reads of the help centre: what customers see, and how well each article answers (staff)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet

from emporos.help.models import Article, ArticleView, ArticleVote, Category


def published(language: str) -> QuerySet[Article]:
    return Article.objects.filter(language=language, is_published=True).select_related("category")


@dataclass(frozen=True)
class Shelf:
    """A category with its published articles in one language."""

    category: Category
    name: str
    articles: list[Article]


def shelves(language: str) -> list[Shelf]:
    """Categories that have a published article in `language`, each with its articles; two queries."""
    articles = list(published(language).order_by("category__position", "category__slug", "position", "id"))
    found: dict[int, Shelf] = {}
    for article in articles:
        shelf = found.get(article.category_id)
        if shelf is None:
            shelf = found[article.category_id] = Shelf(article.category, article.category.name_in(language), [])
        shelf.articles.append(article)
    return list(found.values())


def find_published(*, language: str, slug: str) -> Article | None:
    return published(language).filter(slug=slug).first()


def versions(article: Article) -> dict[str, Article]:
    """The published versions of `article`'s topic, by language (itself included)."""
    rows = Article.objects.filter(topic_key=article.topic_key, is_published=True)
    return {row.language: row for row in rows}


@dataclass(frozen=True)
class ArticleStats:
    """How an article does: views, votes and the views followed by a message to the shop."""

    article: Article
    views: int
    contacts: int
    helpful: int
    not_helpful: int

    @property
    def deflection(self) -> Decimal | None:
        """Percentage of views not followed by a message to the shop; None before the first view."""
        if not self.views:
            return None
        return (Decimal(100) * (self.views - self.contacts) / self.views).quantize(Decimal("1"))


SORTS = ("deflection", "views", "not_helpful", "title")


def article_stats(*, language: str = "", sort: str = "deflection") -> list[ArticleStats]:
    """Every article (of `language`, or all), with its numbers, sorted by `sort`: "deflection"
    puts the articles that fail first (least deflection, most views first among equals), then
    those never read. Three queries, whatever the number of articles."""
    articles = Article.objects.select_related("category").order_by("language", "position", "id")
    if language:
        articles = articles.filter(language=language)
    rows = list(articles)
    ids = [row.pk for row in rows]
    views = {
        item["article_id"]: item
        for item in ArticleView.objects.filter(article_id__in=ids)
        .values("article_id")
        .annotate(views=Count("id"), contacts=Count("id", filter=Q(contacted_after=True)))
    }
    votes = {
        item["article_id"]: item
        for item in ArticleVote.objects.filter(article_id__in=ids)
        .values("article_id")
        .annotate(helpful=Count("id", filter=Q(is_helpful=True)), not_helpful=Count("id", filter=Q(is_helpful=False)))
    }
    stats = [
        ArticleStats(
            article=row,
            views=views.get(row.pk, {}).get("views", 0),
            contacts=views.get(row.pk, {}).get("contacts", 0),
            helpful=votes.get(row.pk, {}).get("helpful", 0),
            not_helpful=votes.get(row.pk, {}).get("not_helpful", 0),
        )
        for row in rows
    ]
    return _sorted(stats, sort)


def _sorted(stats: list[ArticleStats], sort: str) -> list[ArticleStats]:
    if sort == "views":
        return sorted(stats, key=lambda item: -item.views)
    if sort == "not_helpful":
        return sorted(stats, key=lambda item: (-item.not_helpful, item.helpful))
    if sort == "title":
        return sorted(stats, key=lambda item: (item.article.language, item.article.title.casefold()))
    return sorted(
        stats,
        key=lambda item: (item.deflection is None, item.deflection or 0, -item.views, -item.not_helpful),
    )

"""The help centre: categories, articles in four languages, and what readers did with them."""

from __future__ import annotations

from django.db import models
from django.db.models import Q


class Language(models.TextChoices):
    """The languages an article can be written in (the shop's four)."""

    EN = "en", "English"
    EL = "el", "Ελληνικά"
    PL = "pl", "Polski"
    HE = "he", "עברית"


class Category(models.Model):
    """A shelf of the help centre ("Delivery", "Returns"); `names` holds its name per language."""

    slug = models.SlugField(max_length=60, unique=True)
    position = models.PositiveIntegerField(default=0)
    names = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["position", "slug"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.slug

    def name_in(self, language: str) -> str:
        """The category's name in `language`, else in English, else its slug."""
        return str(self.names.get(language) or self.names.get("en") or self.slug)


class Article(models.Model):
    """One article in one language. The versions of one article in the four languages share
    `topic_key`; `slug` is its public address within its language. `body` is plain text: blank
    lines part paragraphs and lines starting with "- " make a list (`help.rendering`)."""

    topic_key = models.SlugField(max_length=80)
    language = models.CharField(max_length=2, choices=Language.choices)
    slug = models.SlugField(max_length=120, allow_unicode=True)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="articles")
    title = models.CharField(max_length=200)
    body = models.TextField()
    is_published = models.BooleanField(default=False)
    position = models.PositiveIntegerField(default=0)
    # Title and body in `core.text.search_form` (lower case, no accents): what search reads.
    search_title = models.CharField(max_length=400, blank=True, default="")
    search_body = models.TextField(blank=True, default="")
    created_at = models.DateTimeField()
    created_by = models.CharField(max_length=150)
    updated_at = models.DateTimeField()
    updated_by = models.CharField(max_length=150)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["language", "slug"], name="help_article_slug_once_per_language"),
            models.UniqueConstraint(fields=["topic_key", "language"], name="help_article_one_version_per_language"),
            models.CheckConstraint(condition=Q(language__in=Language.values), name="help_article_language_valid"),
        ]
        indexes = [models.Index(fields=["language", "is_published", "position"], name="help_article_listed")]

    def __str__(self) -> str:
        return f"{self.language}/{self.slug}"


class ArticleVote(models.Model):
    """ "Did this answer your question?": one vote per visitor and article; a second vote replaces it."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="votes")
    visitor_key = models.CharField(max_length=64)
    is_helpful = models.BooleanField()
    voted_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "visitor_key"], name="help_vote_once_per_visitor"),
        ]

    def __str__(self) -> str:
        return f"{self.article_id}: {'yes' if self.is_helpful else 'no'}"


class ArticleView(models.Model):
    """A visitor read the article. `contacted_after`: the same visitor then wrote to the shop,
    so the article did not spare them the message."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="views")
    visitor_key = models.CharField(max_length=64)
    viewed_at = models.DateTimeField()
    contacted_after = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["visitor_key", "viewed_at"], name="help_view_by_visitor")]

    def __str__(self) -> str:
        return f"{self.article_id} at {self.viewed_at:%Y-%m-%d %H:%M}"

"""Errors of the help centre, each with a stable code."""

from __future__ import annotations

from emporos.core.errors import NotFound


class ArticleNotFound(NotFound):
    code = "article_not_found"

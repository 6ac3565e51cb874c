"""The help centre's corpus: the demo's six articles in four languages, published."""

from __future__ import annotations

import pytest

from emporos.demo.help import write_help_centre
from emporos.help.models import Article


@pytest.fixture
def corpus(db: None) -> dict[tuple[str, str], Article]:
    """(topic key, language) -> the published article."""
    return {(article.topic_key, article.language): article for article in write_help_centre()}

"""Search of the help centre: full text on PostgreSQL, a word-count fallback on SQLite.

Both read the article's stored `search_title` and `search_body` (`core.text.search_form`: lower
case, no accents, Greek final sigma as σ) and the query in the same form, so "επιστροφή",
"ΕΠΙΣΤΡΟΦΗ" and "επιστροφη" are one word on both. A query is cut into words of letters and digits
before anything is built from it: no character of the query reaches `to_tsquery` syntax. The
words are alternatives (a question typed in full still finds the article naming half of them),
ranked by how many match and where (title first); the last word is also a prefix, so suggestions
follow the customer as they type.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import F, QuerySet

from emporos.core.text import search_form
from emporos.help.models import Article

MAX_QUERY_LENGTH = 200
MAX_WORDS = 8
# PostgreSQL's text search configuration per language; Polish and Hebrew have none built in.
CONFIGS = {"en": "english", "el": "greek", "pl": "simple", "he": "simple"}


def _listed(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Words that say nothing about the question, dropped on both databases alike.
STOP_WORDS = {
    "en": _listed(
        "a an and are as at be by can do does for from how i if in is it my of on or the to was what when "
        "where which who why will with you your"
    ),
    "el": _listed("και να το τα τη την τον της του των με σε για απο που πωσ ειναι θα μου μασ ενα μια οι ο η"),
    "pl": _listed("i w z na do o a to jest sie czy jak co mi moje moja moj po za od przez"),
    "he": _listed("של את על עם זה זו מה איך אני לא כן או גם"),
}
_WORD = re.compile(r"[^\W_]+")
TITLE_WEIGHT = 3


@dataclass(frozen=True)
class Terms:
    """A query as words: `words` whole, `prefix` the last one as typed so far ("" when none)."""

    words: tuple[str, ...]
    prefix: str

    @property
    def is_empty(self) -> bool:
        return not self.words and not self.prefix


def terms(query: str, *, language: str) -> Terms:
    """The words of `query` worth searching for, in search form; the last one is the prefix."""
    found = _WORD.findall(search_form(query[:MAX_QUERY_LENGTH]))
    stop = STOP_WORDS.get(language, frozenset())
    kept = [word for word in found if len(word) > 1 and word not in stop][:MAX_WORDS]
    if not kept:
        return Terms((), "")
    return Terms(tuple(dict.fromkeys(kept[:-1])), kept[-1])


def search(query: str, *, language: str, limit: int = 5) -> list[Article]:
    """Published articles in `language` that match `query`, best first; [] for nothing to search."""
    wanted = terms(query, language=language)
    if wanted.is_empty or limit < 1:
        return []
    published = Article.objects.filter(language=language, is_published=True)
    if connection.vendor == "postgresql":
        return _full_text(published, wanted, language=language, limit=limit)
    return _counted(published, wanted, limit=limit)


def _quoted(word: str) -> str:
    # Letters and digits only (see `terms`), quoted all the same: a lexeme, never an operator.
    return "'" + word.replace("'", "") + "'"


def _full_text(published: QuerySet[Article], wanted: Terms, *, language: str, limit: int) -> list[Article]:
    config = CONFIGS.get(language, "simple")
    # Stemmed words in the language's configuration, and the same words unstemmed ('simple'), so a
    # half-typed word ("shipp") still finds its prefix in the text ("shipping" stems to "ship").
    vector = (
        SearchVector("search_title", config=config, weight="A")
        + SearchVector("search_body", config=config, weight="B")
        + SearchVector("search_title", config="simple", weight="A")
        + SearchVector("search_body", config="simple", weight="B")
    )
    query: SearchQuery | None = None
    for word in wanted.words:
        whole = SearchQuery(_quoted(word), config=config, search_type="raw")
        query = whole if query is None else query | whole
    typed = SearchQuery(_quoted(wanted.prefix) + ":*", config=config, search_type="raw") | SearchQuery(
        _quoted(wanted.prefix) + ":*", config="simple", search_type="raw"
    )
    query = typed if query is None else query | typed
    found = (
        published.annotate(rank=SearchRank(vector, query))
        .filter(rank__gt=0)
        .order_by(F("rank").desc(), "position", "id")[:limit]
    )
    return list(found)


def _matches(word: str, tokens: set[str], *, prefix: bool) -> bool:
    """Whether `word` is in `tokens` up to a short ending, as a stemmer reads "returns" and
    "returned" (PostgreSQL's side); the word being typed also as the start of a longer one."""
    stem = word[: max(4, len(word) - 2)]
    return any(token.startswith(stem) or (prefix and token.startswith(word)) for token in tokens)


def _counted(published: QuerySet[Article], wanted: Terms, *, limit: int) -> list[Article]:
    scored: list[tuple[int, Article]] = []
    candidates = [(word, False) for word in wanted.words] + [(wanted.prefix, True)]
    for article in published.order_by("position", "id"):
        title, body = set(_WORD.findall(article.search_title)), set(_WORD.findall(article.search_body))
        score = 0
        for word, prefix in candidates:
            score += TITLE_WEIGHT * _matches(word, title, prefix=prefix) + _matches(word, body, prefix=prefix)
        if score:
            scored.append((score, article))
    scored.sort(key=lambda pair: -pair[0])  # stable: position and id break ties, as on PostgreSQL
    return [article for _score, article in scored[:limit]]

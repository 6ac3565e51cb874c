"""Search over published articles of one language, the same on SQLite and PostgreSQL: accents and
case do not matter, the last word is a prefix as the customer types, and no character of the query
is ever read as search syntax."""

from __future__ import annotations

import pytest

from emporos.core.actor import Actor
from emporos.help import services
from emporos.help.models import Article
from emporos.help.search import search, terms

pytestmark = pytest.mark.django_db
Corpus = dict[tuple[str, str], Article]


def keys(found: list[Article]) -> list[str]:
    return [article.topic_key for article in found]


@pytest.mark.parametrize(
    "query", ["επιστροφή", "επιστροφη", "ΕΠΙΣΤΡΟΦΗ", "Επιστροφές"], ids=["accent", "bare", "upper", "plural"]
)
def test_a_greek_word_finds_the_returns_article_with_or_without_accents(corpus: Corpus, query: str) -> None:
    assert keys(search(query, language="el")) == ["returns-and-withdrawal"]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("παρακολ", ["track-a-parcel"]),
        ("πώς να παρακολουθ", ["track-a-parcel"]),
        ("αντικατ", ["cash-on-delivery"]),
    ],
    ids=["a-prefix", "words-then-a-prefix", "cash"],
)
def test_a_word_half_typed_already_finds_its_article(corpus: Corpus, typed: str, expected: list[str]) -> None:
    assert keys(search(typed, language="el")) == expected


def test_a_hebrew_word_finds_the_article_that_has_it(corpus: Corpus) -> None:
    assert keys(search("מידה", language="he")) == ["sizes"]


def test_an_english_question_ranks_the_article_naming_it_in_the_title_first(corpus: Corpus) -> None:
    found = keys(search("how long does delivery take", language="en"))
    assert found[0] == "delivery-times"


def test_a_polish_word_without_its_accents_is_found(corpus: Corpus) -> None:
    assert keys(search("zwroc", language="pl"))[:1] == ["returns-and-withdrawal"]


@pytest.mark.parametrize(
    "query", ["xyzzyq", "qwertzuiop asdfgh", "", "   ", "a"], ids=["junk", "two", "empty", "blank", "stop"]
)
def test_nothing_for_junk(corpus: Corpus, query: str) -> None:
    assert search(query, language="el") == []
    assert search(query, language="en") == []


@pytest.mark.parametrize(
    "query",
    ["&|!:*()'", "return') | ('x", "return:* & !delivery", "'; DROP TABLE help_article; --", "<->", "\\"],
    ids=["operators", "quote-escape", "tsquery-syntax", "sql", "phrase", "backslash"],
)
def test_search_syntax_in_the_query_is_only_ever_words(corpus: Corpus, query: str) -> None:
    words_only = " ".join([*terms(query, language="en").words, terms(query, language="en").prefix])
    assert search(query, language="en") == search(words_only, language="en")
    assert Article.objects.count() == 24


def test_only_published_articles_of_the_language_are_found(corpus: Corpus) -> None:
    services.unpublish(article=corpus["returns-and-withdrawal", "el"], actor=Actor.staff("eleni"))

    assert search("επιστροφή", language="el") == []
    assert keys(search("return", language="en")) == ["returns-and-withdrawal"]
    assert search("επιστροφή", language="pl") == []


def test_the_limit_is_kept(corpus: Corpus) -> None:
    assert len(search("parcel order delivery", language="en", limit=2)) == 2

"""The customer's help centre: shelves, search, an article with its vote, and the suggestions the
contact form shows as the customer types."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils.encoding import iri_to_uri

from emporos.core.actor import Actor
from emporos.help import services
from emporos.help.models import Article, ArticleView, ArticleVote
from emporos.help.visitors import COOKIE

pytestmark = pytest.mark.django_db
Corpus = dict[tuple[str, str], Article]


def path(article: Article) -> str:
    return f"/help/{article.language}/{article.slug}/"


def test_the_help_centre_lists_categories_and_articles_in_the_readers_language(client: Client, corpus: Corpus) -> None:
    page = client.get("/help/?lang=el")
    html = page.content.decode()
    assert page.status_code == 200
    assert page["Content-Language"] == "el"
    assert "Αποστολή και παράδοση" in html
    assert f'href="{path(corpus["sizes", "el"])}"' in html
    assert 'name="q"' in html
    assert corpus["sizes", "en"].title not in html


def test_hebrew_reads_right_to_left(client: Client, corpus: Corpus) -> None:
    html = client.get("/help/?lang=he").content.decode()
    assert '<html lang="he" dir="rtl">' in html
    assert "איך בוחרים מידה?" in html


def test_search_shows_the_matching_articles(client: Client, corpus: Corpus) -> None:
    found = client.get("/help/search/", {"q": "επιστροφη", "lang": "el"}).content.decode()
    nothing = client.get("/help/search/", {"q": "xyzzyq", "lang": "el"}).content.decode()
    assert f'href="{path(corpus["returns-and-withdrawal", "el"])}"' in found
    assert 'id="help-no-results"' not in found
    assert 'id="help-no-results"' in nothing
    assert "<bdi>xyzzyq</bdi>" in nothing


def test_an_article_renders_its_paragraphs_and_list_and_counts_the_view(client: Client, corpus: Corpus) -> None:
    article = corpus["delivery-times", "el"]

    page = client.get(path(article))

    html = page.content.decode()
    assert page.status_code == 200
    assert '<html lang="el" dir="ltr">' in html
    assert "<h1>Πόσο διαρκεί η παράδοση;</h1>" in html
    assert "<li>Αθήνα και Θεσσαλονίκη: 1–2 εργάσιμες ημέρες</li>" in html
    assert 'id="vote-yes">Ναι</button>' in html  # in the article's language
    assert 'name="csrfmiddlewaretoken"' in html
    assert ArticleView.objects.filter(article=article).count() == 1
    cookie = page.cookies[COOKIE]
    assert (cookie["httponly"], cookie["samesite"]) == (True, "Lax")
    assert ArticleView.objects.get().visitor_key in cookie.value  # signed: the key and its signature


def test_staff_text_is_shown_as_text_never_as_markup(client: Client, corpus: Corpus) -> None:
    article = corpus["sizes", "en"]
    services.save_article(
        article=article,
        language="en",
        category=article.category,
        title="Sizes <b>bold</b>",
        body='<script>alert("x")</script>\n\n- <img src=x onerror=alert(1)>',
        slug=article.slug,
        actor=Actor.staff("eleni"),
    )
    html = client.get(path(article)).content.decode()
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "<li>&lt;img src=x onerror=alert(1)&gt;</li>" in html


def test_the_same_visitor_is_recognised_by_the_cookie(client: Client, corpus: Corpus) -> None:
    first = client.get(path(corpus["sizes", "en"]))
    second = client.get(path(corpus["cash-on-delivery", "en"]))
    assert COOKIE not in second.cookies  # nothing new to set
    assert first.status_code == second.status_code == 200
    assert ArticleView.objects.values("visitor_key").distinct().count() == 1


def test_a_tampered_cookie_gets_a_new_visitor(client: Client, corpus: Corpus) -> None:
    client.cookies[COOKIE] = "someone-else:forged"
    page = client.get(path(corpus["sizes", "en"]))
    assert page.cookies[COOKIE].value != "someone-else:forged"
    assert ArticleView.objects.get().visitor_key != "someone-else"


def test_voting_no_thanks_and_offers_the_contact_page(client: Client, corpus: Corpus) -> None:
    article = corpus["change-pickup-point", "en"]
    client.get(path(article))

    voted = client.post(f"{path(article)}vote/", {"helpful": "no"})
    page = client.get(voted["Location"])

    assert (voted.status_code, voted["Location"]) == (303, f"{path(article)}?voted=no#vote")
    html = page.content.decode()
    assert 'id="vote-thanks"' in html
    assert 'href="/contact/"' in html
    assert 'id="vote-yes"' not in html
    vote = ArticleVote.objects.get()
    assert (vote.article_id, vote.is_helpful, vote.visitor_key) == (
        article.pk,
        False,
        ArticleView.objects.get().visitor_key,
    )


def test_voting_yes_thanks_without_a_contact_link(client: Client, corpus: Corpus) -> None:
    article = corpus["sizes", "pl"]
    page = client.post(f"{path(article)}vote/", {"helpful": "yes"}, follow=True)
    html = page.content.decode()
    assert 'id="vote-thanks"' in html
    assert 'href="/contact/"' not in html
    assert ArticleVote.objects.get().is_helpful is True


def test_a_vote_needs_the_csrf_token(corpus: Corpus) -> None:
    browser = Client(enforce_csrf_checks=True)
    refused = browser.post(f"{path(corpus['sizes', 'en'])}vote/", {"helpful": "yes"})
    assert refused.status_code == 403
    assert ArticleVote.objects.count() == 0


def test_a_vote_that_is_neither_yes_nor_no_is_refused(client: Client, corpus: Corpus) -> None:
    refused = client.post(f"{path(corpus['sizes', 'en'])}vote/", {"helpful": "maybe"})
    assert refused.status_code == 400
    assert ArticleVote.objects.count() == 0


@pytest.mark.parametrize("address", ["/help/el/no-such-article/", "/help/de/sizes/", "/help/en/πώς/"])
def test_unknown_articles_are_404(client: Client, corpus: Corpus, address: str) -> None:
    assert client.get(address).status_code == 404
    assert client.post(f"{address}vote/", {"helpful": "yes"}).status_code == 404
    assert (ArticleView.objects.count(), ArticleVote.objects.count()) == (0, 0)


def test_an_unpublished_article_is_not_shown(client: Client, corpus: Corpus) -> None:
    article = corpus["sizes", "el"]
    services.unpublish(article=article, actor=Actor.staff("eleni"))
    assert client.get(path(article)).status_code == 404
    assert ArticleView.objects.count() == 0


def test_the_language_picker_opens_the_same_article_in_the_other_language(client: Client, corpus: Corpus) -> None:
    answer = client.get(f"{path(corpus['sizes', 'el'])}?lang=he")
    assert (answer.status_code, answer["Location"]) == (302, iri_to_uri(path(corpus["sizes", "he"])))
    assert ArticleView.objects.count() == 0


def test_suggestions_are_empty_under_three_characters(client: Client, corpus: Corpus) -> None:
    answer = client.get("/help/suggest/", {"q": "πα", "language": "el"})
    assert (answer.status_code, answer.content.decode().strip()) == (200, "")


def test_suggestions_link_to_the_matching_articles(client: Client, corpus: Corpus) -> None:
    answer = client.get("/help/suggest/", {"q": "αλλαγή σημείου παραλ", "language": "el"})
    html = answer.content.decode()
    assert answer.status_code == 200
    assert html.count("<li>") >= 1
    assert f'href="{path(corpus["change-pickup-point", "el"])}"' in html
    assert "<html" not in html  # a partial, for htmx to swap in


def test_suggestions_for_an_unknown_language_fall_back_to_the_readers(client: Client, corpus: Corpus) -> None:
    answer = client.get("/help/suggest/", {"q": "parcel", "language": "xx"})
    assert f'href="{path(corpus["track-a-parcel", "en"])}"' in answer.content.decode()

"""The help centre on the desk: owner and support write and publish; the report puts the articles
that fail to spare a message first; the forms show each refusal next to its field."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from emporos.help import services
from emporos.help.models import Article, Category
from emporos.outbox.models import Event

pytestmark = pytest.mark.django_db
Corpus = dict[tuple[str, str], Article]


@pytest.mark.parametrize("role", ["owner", "support"])
def test_owner_and_support_open_the_help_centre_from_the_menu(make_staff: Any, corpus: Corpus, role: str) -> None:
    staff = make_staff(role)
    home = staff.get("/").content.decode()
    page = staff.get("/help-centre/")
    assert 'href="/help-centre/"' in home
    assert page.status_code == 200
    assert page.content.decode().count("<tr data-article=") == 24


@pytest.mark.parametrize(
    ("method", "address"),
    [
        ("get", "/help-centre/"),
        ("get", "/help-centre/articles/new/"),
        ("post", "/help-centre/articles/new/"),
        ("get", "/help-centre/articles/{id}/"),
        ("post", "/help-centre/articles/{id}/publish/"),
    ],
)
def test_the_warehouse_role_is_refused(make_staff: Any, corpus: Corpus, method: str, address: str) -> None:
    warehouse = make_staff("warehouse")
    article = corpus["sizes", "en"]
    events = Event.objects.count()
    answer = getattr(warehouse, method)(address.format(id=article.pk), {"action": "unpublish", "title": "x"})
    assert answer.status_code == 403
    assert 'href="/help-centre/"' not in warehouse.get("/").content.decode()
    assert (Event.objects.count(), Article.objects.get(pk=article.pk).is_published) == (events, True)


def test_articles_that_fail_to_deflect_come_first(owner: Client, corpus: Corpus) -> None:
    failing, fine = corpus["change-pickup-point", "en"], corpus["delivery-times", "en"]
    for visitor in ["a", "b", "c", "d"]:
        services.record_view(article=failing, visitor_key=visitor)
        services.record_view(article=fine, visitor_key=visitor)
    for visitor in ["a", "b", "c"]:
        services.record_vote(article=failing, helpful=False, visitor_key=visitor)
    services.record_vote(article=fine, helpful=True, visitor_key="d")
    services.record_view(article=fine, visitor_key="e")
    services.record_contact("a")  # read both, then wrote
    services.record_contact("b")  # read both, then wrote
    services.record_contact("c")

    html = owner.get("/help-centre/?language=en").content.decode()

    rows = html.split("<tr data-article=")[1:]
    assert len(rows) == 6
    assert rows[0].startswith(f'"{failing.pk}"')  # 1 of 4 readings without a message: 25%
    assert rows[1].startswith(f'"{fine.pk}"')  # 2 of 5: 40%
    assert '<span dir="ltr">25%</span>' in rows[0]
    assert '<span dir="ltr">40%</span>' in rows[1]
    cells = [cell.split("</td>")[0] for cell in rows[0].split('<td class="num">')[1:5]]
    assert cells == ["4", "0", "3", "3"]  # views, helpful, not helpful, messages after reading


def test_the_report_sorts_by_views(owner: Client, corpus: Corpus) -> None:
    most = corpus["sizes", "el"]
    for visitor in ["a", "b"]:
        services.record_view(article=most, visitor_key=visitor)
    html = owner.get("/help-centre/?sort=views&language=el").content.decode()
    assert html.split("<tr data-article=")[1].startswith(f'"{most.pk}"')


def test_unknown_filters_fall_back_to_the_defaults(owner: Client, corpus: Corpus) -> None:
    page = owner.get("/help-centre/?sort=nonsense&language=xx")
    assert page.status_code == 200
    assert page.content.decode().count("<tr data-article=") == 24


def test_writing_an_article_with_errors_shows_them_next_to_the_fields(owner: Client, corpus: Corpus) -> None:
    category = Category.objects.get(slug="delivery")
    events = Event.objects.count()

    page = owner.post(
        "/help-centre/articles/new/",
        {"language": "el", "category": category.pk, "title": "", "body": "", "slug": "Not a slug", "position": "1"},
    )

    html = page.content.decode()
    assert page.status_code == 400
    assert 'id="id_title_error"' in html
    assert 'id="id_body_error"' in html
    assert 'id="id_slug_error"' in html
    assert "Give the article a title" in html
    assert (Article.objects.count(), Event.objects.count()) == (24, events)


def test_a_taken_address_is_refused_next_to_the_slug(owner: Client, corpus: Corpus) -> None:
    taken = corpus["sizes", "en"]
    page = owner.post(
        "/help-centre/articles/new/",
        {
            "language": "en",
            "category": taken.category_id,
            "title": "Gift wrapping",
            "body": "We wrap gifts for free.",
            "slug": taken.slug,
            "topic_key": "gift-wrapping",
            "position": "",
        },
    )
    assert page.status_code == 400
    assert 'id="id_slug_error"' in page.content.decode()
    assert Article.objects.count() == 24


def test_support_writes_translates_and_publishes_an_article(make_staff: Any, corpus: Corpus) -> None:
    support = make_staff("support")
    category = Category.objects.get(slug="payment")

    created = support.post(
        "/help-centre/articles/new/",
        {"language": "en", "category": category.pk, "title": "Gift cards", "body": "Valid for a year.\n\n- Online"},
    )
    article = Article.objects.get(slug="gift-cards")
    form = support.get(f"/help-centre/articles/{article.pk}/").content.decode()
    published = support.post(f"/help-centre/articles/{article.pk}/publish/", {"action": "publish"})
    translate = support.get(f"/help-centre/articles/new/?topic=gift-cards&language=el&category={category.pk}")

    assert (created.status_code, created["Location"]) == (303, f"/help-centre/articles/{article.pk}/")
    assert 'value="gift-cards"' in form
    assert f'href="/help-centre/articles/new/?topic=gift-cards&amp;language=el&amp;category={category.pk}"' in form
    assert published.status_code == 303
    assert Article.objects.get(pk=article.pk).is_published is True
    assert 'value="gift-cards"' in translate.content.decode()
    assert (article.created_by, article.topic_key) == ("staff:support-user", "gift-cards")


def test_an_unknown_article_is_404(owner: Client, corpus: Corpus) -> None:
    assert owner.get("/help-centre/articles/999999/").status_code == 404
    assert owner.post("/help-centre/articles/999999/publish/", {"action": "publish"}).status_code == 404

"""Writing articles (validated, slugs made and kept unique), publishing, votes (the last one counts)
and "contacted after reading" for one visitor's recent views only; each with its event."""

from __future__ import annotations

import datetime as dt

import pytest

from emporos.core import clock
from emporos.core.actor import Actor
from emporos.core.errors import ValidationFailed
from emporos.help import services
from emporos.help.models import Article, ArticleView, ArticleVote, Category
from emporos.outbox import selectors as outbox
from emporos.outbox.models import Event
from emporos.timeline.models import Entry

pytestmark = pytest.mark.django_db
ELENI = Actor.staff("eleni", user_id=7)
MOMENT = dt.datetime(2026, 5, 4, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def category() -> Category:
    return services.save_category(slug="delivery", names={"en": "Delivery", "el": "Αποστολή"})


def write(category: Category, **overrides: object) -> Article:
    values: dict[str, object] = {
        "language": "el",
        "category": category,
        "title": "Πόσο διαρκεί η παράδοση;",
        "body": "Δύο με τρεις εργάσιμες ημέρες.",
        "actor": ELENI,
    }
    values.update(overrides)
    return services.save_article(**values)  # type: ignore[arg-type]


def errors_of(raised: pytest.ExceptionInfo[ValidationFailed]) -> list[tuple[str, str]]:
    return [(error.field, error.code) for error in raised.value.errors]


def test_a_new_article_gets_a_slug_and_topic_from_its_title_and_an_entry_with_its_author(category: Category) -> None:
    before = Event.objects.count()

    article = write(category)

    assert (article.slug, article.topic_key, article.is_published) == (
        "poso-diarkei-i-paradosi",
        "poso-diarkei-i-paradosi",
        False,
    )
    assert (article.search_title, article.created_by) == ("ποσο διαρκει η παραδοση;", "staff:eleni")
    assert outbox.topics()[before:] == ["help.article_saved"]
    entry = Entry.objects.get(kind="help.article_saved")
    assert (entry.actor_name, entry.facts["created"], entry.facts["title"], entry.subjects.count()) == (
        "eleni",
        True,
        "Πόσο διαρκεί η παράδοση;",
        0,
    )


def test_a_hebrew_title_keeps_its_letters_in_the_slug(category: Category) -> None:
    article = write(category, language="he", title="איך בוחרים מידה?", body="טבלת מידות.")
    assert article.slug == "איך-בוחרים-מידה"


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"title": " ", "body": ""}, [("title", "required"), ("body", "required")]),
        ({"title": "A\u202etitle"}, [("title", "bidi_control")]),
        ({"slug": "Not A Slug!"}, [("slug", "invalid_slug")]),
        ({"topic_key": "Δέμα"}, [("topic_key", "invalid_topic_key")]),
        ({"language": "de"}, [("language", "invalid_choice")]),
        ({"title": "x" * 201}, [("title", "too_long")]),
        ({"position": -1}, [("position", "out_of_range")]),
    ],
    ids=["empty", "bidi", "slug", "topic-key", "language", "long-title", "position"],
)
def test_bad_input_is_refused_by_field_and_nothing_is_written(
    category: Category, overrides: dict[str, object], expected: list[tuple[str, str]]
) -> None:
    events = Event.objects.count()
    with pytest.raises(ValidationFailed) as raised:
        write(category, **overrides)
    assert errors_of(raised) == expected
    assert (Article.objects.count(), Event.objects.count()) == (0, events)


def test_a_slug_taken_in_the_language_is_refused_when_given_and_numbered_when_made(category: Category) -> None:
    first = write(category, slug="delivery")

    with pytest.raises(ValidationFailed) as raised:
        write(category, slug="delivery", topic_key="other")
    made = write(category, topic_key="third")
    in_polish = write(category, language="pl", slug="delivery", title="Dostawa", body="Dwa dni.")

    assert errors_of(raised) == [("slug", "slug_taken")]
    assert (first.slug, made.slug, in_polish.slug) == ("delivery", "poso-diarkei-i-paradosi", "delivery")
    assert write(category, topic_key="fourth").slug == "poso-diarkei-i-paradosi-2"


def test_a_second_version_in_the_same_language_is_refused(category: Category) -> None:
    write(category, topic_key="delivery-times")
    with pytest.raises(ValidationFailed) as raised:
        write(category, topic_key="delivery-times", slug="another")
    assert errors_of(raised) == [("topic_key", "version_exists")]


def test_an_edit_keeps_the_language_and_the_address(category: Category) -> None:
    article = write(category)
    edited = write(category, article=article, title="Χρόνοι παράδοσης", slug=article.slug)
    with pytest.raises(ValidationFailed) as raised:
        write(category, article=article, language="pl")
    assert (edited.pk, edited.slug, edited.title) == (article.pk, "poso-diarkei-i-paradosi", "Χρόνοι παράδοσης")
    assert errors_of(raised) == [("language", "language_fixed")]
    assert Entry.objects.filter(kind="help.article_saved").count() == 2


def test_publish_and_unpublish_each_change_once(category: Category) -> None:
    article = write(category)
    before = Event.objects.count()

    services.publish(article=article, actor=ELENI)
    services.publish(article=article, actor=ELENI)
    services.unpublish(article=article, actor=ELENI)

    assert outbox.topics()[before:] == ["help.article_published", "help.article_unpublished"]
    assert Article.objects.get().is_published is False


def test_one_vote_per_visitor_and_article_the_last_one_counts(category: Category) -> None:
    article = write(category)
    before = Event.objects.count()

    services.record_vote(article=article, helpful=True, visitor_key="visitor-a")
    services.record_vote(article=article, helpful=True, visitor_key="visitor-a")
    services.record_vote(article=article, helpful=False, visitor_key="visitor-a")
    services.record_vote(article=article, helpful=True, visitor_key="visitor-b")

    assert sorted(ArticleVote.objects.values_list("visitor_key", "is_helpful")) == [
        ("visitor-a", False),
        ("visitor-b", True),
    ]
    assert outbox.topics()[before:] == ["help.article_voted"] * 3
    assert [event.payload for event in Event.objects.order_by("id")[before:]] == [
        {"article_id": article.pk, "helpful": True},
        {"article_id": article.pk, "helpful": False},
        {"article_id": article.pk, "helpful": True},
    ]


def test_a_vote_needs_a_visitor(category: Category) -> None:
    with pytest.raises(ValidationFailed):
        services.record_vote(article=write(category), helpful=True, visitor_key="")
    assert ArticleVote.objects.count() == 0


def test_a_reload_is_the_same_view(category: Category) -> None:
    article = write(category)
    with clock.frozen_at(MOMENT):
        services.record_view(article=article, visitor_key="v")
    with clock.frozen_at(MOMENT + dt.timedelta(minutes=10)):
        services.record_view(article=article, visitor_key="v")
    with clock.frozen_at(MOMENT + dt.timedelta(hours=2)):
        services.record_view(article=article, visitor_key="v")
    assert ArticleView.objects.count() == 2
    assert outbox.topics().count("help.article_viewed") == 2


def test_record_contact_marks_only_that_visitors_recent_views(category: Category) -> None:
    delivery = write(category)
    returns = write(category, title="Επιστροφές", body="Μέσα σε 14 ημέρες.")
    with clock.frozen_at(MOMENT - dt.timedelta(days=3)):
        old = services.record_view(article=returns, visitor_key="anna")
    with clock.frozen_at(MOMENT - dt.timedelta(hours=2)):
        read_delivery = services.record_view(article=delivery, visitor_key="anna")
        read_returns = services.record_view(article=returns, visitor_key="anna")
        someone_else = services.record_view(article=delivery, visitor_key="bob")
    before = Event.objects.count()

    with clock.frozen_at(MOMENT):
        marked = services.record_contact("anna")
        again = services.record_contact("anna")
        nobody = services.record_contact("carol")

    flags = dict(ArticleView.objects.values_list("id", "contacted_after"))
    assert (marked, again, nobody) == (2, 0, 0)
    assert flags == {old.pk: False, read_delivery.pk: True, read_returns.pk: True, someone_else.pk: False}
    assert outbox.topics()[before:] == ["help.contact_after_reading"]
    assert Event.objects.order_by("id").last().payload == {"article_ids": sorted([delivery.pk, returns.pk])}  # type: ignore[union-attr]


def test_record_contact_with_a_longer_window(category: Category) -> None:
    article = write(category)
    with clock.frozen_at(MOMENT - dt.timedelta(days=3)):
        services.record_view(article=article, visitor_key="anna")
    with clock.frozen_at(MOMENT):
        assert services.record_contact("anna", since=dt.timedelta(days=7)) == 1
    assert ArticleView.objects.get().contacted_after is True


def test_category_names_are_checked(db: None) -> None:
    with pytest.raises(ValidationFailed) as raised:
        services.save_category(slug="Bad Slug", names={"de": "Lieferung"})
    assert errors_of(raised) == [("slug", "invalid_slug"), ("names", "invalid_names")]
    assert Category.objects.count() == 0

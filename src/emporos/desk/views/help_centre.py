"""The help centre on the desk (owner and support): how each article answers customers, worst
first, and the forms to write, translate, publish and hide articles. The forms only parse;
`help.services` decides, and its errors land next to their field."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from emporos.access.roles import Permission
from emporos.core.errors import ValidationFailed
from emporos.desk.auth import actor_for, staff_required
from emporos.desk.forms import DeskForm, LocalizedIntegerField, multiline_text, plain_text, show_error
from emporos.desk.templatetags.desk import language_name
from emporos.help import selectors, services
from emporos.help.models import Article, Category, Language


def _language_choices() -> list[tuple[str, str]]:
    return [(code, language_name(code)) for code in Language.values]


def _category_choices() -> list[tuple[str, str]]:
    return [(str(category.pk), category.name_in(_current())) for category in Category.objects.order_by("position")]


def _current() -> str:
    return get_language() or settings.LANGUAGE_CODE


class ArticleForm(DeskForm):
    """Field names are `save_article`'s, so each of its errors lands next to its field."""

    language = forms.ChoiceField(label=gettext_lazy("Language"), choices=_language_choices)
    category = forms.TypedChoiceField(label=gettext_lazy("Category"), choices=_category_choices, coerce=int)
    title = forms.CharField(label=gettext_lazy("Title"), required=False, validators=[plain_text])
    body = forms.CharField(
        label=gettext_lazy("Text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 14, "dir": "auto"}),
        validators=[multiline_text],
        help_text=gettext_lazy(
            'Plain text: a blank line starts a new paragraph, a line starting with "- " is a list item.'
        ),
    )
    slug = forms.CharField(
        label=gettext_lazy("Address"),
        required=False,
        help_text=gettext_lazy("The end of the article's web address; left empty, it is made from the title."),
    )
    topic_key = forms.CharField(
        label=gettext_lazy("Topic key"),
        required=False,
        help_text=gettext_lazy(
            "The same key for the versions of one article in each language, e.g. delivery-times; left empty, "
            "it is made from the title."
        ),
    )
    position = LocalizedIntegerField(
        label=gettext_lazy("Position in its category"), required=False, help_text=gettext_lazy("Lower comes first.")
    )


def _stats_url(language: str, sort: str) -> str:
    query = {key: value for key, value in {"language": language, "sort": sort}.items() if value}
    return f"{reverse('desk:help_centre')}?{urlencode(query)}" if query else reverse("desk:help_centre")


@staff_required(Permission.EDIT_HELP_CENTRE)
@require_GET
def help_centre_page(request: HttpRequest) -> HttpResponse:
    """Every article with its views, votes, contacts after reading and deflection; worst first."""
    language = str(request.GET.get("language", ""))
    language = language if language in Language.values else ""
    sort = str(request.GET.get("sort", "deflection"))
    sort = sort if sort in selectors.SORTS else "deflection"
    context = {
        "section": "help",
        "rows": selectors.article_stats(language=language, sort=sort),
        "language": language,
        "sort": sort,
        "languages": [(code, language_name(code), _stats_url(code, sort)) for code in Language.values],
        "all_languages_url": _stats_url("", sort),
        "sorts": [
            (code, words, _stats_url(language, code))
            for code, words in [
                ("deflection", _("Failing first")),
                ("views", _("Most read")),
                ("not_helpful", _('Most "No" votes')),
                ("title", _("Title")),
            ]
        ],
        "has_categories": Category.objects.exists(),
    }
    return render(request, "desk/help/list.html", context)


def _initial_for_new(request: HttpRequest) -> dict[str, Any]:
    """A new article, or a translation of one: ?topic=<key>&language=<code>&category=<id>."""
    initial: dict[str, Any] = {}
    for name in ("topic_key", "language", "category"):
        value = str(request.GET.get("topic" if name == "topic_key" else name, ""))[:80]
        if value:
            initial[name] = value
    return initial


@staff_required(Permission.EDIT_HELP_CENTRE)
@require_http_methods(["GET", "POST"])
def article_new(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        form = ArticleForm(initial=_initial_for_new(request))
        return _form_page(request, form, article=None)
    form = ArticleForm(request.POST)
    saved = _save(request, form, article=None)
    if saved is not None:
        messages.success(request, _("Article saved. Publish it when it is ready for customers."))
        return HttpResponseRedirect(reverse("desk:help_article", args=[saved.pk]), status=303)
    return _form_page(request, form, article=None, status=400)


def _article(article_id: int) -> Article:
    article = Article.objects.select_related("category").filter(pk=article_id).first()
    if article is None:
        raise Http404
    return article


@staff_required(Permission.EDIT_HELP_CENTRE)
@require_http_methods(["GET", "POST"])
def article_edit(request: HttpRequest, article_id: int) -> HttpResponse:
    article = _article(article_id)
    if request.method != "POST":
        form = ArticleForm(
            initial={
                "language": article.language,
                "category": article.category_id,
                "title": article.title,
                "body": article.body,
                "slug": article.slug,
                "topic_key": article.topic_key,
                "position": article.position,
            }
        )
        return _form_page(request, form, article=article)
    form = ArticleForm(request.POST)
    saved = _save(request, form, article=article)
    if saved is not None:
        messages.success(request, _("Article saved."))
        return HttpResponseRedirect(reverse("desk:help_article", args=[saved.pk]), status=303)
    return _form_page(request, form, article=article, status=400)


@staff_required(Permission.EDIT_HELP_CENTRE)
@require_POST
def article_publish(request: HttpRequest, article_id: int) -> HttpResponse:
    """action=publish shows the article to customers, action=unpublish hides it."""
    article = _article(article_id)
    action = str(request.POST.get("action", ""))
    if action == "publish":
        services.publish(article=article, actor=actor_for(request))
        messages.success(request, _("Article published: customers can read it now."))
    elif action == "unpublish":
        services.unpublish(article=article, actor=actor_for(request))
        messages.success(request, _("Article hidden from customers."))
    else:
        messages.error(request, _("Choose to publish or to hide the article."))
    return HttpResponseRedirect(reverse("desk:help_article", args=[article.pk]), status=303)


def _save(request: HttpRequest, form: ArticleForm, *, article: Article | None) -> Article | None:
    if not form.is_valid():
        return None
    data = form.cleaned_data
    category = Category.objects.filter(pk=data["category"]).first()
    if category is None:
        form.add_error("category", _("Choose one of the categories listed."))
        return None
    try:
        return services.save_article(
            article=article,
            language=data["language"],
            category=category,
            title=data["title"],
            body=data["body"],
            slug=data["slug"],
            topic_key=data["topic_key"],
            position=data["position"] or 0,
            actor=actor_for(request),
        )
    except ValidationFailed as error:
        show_error(form, error)
        return None


def _form_page(request: HttpRequest, form: ArticleForm, *, article: Article | None, status: int = 200) -> HttpResponse:
    versions: list[tuple[str, str, Article | None, str]] = []
    if article is not None:
        found = {row.language: row for row in Article.objects.filter(topic_key=article.topic_key)}
        for code in Language.values:
            new_url = (
                reverse("desk:help_article_new")
                + "?"
                + urlencode({"topic": article.topic_key, "language": code, "category": article.category_id})
            )
            versions.append((code, language_name(code), found.get(code), new_url))
    context = {
        "section": "help",
        "form": form,
        "article": article,
        "versions": versions,
        "has_categories": Category.objects.exists(),
        "public_url": (
            reverse("portal:help_article", args=[article.language, article.slug])
            if article is not None and article.is_published
            else ""
        ),
    }
    return render(request, "desk/help/article.html", context, status=status)

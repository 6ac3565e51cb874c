"""The help centre's customer pages: the shelves, search, an article with "Did this answer your
question?", and the suggestions the contact form shows as the customer types (an htmx partial).

Anyone may read them: no token, no order. A reader is known only by a random key in a signed
cookie (`help.visitors`), which ties their views and votes to a later message to the shop.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from emporos.help import rendering, search, selectors, services
from emporos.help.models import Article
from emporos.help.visitors import remember_visitor, visitor_key
from emporos.portal.views import _asked_language, _common, _language

SUGGEST_MIN_CHARACTERS = 3
SUGGEST_LIMIT = 5
RESULTS_LIMIT = 10


def _query(request: HttpRequest) -> str:
    # The contact form sends what the customer is typing as its own field, "message".
    typed = request.GET.get("q") or request.GET.get("message", "")
    return str(typed)[: search.MAX_QUERY_LENGTH].strip()


def _answer(response: HttpResponse, language: str) -> HttpResponse:
    response["Content-Language"] = language
    response["Referrer-Policy"] = "same-origin"
    return response


def _help_url(name: str, language: str, **query: str) -> str:
    """A help centre address keeping the reader's chosen language (?lang=)."""
    wanted = {key: value for key, value in {**query, "lang": language}.items() if value}
    return f"{reverse(name)}?{urlencode(wanted)}" if wanted else reverse(name)


def _context(request: HttpRequest, language: str) -> dict[str, object]:
    asked = _asked_language(request)
    return {
        **_common(request, language),
        "help_home_url": _help_url("portal:help", asked),
        "search_url": reverse("portal:help_search"),
        "contact_url": "/contact/",
    }


@require_GET
def help_home(request: HttpRequest) -> HttpResponse:
    """The categories with their articles in the reader's language, and the search box."""
    language = _language(request)
    with translation.override(language):
        context = {**_context(request, language), "shelves": selectors.shelves(language)}
        response = render(request, "portal/help/home.html", context)
    return _answer(response, language)


@require_GET
def help_search(request: HttpRequest) -> HttpResponse:
    """The articles that match ?q= in the reader's language."""
    language = _language(request)
    query = _query(request)
    found = search.search(query, language=language, limit=RESULTS_LIMIT) if query else []
    with translation.override(language):
        context = {
            **_context(request, language),
            "query": query,
            "results": [(article, rendering.summary(article.body)) for article in found],
        }
        response = render(request, "portal/help/search.html", context)
    return _answer(response, language)


@require_GET
def help_suggest(request: HttpRequest) -> HttpResponse:
    """A short list of links to the articles matching ?q= in ?language= (else the reader's);
    empty under three characters. For the contact form, as the customer types (htmx)."""
    asked = str(request.GET.get("language", ""))
    language = asked if asked in {code for code, _name in settings.LANGUAGES} else _language(request)
    query = _query(request)
    found = search.search(query, language=language, limit=SUGGEST_LIMIT) if len(query) >= SUGGEST_MIN_CHARACTERS else []
    with translation.override(language):
        response = render(request, "portal/help/_suggestions.html", {"suggestions": found, "language": language})
    return _answer(response, language)


def _article_or_404(language: str, slug: str) -> Article:
    if language not in {code for code, _name in settings.LANGUAGES}:
        raise Http404
    article = selectors.find_published(language=language, slug=slug)
    if article is None:
        raise Http404
    return article


@require_GET
@never_cache
def help_article(request: HttpRequest, language: str, slug: str) -> HttpResponse:
    """The article in its language; ?lang= another language opens that language's version (or
    the help centre in it when the article has none). Each reading is counted once."""
    article = _article_or_404(language, slug)
    versions = selectors.versions(article)
    asked = _asked_language(request)
    if asked and asked != article.language:
        other = versions.get(asked)
        target = _article_path(other) if other else _help_url("portal:help", asked)
        return HttpResponseRedirect(target)
    services.record_view(article=article, visitor_key=visitor_key(request))
    voted = str(request.GET.get("voted", ""))
    with translation.override(article.language):
        context = {
            **_context(request, article.language),
            "help_home_url": _help_url("portal:help", article.language),
            "article": article,
            "category_name": article.category.name_in(article.language),
            "blocks": rendering.blocks(article.body),
            "voted": voted if voted in {"yes", "no"} else "",
            "vote_url": reverse("portal:help_vote", args=[article.language, article.slug]),
        }
        response = render(request, "portal/help/article.html", context)
    remember_visitor(request, response)
    return _answer(response, article.language)


def _article_path(article: Article) -> str:
    return reverse("portal:help_article", args=[article.language, article.slug])


@require_POST
def help_vote(request: HttpRequest, language: str, slug: str) -> HttpResponse:
    """ "Yes" or "No" from the article's page; back to the article with a thank-you (303)."""
    article = _article_or_404(language, slug)
    answer = str(request.POST.get("helpful", ""))
    if answer not in {"yes", "no"}:
        with translation.override(article.language):
            return HttpResponse(
                translation.gettext('Choose "Yes" or "No".'), status=400, content_type="text/plain; charset=utf-8"
            )
    services.record_vote(article=article, helpful=answer == "yes", visitor_key=visitor_key(request))
    response = HttpResponseRedirect(f"{_article_path(article)}?voted={answer}#vote", status=303)
    remember_visitor(request, response)
    return response

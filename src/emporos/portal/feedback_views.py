"""The customer's page of a satisfaction check, by its signed link: "How did it go?".

A GET only shows the question (mail scanners and link previews follow links: they must never
vote); the answer is a POST with the CSRF token, then the page is shown again (POST, redirect, GET).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from emporos.core import clock
from emporos.core.actor import Actor
from emporos.core.errors import ValidationFailed
from emporos.feedback import links, services
from emporos.feedback.errors import AnswerClosed
from emporos.feedback.models import HIGHEST_SCORE, LOWEST_SCORE, AnswerChannel, SatisfactionCheck
from emporos.orders import links as order_links
from emporos.portal.views import _asked_language, _common, _language, _private


def _score_choices() -> list[tuple[int, str]]:
    """The buttons, best first, in the active language."""
    words = {
        5: _("Very good"),
        4: _("Good"),
        3: _("Okay"),
        2: _("Bad"),
        1: _("Very bad"),
    }
    return [(score, words[score]) for score in range(HIGHEST_SCORE, LOWEST_SCORE - 1, -1)]


def _not_found(request: HttpRequest) -> HttpResponse:
    language = _language(request)
    with translation.override(language):
        response = render(request, "portal/feedback/not_found.html", _common(request, language), status=404)
    return _private(response, language)


def _problems(error: ValidationFailed) -> dict[str, list[str]]:
    """The service's refusals as the customer reads them, next to their field."""
    found: dict[str, list[str]] = {}
    for item in error.errors:
        if item.field == "comment" and item.code == "too_long":
            message = _("Please keep your comment under %(limit)s characters.") % {"limit": services.COMMENT_MAX_LENGTH}
        elif item.field == "comment":
            message = _("Your comment contains a character we cannot store; please type it again without it.")
        else:
            message = _("Please choose one of the buttons, from very good to very bad.")
        found.setdefault("comment" if item.field == "comment" else "score", []).append(message)
    return found


def _page(
    request: HttpRequest,
    check: SatisfactionCheck,
    token: str,
    *,
    errors: dict[str, list[str]] | None = None,
    comment: str = "",
    status: int = 200,
) -> HttpResponse:
    language = _language(request, check.order.customer.language)
    with translation.override(language):
        changeable = check.first_answered_at is None or (
            clock.now() - check.first_answered_at <= services.CHANGE_ANSWER_WITHIN
        )
        context = {
            **_common(request, language),
            "check": check,
            "order": check.order,
            "token": token,
            "scores": _score_choices(),
            "chosen_words": dict(_score_choices()).get(check.score or 0, ""),
            "is_changeable": changeable,
            "errors": errors or {},
            "comment": comment if errors else check.comment,
            "comment_max_length": services.COMMENT_MAX_LENGTH,
            "status_path": order_links.status_path(check.order),
        }
        response = render(request, "portal/feedback/page.html", context, status=status)
    return _private(response, language)


@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
def feedback(request: HttpRequest, token: str) -> HttpResponse:
    """GET: the question, or the answer given and a way to change it; POST: record the answer."""
    try:
        check = links.check_for_token(token)
    except links.FeedbackLinkInvalid:
        return _not_found(request)
    if request.method != "POST":
        return _page(request, check, token)
    raw_score = str(request.POST.get("score", "")).strip()
    comment = str(request.POST.get("comment", ""))
    if not raw_score.isdigit():
        errors = {"score": [_("Please choose one of the buttons, from very good to very bad.")]}
        with translation.override(_language(request, check.order.customer.language)):
            return _page(request, check, token, errors=errors, comment=comment, status=400)
    customer = check.order.customer
    try:
        services.answer_check(
            check=check,
            score=int(raw_score),
            comment=comment,
            actor=Actor.customer(customer.name, customer_id=customer.pk),
            channel=AnswerChannel.PORTAL,
        )
    except ValidationFailed as error:
        with translation.override(_language(request, customer.language)):
            return _page(request, check, token, errors=_problems(error), comment=comment, status=400)
    except AnswerClosed:
        with translation.override(_language(request, customer.language)):
            closed = {"score": [_("Your answer was given more than 7 days ago, so it can no longer be changed.")]}
            return _page(request, check, token, errors=closed, comment=comment, status=409)
    # 303 See Other: the browser shows the page with GET, and a reload never sends the answer again.
    asked = _asked_language(request)
    response = HttpResponse(status=303)
    path = reverse("portal:feedback", args=[token])  # the link the customer holds, as it is
    response["Location"] = f"{path}?{urlencode({'lang': asked})}" if asked else path
    return response

"""The page behind the link in the e-mail after a ticket is solved: how did it go, and how easy
was it. Reading the page records nothing (mail scanners follow links); each answer is a click, a
POST, and the last one counts."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from emporos.core.actor import Actor
from emporos.core.errors import ValidationFailed
from emporos.portal.views import _asked_language, _common, _language, _private
from emporos.support import links, services
from emporos.support.models import Ticket

SCORES = (1, 2, 3, 4, 5)


@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
def ticket_survey(request: HttpRequest, token: str) -> HttpResponse:
    try:
        ticket = links.ticket_for_survey(token)
    except links.SurveyLinkInvalid:
        raise Http404 from None
    status = 200
    if request.method == "POST":
        if _answer(request, ticket):
            asked = _asked_language(request)
            response = HttpResponse(status=303)
            target = reverse("portal:ticket_survey", args=[token])
            response["Location"] = f"{target}?lang={asked}&answered=1" if asked else f"{target}?answered=1"
            return response
        status = 400
    ticket.refresh_from_db()
    language = _language(request, ticket.language)
    with translation.override(language):
        context = {
            **_common(request, language),
            "ticket": ticket,
            "scores": SCORES,
            "answered": status == 200 and request.GET.get("answered") == "1",
            "is_bad": ticket.satisfaction in services.BAD_SATISFACTION,
            "refused": status == 400,
            "action": reverse("portal:ticket_survey", args=[token]),
        }
        response = render(request, "portal/support/survey.html", context, status=status)
    return _private(response, language)


def _answer(request: HttpRequest, ticket: Ticket) -> bool:
    """Record one answer (satisfaction or effort, whichever button was pressed); False when the
    value is not one of the scores."""
    question = "satisfaction" if "satisfaction" in request.POST else "effort"
    raw = str(request.POST.get(question, ""))
    if not raw.isdigit() or int(raw) not in SCORES:
        return False
    try:
        services.rate(
            ticket=ticket,
            satisfaction=int(raw) if question == "satisfaction" else None,
            effort=int(raw) if question == "effort" else None,
            actor=Actor.customer(ticket.customer.name, customer_id=ticket.customer_id),
        )
    except ValidationFailed:
        return False
    return True

"""The customer's signed link to say how a solved ticket went."""

from __future__ import annotations

from django.core import signing
from django.urls import reverse

from emporos.core.config import setting
from emporos.support.models import Ticket

_SALT = "emporos.support.survey"


class SurveyLinkInvalid(Exception):
    """The token was tampered with, or names no ticket."""


def survey_token(ticket: Ticket) -> str:
    return signing.dumps(str(ticket.survey_token), salt=_SALT, compress=False)


def ticket_for_survey(token: str) -> Ticket:
    try:
        value = signing.loads(token, salt=_SALT)
    except signing.BadSignature:
        raise SurveyLinkInvalid(token) from None
    ticket = Ticket.objects.filter(survey_token=value).select_related("customer").first()
    if ticket is None:
        raise SurveyLinkInvalid(token)
    return ticket


def survey_url(ticket: Ticket) -> str:
    return setting("PUBLIC_URL") + reverse("portal:ticket_survey", args=[survey_token(ticket)])

"""The customer's signed link to a satisfaction check's page."""

from __future__ import annotations

import uuid

from django.core import signing
from django.urls import reverse

from emporos.core.config import setting
from emporos.feedback.models import SatisfactionCheck

_SALT = "emporos.feedback.link"


class FeedbackLinkInvalid(Exception):
    """The token was tampered with, or names no check."""


def check_token(check: SatisfactionCheck) -> str:
    return signing.dumps(str(check.public_token), salt=_SALT, compress=False)


def check_for_token(token: str) -> SatisfactionCheck:
    """The check a link names (no expiry: an answer is welcome whenever it comes)."""
    try:
        public_token = signing.loads(token, salt=_SALT)
    except signing.BadSignature:
        raise FeedbackLinkInvalid(token) from None
    try:
        parsed = uuid.UUID(str(public_token))
    except ValueError:
        raise FeedbackLinkInvalid(token) from None
    check = SatisfactionCheck.objects.filter(public_token=parsed).select_related("order__customer").first()
    if check is None:
        raise FeedbackLinkInvalid(token)
    return check


def page_path(check: SatisfactionCheck) -> str:
    return reverse("portal:feedback", args=[check_token(check)])


def page_url(check: SatisfactionCheck) -> str:
    return setting("PUBLIC_URL") + page_path(check)

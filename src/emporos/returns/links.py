"""The customer's signed links to a return: its page (label, progress) and its label PDF."""

from __future__ import annotations

from django.core import signing
from django.urls import reverse

from emporos.core.config import setting
from emporos.returns.models import Return

_SALT = "emporos.returns.link"


class ReturnLinkInvalid(Exception):
    """The token was tampered with, or names no return."""


def return_token(ret: Return) -> str:
    return signing.dumps(str(ret.public_id), salt=_SALT, compress=False)


def return_for_token(token: str) -> Return:
    """The return a link names (links to a return do not expire: the label must stay reachable)."""
    try:
        public_id = signing.loads(token, salt=_SALT)
    except signing.BadSignature:
        raise ReturnLinkInvalid(token) from None
    ret = Return.objects.filter(public_id=public_id).select_related("order__customer", "refund").first()
    if ret is None:
        raise ReturnLinkInvalid(token)
    return ret


def page_path(ret: Return) -> str:
    return reverse("portal:return_page", args=[return_token(ret)])


def label_path(ret: Return) -> str:
    return reverse("portal:return_label", args=[return_token(ret)])


def label_url(ret: Return) -> str:
    return setting("PUBLIC_URL") + label_path(ret)


def page_url(ret: Return) -> str:
    return setting("PUBLIC_URL") + page_path(ret)

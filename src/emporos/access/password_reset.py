"""Password reset by e-mail link, in two steps that never reveal whether an address is known.

1. `request_password_reset` (the request): looks the address up, records one request row and
   emits `access.password_reset_requested` with the row's id, the same work for a known and an
   unknown address. No mail is built or sent here.
2. `send_requested_reset` (the worker's outbox handler): mails the link, in the language of the
   page it was asked from, at most MAX_PER_ADDRESS links per address and MAX_PER_ACCOUNT per
   account within WINDOW; other requests are recorded as throttled or skipped.

An owner asks for a link for one account from the desk (`request_link_for`): a reset link, or an
invitation to choose a first password for an account that has none yet. Both take the same path.
"""

from __future__ import annotations

import datetime as dt
import unicodedata

from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.auth.tokens import PasswordResetTokenGenerator, default_token_generator
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.encoding import force_bytes
from django.utils.http import base36_to_int, urlsafe_base64_encode

from emporos.access.events import PasswordResetRequested
from emporos.access.models import LinkPurpose, PasswordResetRequest, PasswordResetStatus
from emporos.core import clock
from emporos.outbox.services import emit
from emporos.shop import selectors as shop

MAX_PER_ADDRESS = 3
MAX_PER_ACCOUNT = 3
WINDOW = dt.timedelta(hours=1)
# Requests are kept a day (the throttle looks back an hour), then deleted by a later request.
KEEP = dt.timedelta(days=1)
# A new colleague may read the invitation days later; a reset link lives PASSWORD_RESET_TIMEOUT.
INVITATION_LIFETIME = dt.timedelta(days=3)

SUBJECT_TEMPLATE = "access/password_reset_subject.txt"
BODY_TEMPLATE = "access/password_reset_email.txt"
INVITE_SUBJECT_TEMPLATE = "access/invitation_subject.txt"
INVITE_BODY_TEMPLATE = "access/invitation_email.txt"


class InvitationTokens(PasswordResetTokenGenerator):
    """Tokens of invitation links: a key of their own, valid INVITATION_LIFETIME. Like a reset
    token, one stops working once a password is set (the password is part of what is signed)."""

    key_salt = "emporos.access.invitation"

    def check_token(self, user: User | None, token: str | None) -> bool:
        if not (user and token) or token.count("-") != 1:
            return False
        try:
            stamped = base36_to_int(token.split("-")[0])
        except ValueError:
            return False
        # Django's own check with this lifetime instead of PASSWORD_RESET_TIMEOUT.
        if self._num_seconds(self._now()) - stamped > INVITATION_LIFETIME.total_seconds():
            return False
        return any(
            constant_time_compare(self._make_token_with_timestamp(user, stamped, secret), token)
            for secret in [self.secret, *self.secret_fallbacks]
        )


class LinkTokens(PasswordResetTokenGenerator):
    """What the set-password page accepts: a reset link's token or an invitation's."""

    def check_token(self, user: User | None, token: str | None) -> bool:
        return default_token_generator.check_token(user, token) or invitation_tokens.check_token(user, token)


invitation_tokens = InvitationTokens()
link_tokens = LinkTokens()


def _lifetime(purpose: str) -> dt.timedelta:
    if purpose == LinkPurpose.INVITE:
        return INVITATION_LIFETIME
    return dt.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT)


def _folded(address: str) -> str:
    # As Django compares addresses for a reset (NFKC, case-folded), so every spelling is one address.
    return unicodedata.normalize("NFKC", address).strip().casefold()


def address_digest(address: str) -> str:
    """A keyed digest of the folded address: counts requests per address without storing it."""
    return salted_hmac("emporos.access.password_reset", _folded(address), algorithm="sha256").hexdigest()


def _accounts_at(address: str) -> list[User]:
    """Active accounts with a usable password whose address is `address` (Django's own rule)."""
    candidates = User.objects.filter(email__iexact=address.strip(), is_active=True).only("id", "email", "password")
    return [user for user in candidates if user.has_usable_password() and _folded(user.email) == _folded(address)]


def request_password_reset(*, email: str, origin: str, language: str) -> None:
    """Record a request for a reset link to `email` and emit its event, whether or not an account
    has that address: the caller learns nothing, and the answer takes the same work either way.

    `origin` ("https://shop.example") is where the link will point; `language` the mail's language.
    """
    now = clock.now()
    if language not in {code for code, _ in settings.LANGUAGES}:
        language = settings.LANGUAGE_CODE
    digest = address_digest(email)
    # One row per account at the address; one row without an account when there is none.
    accounts: list[User | None] = [*_accounts_at(email)] or [None]
    with transaction.atomic():
        PasswordResetRequest.objects.filter(requested_at__lt=now - KEEP).delete()
        rows = PasswordResetRequest.objects.bulk_create(
            [
                PasswordResetRequest(
                    user=user, address_digest=digest, origin=origin[:300], language=language, requested_at=now
                )
                for user in accounts
            ]
        )
        for row in rows:
            emit(PasswordResetRequested(request_id=row.pk))


def request_link_for(*, user: User, purpose: LinkPurpose, origin: str, language: str) -> PasswordResetRequest:
    """Record a request for a link to `user`'s address, in `language`, and emit its event (in the
    caller's transaction): the worker mails it, throttled like every other link."""
    if language not in {code for code, _ in settings.LANGUAGES}:
        language = settings.LANGUAGE_CODE
    row = PasswordResetRequest.objects.create(
        user=user,
        address_digest=address_digest(user.email),
        origin=origin[:300],
        language=language,
        purpose=purpose,
        requested_at=clock.now(),
    )
    emit(PasswordResetRequested(request_id=row.pk))
    return row


def send_requested_reset(*, request_id: int) -> None:
    """Mail the link for one request, unless it was handled already, has no account any more, is
    older than a link lives, or its address or account had its links for this hour.

    Runs in the delivery's transaction: a failed send raises, and the worker tries again later.
    """
    row = PasswordResetRequest.objects.select_related("user").filter(pk=request_id).first()
    if row is None or row.status != PasswordResetStatus.PENDING:
        return  # deleted after a day, or handled by an earlier delivery
    now = clock.now()
    user = row.user
    if (
        user is None
        or not user.is_active
        or (not user.has_usable_password() and row.purpose != LinkPurpose.INVITE)
        or address_digest(user.email) != row.address_digest  # the account's address changed since
        or now - row.requested_at > _lifetime(row.purpose)
    ):
        _finish(row, PasswordResetStatus.SKIPPED, now)
        return
    # Requests for one account (or accounts sharing its address) are decided one at a time.
    list(User.objects.select_for_update().filter(email__iexact=user.email).order_by("pk").values_list("pk"))
    if _sent_lately(row, user=user, now=now):
        _finish(row, PasswordResetStatus.THROTTLED, now)
        return
    _reset_message(user=user, row=row).send()
    _finish(row, PasswordResetStatus.SENT, now)


def _sent_lately(row: PasswordResetRequest, *, user: User, now: dt.datetime) -> bool:
    sent = PasswordResetRequest.objects.filter(status=PasswordResetStatus.SENT, handled_at__gt=now - WINDOW)
    return (
        sent.filter(address_digest=row.address_digest).count() >= MAX_PER_ADDRESS
        or sent.filter(user=user).count() >= MAX_PER_ACCOUNT
    )


def _finish(row: PasswordResetRequest, status: PasswordResetStatus, now: dt.datetime) -> None:
    row.status = status
    row.handled_at = now
    row.save(update_fields=["status", "handled_at"])


def _reset_message(*, user: User, row: PasswordResetRequest) -> EmailMessage:
    # The link's path is the desk's page; its name is the one thing this domain knows of the desk.
    is_invitation = row.purpose == LinkPurpose.INVITE
    tokens = invitation_tokens if is_invitation else default_token_generator
    path = reverse(
        "desk:password_reset_confirm",
        kwargs={"uidb64": urlsafe_base64_encode(force_bytes(user.pk)), "token": tokens.make_token(user)},
    )
    context = {
        "user": user,
        "username": user.get_username(),
        "site_name": shop.current().name,
        "link": f"{row.origin}{path}",
        "sign_in": f"{row.origin}{reverse('desk:login')}",
    }
    with translation.override(row.language):
        subject_template = INVITE_SUBJECT_TEMPLATE if is_invitation else SUBJECT_TEMPLATE
        subject = " ".join(render_to_string(subject_template, context).split())
        body = render_to_string(INVITE_BODY_TEMPLATE if is_invitation else BODY_TEMPLATE, context)
    return EmailMessage(subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[user.email])

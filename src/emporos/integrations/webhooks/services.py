"""Writes: register, turn off and on, re-key, remove an endpoint; ask for a test request; replay
a dead webhook delivery. Endpoints are settings, so they have no timeline; who made one is kept."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from urllib.parse import urlsplit

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from emporos.core import clock
from emporos.core.actor import Actor
from emporos.core.errors import ErrorCollector
from emporos.integrations.webhooks.errors import EndpointInactive, NoSuchEndpoint, NotAWebhookDelivery
from emporos.integrations.webhooks.events import WebhookDue
from emporos.integrations.webhooks.models import WebhookEndpoint
from emporos.integrations.webhooks.selectors import HANDLER_PREFIX
from emporos.integrations.webhooks.signing import new_secret
from emporos.integrations.webhooks.topics import OFFERED_NAMES, PING
from emporos.outbox.models import Delivery
from emporos.outbox.services import emit, replay_delivery

# Plain http is allowed only to the developer's own machine.
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
MAX_URL_LENGTH = 500


def add_endpoint(*, url: str, topics: Sequence[str], actor: Actor) -> WebhookEndpoint:
    """A new active endpoint with a fresh secret, sent the `topics` it names from now on."""
    url, chosen = url.strip(), _check(url=url, topics=topics)
    now = clock.now()
    with transaction.atomic():
        return WebhookEndpoint.objects.create(
            url=url,
            topics=chosen,
            secret=new_secret(),
            is_active=True,
            secret_set_at=now,
            created_at=now,
            created_by=str(actor)[:150],
        )


def set_endpoint_active(*, endpoint_id: uuid.UUID, is_active: bool) -> WebhookEndpoint:
    """Stop sending to an endpoint (requests already due are dropped, not sent), or start again."""
    with transaction.atomic():
        endpoint = _locked(endpoint_id)
        if endpoint.is_active != is_active:
            endpoint.is_active = is_active
            endpoint.save(update_fields=["is_active"])
        return endpoint


def rotate_secret(*, endpoint_id: uuid.UUID) -> WebhookEndpoint:
    """A new secret; requests signed from now on use it, the old one verifies nothing any more."""
    with transaction.atomic():
        endpoint = _locked(endpoint_id)
        endpoint.secret, endpoint.secret_set_at = new_secret(), clock.now()
        endpoint.save(update_fields=["secret", "secret_set_at"])
        return endpoint


def delete_endpoint(*, endpoint_id: uuid.UUID) -> WebhookEndpoint:
    """Remove an endpoint and its log; requests still due to it are dropped."""
    with transaction.atomic():
        endpoint = _locked(endpoint_id)
        endpoint.delete()
        return endpoint


def request_ping(*, endpoint_id: uuid.UUID) -> uuid.UUID:
    """Queue a signed test request (topic "ping") to an active endpoint; return its event id."""
    event_id = uuid.uuid4()
    with transaction.atomic():
        endpoint = _locked(endpoint_id)
        if not endpoint.is_active:
            raise EndpointInactive(_("Turn the endpoint on first: a disabled endpoint is sent nothing."))
        emit(WebhookDue(endpoint_id=endpoint.pk, event_uuid=str(event_id), event_topic=PING))
    return event_id


def replay_dead_letter(*, delivery_id: int) -> Delivery:
    """Give a dead webhook delivery (a request or a fan-out) a fresh set of attempts, due now."""
    if not Delivery.objects.filter(id=delivery_id, handler__startswith=HANDLER_PREFIX).exists():
        raise NotAWebhookDelivery(_("There is no webhook delivery %(id)s.") % {"id": delivery_id})
    return replay_delivery(delivery_id=delivery_id)


def url_problem(url: str) -> str | None:
    """Why Emporos would not send to `url`, in words for the owner; None when it is fine."""
    if not url:
        return _("Give the address Emporos should send requests to.")
    if len(url) > MAX_URL_LENGTH:
        return _("Keep the address under %(limit)s characters.") % {"limit": MAX_URL_LENGTH}
    if any(char.isspace() or not char.isprintable() for char in url):
        return _("An address has no spaces or invisible characters.")
    parts = urlsplit(url)
    try:
        parts.port  # noqa: B018 - reading it checks the port is a number in range
    except ValueError:
        return _("The port after the host name must be a number from 1 to 65535.")
    if parts.scheme not in {"https", "http"} or not parts.hostname:
        return _("Give a full web address, e.g. https://shop.example.com/hooks/emporos.")
    if parts.username or parts.password:
        return _("Leave the user name and password out of the address: every request is signed instead.")
    if parts.scheme == "http" and parts.hostname not in LOCAL_HOSTS:
        return _("Use an https:// address; plain http:// is allowed only for 127.0.0.1 and localhost.")
    return None


def _check(*, url: str, topics: Sequence[str]) -> list[str]:
    errors = ErrorCollector()
    problem = url_problem(url.strip())
    if problem is not None:
        errors.add("url", "invalid", problem)
    unknown = [topic for topic in topics if topic not in OFFERED_NAMES]
    if unknown:
        errors.add(
            "topics",
            "unknown",
            ngettext(
                "Emporos sends no topic %(topics)s; pick from the list.",
                "Emporos sends no topics %(topics)s; pick from the list.",
                len(unknown),
            )
            % {"topics": ", ".join(unknown)},
        )
    elif not topics:
        errors.add("topics", "required", _("Pick at least one topic to send."))
    errors.raise_if_any()
    return [name for name in OFFERED_NAMES if name in topics]  # the offered order, each once


def _locked(endpoint_id: uuid.UUID) -> WebhookEndpoint:
    endpoint = WebhookEndpoint.objects.select_for_update().filter(public_id=endpoint_id).first()
    if endpoint is None:
        raise NoSuchEndpoint(_("There is no webhook endpoint %(id)s.") % {"id": endpoint_id})
    return endpoint

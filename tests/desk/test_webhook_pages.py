"""Settings → Webhooks: owners add, turn off and on, re-key and remove endpoints, see each one's
recent requests, and try again what the outbox gave up on. Errors land next to their fields."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from django.test import Client

from emporos.core.actor import Actor
from emporos.integrations.webhooks import services
from emporos.integrations.webhooks.models import WebhookAttempt, WebhookEndpoint
from emporos.outbox.models import Delivery, DeliveryStatus
from tests.fulfillment.conftest import drain

pytestmark = pytest.mark.django_db

OWNER = Actor.staff("owner-user", user_id=1)
# Nothing listens on the discard port of the loopback: every request fails at once.
NOWHERE = "http://127.0.0.1:9/hooks"


def _text(markup: str) -> str:
    return html.unescape(" ".join(re.sub(r"<[^>]+>", " ", markup).split()))


def field_errors(body: str, name: str) -> list[str]:
    return [_text(error) for error in re.findall(rf'<p class="field__error" id="id_{name}_error">(.*?)</p>', body)]


def hook(url: str = "https://shop.example.com/hooks/emporos", *topics: str) -> WebhookEndpoint:
    return services.add_endpoint(url=url, topics=list(topics or ["orders.order_placed"]), actor=OWNER)


@pytest.mark.parametrize("role", ["warehouse", "support"])
def test_only_owners_open_the_webhook_pages(make_staff: Any, role: str) -> None:
    endpoint = hook()
    client = make_staff(role)
    for path in ["/settings/webhooks/", f"/settings/webhooks/{endpoint.public_id}/"]:
        assert client.get(path).status_code == 403
    assert client.post(f"/settings/webhooks/{endpoint.public_id}/secret/").status_code == 403
    assert client.post(f"/settings/webhooks/{endpoint.public_id}/delete/").status_code == 403
    assert WebhookEndpoint.objects.count() == 1


def test_the_settings_tabs_lead_to_webhooks(owner: Client) -> None:
    body = owner.get("/settings/").content.decode()
    assert 'href="/settings/webhooks/"' in body


def test_an_owner_adds_an_endpoint_and_sees_its_secret_only_when_asked(owner: Client) -> None:
    response = owner.post(
        "/settings/webhooks/",
        {
            "url": "https://shop.example.com/hooks/emporos",
            "topics": ["fulfillment.shipment_created", "orders.order_placed"],
        },
    )

    endpoint = WebhookEndpoint.objects.get()
    assert (response.status_code, response["Location"]) == (303, f"/settings/webhooks/{endpoint.public_id}/")
    assert endpoint.topics == ["orders.order_placed", "fulfillment.shipment_created"]
    assert "owner-user" in endpoint.created_by
    page = owner.get(response["Location"]).content.decode()
    assert "Endpoint added." in page
    assert endpoint.secret not in page
    shown = owner.post(f"/settings/webhooks/{endpoint.public_id}/secret/")
    assert shown.status_code == 200
    assert f'<code class="mono" id="endpoint-secret" dir="ltr">{endpoint.secret}</code>' in shown.content.decode()
    assert "no-store" in shown["Cache-Control"]
    listed = owner.get("/settings/webhooks/").content.decode()
    assert f'data-endpoint="{endpoint.public_id}"' in listed
    assert endpoint.secret not in listed


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"url": "http://shop.example.com/hooks", "topics": ["orders.order_placed"]},
            "url",
            "Use an https:// address; plain http:// is allowed only for 127.0.0.1 and localhost.",
        ),
        ({"url": "", "topics": ["orders.order_placed"]}, "url", "Give the address Emporos should send requests to."),
        (
            {"url": "https://shop.example.com/hooks", "topics": ["orders.order_placed", "secrets.leaked"]},
            "topics",
            "Emporos sends no topic secrets.leaked; pick from the list.",
        ),
        ({"url": "https://shop.example.com/hooks"}, "topics", "Pick at least one topic to send."),
    ],
    ids=["plain-http", "no-url", "unknown-topic", "no-topic"],
)
def test_a_bad_endpoint_is_refused_with_the_reason_next_to_its_field(
    owner: Client, data: dict[str, Any], field: str, message: str
) -> None:
    response = owner.post("/settings/webhooks/", data)

    assert response.status_code == 400
    assert field_errors(response.content.decode(), field) == [message]
    assert WebhookEndpoint.objects.count() == 0


def test_turn_off_and_on_rotate_and_remove(owner: Client) -> None:
    endpoint = hook()
    base = f"/settings/webhooks/{endpoint.public_id}/"
    old_secret = endpoint.secret

    assert owner.post(base + "active/", {"is_active": "no"}).status_code == 303
    assert WebhookEndpoint.objects.get().is_active is False
    assert "is off: it is sent nothing until turned on." in owner.get(base).content.decode()
    owner.post(base + "active/", {"is_active": "yes"})
    assert WebhookEndpoint.objects.get().is_active is True
    assert owner.post(base + "rotate/").status_code == 303
    assert WebhookEndpoint.objects.get().secret != old_secret
    removed = owner.post(base + "delete/")
    assert (removed.status_code, removed["Location"]) == (303, "/settings/webhooks/")
    assert WebhookEndpoint.objects.count() == 0
    gone = owner.get(base)
    assert (gone.status_code, gone["Location"]) == (303, "/settings/webhooks/")


def test_a_test_request_is_logged_on_the_endpoints_page(owner: Client) -> None:
    endpoint = hook(NOWHERE)

    response = owner.post(f"/settings/webhooks/{endpoint.public_id}/ping/")
    drain()

    assert response.status_code == 303
    [attempt] = WebhookAttempt.objects.all()
    assert (attempt.topic, attempt.status_code) == ("ping", None)
    page = owner.get(f"/settings/webhooks/{endpoint.public_id}/").content.decode()
    assert f'data-attempt="{attempt.pk}"' in page
    assert "Could not reach 127.0.0.1" in page


def test_a_ping_to_a_turned_off_endpoint_is_refused(owner: Client) -> None:
    endpoint = hook()
    services.set_endpoint_active(endpoint_id=endpoint.public_id, is_active=False)

    owner.post(f"/settings/webhooks/{endpoint.public_id}/ping/")

    page = owner.get(f"/settings/webhooks/{endpoint.public_id}/").content.decode()
    assert "Turn the endpoint on first: a disabled endpoint is sent nothing." in page
    assert Delivery.objects.count() == 0


def test_given_up_requests_are_listed_and_tried_again(owner: Client, settings: Any) -> None:
    settings.EMPOROS = {**settings.EMPOROS, "OUTBOX_MAX_ATTEMPTS": 1}
    endpoint = hook(NOWHERE)
    services.request_ping(endpoint_id=endpoint.public_id)
    drain()
    dead = Delivery.objects.get(handler="integrations.webhooks.deliver")
    assert dead.status == DeliveryStatus.DEAD

    page = owner.get("/settings/webhooks/").content.decode()
    assert f'data-delivery="{dead.pk}"' in page
    assert f'action="/settings/webhooks/dead/{dead.pk}/replay/"' in page

    replayed = owner.post(f"/settings/webhooks/dead/{dead.pk}/replay/")

    assert (replayed.status_code, replayed["Location"]) == (303, "/settings/webhooks/#dead-letters")
    assert Delivery.objects.get(pk=dead.pk).status == DeliveryStatus.PENDING
    assert f'data-delivery="{dead.pk}"' not in owner.get("/settings/webhooks/").content.decode()


def test_only_webhook_deliveries_are_replayed_here(owner: Client) -> None:
    owner.post("/settings/webhooks/dead/999999/replay/")
    assert "There is no webhook delivery 999999." in owner.get("/settings/webhooks/").content.decode()


@pytest.mark.parametrize("language", ["en", "he"])
def test_pages_render_in_english_and_hebrew(owner: Client, language: str) -> None:
    endpoint = hook(NOWHERE)
    services.request_ping(endpoint_id=endpoint.public_id)
    drain()
    owner.cookies["django_language"] = language

    for path in ["/settings/webhooks/", f"/settings/webhooks/{endpoint.public_id}/"]:
        response = owner.get(path)
        body = response.content.decode()
        assert response.status_code == 200
        assert f'<html lang="{language}" dir="{"rtl" if language == "he" else "ltr"}">' in body
        assert f"<bdi>{NOWHERE}</bdi>" in body or f'<bdi class="mono">{NOWHERE}</bdi>' in body


def test_the_admin_lists_endpoints_without_their_secret(admin_client: Client) -> None:
    endpoint = hook()
    page = admin_client.get(f"/admin/integrations/webhookendpoint/{endpoint.pk}/change/")
    assert page.status_code == 200
    assert endpoint.url in page.content.decode()
    assert endpoint.secret not in page.content.decode()
    assert admin_client.get("/admin/integrations/webhookattempt/").status_code == 200

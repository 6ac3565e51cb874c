"""InPost ShipX (Poland): locker and courier labels, cancellation, tracking webhooks.

Where each shape comes from (tests/integrations/fixtures/README.md lists them per fixture), all in
InPost's ShipX documentation, https://dokumentacja-inpost.atlassian.net/wiki/spaces/PL/:
- pages/18153501 "Creating a shipment in the simplified mode": `POST
  /v1/organizations/{id}/shipments` with receiver, sender, parcels (a template or dimensions in mm
  and weight in kg), custom_attributes (target_point, sending_method), cod and insurance
  `{amount, currency}`, reference and service; the shipment is bought asynchronously.
- pages/18153485 "Shipment": the shipment resource (id, status, tracking_number) read back with
  `GET /v1/shipments/{id}`.
- pages/18153509 "Shipment label download": `GET /v1/shipments/{id}/label?format=pdf|zpl&type=A6`.
- pages/28639256 "Shipment cancellation": `DELETE /v1/shipments/{id}`, 204, only before purchase
  (status created or offers_prepared), else error `invalid_action`.
- pages/18153492 "Form validation" and the errors there: `{status, error, message|description,
  details}`; pages/18153507 "Shipment sizes and services": locker templates small / medium / large
  (8 / 19 / 41 x 38 x 64 cm, up to 25 kg) and the insurance courier services require.
- pages/18153494 "Webhooks": `{event_ts, event, organization_id, payload}` for the events
  shipment_confirmed and shipment_status_changed. ShipX does not sign webhooks; they come from
  91.216.25.0/24 (see `parse_webhook`).
- pages/28639247 "API General Information": the hosts, Bearer token, `Accept-Language: en_GB` for
  English error messages and `X-Request-ID`.
The public tracking page is https://inpost.pl/sledzenie-przesylek?number=<tracking number>.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from emporos.core.config import setting
from emporos.fulfillment.carriers import (
    CarrierError,
    Label,
    LabelRequest,
    RateQuote,
    RateRequest,
    TrackingStatus,
    TrackingUpdate,
    WebhookRejected,
    WebhookSignatureInvalid,
)
from emporos.integrations.carriers import common
from emporos.integrations.carriers.inpost_answers import bought, describe, event_time, refusal, shipment_object
from emporos.integrations.carriers.inpost_forms import shipment_form
from emporos.integrations.carriers.inpost_statuses import PENDING, STATUS
from emporos.integrations.http import HttpRequest, HttpResponse, Transport, UrllibTransport, json_body

NAME = "InPost"
PRODUCTION_URL = "https://api-shipx-pl.easypack24.net"
SANDBOX_URL = "https://sandbox-api-shipx-pl.easypack24.net"
TRACKING_PAGE = "https://inpost.pl/sledzenie-przesylek?number="
# ShipX neither signs webhooks nor adds headers of its own; the shop's secret travels in this one.
WEBHOOK_SECRET_HEADER = "X-Webhook-Secret"  # noqa: S105 - a header name
LABEL_QUERIES = {"pdf": "format=pdf&type=A6", "zpl": "format=zpl"}
LABEL_TYPES = {"pdf": "application/pdf", "zpl": "*/*"}  # ShipX does not document the ZPL media type
# Purchase takes ShipX a few seconds; this bounds the wait at about fifteen.
POLL_ATTEMPTS = 10
POLL_INTERVAL_SECONDS = 1.5


@dataclass(frozen=True)
class InPostSettings:
    """EMPOROS_INPOST_* (README, Carriers); read when an adapter is built."""

    api_url: str = PRODUCTION_URL
    token: str = ""
    organization_id: str = ""
    webhook_secret: str = ""

    @classmethod
    def from_settings(cls) -> InPostSettings:
        values: Mapping[str, str] = setting("INPOST")
        return cls(
            api_url=values["API_URL"].rstrip("/"),
            token=values["TOKEN"],
            organization_id=values["ORGANIZATION_ID"],
            webhook_secret=values["WEBHOOK_SECRET"],
        )

    def missing(self, *, to_ship: bool) -> list[str]:
        wanted = {"EMPOROS_INPOST_TOKEN": self.token}
        if to_ship:
            wanted["EMPOROS_INPOST_ORGANIZATION_ID"] = self.organization_id
        return [name for name, value in wanted.items() if not value]


def from_settings() -> InPost:
    """The factory `emporos.integrations` registers as "inpost"."""
    return InPost(settings=InPostSettings.from_settings(), transport=UrllibTransport())


class InPost:
    code = "inpost"
    name = NAME
    prints_labels = True

    def __init__(
        self,
        *,
        settings: InPostSettings,
        transport: Transport,
        sleep: Callable[[float], None] = time.sleep,
        poll_attempts: int = POLL_ATTEMPTS,
        poll_interval_seconds: float = POLL_INTERVAL_SECONDS,
    ) -> None:
        self._settings = settings
        self._transport = transport
        self._sleep = sleep
        self._poll_attempts = poll_attempts
        self._poll_interval = poll_interval_seconds

    def rates(self, request: RateRequest) -> list[RateQuote]:
        """None: ShipX returns no prices to contract (debit) customers, most shops among them; the
        shipping method's own rate bands price the parcel."""
        return []

    def tracking_url(self, tracking_number: str) -> str:
        return TRACKING_PAGE + quote(tracking_number, safe="")

    def create_label(self, request: LabelRequest) -> Label:
        """Create the shipment, wait (boundedly) until ShipX has bought it, and fetch the label.

        ShipX buys asynchronously: the shipment comes back "created" without a tracking number.
        It is read again until it is confirmed; one that is still not bought when the wait ends
        is cancelled (allowed before purchase), so a second attempt never pays for two labels.
        ShipX takes no idempotency key; the shipment's key travels as X-Request-ID, which InPost
        support can trace.
        """
        common.require_settings(NAME, self._settings.missing(to_ship=True))
        body = shipment_form(request)
        organization = quote(self._settings.organization_id, safe="")
        created = self._call(
            "POST",
            f"/v1/organizations/{organization}/shipments",
            doing="the shipment",
            payload=body,
            request_id=request.idempotency_key,
        ).json()
        shipment = self._await_purchase(shipment_object(created), reference=request.reference)
        shipment_id, tracking_number = str(shipment["id"]), str(shipment["tracking_number"])
        document = self._call(
            "GET",
            f"/v1/shipments/{quote(shipment_id, safe='')}/label?{LABEL_QUERIES[request.label_format]}",
            doing="fetching the label",
            accept=LABEL_TYPES[request.label_format],
        )
        if request.label_format == "pdf" and not document.body.startswith(b"%PDF"):
            raise CarrierError(f"InPost sent a label for shipment {shipment_id} that is not a PDF.")
        return Label(
            tracking_number=tracking_number,
            carrier_reference=shipment_id,
            pdf=document.body if request.label_format == "pdf" else None,
            zpl=common.zpl(document.body, carrier_name=NAME, parcel=shipment_id)
            if request.label_format == "zpl"
            else None,
            tracking_url=self.tracking_url(tracking_number),
        )

    def cancel_label(self, *, tracking_number: str, carrier_reference: str) -> None:
        """Cancel a shipment ShipX has not bought yet; a bought one ShipX cancels only on request
        to InPost, and the error says so."""
        common.require_settings(NAME, self._settings.missing(to_ship=False))
        if not carrier_reference:
            raise CarrierError(f"InPost cancels by shipment id; parcel {tracking_number} has none recorded.")
        self._call("DELETE", f"/v1/shipments/{quote(carrier_reference, safe='')}", doing="the cancellation")

    def parse_webhook(self, *, headers: Mapping[str, str], body: bytes) -> list[TrackingUpdate]:
        """A shipment's new status, once the shop's shared secret shows the call is genuine.

        ShipX signs nothing and sends webhooks from 91.216.25.0/24 (allow only that range in
        front of Emporos). The shop sets EMPOROS_INPOST_WEBHOOK_SECRET and gives ShipX a webhook
        address carrying it; the receiving endpoint hands it over in the X-Webhook-Secret header.
        Events that say nothing about the parcel (offers_prepared) give no update.
        """
        secret = self._settings.webhook_secret
        common.require_settings(NAME, [] if secret else ["EMPOROS_INPOST_WEBHOOK_SECRET"])
        if not common.secrets_match(secret, common.header(headers, WEBHOOK_SECRET_HEADER)):
            raise WebhookSignatureInvalid(
                f"The InPost webhook did not carry the shop's secret in {WEBHOOK_SECRET_HEADER}; "
                "it was not sent through the address given to InPost."
            )
        message = common.json_object(body, carrier_name=NAME)
        event, payload = message.get("event"), message.get("payload")
        if not isinstance(event, str) or not isinstance(payload, dict) or "shipment_id" not in payload:
            raise WebhookRejected("This is not an InPost shipment event: it lacks `event` or `payload.shipment_id`.")
        organization = self._settings.organization_id
        if organization and str(message.get("organization_id")) != organization:
            raise WebhookRejected(
                f"The InPost webhook is for organization {message.get('organization_id')}, not {organization}."
            )
        if event == "shipment_confirmed":
            word = "confirmed"
        elif event == "shipment_status_changed" and isinstance(payload.get("status"), str):
            word = payload["status"]
        else:
            return []
        return [self._update(message, payload, word)]

    # --- purchase ---------------------------------------------------------------------------------------

    def _await_purchase(self, shipment: dict[str, Any], *, reference: str) -> dict[str, Any]:
        for _ in range(self._poll_attempts):
            if bought(shipment):
                return shipment
            if shipment.get("status") not in PENDING:
                raise CarrierError(f"InPost did not buy shipment {shipment['id']}: it is {shipment.get('status')!r}.")
            self._sleep(self._poll_interval)
            shipment = self._read(shipment["id"])
        if bought(shipment):
            return shipment
        return self._give_up(shipment, reference=reference)

    def _give_up(self, shipment: dict[str, Any], *, reference: str) -> dict[str, Any]:
        """Cancel a shipment still not bought, so that trying again cannot buy two labels."""
        shipment_id, status = shipment["id"], shipment.get("status")
        waited = f"{self._poll_attempts * self._poll_interval:g} s"
        response = self._send("DELETE", f"/v1/shipments/{quote(str(shipment_id), safe='')}")
        if response.ok:
            raise CarrierError(
                f"InPost had not bought shipment {shipment_id} after {waited} (still {status}); "
                "it has been cancelled, nothing was charged: try again."
            )
        shipment = self._read(shipment_id)  # bought just now, while the cancellation was on its way?
        if bought(shipment):
            return shipment
        raise CarrierError(
            f"InPost had not bought shipment {shipment_id} after {waited} and refused to cancel it "
            f"({describe(response)}); look for reference {reference} in InPost's Manager paczek before labelling again."
        )

    def _read(self, shipment_id: object) -> dict[str, Any]:
        answer = self._call("GET", f"/v1/shipments/{quote(str(shipment_id), safe='')}", doing="reading the shipment")
        return shipment_object(answer.json())

    # --- webhooks -------------------------------------------------------------------------------------

    def _update(self, message: Mapping[str, Any], payload: Mapping[str, Any], word: str) -> TrackingUpdate:
        stamp = message.get("event_ts")
        occurred_at = event_time(stamp)
        shipment_id = str(payload["shipment_id"])
        status = (
            TrackingStatus.LABEL_CREATED
            if word == "confirmed"
            else common.mapped_status(STATUS, word, carrier_name=NAME, parcel=f"shipment {shipment_id}")
        )
        return TrackingUpdate(
            # ShipX gives an event no id; this one is the same when ShipX sends the event again.
            event_id=f"{shipment_id}:{message['event']}:{word}:{stamp}",
            tracking_number=str(payload.get("tracking_number") or ""),
            status=status,
            occurred_at=occurred_at,
            description=word,
            raw=dict(message),
            carrier_reference=shipment_id,
        )

    # --- calls ------------------------------------------------------------------------------------------

    def _call(
        self,
        method: str,
        path: str,
        *,
        doing: str,
        payload: dict[str, Any] | None = None,
        accept: str = "application/json",
        request_id: str = "",
    ) -> HttpResponse:
        response = self._send(method, path, payload=payload, accept=accept, request_id=request_id)
        if not response.ok:
            raise refusal(response, doing=doing)
        return response

    def _send(
        self,
        method: str,
        path: str,
        *,
        payload: dict[str, Any] | None = None,
        accept: str = "application/json",
        request_id: str = "",
    ) -> HttpResponse:
        headers = {"Authorization": f"Bearer {self._settings.token}", "Accept": accept, "Accept-Language": "en_GB"}
        if payload is not None:
            headers["Content-Type"] = "application/json"
        if request_id:
            headers["X-Request-ID"] = request_id
        body = json_body(payload) if payload is not None else None
        return self._transport(HttpRequest(method, self._settings.api_url + path, headers, body))

"""BOX NOW parcel lockers (Greece, Cyprus, Croatia, Bulgaria): labels, cancellation, tracking webhooks.

Where each shape comes from (tests/integrations/fixtures/README.md lists them per fixture):
- BOX NOW Partner API, OpenAPI 1.65, https://www.boxnow.gr/media/yaml/partner_api_1.65.yaml (a
  copy is kept in github.com/m-michalis/boxnow-php as partner_api_1.65.yaml): the token session
  `POST /api/v1/auth-sessions`, `POST /api/v1/delivery-requests` (DeliveryRequest: orderNumber,
  invoiceValue, paymentMode prepaid|cod, amountToBeCollected, origin and destination with
  locationId, items with value, weight in kg and compartmentSize 1|2|3), `GET
  /api/v1/parcels/{id}/label.{pdf|zpl}`, `POST /api/v1/parcels/{id}:cancel`, `GET /api/v1/parcels`,
  `POST /api/v1/delivery-requests:customerReturns` (sender contacts, destination locationId of
  `GET /api/v1/destinations`, parcels; answer `{id, orderNumber, labels, parcels[{id, labels}]}`),
  the `X-PartnerID` header, the error codes (P400..P466, X403; body `{code, message}`), and the
  webhook (`WebhookMessage`: CloudEvents fields, `datasignature`, `data.event` of `EventType`).
- BOX NOW's own WordPress plugin "BOX NOW Delivery" 3.2.0: the hosts api-stage.boxnow.gr and
  api-production.boxnow.gr, the public tracking page https://t.boxnow.gr/?track=<parcel id>, the
  compartment sizes (60 x 45 cm, 8 / 17 / 36 cm high) and "0" amounts for prepaid parcels.
- BOX NOW's Webhook-Based Parcel Tracking Guide 1.4.6 (handed to partners; quoted in public
  integrations): `datasignature` is the hex HMAC-SHA256, keyed with the webhook secret BOX NOW
  gives the partner, of the `data` object's JSON exactly as sent.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode

from emporos.core import clock
from emporos.core.config import setting
from emporos.fulfillment.carriers import (
    CarrierError,
    CarrierUnavailable,
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
from emporos.integrations.carriers.boxnow_forms import CASH_ON_DELIVERY_LIMIT, customer_return_request, delivery_request
from emporos.integrations.carriers.rawjson import raw_member
from emporos.integrations.carriers.tokens import AccessToken, TokenCache
from emporos.integrations.http import HttpRequest, HttpResponse, Transport, UrllibTransport, json_body

NAME = "BOX NOW"
STAGE_URL = "https://api-stage.boxnow.gr"
PRODUCTION_URL = "https://api-production.boxnow.gr"
TRACKING_PAGE = "https://t.boxnow.gr/?track="
LABEL_TYPES = {"pdf": "application/pdf", "zpl": "x-application/zpl"}  # the label's media type

# EventType, documented in the OpenAPI; each word keeps its meaning in `raw`.
EVENT_STATUS: dict[str, TrackingStatus] = {
    "new": TrackingStatus.LABEL_CREATED,  # registered; no parcel handed over yet
    "accepted-to-locker": TrackingStatus.PICKED_UP,  # the sender dropped it into a locker
    "in-depot": TrackingStatus.IN_TRANSIT,
    "final-destination": TrackingStatus.AVAILABLE_FOR_PICKUP,  # in the customer's locker
    "delivered": TrackingStatus.DELIVERED,
    "expired": TrackingStatus.EXCEPTION,  # not collected in time; it goes back
    "accepted-for-return": TrackingStatus.RETURNED_TO_SENDER,  # the customer sent it back
    "returned": TrackingStatus.RETURNED_TO_SENDER,
    "canceled": TrackingStatus.EXCEPTION,
    "missing": TrackingStatus.EXCEPTION,  # the courier could not collect it from the shop
    "lost": TrackingStatus.EXCEPTION,
}

# What to do about the error codes a packer is likely to meet (meanings from the OpenAPI).
ERROR_HINTS = {
    "P401": "EMPOROS_BOXNOW_ORIGIN_ID is not one of this account's warehouses (GET /api/v1/origins lists them)",
    "P402": "the locker id is not one of BOX NOW's lockers; let the customer choose the locker again",
    "P405": "give the phone number in full international form, e.g. +30 691 234 5678",
    "P406": "the parcel does not fit a BOX NOW compartment",
    "P408": f"BOX NOW collects from 0.01 up to {CASH_ON_DELIVERY_LIMIT} EUR on delivery",
    "P410": "BOX NOW already has a delivery request with this order number",
    "P411": "this BOX NOW account may not use cash on delivery; ask BOX NOW to allow it",
    "P420": "BOX NOW cancels only parcels that are new and not yet on their way",
    "P440": "the account manages several partners: set EMPOROS_BOXNOW_PARTNER_ID",
    "P441": "EMPOROS_BOXNOW_PARTNER_ID names a partner this account may not manage",
    "X403": "BOX NOW has disabled this account; contact BOX NOW support",
}


@dataclass(frozen=True)
class BoxNowSettings:
    """EMPOROS_BOXNOW_* (README, Carriers); read when an adapter is built."""

    api_url: str = STAGE_URL
    client_id: str = ""
    client_secret: str = ""
    partner_id: str = ""  # only for accounts that manage several partners (error P440)
    origin_id: str = ""  # the warehouse BOX NOW collects from: a location id of GET /api/v1/origins
    return_destination_id: str = ""  # where returns go: a location id of GET /api/v1/destinations
    webhook_secret: str = ""

    @classmethod
    def from_settings(cls) -> BoxNowSettings:
        values: Mapping[str, str] = setting("BOXNOW")
        return cls(
            api_url=values["API_URL"].rstrip("/"),
            client_id=values["CLIENT_ID"],
            client_secret=values["CLIENT_SECRET"],
            partner_id=values["PARTNER_ID"],
            origin_id=values["ORIGIN_ID"],
            return_destination_id=values.get("RETURN_DESTINATION_ID", ""),
            webhook_secret=values["WEBHOOK_SECRET"],
        )

    def missing(self, *, to_ship: bool) -> list[str]:
        wanted = {"EMPOROS_BOXNOW_CLIENT_ID": self.client_id, "EMPOROS_BOXNOW_CLIENT_SECRET": self.client_secret}
        if to_ship:
            wanted["EMPOROS_BOXNOW_ORIGIN_ID"] = self.origin_id
        return [name for name, value in wanted.items() if not value]


_PROCESS_TOKENS = TokenCache()


def from_settings() -> BoxNow:
    """The factory `emporos.integrations` registers as "boxnow"."""
    return BoxNow(settings=BoxNowSettings.from_settings(), transport=UrllibTransport(), tokens=_PROCESS_TOKENS)


class BoxNow:
    code = "boxnow"
    name = NAME
    prints_labels = True

    def __init__(
        self,
        *,
        settings: BoxNowSettings,
        transport: Transport,
        tokens: TokenCache | None = None,
        now: Callable[[], dt.datetime] = clock.now,
    ) -> None:
        self._settings = settings
        self._transport = transport
        self._tokens = tokens or TokenCache()
        self._now = now

    def rates(self, request: RateRequest) -> list[RateQuote]:
        """None: BOX NOW prices by contract and publishes no price API; the shipping method's own
        rate bands price the locker."""
        return []

    def tracking_url(self, tracking_number: str) -> str:
        return TRACKING_PAGE + quote(tracking_number, safe="")

    def create_label(self, request: LabelRequest) -> Label:
        """Request delivery of one parcel to a locker and fetch its label.

        BOX NOW takes no idempotency key, but it refuses a second delivery request with the same
        order number (P410). The parcel carries the shipment's idempotency key as its reference,
        so a retry after a lost answer finds the parcel the first attempt created and returns it
        instead of failing or buying another.
        """
        common.require_settings(NAME, self._settings.missing(to_ship=True))
        parcel_id = self._request_delivery(request, delivery_request(request, origin_id=self._settings.origin_id))
        document = self._call(
            "GET",
            f"/api/v1/parcels/{quote(parcel_id, safe='')}/label.{request.label_format}",
            doing="fetching the label",
            accept=LABEL_TYPES[request.label_format],
        )
        return self._label(parcel_id, request.label_format, document)

    def create_return_label(self, request: LabelRequest) -> Label:
        """A customer return (`POST /api/v1/delivery-requests:customerReturns`): the customer drops
        the parcel into any BOX NOW locker and it is delivered to the shop's return destination.

        BOX NOW numbers the request itself and takes no key of Emporos's, so the return's public
        id travels as the parcel's reference (`parcels[].id`) for BOX NOW support to trace; the
        caller stores the answer in the same transaction as its record of the label.
        """
        wanted = self._settings.missing(to_ship=False)
        if not self._settings.return_destination_id:
            wanted.append("EMPOROS_BOXNOW_RETURN_DESTINATION_ID")
        common.require_settings(NAME, wanted)
        body = customer_return_request(request, destination_id=self._settings.return_destination_id)
        answer = self._call(
            "POST", "/api/v1/delivery-requests:customerReturns", doing="the return request", payload=body
        )
        try:
            parcel_id = str(answer.json()["parcels"][0]["id"])
        except (KeyError, IndexError, TypeError):
            raise CarrierError(f"BOX NOW accepted the return request but named no parcel: {answer.json()!r}") from None
        document = self._call(
            "GET",
            f"/api/v1/parcels/{quote(parcel_id, safe='')}/label.{request.label_format}",
            doing="fetching the return label",
            accept=LABEL_TYPES[request.label_format],
        )
        return self._label(parcel_id, request.label_format, document)

    def cancel_label(self, *, tracking_number: str, carrier_reference: str) -> None:
        """Cancel a parcel not yet on its way (BOX NOW: cancelling a cancelled parcel changes nothing)."""
        common.require_settings(NAME, self._settings.missing(to_ship=False))
        parcel_id = carrier_reference or tracking_number
        self._call("POST", f"/api/v1/parcels/{quote(parcel_id, safe='')}:cancel", doing="the cancellation")

    def parse_webhook(self, *, headers: Mapping[str, str], body: bytes) -> list[TrackingUpdate]:
        """One parcel event, once its `datasignature` proves it came from BOX NOW.

        The signature covers the `data` object exactly as sent, so it is checked on the raw
        bytes, before anything is parsed into Emporos's words.
        """
        secret = self._settings.webhook_secret
        common.require_settings(NAME, [] if secret else ["EMPOROS_BOXNOW_WEBHOOK_SECRET"])
        message = common.json_object(body, carrier_name=NAME)
        data, signature = message.get("data"), message.get("datasignature")
        signed = raw_member(common.text(body, carrier_name=NAME), "data")
        if not isinstance(data, dict) or not isinstance(signature, str) or signed is None:
            raise WebhookRejected("This is not a BOX NOW parcel event: it lacks `data` or `datasignature`.")
        expected = hmac.new(secret.encode("utf-8"), signed.encode("utf-8"), hashlib.sha256).hexdigest()
        if not common.secrets_match(expected, signature.strip().lower()):
            raise WebhookSignatureInvalid(
                "The BOX NOW webhook's signature does not match its data: it was not sent by BOX NOW, "
                "or EMPOROS_BOXNOW_WEBHOOK_SECRET is not the secret BOX NOW gave you."
            )
        return [self._update(message, data)]

    # --- the delivery request ---------------------------------------------------------------------

    def _request_delivery(self, request: LabelRequest, body: dict[str, Any]) -> str:
        response = self._send("POST", "/api/v1/delivery-requests", payload=body)
        if not response.ok and _error_code(response) == "P410":
            earlier = self._parcel_of_earlier_attempt(request)
            if earlier is not None:
                return earlier
        if not response.ok:
            raise self._refusal(response, doing="the delivery request")
        answer = response.json()
        try:
            return str(answer["parcels"][0]["id"])
        except (KeyError, IndexError, TypeError):
            raise CarrierError(f"BOX NOW accepted the delivery request but named no parcel: {answer!r}") from None

    def _parcel_of_earlier_attempt(self, request: LabelRequest) -> str | None:
        """The parcel this very shipment already requested (same order number and reference), if any."""
        query = urlencode({"orderNumber": request.reference})
        listing = self._call("GET", f"/api/v1/parcels?{query}", doing="looking up the earlier request").json()
        parcels = listing.get("data", []) if isinstance(listing, dict) else []
        for parcel in parcels:
            if parcel.get("itemRefId") == request.idempotency_key and parcel.get("state") != "canceled":
                return str(parcel["id"])
        return None

    def _label(self, parcel_id: str, label_format: str, document: HttpResponse) -> Label:
        if label_format == "pdf" and not document.body.startswith(b"%PDF"):
            raise CarrierError(f"BOX NOW sent a label for parcel {parcel_id} that is not a PDF.")
        return Label(
            tracking_number=parcel_id,
            carrier_reference=parcel_id,
            pdf=document.body if label_format == "pdf" else None,
            zpl=common.zpl(document.body, carrier_name=NAME, parcel=parcel_id) if label_format == "zpl" else None,
            tracking_url=self.tracking_url(parcel_id),
        )

    # --- webhooks ---------------------------------------------------------------------------------

    def _update(self, message: Mapping[str, Any], data: Mapping[str, Any]) -> TrackingUpdate:
        event, parcel_id, moment = data.get("event"), data.get("parcelId"), data.get("time")
        if not isinstance(event, str) or not isinstance(parcel_id, str) or not isinstance(moment, str):
            raise WebhookRejected("This BOX NOW parcel event lacks its event, parcelId or time.")
        try:
            occurred_at = common.aware(dt.datetime.fromisoformat(moment))
        except ValueError:
            raise WebhookRejected(f"The BOX NOW event time {moment!r} is not an ISO 8601 time.") from None
        where = data.get("eventLocation")
        where = where if isinstance(where, dict) else {}
        location = " ".join(str(where[part]) for part in ("displayName", "postalCode") if where.get(part))
        status = common.mapped_status(EVENT_STATUS, event, carrier_name=NAME, parcel=parcel_id)
        pin = data.get("parcelPin")  # the code that opens the locker, once the parcel is in it
        return TrackingUpdate(
            event_id=str(message.get("id") or f"{parcel_id}:{event}:{moment}"),
            tracking_number=parcel_id,
            status=status,
            occurred_at=occurred_at,
            location=location,
            description=event,
            # The event's copy of the customer's name, e-mail and phone stays out: the shop has
            # them already, and tracking rows are kept long after an order is done.
            raw={key: value for key, value in data.items() if key != "customer"},
            carrier_reference=parcel_id,
            pickup_code=str(pin) if status == TrackingStatus.AVAILABLE_FOR_PICKUP and pin else "",
        )

    # --- calls --------------------------------------------------------------------------------------

    def _call(
        self,
        method: str,
        path: str,
        *,
        doing: str,
        payload: dict[str, Any] | None = None,
        accept: str = "application/json",
    ) -> HttpResponse:
        response = self._send(method, path, payload=payload, accept=accept)
        if not response.ok:
            raise self._refusal(response, doing=doing)
        return response

    def _send(
        self, method: str, path: str, *, payload: dict[str, Any] | None = None, accept: str = "application/json"
    ) -> HttpResponse:
        """One call with a valid token; an answer 401 (the token expired early) renews it once."""
        headers = {"Accept": accept}
        if payload is not None:
            headers["Content-Type"] = "application/json"
        if self._settings.partner_id:
            headers["X-PartnerID"] = self._settings.partner_id
        body = json_body(payload) if payload is not None else None
        for renew in (False, True):
            authorised = {**headers, "Authorization": f"Bearer {self._token(renew=renew)}"}
            response = self._transport(HttpRequest(method, self._settings.api_url + path, authorised, body))
            if response.status != 401:
                break
        return response

    def _token(self, *, renew: bool) -> str:
        key = (self._settings.api_url, self._settings.client_id)
        if renew:
            self._tokens.forget(key)
        elif cached := self._tokens.valid(key, at=self._now()):
            return cached
        credentials = {
            "grant_type": "client_credentials",
            "client_id": self._settings.client_id,
            "client_secret": self._settings.client_secret,
        }
        response = self._transport(
            HttpRequest(
                "POST",
                self._settings.api_url + "/api/v1/auth-sessions",
                {"Accept": "application/json", "Content-Type": "application/json"},
                json_body(credentials),
            )
        )
        if response.status in (400, 401, 403):
            raise CarrierError(
                f"BOX NOW refused the client credentials ({_describe(response)}); check "
                "EMPOROS_BOXNOW_CLIENT_ID and EMPOROS_BOXNOW_CLIENT_SECRET."
            )
        if not response.ok:
            raise self._refusal(response, doing="signing in")
        answer = response.json()
        try:
            token = AccessToken(
                str(answer["access_token"]), self._now() + dt.timedelta(seconds=float(answer["expires_in"]))
            )
        except (KeyError, TypeError, ValueError):
            raise CarrierError("BOX NOW's sign-in answer has no access_token and expires_in.") from None
        self._tokens.keep(key, token)
        return token.value

    @staticmethod
    def _refusal(response: HttpResponse, *, doing: str) -> CarrierError:
        if response.status >= 500:
            return CarrierUnavailable(
                f"BOX NOW failed during {doing} ({_describe(response)}); try again in a few minutes."
            )
        if response.status == 401:
            return CarrierError(
                f"BOX NOW refused even a fresh access token during {doing}; check EMPOROS_BOXNOW_CLIENT_ID "
                "and EMPOROS_BOXNOW_CLIENT_SECRET."
            )
        hint = ERROR_HINTS.get(_error_code(response) or "")
        return CarrierError(f"BOX NOW refused {doing} ({_describe(response)})" + (f": {hint}." if hint else "."))


def _error_code(response: HttpResponse) -> str | None:
    answer = response.json()
    code = answer.get("code") if isinstance(answer, dict) else None
    return str(code) if code else None


def _describe(response: HttpResponse) -> str:
    """The status with BOX NOW's own code and message, e.g. "HTTP 400 P402 Invalid request ..."."""
    answer = response.json()
    if not isinstance(answer, dict):
        return f"HTTP {response.status}"
    words = [str(answer[key]) for key in ("code", "message") if answer.get(key)]
    return " ".join([f"HTTP {response.status}", *words])

"""SMSAPI (smsapi.pl, Poland) behind `notifications.sms`: one POST to /sms.do per message.

The request is form-encoded with a bearer token: `to` (the number without "+"), `message`,
`from` (a registered sender name, when set), `encoding=utf-8`, `format=json` and `idx` (our
message's uuid, so the provider's reports name it). A success answers
`{"count": 1, "list": [{"id": ..., "points": ..., "number": ..., "status": "QUEUE", ...}]}`; a
refusal `{"error": <code>, "message": <why>}` (HTTP 200 or 4xx alike), which becomes SmsFailed
with the provider's words.
"""

from __future__ import annotations

from urllib.parse import urlencode

from emporos.core.config import setting
from emporos.fulfillment.carriers import CarrierError
from emporos.integrations.http import HttpRequest, Transport, UrllibTransport
from emporos.notifications.sms import Sms, SmsFailed, SmsNotConfigured


class SmsApi:
    name = "smsapi"

    def __init__(self, *, api_url: str, token: str, sender: str, transport: Transport) -> None:
        self.api_url = api_url.rstrip("/")
        self.token = token
        self.sender = sender
        self.transport = transport

    def send(self, sms: Sms) -> str:
        fields = {"to": sms.to.removeprefix("+"), "message": sms.text, "encoding": "utf-8", "format": "json"}
        if self.sender:
            fields["from"] = self.sender
        fields["idx"] = sms.message.replace("-", "")
        request = HttpRequest(
            "POST",
            f"{self.api_url}/sms.do",
            headers={
                "Authorization": f"Bearer {self.token}",
                "Content-Type": "application/x-www-form-urlencoded",
                "Accept": "application/json",
            },
            body=urlencode(fields).encode("utf-8"),
        )
        try:
            answer = self.transport(request)
        except CarrierError as exc:
            raise SmsFailed(f"SMSAPI could not be reached: {exc}") from None
        data = answer.json()
        if isinstance(data, dict) and "error" in data:
            raise SmsFailed(f"SMSAPI refused the message (error {data.get('error')}): {data.get('message', '')}")
        sent = data.get("list") if isinstance(data, dict) else None
        if not answer.ok or not isinstance(sent, list) or not sent or not sent[0].get("id"):
            raise SmsFailed(f"SMSAPI answered HTTP {answer.status} without a message id.")
        return str(sent[0]["id"])


def from_settings(argument: str = "", *, transport: Transport | None = None) -> SmsApi:
    config = setting("SMSAPI")
    if not config["TOKEN"]:
        raise SmsNotConfigured("Set EMPOROS_SMSAPI_TOKEN (an OAuth token from the SMSAPI panel) to send SMS.")
    return SmsApi(
        api_url=config["API_URL"],
        token=config["TOKEN"],
        sender=config["SENDER"],
        transport=transport or UrllibTransport(),
    )

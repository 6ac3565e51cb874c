"""SMSAPI behind notifications.sms, against its recorded answers (tests/integrations/fixtures/smsapi)."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs

import pytest

from emporos.integrations.http import CarrierUnreachable, HttpRequest, HttpResponse
from emporos.integrations.sms import smsapi
from emporos.notifications import sms
from tests.integrations.conftest import answer

SMS = sms.Sms(
    to="+48500100200",
    text="Sklep: zamówienie EM-10001 wysłane, numer 9212345678.",
    order="EM-10001",
    event="0b7f4c1e-3d2a-4f5b-8c9d-1e2f3a4b5c6d",
    message="5d3c9b1e-8f2a-4c6b-9e0d-1f2a3b4c5d6e",
)


class Recorder:
    """Replays one recorded answer and keeps the request for the assertions."""

    def __init__(self, reply: HttpResponse | Exception) -> None:
        self.reply = reply
        self.requests: list[HttpRequest] = []

    def __call__(self, request: HttpRequest) -> HttpResponse:
        self.requests.append(request)
        if isinstance(self.reply, Exception):
            raise self.reply
        return self.reply

    def form(self) -> dict[str, Any]:
        (request,) = self.requests
        assert request.body is not None
        return {key: values[0] for key, values in parse_qs(request.body.decode("utf-8"), strict_parsing=True).items()}


def adapter(transport: Recorder, **config: str) -> smsapi.SmsApi:
    return smsapi.SmsApi(
        api_url="https://api.smsapi.pl", token="tok-123", sender=config.get("sender", "Sklep"), transport=transport
    )


def test_a_message_is_one_form_post_and_returns_the_providers_id() -> None:
    transport = Recorder(answer(200, "smsapi", "sent.json"))

    provider_id = adapter(transport).send(SMS)

    assert provider_id == "6A3F2E1B0C9D8E7F6A5B4C3D"
    (request,) = transport.requests
    assert (request.method, request.url) == ("POST", "https://api.smsapi.pl/sms.do")
    assert request.headers["Authorization"] == "Bearer tok-123"
    assert request.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert transport.form() == {
        "to": "48500100200",
        "message": SMS.text,
        "from": "Sklep",
        "encoding": "utf-8",
        "format": "json",
        "idx": "5d3c9b1e8f2a4c6b9e0d1f2a3b4c5d6e",
    }


def test_a_refusal_names_the_providers_code_and_words() -> None:
    transport = Recorder(answer(200, "smsapi", "invalid_number.json"))

    with pytest.raises(sms.SmsFailed, match=r"error 13\): No correct phone numbers"):
        adapter(transport).send(SMS)


def test_no_answer_is_a_failure_to_retry() -> None:
    transport = Recorder(CarrierUnreachable("api.smsapi.pl did not answer within 20 s"))

    with pytest.raises(sms.SmsFailed, match="could not be reached"):
        adapter(transport).send(SMS)


def test_without_a_token_nothing_leaves(settings: Any) -> None:
    settings.EMPOROS = {**settings.EMPOROS, "SMSAPI": {"API_URL": "https://api.smsapi.pl", "TOKEN": "", "SENDER": ""}}

    with pytest.raises(sms.SmsNotConfigured, match="EMPOROS_SMSAPI_TOKEN"):
        sms.sender("smsapi")


def test_the_backend_setting_picks_smsapi(settings: Any) -> None:
    settings.EMPOROS = {
        **settings.EMPOROS,
        "SMSAPI": {"API_URL": "https://api.smsapi.pl", "TOKEN": "tok", "SENDER": ""},
        "SMS_BACKEND": "smsapi",
    }

    assert sms.sender().name == "smsapi"

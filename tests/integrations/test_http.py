"""The live transport on urllib, driven through a fake opener: no socket is ever opened."""

from __future__ import annotations

import email.message
import io
import urllib.error
import urllib.request
from typing import Any

import pytest

from emporos.fulfillment.carriers import CarrierError
from emporos.integrations.http import (
    MAX_BODY_BYTES,
    USER_AGENT,
    CarrierUnreachable,
    HttpRequest,
    HttpResponse,
    UrllibTransport,
    json_body,
)

URL = "https://api-stage.boxnow.gr/api/v1/delivery-requests"


def headers(**values: str) -> email.message.Message:
    message = email.message.Message()
    for name, value in values.items():
        message[name.replace("_", "-")] = value
    return message


class Answer(io.BytesIO):
    def __init__(self, status: int, body: bytes, **header_values: str) -> None:
        super().__init__(body)
        self.status = status
        self.headers = headers(**header_values)


class Opener:
    """Records what the transport asked for and answers (or fails) as told."""

    def __init__(self, outcome: Any) -> None:
        self.outcome = outcome
        self.opened: list[tuple[urllib.request.Request, float | None]] = []

    def open(self, fullurl: urllib.request.Request, data: None = None, timeout: float | None = None) -> Any:
        self.opened.append((fullurl, timeout))
        if isinstance(self.outcome, BaseException):
            raise self.outcome
        return self.outcome


def test_a_request_goes_out_as_built_and_the_answer_comes_back_with_lower_case_headers() -> None:
    opener = Opener(Answer(200, b'{"id": "41226"}', Content_Type="application/json"))
    transport = UrllibTransport(timeout_seconds=7, opener=opener)

    response = transport(
        HttpRequest(
            "POST", URL, {"Authorization": "Bearer abc"}, json_body({"orderNumber": "EM-10042/1", "name": "Τσάι"})
        )
    )

    assert response == HttpResponse(200, {"content-type": "application/json"}, b'{"id": "41226"}')
    [(sent, timeout)] = opener.opened
    assert (sent.get_method(), sent.full_url, timeout) == ("POST", URL, 7)
    assert sent.data == '{"orderNumber":"EM-10042/1","name":"Τσάι"}'.encode()
    assert (sent.get_header("Authorization"), sent.get_header("User-agent")) == ("Bearer abc", USER_AGENT)


def test_an_http_error_is_the_carriers_answer_not_an_exception() -> None:
    refusal = urllib.error.HTTPError(
        URL, 400, "Bad Request", headers(Content_Type="application/json"), io.BytesIO(b'{"code": "P402"}')
    )

    response = UrllibTransport(opener=Opener(refusal))(HttpRequest("POST", URL))

    assert (response.status, response.json(), response.ok) == (400, {"code": "P402"}, False)


@pytest.mark.parametrize(
    ("failure", "message"),
    [
        pytest.param(
            TimeoutError("timed out"),
            "api-stage.boxnow.gr did not answer within 20 s; try again in a few minutes.",
            id="read-timeout",
        ),
        pytest.param(
            urllib.error.URLError(TimeoutError("timed out")),
            "Could not reach api-stage.boxnow.gr: the connection timed out.",
            id="connect-timeout",
        ),
        pytest.param(
            urllib.error.URLError(ConnectionRefusedError(111, "Connection refused")),
            "Could not reach api-stage.boxnow.gr: [Errno 111] Connection refused.",
            id="refused",
        ),
        pytest.param(
            ConnectionResetError(104, "Connection reset by peer"),
            "The connection to api-stage.boxnow.gr broke off: [Errno 104] Connection reset by peer.",
            id="reset",
        ),
    ],
)
def test_no_answer_at_all_is_carrier_unreachable(failure: BaseException, message: str) -> None:
    with pytest.raises(CarrierUnreachable) as unreachable:
        UrllibTransport(opener=Opener(failure))(HttpRequest("GET", URL))

    assert unreachable.value.message == message
    assert unreachable.value.code == "carrier_unreachable"


def test_only_web_addresses_are_called() -> None:
    opener = Opener(Answer(200, b""))

    with pytest.raises(CarrierError, match="'file:///etc/passwd' is not a web address"):
        UrllibTransport(opener=opener)(HttpRequest("GET", "file:///etc/passwd"))
    assert opener.opened == []


def test_an_answer_larger_than_any_label_is_refused() -> None:
    opener = Opener(Answer(200, b"x" * (MAX_BODY_BYTES + 1)))

    with pytest.raises(CarrierError, match="sent more than 10 MB"):
        UrllibTransport(opener=opener)(HttpRequest("GET", URL))


@pytest.mark.parametrize(
    ("body", "parsed"),
    [(b"", None), (b"   ", None), (b"<html>502</html>", None), (b"%PDF-1.4", None), (b'{"a": 1}', {"a": 1})],
)
def test_a_body_is_read_as_json_only_when_it_is_json(body: bytes, parsed: Any) -> None:
    assert HttpResponse(200, {}, body).json() == parsed


def test_a_redirect_is_the_answer_and_is_not_followed_with_the_token() -> None:
    """urllib would resend the Authorization header to whatever host a 3xx names."""
    handler = next(
        handler
        for handler in UrllibTransport()._opener.handlers  # type: ignore[attr-defined]
        if isinstance(handler, urllib.request.HTTPRedirectHandler)
    )
    request = urllib.request.Request(URL, headers={"Authorization": "Bearer abc"})

    assert handler.redirect_request(request, io.BytesIO(), 302, "Found", headers(), "https://elsewhere.example") is None

"""The one door to the network for adapters: a transport seam and its live implementation.

Adapters never open a socket themselves; they hand an `HttpRequest` to a `Transport` and read the
`HttpResponse`. Tests replay recorded carrier answers through a fake transport, so no test ever
touches the network, and the live transport is the standard library's `urllib.request` (no extra
dependency). An answer with any HTTP status is returned as it came, because the carrier's error
JSON is what tells the shop what went wrong; only a failure to get an answer at all (timeout,
refused connection, broken TLS) becomes `CarrierUnreachable`.
"""

from __future__ import annotations

import http.client
import json
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import urlsplit

from emporos.fulfillment.carriers import CarrierError, CarrierUnavailable

USER_AGENT = "Emporos carrier adapters (Python urllib)"
DEFAULT_TIMEOUT_SECONDS = 20.0
# Labels are tens of kilobytes; an answer this large is a misrouted download, not a carrier's.
MAX_BODY_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class HttpRequest:
    method: str
    url: str
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes | None = None


@dataclass(frozen=True)
class HttpResponse:
    status: int
    headers: Mapping[str, str] = field(default_factory=dict)  # names in lower case
    body: bytes = b""

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    def json(self) -> Any:
        """The body as JSON, or None when it is empty or not JSON (an HTML error page, a PDF)."""
        if not self.body.strip():
            return None
        try:
            return json.loads(self.body)
        except (ValueError, UnicodeDecodeError):
            return None


Transport = Callable[[HttpRequest], HttpResponse]


class CarrierUnreachable(CarrierUnavailable):
    """No answer came back: the carrier's server timed out, refused the connection or broke TLS."""

    code = "carrier_unreachable"


def json_body(payload: Mapping[str, object]) -> bytes:
    """A request body as compact UTF-8 JSON (Greek and Polish letters kept as they are)."""
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


class _Opener(Protocol):
    """What the transport needs of `urllib.request.OpenerDirector` (tests give a fake one)."""

    def open(self, fullurl: urllib.request.Request, data: None = None, timeout: float | None = None) -> Any: ...


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A carrier's API answers where it is asked. Following a redirect would hand the bearer token
    to whichever host it names (urllib keeps the Authorization header), so a 3xx is returned as
    the answer instead."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


class UrllibTransport:
    """The live transport: one HTTPS request per call, with a timeout, and nothing cached."""

    def __init__(
        self,
        *,
        timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS,
        opener: _Opener | None = None,
    ) -> None:
        self.timeout_seconds = timeout_seconds
        self._opener: _Opener = opener or urllib.request.build_opener(_NoRedirects())

    def __call__(self, request: HttpRequest) -> HttpResponse:
        parts = urlsplit(request.url)
        if parts.scheme not in {"https", "http"} or not parts.hostname:
            raise CarrierError(f"{request.url!r} is not a web address; check the carrier's API URL setting.")
        host = parts.hostname
        outgoing = urllib.request.Request(  # noqa: S310 - the scheme is checked just above
            request.url,
            data=request.body,
            method=request.method,
            headers={"User-Agent": USER_AGENT, **request.headers},
        )
        try:
            with self._opener.open(outgoing, timeout=self.timeout_seconds) as answer:
                return HttpResponse(answer.status, _lower(answer.headers.items()), self._read(answer, host))
        except urllib.error.HTTPError as error:
            # A 4xx or 5xx is still the carrier's answer; its body says why.
            with error:
                return HttpResponse(error.code, _lower(error.headers.items()), self._read(error, host))
        except TimeoutError:
            raise CarrierUnreachable(
                f"{host} did not answer within {self.timeout_seconds:g} s; try again in a few minutes."
            ) from None
        except urllib.error.URLError as error:
            raise CarrierUnreachable(f"Could not reach {host}: {_reason(error.reason)}.") from None
        except (OSError, http.client.HTTPException) as error:
            raise CarrierUnreachable(f"The connection to {host} broke off: {_reason(error)}.") from None

    @staticmethod
    def _read(answer: Any, host: str) -> bytes:
        body: bytes = answer.read(MAX_BODY_BYTES + 1)
        if len(body) > MAX_BODY_BYTES:
            raise CarrierError(
                f"{host} sent more than {MAX_BODY_BYTES // (1024 * 1024)} MB; that is not a carrier's answer."
            )
        return body


def _lower(items: Any) -> dict[str, str]:
    return {str(name).lower(): str(value) for name, value in items}


def _reason(reason: object) -> str:
    if isinstance(reason, TimeoutError):
        return "the connection timed out"
    return str(reason) or reason.__class__.__name__

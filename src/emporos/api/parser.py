"""Strict JSON bodies: JSON by its media type, each key once, no NaN or Infinity.

A lenient parser lets a storefront's bug pass unnoticed: a form-encoded body read as JSON, or
`{"total": "10.00", "total": "99.00"}` where one library keeps the first value and another the last.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest
from ninja.parser import Parser


class UnsupportedMediaType(ValueError):
    """The body is not sent as application/json."""


class DuplicateKey(ValueError):
    """An object in the body names a key twice."""

    def __init__(self, key: str) -> None:
        super().__init__(f"The key {key!r} appears twice in one object.")
        self.key = key


def _once_each(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise DuplicateKey(key)
        result[key] = value
    return result


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON.")


class StrictJsonParser(Parser):
    def parse_body(self, request: HttpRequest) -> Any:
        if request.content_type != "application/json":
            raise UnsupportedMediaType(request.content_type or "none")
        return json.loads(request.body, object_pairs_hook=_once_each, parse_constant=_no_constant)

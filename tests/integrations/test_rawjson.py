"""The exact text of one top-level JSON member, as a signature over it needs it."""

from __future__ import annotations

import pytest

from emporos.integrations.carriers.rawjson import raw_member


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param('{"data": {"a": 1}}', '{"a": 1}', id="compact"),
        pytest.param(
            '{\n  "id": "x",\n  "data": {\n    "b": [1, 2]\n  }\n}\n', '{\n    "b": [1, 2]\n  }', id="indented"
        ),
        pytest.param('{"note": "\\"data\\": {}", "data": {"s": "}{"}}', '{"s": "}{"}', id="braces-in-strings"),
        pytest.param('{"datacontenttype": "json", "data": {"x": "Ερμού"}}', '{"x": "Ερμού"}', id="similar-name"),
        pytest.param('{"nested": {"data": 1}, "data": 2}', "2", id="only-top-level"),
        pytest.param('{"data": 1, "data": {"last": true}}', '{"last": true}', id="last-wins"),
    ],
)
def test_the_member_is_returned_exactly_as_written(text: str, expected: str) -> None:
    assert raw_member(text, "data") == expected


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("", id="empty"),
        pytest.param("[]", id="array"),
        pytest.param("{}", id="no-members"),
        pytest.param('{"nested": {"data": 1}}', id="absent"),
        pytest.param('{"data": {"a": 1}', id="unclosed"),
        pytest.param('{"data": {"a": 1}} trailing', id="trailing"),
        pytest.param('{"data" {"a": 1}}', id="no-colon"),
        pytest.param('{1: {"a": 1}}', id="not-a-key"),
    ],
)
def test_anything_else_has_no_member(text: str) -> None:
    assert raw_member(text, "data") is None

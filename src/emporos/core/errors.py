"""Domain errors: each has a stable code and a message a person understands.

Interfaces map them once to a status (the API to problem details, the staff UI to a message).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class FieldError:
    """One bad input field: `field` is a dotted path such as `lines.0.sku`."""

    field: str
    code: str
    message: str


class DomainError(Exception):
    """Base of every expected, explainable failure of a service."""

    code = "domain_error"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code


class ValidationFailed(DomainError):
    """Input that cannot be accepted; `errors` names every bad field."""

    code = "validation_failed"

    def __init__(self, errors: list[FieldError]) -> None:
        summary = "; ".join(f"{error.field}: {error.message}" for error in errors)
        super().__init__(f"The input has {len(errors)} problem(s): {summary}")
        self.errors = errors


class NotFound(DomainError):
    code = "not_found"


class Conflict(DomainError):
    """The request is well formed but collides with the current state."""

    code = "conflict"


class TransitionNotAllowed(Conflict):
    code = "transition_not_allowed"


@dataclass
class ErrorCollector:
    """Collects field errors so a request is answered with all of them at once."""

    errors: list[FieldError] = field(default_factory=list)

    def add(self, field_path: str, code: str, message: str) -> None:
        self.errors.append(FieldError(field_path, code, message))

    def raise_if_any(self) -> None:
        if self.errors:
            raise ValidationFailed(self.errors)

"""Read EMPOROS_* settings from the environment (and an optional .env file), with clear errors."""

from __future__ import annotations

import os
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

_loaded = False


def load_dotenv_once(base_dir: Path) -> None:
    """Load `.env` from the working directory or the project root, never overriding the environment."""
    global _loaded
    if _loaded:
        return
    _loaded = True
    from dotenv import load_dotenv

    for candidate in (Path.cwd() / ".env", base_dir / ".env"):
        if candidate.is_file():
            load_dotenv(candidate, override=False)
            break


def text(name: str, default: str) -> str:
    return os.environ.get(f"EMPOROS_{name}", default).strip() or default


def flag(name: str, default: bool) -> bool:
    raw = os.environ.get(f"EMPOROS_{name}")
    if raw is None or not raw.strip():
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"EMPOROS_{name}={raw!r}: use true or false.")


def integer(name: str, default: int) -> int:
    raw = os.environ.get(f"EMPOROS_{name}")
    if raw is None or not raw.strip():
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"EMPOROS_{name}={raw!r}: use a whole number.") from None


def decimal(name: str, default: str) -> Decimal:
    raw = text(name, default)
    try:
        return Decimal(raw)
    except InvalidOperation:
        raise ImproperlyConfigured(f"EMPOROS_{name}={raw!r}: use a number such as {default}.") from None


def items(name: str, default: str) -> list[str]:
    return [item.strip() for item in text(name, default).split(",") if item.strip()]

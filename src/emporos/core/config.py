"""Typed access to the shop's own settings (settings.EMPOROS, filled from EMPOROS_* variables)."""

from __future__ import annotations

from typing import Any

from django.conf import settings


def setting(name: str) -> Any:
    """One Emporos setting; see emporos/config/settings.py for the names and defaults."""
    return settings.EMPOROS[name]

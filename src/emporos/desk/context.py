"""What every staff page knows: the shop's name, the signed-in role and what it may do."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from emporos.access.roles import Permission, permissions_of
from emporos.core import clock
from emporos.desk.auth import staff_role
from emporos.shop import selectors as shop
from emporos.support import queue as support_queue


def _support_due_soon() -> int:
    """Counted only when the menu shows it (templates call a callable when they read it)."""
    return support_queue.due_soon_count(now=clock.now())


def desk(request: HttpRequest) -> dict[str, Any]:
    if not request.path.startswith(("/admin/", "/api/")) and getattr(request, "user", None) is not None:
        role = staff_role(request) if request.user.is_authenticated else None
    else:
        role = None
    allowed = permissions_of(role)
    return {
        "shop_name": shop.current().name,
        "staff_role": role,
        "may": {permission.name.lower(): permission in allowed for permission in Permission},
        "support_due_soon": _support_due_soon if Permission.ANSWER_CUSTOMERS in allowed else None,
    }

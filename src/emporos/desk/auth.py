"""Who may open a staff page: signed in, with a role, and with the page's permission."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

from emporos.access.roles import Permission, can
from emporos.access.services import role_of
from emporos.core.actor import Actor

# HttpResponseBase: a page, or a file streamed as it is written (the orders export).
View = TypeVar("View", bound=Callable[..., HttpResponseBase])


def staff_role(request: HttpRequest) -> str | None:
    """The role of the signed-in staff member, looked up once per request."""
    if not hasattr(request, "_staff_role"):
        request._staff_role = role_of(request.user)  # type: ignore[attr-defined]
    return cast(str | None, request._staff_role)  # type: ignore[attr-defined]


def actor_for(request: HttpRequest) -> Actor:
    return Actor.staff(request.user.get_username(), user_id=request.user.pk)


def refuse(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "desk/refused.html", {"message": message}, status=403)


def staff_required(permission: Permission | None = None) -> Callable[[View], View]:
    """Sign-in first (back here after), then the role, then `permission` when given."""

    def decorate(view: View) -> View:
        @wraps(view)
        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not request.user.is_authenticated:
                if is_htmx(request):  # a refresh after the session ended: the whole tab goes to sign-in
                    current = request.htmx.current_url_abs_path or "/"  # type: ignore[attr-defined]
                    return HttpResponseClientRedirect(redirect_to_login(current).url)
                return redirect_to_login(request.get_full_path())
            role = staff_role(request)
            if role is None:
                return refuse(request, _("This account has no staff role. Ask the shop owner to give it one."))
            if permission is not None and not can(role, permission):
                return refuse(request, _("Your role cannot do this. Ask the shop owner if you need it."))
            return view(request, *args, **kwargs)

        return cast(View, guarded)

    return decorate


def is_htmx(request: HttpRequest) -> bool:
    """Asked by htmx (a polling refresh or a partial swap), not by a page load."""
    return bool(getattr(request, "htmx", False))

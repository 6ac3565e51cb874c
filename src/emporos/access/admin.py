"""Staff roles are editable reference data; sign-in failures can be cleared to unlock; reset requests are read-only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from emporos.access.models import PasswordResetRequest, SignInFailure, StaffProfile
from emporos.access.services import set_staff_role
from emporos.core.actor import Actor


@admin.register(StaffProfile)
class StaffProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "language")
    list_filter = ("role",)
    search_fields = ("user__username", "user__email")
    autocomplete_fields = ("user",)
    # The desk's Settings → Staff is where owners manage staff (with its owner checks); here only the role.
    fields = ("user", "role")

    def save_model(self, request: HttpRequest, obj: StaffProfile, form: Any, change: bool) -> None:
        actor = Actor.staff(request.user.get_username(), user_id=request.user.pk)
        set_staff_role(user=obj.user, role=obj.role, actor=actor)


@admin.register(SignInFailure)
class SignInFailureAdmin(admin.ModelAdmin):
    """Delete a row to let a locked-out name or address try again at once."""

    list_display = ("key", "failures", "window_started_at", "locked_until")
    search_fields = ("key",)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(PasswordResetRequest)
class PasswordResetRequestAdmin(admin.ModelAdmin):
    """What became of each "Forgot your password?" (sent, throttled, skipped); read-only."""

    list_display = ("requested_at", "user", "purpose", "status", "language", "handled_at")
    list_filter = ("status",)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

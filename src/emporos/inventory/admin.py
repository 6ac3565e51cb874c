from django.contrib import admin

from emporos.core.admin_base import ReadOnlyAdmin
from emporos.inventory.models import Location, StockLevel, StockMovement


@admin.register(Location)
class LocationAdmin(admin.ModelAdmin):
    """Locations are reference data: editable here."""

    list_display = ("code", "name", "priority", "is_active")


@admin.register(StockLevel)
class StockLevelAdmin(ReadOnlyAdmin):
    list_display = ("variant", "location", "on_hand", "reserved")
    list_filter = ("location",)
    search_fields = ("variant__sku",)
    list_select_related = ("variant", "location")


@admin.register(StockMovement)
class StockMovementAdmin(ReadOnlyAdmin):
    list_display = (
        "created_at",
        "variant",
        "location",
        "on_hand_delta",
        "reserved_delta",
        "reason",
        "reference",
        "actor",
    )
    list_filter = ("reason", "location")
    search_fields = ("variant__sku", "reference")
    list_select_related = ("variant", "location")

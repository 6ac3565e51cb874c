from django.contrib import admin

from emporos.core.admin_base import ReadOnlyAdmin
from emporos.fulfillment.models import FulfillmentOrder, Packaging, Shipment, ShipmentLine, Wave


@admin.register(Packaging)
class PackagingAdmin(admin.ModelAdmin):
    """Boxes and envelopes are reference data: the shop keeps its own list."""

    list_display = ("code", "name", "kind", "length_mm", "width_mm", "height_mm", "weight_grams", "is_active")
    list_filter = ("kind", "is_active")


@admin.register(Wave)
class WaveAdmin(ReadOnlyAdmin):
    list_display = ("reference", "cutoff_at", "created_at", "created_by")
    date_hierarchy = "cutoff_at"


@admin.register(FulfillmentOrder)
class FulfillmentOrderAdmin(ReadOnlyAdmin):
    list_display = ("order", "mode", "location", "status", "hold_reason", "wave", "updated_at")
    list_filter = ("status", "mode", "hold_reason")
    list_select_related = ("order", "location", "wave")
    search_fields = ("order__number",)


class ShipmentLineInline(admin.TabularInline):
    model = ShipmentLine
    extra = 0
    fields = ("sku", "quantity")
    readonly_fields = fields
    can_delete = False


@admin.register(Shipment)
class ShipmentAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "carrier", "tracking_number", "status", "weight_grams", "cod_amount", "created_at")
    list_filter = ("carrier", "status", "signature_required", "presence_required")
    list_select_related = ("order",)
    search_fields = ("tracking_number", "order__number")
    inlines = [ShipmentLineInline]

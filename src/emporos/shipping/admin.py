from django.contrib import admin

from emporos.shipping.models import Method, Rate, Zone, ZoneArea


class AreaInline(admin.TabularInline):
    model = ZoneArea
    extra = 1


class MethodInline(admin.TabularInline):
    model = Method
    extra = 0
    fields = ("code", "name", "kind", "currency", "carrier", "free_over", "cash_on_delivery", "is_active")
    show_change_link = True


class RateInline(admin.TabularInline):
    model = Rate
    extra = 1


@admin.register(Zone)
class ZoneAdmin(admin.ModelAdmin):
    list_display = ("code", "name")
    inlines = [AreaInline, MethodInline]


@admin.register(Method)
class MethodAdmin(admin.ModelAdmin):
    list_display = (
        "code",
        "name",
        "zone",
        "kind",
        "currency",
        "carrier",
        "free_over",
        "cash_on_delivery",
        "is_active",
    )
    list_filter = ("zone", "kind", "currency", "is_active")
    inlines = [RateInline]

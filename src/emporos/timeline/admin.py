from django.contrib import admin

from emporos.core.admin_base import ReadOnlyAdmin
from emporos.timeline.models import Entry


@admin.register(Entry)
class EntryAdmin(ReadOnlyAdmin):
    list_display = ("occurred_at", "kind", "actor_kind", "actor_name")
    list_filter = ("kind", "actor_kind")

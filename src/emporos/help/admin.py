"""Categories are reference data: the admin adds and renames them. Articles are written on the desk."""

from django.contrib import admin

from emporos.help.models import Category


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["slug", "position", "names"]
    ordering = ["position", "slug"]

"""A fresh install has one stock location, "main" ("Main"), so stock can be counted over the API
at once. The shop renames it or adds others later; an install that has locations gets none."""

from django.db import migrations


def create_default_location(apps, schema_editor):
    Location = apps.get_model("inventory", "Location")
    if not Location.objects.exists():
        Location.objects.create(code="main", name="Main", priority=10, is_active=True)


class Migration(migrations.Migration):
    dependencies = [
        ("inventory", "0002_location_code_letters_digits_dash_underscore_dot"),
    ]

    operations = [
        migrations.RunPython(create_default_location, migrations.RunPython.noop),
    ]

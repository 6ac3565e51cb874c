"""On PostgreSQL, a trigram index makes 'name contains' searches fast on large customer tables.

pg_trgm ships with PostgreSQL; where the database user may not create extensions, the search
still works, only slower, so the index is skipped rather than failing the migration.
"""

from django.db import migrations

INDEX = "customer_search_name_trgm"


def create_index(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'")
        if cursor.fetchone() is None:
            return
        cursor.execute("SAVEPOINT emporos_trgm")
        try:
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        except Exception:  # noqa: BLE001 - no privilege: keep going without the index
            cursor.execute("ROLLBACK TO SAVEPOINT emporos_trgm")
            return
        cursor.execute("RELEASE SAVEPOINT emporos_trgm")
        cursor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON customers_customer USING gin (search_name gin_trgm_ops)"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("customers", "0001_initial")]

    operations = [migrations.RunPython(create_index, drop_index)]

"""Stored search names rewritten with letters like 'ł', 'ø' and 'æ' folded to what a person types
without the key ('Jabłoński' is found as 'Jablonski'), as emporos.core.text.search_form now does.

The folding is copied here, as it was when this migration was written, so that the migration
keeps doing the same thing whatever later becomes of the application's function. Only the rows
whose search name changes are written (a thousand a statement).
"""

import unicodedata

from django.db import migrations

_UNDECOMPOSED = str.maketrans(
    {
        'ł': 'l',
        'đ': 'd',
        'ð': 'd',
        'ø': 'o',
        'ħ': 'h',
        'ŧ': 't',
        'ı': 'i',
        'ŀ': 'l',
        'æ': 'ae',
        'œ': 'oe',
        'þ': 'th',
        'ς': 'σ',
    }
)
_BEFORE = str.maketrans({'ς': 'σ'})
_NAME_MAX_LENGTH = 200
_BATCH = 1000


def _fold(value, table):
    decomposed = unicodedata.normalize('NFKD', value.casefold())
    stripped = ''.join(char for char in decomposed if not unicodedata.combining(char))
    return ' '.join(stripped.translate(table).split())[:_NAME_MAX_LENGTH]


def _rewrite(apps, table):
    Customer = apps.get_model('customers', 'Customer')
    rows = Customer.objects.order_by('pk').values_list('pk', 'name', 'search_name')
    # Read first, then write: SQLite's reading cursor is not to see the table change under it.
    changed = [
        Customer(pk=pk, search_name=folded)
        for pk, name, search_name in rows.iterator(chunk_size=2000)
        if (folded := _fold(name, table)) != search_name
    ]
    Customer.objects.bulk_update(changed, ['search_name'], batch_size=_BATCH)


def fold_every_letter(apps, schema_editor):
    _rewrite(apps, _UNDECOMPOSED)


def fold_as_before(apps, schema_editor):
    _rewrite(apps, _BEFORE)


class Migration(migrations.Migration):
    dependencies = [('customers', '0004_membership')]

    operations = [migrations.RunPython(fold_every_letter, fold_as_before)]

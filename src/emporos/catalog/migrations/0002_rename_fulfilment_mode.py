from django.db import migrations, models
from django.db.models import Q


class Migration(migrations.Migration):
    """American spelling in identifiers: fulfilment_mode becomes fulfillment_mode."""

    dependencies = [("catalog", "0001_initial")]

    operations = [
        migrations.RemoveConstraint(model_name="product", name="catalog_product_mode_valid"),
        migrations.RemoveConstraint(model_name="product", name="catalog_preorder_has_release_date"),
        migrations.RenameField(model_name="product", old_name="fulfilment_mode", new_name="fulfillment_mode"),
        migrations.AddConstraint(
            model_name="product",
            constraint=models.CheckConstraint(
                condition=Q(
                    fulfillment_mode__in=["physical", "made_to_order", "preorder", "digital", "membership"]
                ),
                name="catalog_product_mode_valid",
            ),
        ),
        migrations.AddConstraint(
            model_name="product",
            constraint=models.CheckConstraint(
                condition=~Q(fulfillment_mode="preorder") | Q(release_on__isnull=False),
                name="catalog_preorder_has_release_date",
            ),
        ),
    ]

from django.apps import AppConfig


class FulfillmentConfig(AppConfig):
    name = "emporos.fulfillment"
    label = "fulfillment"
    verbose_name = "Fulfillment"

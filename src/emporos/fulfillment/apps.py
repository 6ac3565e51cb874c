from django.apps import AppConfig


class FulfillmentConfig(AppConfig):
    name = "emporos.fulfillment"
    label = "fulfillment"
    verbose_name = "Fulfillment"

    def ready(self) -> None:
        from emporos.fulfillment import builtin_carriers, carriers

        carriers.register("manual", builtin_carriers.ManualCarrier)
        carriers.register("demo", builtin_carriers.DemoCarrier)

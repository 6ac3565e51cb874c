from django.apps import AppConfig


class FulfillmentConfig(AppConfig):
    name = "emporos.fulfillment"
    label = "fulfillment"
    verbose_name = "Fulfillment"

    def ready(self) -> None:
        from emporos.fulfillment import builtin_carriers, carriers
        from emporos.fulfillment.third_party import adapters, file_drop

        carriers.register("manual", builtin_carriers.ManualCarrier)
        carriers.register("demo", builtin_carriers.DemoCarrier)
        adapters.register("file_drop", file_drop.FileDropAdapter)

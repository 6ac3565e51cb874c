from django.apps import AppConfig


class ReturnsConfig(AppConfig):
    name = "emporos.returns"
    label = "returns"
    verbose_name = "Returns"

    def ready(self) -> None:
        from emporos.fulfillment.tracking import register_other_parcels
        from emporos.returns.tracking import record_return_tracking

        register_other_parcels(record_return_tracking)

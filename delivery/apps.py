from django.apps import AppConfig


class DeliveryConfig(AppConfig):
    name = "delivery"
    verbose_name = "Delivery plans"

    def ready(self) -> None:
        from . import overdue

        overdue.register("activity", overdue.activity_items)

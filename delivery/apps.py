from django.apps import AppConfig


class DeliveryConfig(AppConfig):
    name = "delivery"
    verbose_name = "Delivery plans"

    def ready(self) -> None:
        from core.tabular import importer

        from . import overdue
        from .importers.plan_importer import PlanImporter

        overdue.register("activity", overdue.activity_items, query=overdue.ACTIVITY_QUERY)
        importer.register(PlanImporter())

from django.apps import AppConfig


class DeliveryConfig(AppConfig):
    name = "delivery"
    verbose_name = "Delivery plans"

    def ready(self) -> None:
        from core.tabular import importer

        from . import overdue
        from .importers.plan_importer import PlanImporter
        from .models import PLAN_DATA

        overdue.register("activity", overdue.activity_items, query=overdue.ACTIVITY_QUERY, data=[PLAN_DATA])
        _audit()
        importer.register(PlanImporter())
        PLAN_DATA.connect()


def _audit() -> None:
    """Every save and delete of the plan's data goes in the audit trail (core.audit)."""
    from core import audit

    from . import models as m

    for model in (m.Plan, m.Objective, m.Section, m.Commitment, m.Owner, m.OversightBody, m.ProgressUpdate):
        audit.register(model)
    audit.register(m.Activity, exclude=("version",))

from django.apps import AppConfig


class KpisConfig(AppConfig):
    name = "kpis"
    verbose_name = "KPIs"

    def ready(self) -> None:
        from core import nav
        from core.roles import can_read
        from core.tabular import importer
        from delivery import demo, overdue, panels
        from delivery.models import PLAN_DATA

        from . import demo as kpi_demo
        from . import selectors
        from .importers.kpi_importer import KpiImporter

        overdue.register(
            "kpi action",
            selectors.overdue_actions,
            query=selectors.OVERDUE_QUERY,
            data=[PLAN_DATA, selectors.ACTION_DATA],
        )
        selectors.ACTION_DATA.connect()
        importer.register(KpiImporter())
        panels.register("home", "kpis/_home_panel.html", selectors.home_panel)
        panels.register("activity", "kpis/_linked_measures_panel.html", selectors.linked_measures_panel)
        panels.register("commitment", "kpis/_linked_measures_panel.html", selectors.linked_measures_panel)
        nav.register("KPIs", "kpis:catalogue", order=30, can_see=can_read)
        nav.register("Performance summary", "kpis:summary", order=31, can_see=can_read)
        demo.register_demo_step(kpi_demo.seed_kpis)

        from delivery import scale

        from . import scale as kpi_scale

        scale.register_step(kpi_scale.seed_measures)

        from . import signals

        signals.connect()
        _audit()


def _audit() -> None:
    """Every save and delete of the KPI data goes in the audit trail (core.audit). Observation revisions
    are themselves a history of observations, so they are not audited twice."""
    from core import audit

    from . import models as m

    for model in (
        m.Area,
        m.AreaPopulation,
        m.Measure,
        m.Target,
        m.Observation,
        m.ComparatorValue,
        m.Commentary,
        m.KpiAction,
    ):
        audit.register(model)

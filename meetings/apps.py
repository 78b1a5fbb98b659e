from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = "Holding-to-account meetings"

    def ready(self) -> None:
        from core import nav
        from delivery import demo as delivery_demo
        from delivery import overdue, panels
        from delivery.models import PLAN_DATA

        from . import demo, selectors

        data = [PLAN_DATA, selectors.MEETING_DATA]
        overdue.register(
            "meeting action", selectors.overdue_action_items, query=selectors.OVERDUE_ACTIONS_QUERY, data=data
        )
        overdue.register(
            "written request", selectors.overdue_request_items, query=selectors.OVERDUE_REQUESTS_QUERY, data=data
        )
        selectors.MEETING_DATA.connect()
        panels.register("activity", "meetings/_activity_panel.html", selectors.activity_panel)
        nav.register("Meetings", "meetings:list", order=40)
        nav.register("Meeting actions", "meetings:actions", order=41)
        nav.register("Written requests", "meetings:requests", order=42)
        delivery_demo.register_demo_step(demo.seed_meetings)

        from delivery import scale

        from . import scale as meeting_scale

        scale.register_step(meeting_scale.seed_meetings)
        _audit()


def _audit() -> None:
    """Every save and delete of meetings and their parts goes in the audit trail (core.audit)."""
    from core import audit

    from . import models as m

    for model in (m.Meeting, m.AgendaItem, m.Finding, m.ActionUpdate, m.WrittenRequest):
        audit.register(model)
    audit.register(m.Action, exclude=("version",))

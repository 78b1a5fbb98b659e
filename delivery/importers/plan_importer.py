"""The delivery-plan importer: extracts, RAG trackers and the tracker's own workbook, through core's
import pipeline. Registered as kind "plan" from `DeliveryConfig.ready()`; services reach it with
`core.tabular.importer.get("plan")` and never import the stages themselves."""

from __future__ import annotations

from core.tabular.importer import Importer, ImportOptions
from core.tabular.problems import Problem
from core.tabular.workbook import Workbook, read_workbook

from .apply import PlanOutcome, apply_change_set
from .layouts import ParsedWorkbook, parse_workbook
from .planner import ChangeSet, build_change_set


class PlanImporter(Importer):
    kind = "plan"
    label = "Delivery plan"

    def read(self, data: bytes, options: ImportOptions) -> Workbook:
        """check_file, then every sheet with its fills and merged ranges (a RAG may be only a colour)."""
        return read_workbook(data, options.filename, need_styles=True)

    def recognise(self, book: Workbook, options: ImportOptions) -> ParsedWorkbook:
        return parse_workbook(book, layout=options.layout, sheet=options.sheet or None)

    def plan(self, parsed: ParsedWorkbook, options: ImportOptions) -> ChangeSet:
        """The delivery plan is the one named on upload, else the workbook's title, else the file's name."""
        name = options.target.strip() or parsed.plan_name() or options.stem
        return build_change_set(parsed, plan_name=name, as_at=options.as_at)

    def unreadable(self, problem: Problem, options: ImportOptions) -> ChangeSet:
        return ChangeSet(
            plan_name=options.target.strip() or options.stem,
            plan_id=None,
            layout=options.layout,
            as_at=options.as_at,
            errors=[problem],
        )

    def apply(self, change_set: ChangeSet, *, by, source: str, seen_versions: dict[str, int]) -> PlanOutcome:
        return apply_change_set(change_set, by=by, source=source, seen_versions=seen_versions)

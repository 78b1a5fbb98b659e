"""The KPI importer, registered as kind "kpis" from KpisConfig.ready(); the services reach it through
`core.tabular.importer.get("kpis")`."""

from __future__ import annotations

from core.tabular.importer import Importer, ImportOptions, Outcome
from core.tabular.problems import Problem
from core.tabular.workbook import Workbook, read_workbook

from ..models import Measure
from .changes import KpiChangeSet, apply_change_set, build_change_set
from .layouts import ParsedBook, parse_workbook

LAYOUTS = ("auto", "long", "wide")


class KpiImporter(Importer):
    kind = "kpis"
    label = "KPI values"

    def read(self, data: bytes, options: ImportOptions) -> Workbook:
        """Values only (fills do not matter here): python-calamine, fast for large packs."""
        return read_workbook(data, options.filename, need_styles=False)

    def recognise(self, book: Workbook, options: ImportOptions) -> ParsedBook:
        known = set(Measure.objects.values_list("name", flat=True))
        return parse_workbook(book, layout=options.layout, known_measures=known)

    def plan(self, parsed: ParsedBook, options: ImportOptions) -> KpiChangeSet:
        return build_change_set(parsed, layout=options.layout, as_at=options.as_at)

    def unreadable(self, problem: Problem, options: ImportOptions) -> KpiChangeSet:
        return KpiChangeSet(layout=options.layout, as_at=options.as_at, errors=[problem])

    def apply(
        self, change_set: KpiChangeSet, *, by, source: str, seen_versions: dict[str, int], kpi_import=None
    ) -> Outcome:
        """Values are written only by imports, so there are no conflicts to find: apply plans again first."""
        return apply_change_set(change_set, by=by, kpi_import=kpi_import)

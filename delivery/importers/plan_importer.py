"""The delivery-plan importer: extracts, RAG trackers and the tracker's own workbook, through core's
import pipeline. Registered as kind "plan" from `DeliveryConfig.ready()`; services reach it with
`core.tabular.importer.get("plan")` and never import the stages themselves.

What the person importing chose travels in `ImportOptions.extra`:

- `plan_id`: the existing plan chosen on upload (else `target` names a new one, else the workbook's title);
- `columns` ({sheet or "*": {column key: field}}), `header_rows` ({sheet: row}), `values`
  ({"rag": {...}, "status": {...}}): a column and value mapping (an import profile);
- `suggest_as_at`: no update date was given, so suggest one from the workbook;
- `confirm_other_plan`: the person confirmed importing a plan's own workbook into another plan.
"""

from __future__ import annotations

from core.dates import today
from core.tabular import cells
from core.tabular.dating import suggest_update_date
from core.tabular.importer import Importer, ImportOptions
from core.tabular.problems import Problem
from core.tabular.workbook import Workbook, read_workbook

from ..models import Plan
from .apply import PlanOutcome, apply_change_set
from .layouts import ParsedWorkbook, ReadingOptions, parse_workbook
from .native import PLAN_PROPERTY
from .planner import ChangeSet, build_change_set

RAG_WORDS = {"R": "Red", "A": "Amber", "G": "Green", "": "Not rated", "B": "Blue (complete)"}


class PlanImporter(Importer):
    kind = "plan"
    label = "Delivery plan"

    def read(self, data: bytes, options: ImportOptions) -> Workbook:
        """check_file, then every sheet with its fills and merged ranges (a RAG may be only a colour)."""
        return read_workbook(data, options.filename, need_styles=True)

    def recognise(self, book: Workbook, options: ImportOptions) -> ParsedWorkbook:
        extra = options.extra
        reading = ReadingOptions(
            columns=dict(extra.get("columns") or {}),
            header_rows={k: int(v) for k, v in (extra.get("header_rows") or {}).items() if v},
            values=dict(extra.get("values") or {}),
        )
        return parse_workbook(book, layout=options.layout, sheet=options.sheet or None, options=reading)

    def plan(self, parsed: ParsedWorkbook, options: ImportOptions) -> ChangeSet:
        """The delivery plan is the one chosen on upload; else, for the plan's own workbook, the plan it
        came from; else the one named, else the workbook's title, else the file's name."""
        extra = options.extra
        as_at, reason = options.as_at, ""
        if extra.get("suggest_as_at"):
            suggested = suggest_update_date(
                titles=parsed.titles, filename=options.filename, properties=parsed.properties, today=today()
            )
            as_at, reason = suggested.on, suggested.reason
        chosen = Plan.objects.filter(pk=extra["plan_id"]).first() if extra.get("plan_id") else None
        origin = _origin_plan(parsed)
        if chosen is not None:
            name, plan_id = chosen.name, chosen.pk
        elif options.target.strip():
            name, plan_id = options.target.strip(), None
        elif origin is not None:
            name, plan_id = origin.name, origin.pk
        else:
            name, plan_id = parsed.plan_name() or options.stem, None
        change_set = build_change_set(parsed, plan_name=name, as_at=as_at, plan_id=plan_id)
        change_set.as_at_reason = reason
        origin_name = parsed.properties.get(PLAN_PROPERTY["name"], "")
        if origin_name and (origin is None or origin.pk != change_set.plan_id):
            change_set.other_plan = {"from": origin_name, "into": change_set.plan_name}
            if not extra.get("confirm_other_plan"):
                change_set.warnings.insert(
                    0,
                    Problem(
                        parsed.filename,
                        None,
                        None,
                        f'This workbook was downloaded from the plan "{origin_name}", but it would be imported into '
                        f'"{change_set.plan_name}". Confirm that this is what you mean before applying.',
                        "warning",
                    ),
                )
        change_set.rules = _value_rules(parsed)
        return change_set

    def unreadable(self, problem: Problem, options: ImportOptions) -> ChangeSet:
        return ChangeSet(
            plan_name=options.target.strip() or options.stem,
            plan_id=options.extra.get("plan_id"),
            layout=options.layout,
            as_at=options.as_at,
            errors=[problem],
        )

    def apply(self, change_set: ChangeSet, *, by, source: str, seen_versions: dict[str, int]) -> PlanOutcome:
        return apply_change_set(change_set, by=by, source=source, seen_versions=seen_versions)


def _origin_plan(parsed: ParsedWorkbook) -> Plan | None:
    """The plan the tracker's own workbook was downloaded from (its document properties say), if it
    still exists: by id, checked against its slug, so a workbook from another tracker is not taken for it."""
    props = parsed.properties
    plan_id, slug = props.get(PLAN_PROPERTY["id"]), props.get(PLAN_PROPERTY["slug"])
    if not plan_id or not slug:
        return None
    try:
        return Plan.objects.filter(pk=int(plan_id), slug=slug).first()
    except (TypeError, ValueError):
        return None


def _value_rules(parsed: ParsedWorkbook) -> list[str]:
    """How values that are not plain ratings were read: one line per value, and the five-level rule."""
    seen: dict[str, str] = {}
    five = False
    for sheet in parsed.sheets:
        for c in sheet.commitments:
            for a in c.activities:
                if a.rag_written and cells.value_key(a.rag_written) not in seen:
                    key = cells.value_key(a.rag_written)
                    five = five or key in cells.FIVE_LEVEL
                    code = "B" if a.status == "complete" and not a.rag else (a.rag or "")
                    seen[key] = f'"{a.rag_written}" is read as {RAG_WORDS[code]}; the update records it as written.'
    return ([cells.FIVE_LEVEL_RULE] if five else []) + list(seen.values())

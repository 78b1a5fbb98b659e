"""Each section of the panel's covering report drafted from plain data: pure functions, no database,
so each is tested against hand-worked figures. A draft is the text (paragraphs separated by blank
lines; `- ` starts a list item; lines of `a | b | c` make a table, the first its header) and the
plain lines it was drafted from, shown beside the section."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

RAG_WORDS = {"R": "Red", "A": "Amber", "G": "Green", "B": "Blue (complete)", "": "not rated"}
RAG_ORDER = ("R", "A", "G", "B", "")


@dataclass
class Draft:
    text: str
    sources: list[str] = field(default_factory=list)


def d(day: date) -> str:
    return f"{day:%-d %B %Y}"


def _n(count: int, noun: str, plural: str = "") -> str:
    return f"{count} {noun if count == 1 else plural or noun + 's'}"


# --- Delivery plan and assurance -------------------------------------------------------------------


@dataclass
class ObjectiveCounts:
    title: str  # "1. Putting victims and survivors first"
    counts: dict[str, int]  # shown RAG ("R", "A", "G", "B", "") -> activities


@dataclass
class Move:
    """One activity's shown RAG at the start of the period and at the as-at date (None: not yet in the plan)."""

    before: str | None
    after: str


def rag_changes(moves: list[Move]) -> list[str]:
    """ "12 activities moved to Green", one phrase per RAG that activities moved to, in RAG order;
    new activities are counted apart."""
    moved = Counter(m.after for m in moves if m.before is not None and m.before != m.after)
    added = sum(1 for m in moves if m.before is None)
    phrases = [f"{_n(moved[k], 'activity', 'activities')} moved to {RAG_WORDS[k]}"
               for k in RAG_ORDER if moved[k]]  # fmt: skip
    if added:
        phrases.append(f"{_n(added, 'activity', 'activities')} added to the plan")
    return phrases


def _counts_phrase(counts: dict[str, int]) -> str:
    return ", ".join(f"{counts.get(k, 0)} {RAG_WORDS[k]}" for k in RAG_ORDER if counts.get(k, 0))


def draft_delivery(
    *, plan: str, period_from: date, as_at: date, objectives: list[ObjectiveCounts], moves: list[Move]
) -> Draft:
    total = sum(sum(o.counts.values()) for o in objectives)
    paras = [
        f"Appendix 1 is the extract of the {plan} delivery plan, showing the position of each supporting "
        f"activity as at {d(as_at)}: {_n(total, 'activity', 'activities')} "
        "with their RAG status, the latest progress update and the oversight mechanism.",
    ]
    lines = [f"- {o.title}: {_counts_phrase(o.counts) or 'no activities'}" for o in objectives]
    if lines:
        paras.append("RAG status by objective:\n" + "\n".join(lines))
    phrases = rag_changes(moves)
    if phrases:
        paras.append(f"Since the last report ({d(period_from)}), " + "; ".join(phrases) + ".")
    else:
        paras.append(f"No activity changed its RAG status since the last report ({d(period_from)}).")
    sources = [f"Activities of {plan} as at {d(as_at)} and as at {d(period_from)} (RAG from their progress updates)"]
    sources += [f"{o.title}: {_counts_phrase(o.counts) or 'none'}" for o in objectives]
    return Draft("\n\n".join(paras), sources)


# --- Examples of activity --------------------------------------------------------------------------


@dataclass
class Example:
    objective_order: int
    objective: str
    ref: str  # the activity's full reference, e.g. "A1.2"
    on: date
    text: str


def draft_examples(*, period_from: date, as_at: date, examples: list[Example]) -> Draft:
    """Updates marked for the panel in the period, grouped under each objective in plan order (the
    objectives' order, then the given order within each)."""
    if not examples:
        return Draft(
            f"No progress updates between {d(period_from)} and {d(as_at)} were marked for the panel.",
            ["Progress updates marked for the panel in the period: none"],
        )
    groups: dict[tuple[int, str], list[Example]] = {}
    for e in sorted(examples, key=lambda e: e.objective_order):
        groups.setdefault((e.objective_order, e.objective), []).append(e)
    paras = []
    for (order, title), items in groups.items():
        paras.append(f"{order}. {title}\n" + "\n".join(f"- {' '.join(e.text.split())}" for e in items))
    sources = [f"{e.ref}, update of {e.on:%d/%m/%Y}" for e in examples]
    return Draft("\n\n".join(paras), ["Progress updates marked for the panel in the period:", *sources])


# --- Holding to account ----------------------------------------------------------------------------


@dataclass
class MeetingRow:
    held_on: date
    kind: str  # "Formal", "Informal"…
    subject_area: str
    findings: list[str]


@dataclass
class RequestRow:
    subject: str
    sent_on: date
    state: str  # "awaited", "answered", "overdue"
    response_due: date


def draft_holding(*, period_from: date, as_at: date, meetings: list[MeetingRow], requests: list[RequestRow]) -> Draft:
    paras = []
    if meetings:
        paras.append(
            f"Since the last report the Commissioner has held {_n(len(meetings), 'meeting')} "
            "to hold the Chief Constable to account:"
        )
        paras.append("\n".join(["Month | Type | Subject area"] + [
            f"{m.held_on:%B %Y} | {m.kind} | {m.subject_area}" for m in meetings
        ]))  # fmt: skip
        found = [(m, f) for m in meetings for f in m.findings]
        if found:
            paras.append("Key findings:\n" + "\n".join(f"- {m.subject_area}: {' '.join(f.split())}" for m, f in found))
    else:
        paras.append(f"No holding-to-account meetings were held between {d(period_from)} and {d(as_at)}.")
    answered = [r for r in requests if r.state == "answered"]
    awaited = [r for r in requests if r.state != "answered"]
    if requests:
        para = (
            f"{_n(len(requests), 'written request')} {'was' if len(requests) == 1 else 'were'} sent to the force; "
            f"{len(answered)} answered and {len(awaited)} awaited as at {d(as_at)}."
        )
        if awaited:
            para += "\nAwaited:\n" + "\n".join(
                f"- {r.subject} (sent {r.sent_on:%d/%m/%Y}, response due {r.response_due:%d/%m/%Y}"
                f"{', overdue' if r.state == 'overdue' else ''})"
                for r in awaited
            )
        paras.append(para)
    else:
        paras.append("No written requests were sent in the period.")
    sources = [f"Meetings held {d(period_from)} to {d(as_at)} (approved or published), findings marked for the panel"]
    sources += [f"{m.held_on:%d/%m/%Y} {m.kind}: {m.subject_area} ({_n(len(m.findings), 'finding')})" for m in meetings]
    sources += [f"Written request: {r.subject}, sent {r.sent_on:%d/%m/%Y}, {r.state}" for r in requests]
    return Draft("\n\n".join(paras), sources)


# --- Performance -----------------------------------------------------------------------------------


@dataclass
class MeasureRow:
    name: str
    value: str  # as shown, e.g. "84.2%"
    target: str  # as worded, "" for none
    rag: str  # "R", "A", "G", ""
    special_cause: str  # "" or the variation's wording, e.g. "Special cause – improving"


def draft_performance(*, period: str, measures: list[MeasureRow]) -> Draft:
    """The measures with a special cause or off target (Red or Amber), pointing to Appendix 2."""
    flagged = [m for m in measures if m.special_cause or m.rag in ("R", "A")]
    paras = [
        f"The performance summary (Appendix 2) sets out {_n(len(measures), 'measure')} for {period}, "
        "with the data and the force's commentary."
    ]
    if flagged:
        lines = []
        for m in flagged:
            why = []
            if m.rag in ("R", "A"):
                why.append(f"{RAG_WORDS[m.rag]} against target{f' ({m.target})' if m.target else ''}")
            if m.special_cause:
                why.append(m.special_cause[0].lower() + m.special_cause[1:])
            lines.append(f"- {m.name}: {m.value or 'no figure'}; {'; '.join(why)}")
        paras.append("Measures to draw to the panel's attention:\n" + "\n".join(lines))
    else:
        paras.append("No measure shows a special cause or is off target this period.")
    sources = [f"KPI figures for {period}"] + [
        f"{m.name}: {m.value or '–'}, RAG {RAG_WORDS[m.rag]}, {m.special_cause or 'common cause'}" for m in measures
    ]
    return Draft("\n\n".join(paras), sources)


# --- Recommendation and background ----------------------------------------------------------------


def draft_recommendation() -> Draft:
    return Draft(
        "Members of the panel are invited to consider this report.",
        ["Standard wording"],
    )


def draft_background(*, plan: str, period_from: date, as_at: date) -> Draft:
    return Draft(
        f"This report updates the panel on the Commissioner's activity and on the delivery of the {plan} "
        f"between {d(period_from)} and {d(as_at)}. The delivery plan extract (Appendix 1) and the "
        "performance summary (Appendix 2) are attached.",
        [f"Plan {plan}; period {d(period_from)} to {d(as_at)}"],
    )

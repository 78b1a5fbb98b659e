"""The importer interface, and the registry of importers keyed by an import's kind.

Every import goes the same way: **read** (check the file before any parser sees it, then read its
values) -> **recognise** the layout -> **normalise** the cells -> **validate** (every problem collected
with sheet, row and column) -> **plan** a change set (create / update / unchanged per field, with
the versions seen) -> **apply** it in one transaction. A dry run stops before apply.

An app registers its importers from its AppConfig.ready(), as `admin.site.register` works:

    from core.tabular import importer
    importer.register(PlanImporter())

A pipeline stage never imports a service layer; the services call the importer.
"""

from __future__ import annotations

import gc
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Protocol

from . import cells
from .problems import Problem

Progress = Callable[[int], None]


def _ignore(_percent: int) -> None:
    pass


@dataclass(frozen=True)
class ImportOptions:
    """What the person importing chose: on the upload page or on the command line."""

    filename: str
    as_at: date  # the import's update date: undated entries are as at this date
    target: str = ""  # what the import goes into, by name (a plan's name); blank: from the file
    layout: str = "auto"
    sheet: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def stem(self) -> str:
        return Path(self.filename).stem.replace("_", " ").strip()


class ChangeSet(Protocol):
    """What an import would change. Plain data, so the preview can be stored, shown and checked again
    at apply time."""

    errors: list[Problem]
    warnings: list[Problem]

    def as_json(self) -> dict: ...

    def versions_seen(self) -> dict[str, int]:
        """{object id: version} of every existing object the change set would change."""
        ...


@dataclass
class Outcome:
    """What apply did: counts by kind, the objects left alone because someone else changed them
    after the preview (conflicts), and where the import went (`target_id`, `target_name`)."""

    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    conflicts: list[dict] = field(default_factory=list)
    target_id: int | None = None
    target_name: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict:
        return {
            "created": self.created,
            "updated": self.updated,
            "conflicts": self.conflicts,
            "target_id": self.target_id,
            "target_name": self.target_name,
            **self.extra,
        }


class Importer(ABC):
    """One kind of import. Subclasses give `kind`, `label` and the stages; `plan_file` runs them."""

    kind: str = ""
    label: str = ""

    @abstractmethod
    def read(self, data: bytes, options: ImportOptions) -> Any:
        """Check the file and read it; raise `WorkbookError` with a plain message when it cannot be read."""

    @abstractmethod
    def recognise(self, book: Any, options: ImportOptions) -> Any:
        """Find each sheet's layout, normalise its cells and validate them, collecting every problem."""

    @abstractmethod
    def plan(self, parsed: Any, options: ImportOptions) -> ChangeSet:
        """Compare with the database as it is now: create / update / unchanged, per field."""

    @abstractmethod
    def unreadable(self, problem: Problem, options: ImportOptions) -> ChangeSet:
        """The change set of a file that could not be read: that one error and nothing else."""

    @abstractmethod
    def apply(self, change_set: ChangeSet, *, by: Any, source: str, seen_versions: dict[str, int]) -> Outcome:
        """Write the change set in one transaction; objects whose version moved past `seen_versions` are
        conflicts, listed in the outcome and not overwritten."""

    def plan_file(self, data: bytes, options: ImportOptions, progress: Progress = _ignore) -> ChangeSet:
        """read -> recognise -> plan: everything short of writing."""
        with without_gc_pauses():
            return self._plan_file(data, options, progress)

    def _plan_file(self, data: bytes, options: ImportOptions, progress: Progress) -> ChangeSet:
        from .workbook import WorkbookError

        try:
            book = self.read(data, options)
        except WorkbookError as e:
            return self.unreadable(Problem(options.filename, None, None, str(e)), options)
        progress(40)
        with cells.cleaning_once():  # every stage reads cells' text; each text is cleaned once
            parsed = self.recognise(book, options)
            progress(70)
            change_set = self.plan(parsed, options)
        progress(95)
        return change_set


@contextmanager
def without_gc_pauses() -> Iterator[None]:
    """Python's cycle collector paused for the block (as it was before, after it): an import makes a
    few hundred thousand small objects (cells, rows, entries) and holds them to the end, so each
    collection would walk them all again for nothing (about a sixth of planning a large workbook).
    Reference counting frees them as ever; the few that form cycles are collected after the block."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


_registry: dict[str, Importer] = {}


def register(importer: Importer) -> None:
    if not importer.kind:
        raise ValueError("An importer needs a kind.")
    _registry[importer.kind] = importer


def unregister(kind: str) -> None:
    _registry.pop(kind, None)


def get(kind: str) -> Importer:
    try:
        return _registry[kind]
    except KeyError:
        raise LookupError(f"No importer is registered for {kind!r}.") from None


def kinds() -> list[str]:
    return sorted(_registry)

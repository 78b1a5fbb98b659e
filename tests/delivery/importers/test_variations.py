"""The corpus of variations (variations.py): each imports, without help, to the same plan as the plain
rendering of the same content."""

from __future__ import annotations

import random
from datetime import date

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from delivery import services
from delivery.importers.apply import apply_change_set
from delivery.models import Activity, Plan, ProgressUpdate

from .variations import Variation, random_variation, read_model, render, simple_variations

pytestmark = pytest.mark.django_db
AS_AT = date(2026, 11, 21)
MODELS = {layout: read_model(layout) for layout in ("extract", "tracker")}
TALLY = {"generated": 0, "passed": 0}


def snapshot(plan: Plan) -> list[tuple]:
    """The plan as an office reads it: structure, every activity's fields and its dated trail."""
    rows = []
    activities = (
        Activity.objects.filter(commitment__plan=plan)
        .select_related("commitment__objective", "commitment__section")
        .prefetch_related("owners", "oversight_bodies", "updates")
    )
    for a in activities:
        c = a.commitment
        trail = sorted(
            (u.on, u.text, u.rag, u.status) for u in a.updates.all() if u.kind != ProgressUpdate.Kind.CREATED
        )
        rows.append(
            (
                c.objective.order,
                c.objective.title,
                c.section.title if c.section else "",
                c.ref,
                c.text,
                a.position,
                a.sub_ref,
                a.text,
                a.owner_text,
                tuple(sorted(o.name for o in a.owners.all())),
                tuple(sorted(b.name for b in a.oversight_bodies.all())),
                a.start_date,
                a.due_date,
                a.rag,
                a.status,
                a.progress,
                a.progress_on,
                a.created_on,
                tuple(trail),
            )
        )
    return sorted(rows, key=lambda r: (r[3], r[5]))


def imported(variation: Variation, user, name: str) -> list[tuple]:
    data, filename = render(MODELS[variation.layout], variation)
    planned = services.import_read_and_plan(data=data, filename=filename, plan_name=name, as_at=AS_AT)
    assert not planned.errors, (variation.describe(), [e.message for e in planned.errors])
    assert planned.counts()["created"]["activities"] > 0, variation.describe()
    outcome = apply_change_set(planned, by=user, source=f"Imported from {filename}")
    return snapshot(outcome.plan)


# The sub-references the builders write ("(A1.2)" under 1.1): numbered lists must never add to them.
SUB_REFS = {"extract": {"", "A1.1", "A1.2", "A10.1", "B2.17"}, "tracker": {""}}


def check(variation: Variation, user) -> None:
    """Import the variation and its plain original, in a transaction rolled back afterwards."""
    TALLY["generated"] += 1
    with transaction.atomic():
        original = imported(variation.plain, user, "Original")
        varied = imported(variation, user, "Variation")
        assert varied == original, variation.describe()
        assert {row[6] for row in varied} == SUB_REFS[variation.layout], variation.describe()
        if variation.numbered_lists >= 0:
            numbered = [row[7] for row in varied if row[7].startswith(("(1)", "1)", "(a)", "•"))]
            assert len(numbered) >= 3, variation.describe()  # the list numbering is kept as text
        transaction.set_rollback(True)
    TALLY["passed"] += 1


@pytest.mark.parametrize("layout", ["extract", "tracker"])
def test_each_variation_on_its_own_imports_to_the_same_plan_as_the_plain_original(layout, editor):
    variations = simple_variations(MODELS[layout])
    for variation in variations:
        check(variation, editor)
    assert len(variations) >= 30


@pytest.mark.parametrize("layout", ["extract", "tracker"])
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(min_value=0, max_value=2**32 - 1))
def test_combined_variations_chosen_by_hypothesis_import_to_the_same_plan(layout, seed, editor):
    check(random_variation(MODELS[layout], random.Random(seed)), editor)


@pytest.mark.slow
def test_a_corpus_of_600_seeded_combinations_imports_to_the_same_plans(editor, capsys):
    before = dict(TALLY)
    for layout in ("extract", "tracker"):
        rnd = random.Random(f"corpus-{layout}")
        for _ in range(300):
            check(random_variation(MODELS[layout], rnd), editor)
    generated, passed = TALLY["generated"] - before["generated"], TALLY["passed"] - before["passed"]
    with capsys.disabled():
        print(f"\nvariation corpus: {generated} generated, {passed} passed")
    assert generated == passed == 600


def test_refs_3_1_and_3_10_stay_different_as_numbers_formatted_in_excel(editor):
    """A float 3.1 from a cell formatted "0.00" is "3.10", not a second "3.1"."""
    variation = Variation("extract", refs_as_numbers=True, refs_repeated=True)
    data, filename = render(MODELS["extract"], variation)
    planned = services.import_read_and_plan(data=data, filename=filename, plan_name="Numbers", as_at=AS_AT)
    assert not planned.errors
    assert sorted(c["ref"] for c in planned.commitments) == ["1.1", "1.10", "1.2", "B.2"]

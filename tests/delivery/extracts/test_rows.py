from datetime import date

import pytest

from delivery.extracts.rows import extract_rows
from delivery.models import Extract

pytestmark = pytest.mark.django_db
AS_AT = date(2025, 6, 30)


def rows_for(plan, **kwargs):
    kwargs.setdefault("as_at", AS_AT)
    return extract_rows(plan=plan, columns=list(Extract.COLUMNS), title="Appendix 1", **kwargs)


def test_rows_come_grouped_by_objective_and_section_in_natural_reference_order(appendix_plan):
    plan, _ = appendix_plan
    data = rows_for(plan)
    assert [o.title for o in data.objectives] == [
        "Putting victims and survivors first",
        "Building a more secure Testshire",
    ]
    victims = data.objectives[0]
    assert [s.title for s in victims.sections] == ["Policing element", "Police and Crime Commissioner's Commitments"]
    assert [(r.ref, r.sub_ref) for r in victims.sections[0].rows] == [
        ("3.2", "3.2.1"),
        ("3.2", "3.2.2"),
        ("3.10", "3.10.1"),
    ]
    first, second = victims.sections[0].rows[:2]
    assert (first.first_of_commitment, first.commitment_rows, second.first_of_commitment) == (True, 2, False)


def test_the_latest_update_as_at_the_date_shows_and_nothing_after_it(appendix_plan):
    plan, _ = appendix_plan
    ten = next(r for r in rows_for(plan).objectives[0].rows if r.ref == "3.10")
    assert ten.progress == "Before the date: on track." and ten.rag == "G"
    assert ten.progress_text == "01/05/25 – Before the date: on track."
    later = next(r for r in rows_for(plan, as_at=date(2025, 9, 1)).objectives[0].rows if r.ref == "3.10")
    assert later.progress == "After the date: funding pulled." and later.rag == "R"


def test_items_not_for_publication_are_withheld_and_counted(appendix_plan):
    plan, _ = appendix_plan
    data = rows_for(plan)
    assert data.withheld == 1
    assert "Covert tactic" not in {r.activity for o in data.objectives for r in o.rows}


def test_completed_activities_are_left_out_unless_asked_for(appendix_plan):
    plan, _ = appendix_plan
    assert "Finished work" not in {r.activity for o in rows_for(plan).objectives for r in o.rows}
    included = rows_for(plan, include_complete=True)
    done = next(r for o in included.objectives for r in o.rows if r.activity == "Finished work")
    assert done.rag == "B" and done.rag_word == "Complete"


def test_rows_changed_since_a_date_are_marked(appendix_plan):
    plan, _ = appendix_plan
    data = rows_for(plan, changed_since=date(2025, 4, 1))
    changed = {r.activity for o in data.objectives for r in o.rows if r.changed}
    assert changed == {"Tenth thing", "+SUM(1,2)"}


def test_only_chosen_objectives_are_included(appendix_plan):
    plan, _ = appendix_plan
    data = rows_for(plan, objectives=[plan.objectives.get(order=2)])
    assert [o.title for o in data.objectives] == ["Building a more secure Testshire"]


def test_the_same_definition_gives_the_same_content_hash(appendix_plan):
    plan, _ = appendix_plan
    assert rows_for(plan).content_hash() == rows_for(plan).content_hash()
    assert rows_for(plan).content_hash() != rows_for(plan, as_at=date(2025, 9, 1)).content_hash()


def test_an_activity_added_after_the_as_at_date_is_absent(appendix_plan):
    plan, _ = appendix_plan
    assert rows_for(plan, as_at=date(2025, 1, 5)).row_count == 0


def test_oversight_bodies_are_joined_in_name_order_from_tuples_in_two_queries(appendix_plan, django_assert_num_queries):
    from tests.factories import OversightBodyFactory

    plan, activities = appendix_plan
    activities["ten"].oversight_bodies.add(OversightBodyFactory(name="Crime Reduction Board"))
    with django_assert_num_queries(2):  # the rows, then every activity's oversight bodies
        data = rows_for(plan, changed_since=date(2025, 1, 1))
    ten = next(r for o in data.objectives for r in o.rows if r.sub_ref == "3.10.1")
    assert ten.oversight == "Crime Reduction Board; Victims' Board"
    assert all(r.oversight == "" for o in data.objectives for r in o.rows if r.sub_ref != "3.10.1")
    assert ten.progress_text.startswith("01/05/25 – ") and ten.status == "In progress"

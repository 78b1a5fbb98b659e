from core.rag import Rag, shown
from core.status import Status
from core.text import natural_key


def test_references_sort_naturally():
    refs = ["3.10", "A.1", "3.2", "B.1", "17", "C2", "3.1", "D10", "D6", "1.1", "2.1.3", "2.1.10"]
    assert sorted(refs, key=natural_key) == [
        "1.1",
        "2.1.3",
        "2.1.10",
        "3.1",
        "3.2",
        "3.10",
        "17",
        "A.1",
        "B.1",
        "C2",
        "D6",
        "D10",
    ]


def test_natural_key_ignores_case_and_outer_spaces():
    assert natural_key(" a.1 ") == natural_key("A.1")


def test_complete_shows_blue_whatever_the_last_rag():
    assert shown(Rag.RED, complete=Status.COMPLETE == Status.COMPLETE) == "B"
    assert shown(Rag.AMBER, complete=Status.IN_PROGRESS == Status.COMPLETE) == "A"
    assert shown(Rag.NOT_RATED, complete=Status.NOT_STARTED == Status.COMPLETE) == ""

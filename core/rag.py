"""The RAG scale, stated once: values, labels, order, colours and how a RAG is shown.

Everywhere a RAG is shown it is a colour *and* a letter or word, never colour alone. Complete items
show Blue ("BRAG") whatever RAG they last had.
"""

from __future__ import annotations

from django.db import models
from django.utils.html import format_html
from django.utils.safestring import SafeString


class Rag(models.TextChoices):
    RED = "R", "Red"
    AMBER = "A", "Amber"
    GREEN = "G", "Green"
    NOT_RATED = "", "Not rated"


BLUE = "B"  # shown, never stored: complete

# The order tables, charts, summaries and files all use, Blue (complete) before not rated.
ORDER = ("R", "A", "G", BLUE, "")

# What a shown RAG looks like: (letter, word, css class).
DISPLAY = {
    "R": ("R", "Red", "red"),
    "A": ("A", "Amber", "amber"),
    "G": ("G", "Green", "green"),
    BLUE: ("B", "Complete", "blue"),
    "": ("–", "Not rated", "none"),
}

# Fills and text colours (hex, no '#') for documents, matching the pages' CSS.
FILL = {"R": "D4351C", "A": "F47738", "G": "00703C", BLUE: "1D70B8", "": "FFFFFF"}
TEXT = {"R": "FFFFFF", "A": "0B0C0C", "G": "FFFFFF", BLUE: "FFFFFF", "": "0B0C0C"}


def shown(rag: str, *, complete: bool) -> str:
    """The BRAG value: Blue when complete, else the RAG ("" for not rated)."""
    return BLUE if complete else (rag or "")


def letter(value: str) -> str:
    return DISPLAY.get(value or "", DISPLAY[""])[0]


def word(value: str) -> str:
    return DISPLAY.get(value or "", DISPLAY[""])[1]


def css(value: str) -> str:
    return DISPLAY.get(value or "", DISPLAY[""])[2]


def badge(value: str) -> SafeString:
    """The badge every page shows: coloured, with the letter and the word."""
    ltr, wrd, cls = DISPLAY.get(value or "", DISPLAY[""])
    return format_html(
        '<span class="rag rag--{}" title="{}">{} <span class="rag__word">{}</span></span>', cls, wrd, ltr, wrd
    )

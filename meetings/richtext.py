"""Meeting notes are rich text: HTML sanitised with nh3 against an allow-list when saved, and again
when shown. Documents get it as plain lines (paragraphs, headings and list items), never markup."""

from __future__ import annotations

import html
import re

import nh3
from django.utils.safestring import SafeString, mark_safe

TAGS = {"p", "br", "strong", "b", "em", "i", "u", "ul", "ol", "li", "h2", "h3", "h4", "blockquote", "a"}
ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto"}

_BLOCK_END = re.compile(r"</(p|h2|h3|h4|li|blockquote|ul|ol)\s*>|<br\s*/?>", re.I)
_LIST_ITEM = re.compile(r"<li[^>]*>", re.I)
_TAG = re.compile(r"<[^>]+>")


def sanitise(value: str) -> str:
    """Only the allowed tags and attributes; scripts, styles, event handlers and javascript: links go.
    Links get rel="noopener noreferrer"."""
    return nh3.clean(
        value or "",
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    ).strip()


def safe_html(value: str) -> SafeString:
    return mark_safe(sanitise(value))  # noqa: S308 - sanitised with nh3 just above


def plain_lines(value: str) -> list[str]:
    """The notes as plain text lines: one per paragraph, heading or list item ("• " before items)."""
    text = _LIST_ITEM.sub("\n• ", sanitise(value))
    text = _BLOCK_END.sub("\n", text)
    text = html.unescape(_TAG.sub("", text))
    return [re.sub(r"\s+", " ", line).strip() for line in text.split("\n") if line.strip()]

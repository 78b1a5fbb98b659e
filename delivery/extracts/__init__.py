"""Delivery-plan extracts (Appendix 1): rows as at a date (rows.py), made a table document
(document.py) and laid out by core.documents' renderers."""

from .document import appendix_document, render_extract

__all__ = ["appendix_document", "render_extract"]

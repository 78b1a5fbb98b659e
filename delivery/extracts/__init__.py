"""Delivery-plan extracts (Appendix 1): rows as at a date (rows.py), laid out by renderers.py."""


def render_extract(data, fmt, progress=None):  # interim: replaced by the core/documents pipeline
    from .renderers import RENDERERS

    return RENDERERS[fmt](data, progress or (lambda _p: None))

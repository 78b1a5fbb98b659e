"""Delivery-plan extracts (Appendix 1): rows as at a date (rows.py), laid out by renderers.py."""

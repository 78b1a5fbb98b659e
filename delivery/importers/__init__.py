"""Importers that read delivery plans and trackers from workbooks."""

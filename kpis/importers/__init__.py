"""The KPI importer (long and wide layouts) behind core's importer interface."""

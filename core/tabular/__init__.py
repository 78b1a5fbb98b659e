"""Tabular reading shared by every importer: file checks and reading (`workbook`), cell rules
(`cells`), the generic half of layout recognition (`layouts`), problems with sheet/row/column
(`problems`), and the importer interface with its registry (`importer`)."""

"""Content negotiation: `?format=` names json or csv. Anything else is a 400 that names the parameter,
where Django REST Framework's own answer is a 404 (as if the endpoint were missing)."""

from __future__ import annotations

from rest_framework.exceptions import ParseError
from rest_framework.negotiation import DefaultContentNegotiation


class ContentNegotiation(DefaultContentNegotiation):
    def filter_renderers(self, renderers, format):
        chosen = [r for r in renderers if r.format == format]
        if not chosen:
            known = ", ".join(sorted({r.format for r in renderers}))
            raise ParseError(f"format: {str(format)[:40]!r} is not a format of this API; use one of {known}.")
        return chosen

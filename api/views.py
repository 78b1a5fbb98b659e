"""The read-only API (Django REST Framework) and the "API tokens" page.

Every API view reads through api.selectors with the requesting user, so a token sees what its user's
role sees in the pages. GET only: anything else is a 405 (401 without credentials).
"""

from __future__ import annotations

from datetime import date

from csp.constants import SELF
from csp.decorators import csp_update
from django.contrib import messages
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.dateparse import parse_date
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.exceptions import ValidationError

from core.dates import EARLIEST, LATEST, today
from core.roles import ensure_can_read

from . import filters, selectors, serializers, services
from .forms import TokenForm
from .renderers import csv_lines

AS_AT = OpenApiParameter(
    "as_at",
    OpenApiTypes.DATE,
    description="The state as at this date (YYYY-MM-DD), rebuilt from the progress updates; default today.",
)


def parse_as_at(raw: str | None) -> date:
    """Today when absent; otherwise an ISO date from 1900-01-01 to 2999-12-31, or a 400 saying so."""
    if raw is None or raw == "":
        return today()
    try:
        value = parse_date(raw.strip())
    except ValueError:
        value = None
    if value is None:
        raise ValidationError({"as_at": [f"as_at must be a real date written YYYY-MM-DD, not {raw[:40]!r}."]})
    if not (EARLIEST <= value <= LATEST):
        raise ValidationError({"as_at": ["as_at must be between 1900-01-01 and 2999-12-31."]})
    return value


class ReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    """List (paginated JSON, or all matching rows streamed as CSV) and retrieve, GET only."""

    takes_as_at = False
    csv_name = "export"
    lookup_value_regex = "[0-9]+"  # ids only: anything else is a 404 before any query

    def initial(self, request, *args, **kwargs) -> None:
        super().initial(request, *args, **kwargs)  # authentication and the role check come first
        request.as_at = parse_as_at(request.query_params.get("as_at")) if self.takes_as_at else today()

    def get_serializer_context(self) -> dict:
        context = super().get_serializer_context()
        context["as_at"] = getattr(self.request, "as_at", None) or today()
        return context

    def list(self, request, *args, **kwargs):
        if request.accepted_renderer.format != "csv":
            return super().list(request, *args, **kwargs)
        # CSV: every matching row (filters apply; limit and offset do not), streamed in chunks.
        rows = self.filter_queryset(self.get_queryset())
        serializer = self.get_serializer()
        fields = list(serializer.fields)
        data = (self.get_serializer(obj).data for obj in rows.iterator(chunk_size=500))
        response = StreamingHttpResponse(csv_lines(fields, data), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{self.csv_name}.csv"'
        return response


def _viewset(name: str, serializer, filterset, selector, *, as_at: bool = False, doc: str = ""):
    cls = type(
        f"{name.title()}ViewSet",
        (ReadOnlyViewSet,),
        {
            "serializer_class": serializer,
            "filterset_class": filterset,
            "csv_name": name,
            "takes_as_at": as_at,
            "queryset": serializer.Meta.model.objects.none(),  # for the schema: the model, never the rows
            "get_queryset": lambda self: selector(user=self.request.user, **(
                {"as_at": self.request.as_at} if as_at else {}
            )),
            "__doc__": doc,
        },
    )  # fmt: skip
    extra = [AS_AT] if as_at else []
    return extend_schema_view(
        list=extend_schema(tags=[name], parameters=extra, description=doc),
        retrieve=extend_schema(tags=[name], parameters=extra, description=doc),
    )(cls)


def _selector_with_as_at(selector):
    def read(*, user, as_at: date):
        return selector(user=user, as_at=None if as_at == today() else as_at)

    return read


PlanViewSet = _viewset("plans", serializers.PlanSerializer, None, selectors.plans, doc="Delivery plans.")
ObjectiveViewSet = _viewset(
    "objectives", serializers.ObjectiveSerializer, filters.ObjectiveFilter, selectors.objectives,
    doc="Plan objectives (pillars), in plan order.",
)  # fmt: skip
CommitmentViewSet = _viewset(
    "commitments", serializers.CommitmentSerializer, filters.CommitmentFilter, selectors.commitments,
    doc="Plan commitments, in natural reference order (3.2 before 3.10).",
)  # fmt: skip
ActivityViewSet = _viewset(
    "activities", serializers.ActivitySerializer, filters.ActivityFilter,
    _selector_with_as_at(selectors.activities), as_at=True,
    doc="Supporting activities as at a date: activities added later are left out, and RAG, status, dates "
    "and progress are as the progress updates gave them on that date.",
)  # fmt: skip
ProgressUpdateViewSet = _viewset(
    "updates", serializers.ProgressUpdateSerializer, filters.ProgressUpdateFilter, selectors.progress_updates,
    doc="Progress updates: the append-only trail of each activity, oldest first.",
)  # fmt: skip
MeasureViewSet = _viewset(
    "measures", serializers.MeasureSerializer, filters.MeasureFilter, selectors.measures, doc="KPI measures."
)
AreaViewSet = _viewset(
    "areas", serializers.AreaSerializer, filters.AreaFilter, selectors.areas, doc="Forces and areas."
)
ObservationViewSet = _viewset(
    "observations", serializers.ObservationSerializer, filters.ObservationFilter, selectors.observations,
    doc="KPI values, one per measure, area and period, as last recorded.",
)  # fmt: skip
MeetingViewSet = _viewset(
    "meetings", serializers.MeetingSerializer, filters.MeetingFilter, selectors.meetings,
    doc="Holding-to-account meetings. Every state for editors and administrators; everyone else sees "
    "published meetings only (approved but unpublished ones stay in the app).",
)  # fmt: skip
ActionViewSet = _viewset(
    "actions", serializers.ActionSerializer, filters.ActionFilter, selectors.actions,
    doc="Actions agreed at holding-to-account meetings (of published meetings, or of every meeting for editors).",
)  # fmt: skip


# --- The "API tokens" page -------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def tokens(request: HttpRequest) -> HttpResponse:
    """List the user's own tokens and make a new one; the secret is shown once, in this response."""
    ensure_can_read(request.user)
    form = TokenForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        try:
            created = services.token_create(by=request.user, **form.cleaned_data)
        except DjangoValidationError as e:
            for field, errors in e.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form = TokenForm()
    response = render(
        request,
        "api/tokens.html",
        {"form": form, "created": created, "tokens": selectors.tokens_of(user=request.user)},
        status=200,
    )
    response["Cache-Control"] = "no-store"  # the page may hold a secret
    return response


@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    ensure_can_read(request.user)
    token = selectors.token_of(user=request.user, pk=pk)
    services.token_revoke(by=request.user, token=token)
    messages.success(request, f"Token “{token.name}” revoked. Anything still using it is now refused.")
    return redirect("api:tokens")


@require_GET
@csp_update({"img-src": [SELF, "data:"]})  # Swagger UI's stylesheet draws its icons as data: SVGs; nothing else
def docs(request: HttpRequest) -> HttpResponse:
    """The API's documentation page (Swagger UI from drf-spectacular-sidecar, served from this site)."""
    ensure_can_read(request.user)
    return render(request, "api/docs.html", {})

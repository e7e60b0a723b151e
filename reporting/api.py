from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from reporting.views import exclusion_figures, service_figures

QUARTER = OpenApiParameter(
    "quarter", OpenApiTypes.STR, description="The quarter's first month, like 2026-04"
)


class ServiceFiguresView(APIView):
    """A service's quarterly figures and tables, as on its dashboard, for the token's user: a
    service manager for their services, an LA manager for every service of the authority;
    anybody else gets 403. Case figures still come from ``visible_to``."""

    @extend_schema(
        parameters=[
            OpenApiParameter("service", OpenApiTypes.STR, description="A service's id, or 'all'"),
            QUARTER,
        ],
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request):
        return Response(service_figures(request))


class ExclusionFiguresView(APIView):
    """The authority's suspensions and exclusions for a quarter, as on the exclusions dashboard,
    for exclusions officers' and LA managers' tokens; anybody else gets 403."""

    @extend_schema(parameters=[QUARTER], responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        return Response(exclusion_figures(request))

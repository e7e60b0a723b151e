from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from reporting.views import service_figures


class ServiceFiguresView(APIView):
    """A service's quarterly figures and tables, as on its dashboard, for the token's user: a
    service manager for their services, an LA manager for every service of the authority;
    anybody else gets 403. Case figures still come from ``visible_to``."""

    @extend_schema(
        parameters=[
            OpenApiParameter("service", OpenApiTypes.STR, description="A service's id, or 'all'"),
            OpenApiParameter(
                "quarter", OpenApiTypes.STR, description="The quarter's first month, like 2026-04"
            ),
        ],
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request):
        return Response(service_figures(request))

from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse


@login_not_required
def health(request):
    """Liveness for the container health check: the database and Redis both answer."""
    status = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        status["database"] = "ok"
    except Exception:
        status["database"] = "unavailable"
    try:
        cache.set("health", "ok", 5)
        status["redis"] = "ok" if cache.get("health") == "ok" else "unavailable"
    except Exception:
        status["redis"] = "unavailable"
    healthy = all(value == "ok" for value in status.values())
    return JsonResponse(status, status=200 if healthy else 503)

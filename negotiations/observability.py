"""Running it in production: a health check for the load balancer, one structured log line per
request, and the response headers Django does not set itself (Permissions-Policy).

``/healthz`` answers from the first middleware, before host validation and the HTTPS redirect:
a load balancer asks by IP address over plain HTTP, and must get 200 or 503, not 400 or 301.
"""

import json
import logging
import time

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse

HEALTH_PATH = "/healthz"
request_log = logging.getLogger("negotiations.requests")


def _migrations_applied():
    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    return not executor.migration_plan(executor.loader.graph.leaf_nodes())


class HealthCheckMiddleware:
    """``/healthz``: the database answers and every migration is applied (200), or not (503)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.migrated = False  # once true, true for this process: code and schema agree

    def __call__(self, request):
        if request.path != HEALTH_PATH:
            return self.get_response(request)
        checks = {"database": "ok", "migrations": "ok"}
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
        except Exception as error:  # any failure to reach the database is unhealthy
            checks["database"] = f"unreachable: {type(error).__name__}"
        if checks["database"] == "ok" and not self.migrated:
            self.migrated = _migrations_applied()
            if not self.migrated:
                checks["migrations"] = "not applied: run manage.py migrate"
        healthy = all(value == "ok" for value in checks.values())
        return JsonResponse(
            {"status": "ok" if healthy else "unhealthy", **checks}, status=200 if healthy else 503
        )


class _QueryCounter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


class RequestLogMiddleware:
    """One JSON line per request (method, path, status, duration, queries) where
    ``settings.REQUEST_LOG`` is on, as it is in production."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not getattr(settings, "REQUEST_LOG", False):
            return self.get_response(request)
        counter = _QueryCounter()
        started = time.perf_counter()
        with connection.execute_wrapper(counter):
            response = self.get_response(request)
        request_log.info(
            json.dumps(
                {
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                    "queries": counter.count,
                }
            )
        )
        return response


class PermissionsPolicyMiddleware:
    """Refuses the browser features the site never uses (``settings.PERMISSIONS_POLICY``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response

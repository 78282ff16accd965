"""Probes for a load balancer: liveness never touches the database, readiness does.

Readiness asks the database in a thread of its own and waits at most `READINESS_TIMEOUT`
seconds: a hung database (one that accepts connections and never answers) makes the probe
answer 503 in time instead of hanging with it. One probe at a time: while one is still
waiting, the next answers 503 at once rather than piling up threads.
"""

import threading

from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

READINESS_TIMEOUT = 1.5
_probe_running = threading.Lock()


@never_cache
@require_safe
def livez(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


def _ask_database(answer: dict) -> None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        answer["ok"] = True
    except DatabaseError:
        answer["ok"] = False
    finally:
        connection.close()
        _probe_running.release()


def database_answers(timeout: float = READINESS_TIMEOUT) -> bool:
    if not _probe_running.acquire(blocking=False):
        return False
    answer: dict = {}
    probe = threading.Thread(target=_ask_database, args=(answer,), daemon=True)
    probe.start()
    probe.join(timeout)
    return answer.get("ok", False)


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    if not database_answers():
        return JsonResponse({"status": "unavailable", "database": "down"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})

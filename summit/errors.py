"""The server error page, and a 503 when the fault is the database's.

Django calls `handler500` from inside the `except` block that caught the exception, wherever
it was raised (a view, a middleware, a template rendered late), so this is the one place
that sees every failure. A database that is stopped, hung or refusing connections is not a
bug of the page: the answer is 503 with `Retry-After`, so clients and load balancers try
again later.

Both pages are rendered without the request: context processors would look up the signed-in
user in the database that has just failed.
"""

import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.template import loader

DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)


def database_unavailable() -> HttpResponse:
    body = loader.get_template("503.html").render()
    response = HttpResponse(body, status=503)
    response["Retry-After"] = str(settings.DB_UNAVAILABLE_RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    if isinstance(sys.exc_info()[1], DATABASE_UNAVAILABLE):
        return database_unavailable()
    return HttpResponseServerError(loader.get_template("500.html").render())

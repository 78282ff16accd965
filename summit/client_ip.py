"""The address of the client, for sign-in throttling.

`X-Forwarded-For` is written by whoever sends the request, so it is trusted only as far as
the operator says proxies stand in front of the app (`DJANGO_TRUSTED_PROXY_COUNT`): each
trusted proxy appends the address it received the request from, so the client is the entry
that many places from the right. Without trusted proxies the header is ignored.
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    remote = request.META.get("REMOTE_ADDR", "")
    hops = settings.TRUSTED_PROXY_COUNT
    if hops <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < hops:
        # Fewer entries than proxies: the request did not come through all of them.
        return remote
    candidate = forwarded[-hops]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote

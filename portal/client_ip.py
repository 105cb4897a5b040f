"""The reader's address, also behind reverse proxies.

Behind nginx every request's REMOTE_ADDR is nginx's own address, so the admin's lockout (django-axes)
would lock a username for everybody after five bad passwords, and the access log would show one
address. ``DJANGO_TRUSTED_PROXY_COUNT`` says how many proxies stand in front of the app; each appends
the address it received the request from to X-Forwarded-For, so the entry that many places from the
right is the one the outermost proxy saw. Entries further left are whatever the client sent and are
never trusted.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings


def client_ip(request) -> str:
    remote = request.META.get("REMOTE_ADDR", "")
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if count <= 0:
        return remote
    forwarded = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if p.strip()]
    if len(forwarded) < count:
        # Not through every proxy (e.g. a health check from inside): the connection's own address.
        return remote
    candidate = forwarded[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote

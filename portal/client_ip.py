"""The reader's address, also behind reverse proxies.

Behind nginx every request's REMOTE_ADDR is nginx's own address, so the admin's lockout (django-axes)
would lock a username for everybody after five bad passwords, and the access log would show one
address. ``DJANGO_TRUSTED_PROXY_COUNT`` says how many proxies stand in front of the app; each appends
the address it received the request from to X-Forwarded-For, so the entry that many places from the
right is the one the outermost proxy saw. Entries further left are whatever the client sent and are
never trusted.

``client_key`` is what limits count (the API rate limit, the admin's login lockout): an IPv6 client is
counted per /64, the network one subscriber gets and whose 2^64 addresses it may rotate through at will;
``address_group`` is that rule for an address (the feedback limits use it too).
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


def address_group(address: str) -> str:
    """The unit a limit counts, written as an address: an IPv4 address, or the first address of the
    /64 of an IPv6 address (``2001:db8:1:2::``; IPv4-mapped IPv6 counts as its IPv4 address). Written
    without the ``/64`` so that it is still an address where one is stored (django-axes keeps it in a
    GenericIPAddressField). Anything unparsable counts as itself."""
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return address
    if ip.version == 6 and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip.version == 4:
        return str(ip)
    return str(ipaddress.ip_network(f"{ip}/64", strict=False).network_address)


def client_key(request) -> str:
    """The client as the API throttle and the admin lockout count it: ``address_group(client_ip)``."""
    return address_group(client_ip(request))

"""portal.client_ip: which address is the reader's, with and without trusted proxies."""

import pytest
from django.test import RequestFactory

from portal.client_ip import client_ip


def request(remote="10.0.0.2", forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


@pytest.mark.parametrize(
    ("count", "forwarded", "expected"),
    [
        (0, "203.0.113.7", "10.0.0.2"),  # no proxy trusted: the header is the client's word
        (1, "203.0.113.7", "203.0.113.7"),
        (1, "192.0.2.99, 203.0.113.7", "203.0.113.7"),  # the left entry was sent by the client
        (2, "192.0.2.99, 203.0.113.7, 10.0.0.3", "203.0.113.7"),
        (1, None, "10.0.0.2"),  # not through the proxy (a probe from inside)
        (2, "203.0.113.7", "10.0.0.2"),
        (1, "not-an-address", "10.0.0.2"),
        (1, " 2001:db8::1 ", "2001:db8::1"),
    ],
)
def test_client_ip(settings, count, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = count
    assert client_ip(request(forwarded=forwarded)) == expected

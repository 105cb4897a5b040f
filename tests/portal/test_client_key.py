"""One client, one count: the API rate limit and the admin's login lockout count an IPv6 client per /64
(the network one subscriber gets, whose addresses it can rotate through at will), an IPv4 client per
address, both through ``portal.client_ip.client_key`` behind the same trusted proxies."""

import ipaddress

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.test import Client, RequestFactory
from hypothesis import example, given, settings
from hypothesis import strategies as st

from portal.client_ip import address_group, client_key
from tests.admin.conftest import PASSWORD

LOGIN = "/admin/login/"


@settings(max_examples=200, deadline=None)
@given(network=st.integers(0, 2**64 - 1), host_a=st.integers(0, 2**64 - 1), host_b=st.integers(0, 2**64 - 1))
@example(network=0x20010DB800010002, host_a=1, host_b=2**64 - 2)
def test_every_address_of_one_ipv6_64_is_one_client(network, host_a, host_b):
    a = str(ipaddress.IPv6Address((network << 64) | host_a))
    b = str(ipaddress.IPv6Address((network << 64) | host_b))
    assert address_group(a) == address_group(b)
    assert ipaddress.ip_address(address_group(a))  # still an address (axes stores it as one)
    other = str(ipaddress.IPv6Address(((network ^ 1) << 64) | host_a))
    assert address_group(other) != address_group(a)


@settings(max_examples=100, deadline=None)
@given(a=st.ip_addresses(v=4), b=st.ip_addresses(v=4))
def test_ipv4_addresses_count_one_by_one_and_mapped_ipv6_as_ipv4(a, b):
    assert (address_group(str(a)) == address_group(str(b))) == (a == b)
    assert address_group(f"::ffff:{a}") == str(a)


@pytest.mark.parametrize("count", [0, 1])
def test_the_key_reads_the_trusted_proxy_address(settings, count):
    settings.TRUSTED_PROXY_COUNT = count
    request = RequestFactory().get(
        "/", REMOTE_ADDR="2001:db8:9::5", HTTP_X_FORWARDED_FOR="192.0.2.1, 2001:db8:1:2:aaaa::7"
    )
    assert client_key(request) == ("2001:db8:1:2::" if count else "2001:db8:9::")


@pytest.mark.django_db
def test_the_api_throttle_counts_an_ipv6_64_as_one_client(library, settings):
    settings.API_ANON_RATE = "3/min"
    cache.clear()
    statuses = [
        Client(REMOTE_ADDR=f"2001:db8:1:2::{n + 1:x}").get("/api/v1/themes/").status_code for n in range(4)
    ]
    assert statuses == [200, 200, 200, 429]
    assert Client(REMOTE_ADDR="2001:db8:1:3::1").get("/api/v1/themes/").status_code == 200


@pytest.mark.django_db
def test_the_login_lockout_counts_an_ipv6_64_as_one_client(library):
    from tests.admin.conftest import _staff

    _staff("editor2")
    for n in range(django_settings.AXES_FAILURE_LIMIT):
        client = Client(REMOTE_ADDR=f"2001:db8:5:6:{n + 1:x}::1")  # a new address for each try
        client.post(LOGIN, {"username": "editor2", "password": "wrong", "next": "/admin/"})
    rotated = Client(REMOTE_ADDR="2001:db8:5:6:ffff::9")
    response = rotated.post(LOGIN, {"username": "editor2", "password": PASSWORD, "next": "/admin/"})
    assert response.status_code == 429, "another address of the same /64 is the same client"
    elsewhere = Client(REMOTE_ADDR="2001:db8:5:7::1")
    assert elsewhere.post(LOGIN, {"username": "editor2", "password": PASSWORD}).status_code == 302

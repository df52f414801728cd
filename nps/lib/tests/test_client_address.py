import pytest
from django.test import RequestFactory

from nps.lib.client_address import client_address

BALANCER = "10.0.0.2"


def request_from(forwarded_for: str | None):
    headers = {} if forwarded_for is None else {"X-Forwarded-For": forwarded_for}
    return RequestFactory().get("/", REMOTE_ADDR=BALANCER, headers=headers)


@pytest.mark.parametrize(
    ("proxies", "forwarded_for", "address"),
    [
        (0, None, BALANCER),
        (0, "203.0.113.5", BALANCER),  # nobody is trusted to say who the client is
        (1, "203.0.113.5", "203.0.113.5"),
        (1, "1.2.3.4, 203.0.113.5", "203.0.113.5"),  # the client wrote 1.2.3.4; the balancer appended the rest
        (1, "1.2.3.4,5.6.7.8,  203.0.113.5", "203.0.113.5"),
        (2, "1.2.3.4, 203.0.113.5, 198.51.100.1", "203.0.113.5"),  # a CDN, then the balancer
        (2, "203.0.113.5", BALANCER),  # fewer entries than proxies: it did not come through them all
        (1, None, BALANCER),
        (1, "", BALANCER),
        (1, "1.2.3.4, not-an-address", BALANCER),
        (1, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_the_client_address_is_read_through_the_trusted_proxies_only(settings, proxies, forwarded_for, address):
    settings.TRUSTED_PROXY_COUNT = proxies
    assert client_address(request_from(forwarded_for)) == address

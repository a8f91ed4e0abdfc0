from luoshi.core.clientaddr import client_address

PROXIES = ["10.0.0.0/8", "192.0.2.1"]


def test_it_uses_the_peer_when_no_proxy_is_trusted():
    assert client_address("203.0.113.9", "1.1.1.1", []) == "203.0.113.9"


def test_it_ignores_the_header_from_an_untrusted_peer():
    assert client_address("203.0.113.9", "1.1.1.1", PROXIES) == "203.0.113.9"


def test_it_takes_the_right_most_untrusted_hop():
    # the client wrote "6.6.6.6" itself; the proxies appended what they saw
    assert client_address("10.0.0.2", "6.6.6.6, 198.51.100.7, 192.0.2.1", PROXIES) == "198.51.100.7"


def test_it_falls_back_to_the_peer_for_a_garbled_header():
    assert client_address("10.0.0.2", "not-an-address", PROXIES) == "10.0.0.2"
    assert client_address("10.0.0.2", "", PROXIES) == "10.0.0.2"


def test_it_accepts_ipv6_and_a_port():
    assert client_address("10.0.0.2", "2001:db8::1", PROXIES) == "2001:db8::1"
    assert client_address("10.0.0.2", "198.51.100.7:5555", PROXIES) == "198.51.100.7"


def test_it_answers_none_without_a_peer():
    assert client_address(None, None, PROXIES) is None

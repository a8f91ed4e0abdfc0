"""Who is asking: the client's address, as far as it can be trusted.

Behind a reverse proxy REMOTE_ADDR is the proxy, and the client is in X-Forwarded-For. That header
is written by whoever sends the request, so it is believed only when the peer is a configured
proxy, and then only from the right: each trusted proxy appends the address it saw, so the
right-most address that is not itself a trusted proxy is the first hop nobody we trust vouches
for past. Anything the client wrote sits to the left of it and is ignored."""

import ipaddress
from collections.abc import Iterable
from functools import lru_cache

from django.conf import settings

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=16)
def _networks(proxies: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(p.strip(), strict=False) for p in proxies if p.strip())


def _parse(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    value = value.strip().strip('"')
    if value.startswith("["):  # [2001:db8::1]:443
        value = value[1:].split("]", 1)[0]
    elif value.count(":") == 1:  # 198.51.100.7:5555
        value = value.split(":", 1)[0]
    try:
        return ipaddress.ip_address(value)
    except ValueError:
        return None


def client_address(peer: str | None, forwarded_for: str | None, trusted: Iterable[str]) -> str | None:
    networks = _networks(tuple(trusted))
    address = _parse(peer or "")
    if address is None:
        return peer or None
    if not networks or not any(address in net for net in networks):
        return str(address)
    for hop in reversed((forwarded_for or "").split(",")):
        hop_address = _parse(hop)
        if hop_address is None:
            break  # a garbled header is not evidence of anything: the proxy itself is the client
        if not any(hop_address in net for net in networks):
            return str(hop_address)
        address = hop_address
    return str(address)


def request_client_address(request) -> str | None:
    """The client of a Django request, per settings.TRUSTED_PROXIES."""
    return client_address(
        request.META.get("REMOTE_ADDR"), request.META.get("HTTP_X_FORWARDED_FOR"), getattr(settings, "TRUSTED_PROXIES", ())
    )

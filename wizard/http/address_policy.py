"""Provides the address policy of every HTTP probe: the addresses edgewiz connects to only when the
user named them (the URL they typed, or a --connect-to route), never because a server said so.

On a bastion, a redirect (or an asset host in a page) that points at the instance metadata service
would make edgewiz a blind SSRF: `302 Location: http://169.254.169.254/latest/meta-data/iam/...`.
So link-local addresses (169.254.0.0/16, fe80::/10, which hold IMDS, the ECS credentials endpoint
and the Amazon DNS/NTP services), the IPv6 IMDS address fd00:ec2::254, loopback and the
"unspecified" address (which reaches this host) are refused unless exempt. The check is on the
resolved address, so a name that resolves to 169.254.169.254 is refused like the literal.
"""

from __future__ import annotations

import ipaddress
from typing import Optional, Union

__all__ = ["AddressRefused", "refusal"]

IMDS_V6 = ipaddress.ip_address("fd00:ec2::254")

IpAddress = Union[ipaddress.IPv4Address, ipaddress.IPv6Address]


class AddressRefused(OSError):
    """The probe would have connected to an address it must not reach unless the user asked."""

    def __init__(self, host: str, address: str, why: str) -> None:
        shown = f"{address} is" if host.strip("[]") == address else f"{host} resolves to {address},"
        super().__init__(f"{shown} {why}")
        self.host = host
        self.address = address
        self.why = why


def _parse(address: str) -> Optional[IpAddress]:
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])  # fe80::1%eth0: drop the zone
    except ValueError:
        return None
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return ip.ipv4_mapped  # ::ffff:169.254.169.254 is 169.254.169.254
    return ip


def refusal(address: str) -> Optional[str]:
    """Why a probe may not connect to `address` on a server's say-so, or None when it may."""
    ip = _parse(address)
    if ip is None:
        return "which is not an IP address"
    if ip == IMDS_V6:
        return "the instance metadata service (IPv6)"
    if ip.is_link_local:
        return "a link-local address, where the instance metadata service lives"
    if ip.is_loopback:
        return "a loopback address: this host"
    if ip.is_unspecified:
        return "the unspecified address: this host"
    return None

"""Provides the port and address arithmetic the reachability analysis shares: the ports CloudFront
uses to reach a custom origin, TCP port ranges, and sets of CIDR blocks (cover, cut, intersect)."""

from __future__ import annotations

import functools
import ipaddress
from typing import Any, Iterable, List, Mapping, Optional, Sequence, Tuple, Union

Net = Union[ipaddress.IPv4Network, ipaddress.IPv6Network]

# Return traffic of a TCP connection comes back to the client's ephemeral port. Load balancers
# and CloudFront use 1024-65535, which is what AWS recommends opening in network ACLs
# (ELB guide, "Configure network ACLs for your load balancer").
EPHEMERAL = (1024, 65535)
ALL_PORTS = (0, 65535)

ANY_V4 = ipaddress.ip_network("0.0.0.0/0")
ANY_V6 = ipaddress.ip_network("::/0")

# Viewer protocol policies under which no viewer request ever reaches CloudFront over HTTP.
HTTPS_ONLY_VIEWERS = ("redirect-to-https", "https-only")


def origin_port_plan(custom_origin_config: Optional[Mapping[str, Any]],
                     viewer_protocol_policies: Sequence[str] = ()) -> List[Tuple[str, int]]:
    """The (protocol, port) pairs CloudFront connects to a custom origin on.

    https-only -> the HTTPS port; http-only -> the HTTP port; match-viewer -> both, unless every
    behavior that uses the origin makes viewers use HTTPS (then HTTP never reaches the origin).
    An empty config gives an empty plan (the caller reports it as unknown).
    """
    cfg = custom_origin_config or {}
    if not cfg:
        return []
    http = ("http", int(cfg.get("HTTPPort") or 80))
    https = ("https", int(cfg.get("HTTPSPort") or 443))
    policy = str(cfg.get("OriginProtocolPolicy") or "").lower()
    if policy == "https-only":
        return [https]
    if policy == "http-only":
        return [http]
    if viewer_protocol_policies and all(p in HTTPS_ONLY_VIEWERS for p in viewer_protocol_policies):
        return [https]
    return [https, http]


def port_text(protocol: str, lo: int, hi: int) -> str:
    """`tcp/443`, `tcp/1024-65535`, or `all traffic`."""
    if protocol == "-1":
        return "all traffic"
    if (lo, hi) == ALL_PORTS:
        return f"{protocol}/all ports"
    return f"{protocol}/{lo}" if lo == hi else f"{protocol}/{lo}-{hi}"


def parse_net(text: Optional[str]) -> Optional[Net]:
    """A CIDR block (or a bare address as /32 or /128), or None when the text is not one."""
    if not text:
        return None
    return _parse(str(text).strip())


@functools.lru_cache(maxsize=1 << 16)
def _parse(text: str) -> Optional[Net]:
    # Networks are immutable, so one parsed object can serve every rule that names the block.
    try:
        return ipaddress.ip_network(text, strict=False)
    except ValueError:
        return None


def host_net(address: Optional[str]) -> Optional[Net]:
    """The /32 (or /128) block of one address."""
    return parse_net(address)


def is_any(net: Net) -> bool:
    """True for 0.0.0.0/0 and ::/0."""
    return net.prefixlen == 0


def _merge(nets: Iterable[Net]) -> List[Net]:
    v4 = [n for n in nets if n.version == 4]
    v6 = [n for n in nets if n.version == 6]
    return list(ipaddress.collapse_addresses(v4)) + list(ipaddress.collapse_addresses(v6))


def cut(nets: Sequence[Net], removed: Net) -> List[Net]:
    """`nets` minus the block `removed`."""
    out: List[Net] = []
    for net in nets:
        if net.version != removed.version or not net.overlaps(removed):
            out.append(net)
        elif net.subnet_of(removed):  # type: ignore[arg-type]
            continue
        else:
            out.extend(net.address_exclude(removed))  # type: ignore[arg-type]
    return out


def intersect(nets: Sequence[Net], other: Net) -> List[Net]:
    """The parts of `nets` inside the block `other` (CIDR blocks are nested or disjoint)."""
    out: List[Net] = []
    for net in nets:
        if net.version != other.version or not net.overlaps(other):
            continue
        out.append(net if net.subnet_of(other) else other)  # type: ignore[arg-type]
    return out


def uncovered(wanted: Sequence[Net], allowed: Iterable[Net]) -> List[Net]:
    """The parts of `wanted` that no block of `allowed` covers (empty when fully covered)."""
    allowed = list(allowed)
    # Usually one block covers each wanted block whole (0.0.0.0/0, the VPC CIDR): no merging needed.
    if all(any(w.version == a.version and w.subnet_of(a) for a in allowed) for w in wanted):  # type: ignore[arg-type]
        return []
    merged = _merge(allowed)
    rest: List[Net] = list(wanted)
    for block in merged:
        if not rest:
            break
        rest = cut(rest, block)
    return _merge(rest)


def supernet(nets: Sequence[Net]) -> Net:
    """The smallest CIDR block that covers every block given (same family as the first)."""
    first = nets[0]
    same = [n for n in nets if n.version == first.version]
    block = first
    while not all(n.subnet_of(block) for n in same):  # type: ignore[arg-type]
        block = block.supernet()
    return block


def nets_text(nets: Sequence[Net], limit: int = 4) -> str:
    """A short list of blocks for evidence: `10.0.1.0/24, 10.0.2.0/24 and 3 more`."""
    names = [str(n) for n in nets]
    if len(names) <= limit:
        return ", ".join(names)
    return f"{', '.join(names[:limit])} and {len(names) - limit} more"

"""Provides network ACL evaluation: which ACL guards a subnet, and whether it lets a TCP flow (a
set of peer addresses and a port range) in or out.

ACLs are stateless and ordered (VPC user guide, "Control subnet traffic with network ACLs"):
entries are read by rule number, lowest first, and the first entry that matches a packet decides
it; a packet no entry matches meets the `*` rule, which always denies. moto's custom ACLs lack
the `*` entries, so a missing `*` is treated as the deny AWS applies. Traffic between two
addresses of the same subnet never crosses its ACL.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple

from .ports import Net, cut, intersect, nets_text, parse_net, port_text

IMPLICIT_RULE = 32767  # the number AWS shows for the `*` entry


@dataclass(frozen=True)
class NaclDecision:
    """One ACL entry (or the `*` rule) deciding part of a flow."""

    action: str  # allow | deny
    rule_number: int
    port_lo: int
    port_hi: int
    nets: Tuple[Net, ...]

    @property
    def rule_label(self) -> str:
        return "*" if self.rule_number >= IMPLICIT_RULE else str(self.rule_number)


@dataclass
class NaclVerdict:
    """The ACL's answer for a flow: ok, blocked, or unknown (part denied, peer addresses inexact)."""

    nacl_id: str
    egress: bool
    status: str
    port_lo: int
    port_hi: int
    allowed: List[NaclDecision] = field(default_factory=list)
    denied: List[NaclDecision] = field(default_factory=list)

    @property
    def direction(self) -> str:
        return "outbound" if self.egress else "inbound"

    @property
    def first_deny(self) -> Optional[NaclDecision]:
        return self.denied[0] if self.denied else None

    def describe(self) -> str:
        """`acl-1 inbound rule 90 denies tcp/443 from 0.0.0.0/0`, or the allowing rule."""
        peer_word = "to" if self.egress else "from"
        if self.denied:
            d = self.denied[0]
            rule = "the default * rule" if d.rule_label == "*" else f"rule {d.rule_label}"
            return (f"{self.nacl_id} {self.direction} {rule} denies {port_text('tcp', d.port_lo, d.port_hi)} "
                    f"{peer_word} {nets_text(list(d.nets))}")
        if self.allowed:
            rules = sorted({d.rule_label for d in self.allowed})
            return (f"{self.nacl_id} {self.direction} rule {', '.join(rules)} allows "
                    f"{port_text('tcp', self.port_lo, self.port_hi)}")
        return f"{self.nacl_id} {self.direction}: nothing to check"


def acl_for_subnet(acls: Sequence[Mapping[str, Any]], subnet_id: str, vpc_id: str = "") -> Optional[Mapping[str, Any]]:
    """The ACL associated with the subnet, else the VPC's default ACL (which AWS uses then)."""
    for acl in acls:
        for assoc in acl.get("Associations") or []:
            if assoc.get("SubnetId") == subnet_id:
                return acl
    if vpc_id:
        for acl in acls:
            if acl.get("IsDefault") and acl.get("VpcId") == vpc_id:
                return acl
    return None


def _protocol_matches(entry: Mapping[str, Any]) -> bool:
    proto = str(entry.get("Protocol", "-1")).lower()
    return proto in ("-1", "6", "tcp", "all")


def _entry_ports(entry: Mapping[str, Any]) -> Tuple[int, int]:
    rng = entry.get("PortRange") or {}
    if str(entry.get("Protocol", "-1")) in ("-1", "all") or not rng:
        return 0, 65535
    return int(rng.get("From", 0)), int(rng.get("To", 65535))


def _segments(lo: int, hi: int, entries: Iterable[Mapping[str, Any]]) -> List[Tuple[int, int]]:
    """Cut [lo, hi] at every entry's port boundary, so each piece meets each entry whole."""
    cuts = {lo, hi + 1}
    for e in entries:
        a, b = _entry_ports(e)
        for point in (a, b + 1):
            if lo < point <= hi:
                cuts.add(point)
    points = sorted(cuts)
    return [(points[i], points[i + 1] - 1) for i in range(len(points) - 1)]


def evaluate(acl: Mapping[str, Any], egress: bool, peer: Sequence[Net], port_lo: int, port_hi: int,
             exact: bool = True) -> NaclVerdict:
    """Does the ACL let TCP traffic on [port_lo, port_hi] pass to/from every address of `peer`?

    `exact=False` says `peer` over-approximates the real addresses (e.g. 0.0.0.0/0 for CloudFront
    when its ranges are unknown): a partial deny then gives `unknown`, not `blocked`.
    """
    entries = sorted(
        (e for e in acl.get("Entries") or [] if bool(e.get("Egress")) == egress and _protocol_matches(e)),
        key=lambda e: int(e.get("RuleNumber", IMPLICIT_RULE)),
    )
    verdict = NaclVerdict(str(acl.get("NetworkAclId", "")), egress, "ok", port_lo, port_hi)
    for seg_lo, seg_hi in _segments(port_lo, port_hi, entries):
        rest: List[Net] = list(peer)
        for entry in entries:
            if not rest:
                break
            a, b = _entry_ports(entry)
            if not (a <= seg_lo and seg_hi <= b):
                continue
            block = parse_net(entry.get("CidrBlock") or entry.get("Ipv6CidrBlock"))
            if block is None:
                continue
            hit: List[Net] = []
            for net in rest:
                hit.extend(intersect([net], block))
            if not hit:
                continue
            decision = NaclDecision(str(entry.get("RuleAction", "deny")).lower(),
                                    int(entry.get("RuleNumber", IMPLICIT_RULE)), seg_lo, seg_hi, tuple(hit))
            (verdict.allowed if decision.action == "allow" else verdict.denied).append(decision)
            rest = cut(rest, block)
        if rest:
            verdict.denied.append(NaclDecision("deny", IMPLICIT_RULE, seg_lo, seg_hi, tuple(rest)))
    if verdict.denied:
        verdict.status = "blocked" if exact or not verdict.allowed else "unknown"
    return verdict


def suggested_rule_number(acl: Mapping[str, Any], egress: bool, below: int) -> int:
    """A free rule number that is read before rule `below` (so an allow placed there wins)."""
    used = {int(e.get("RuleNumber", 0)) for e in acl.get("Entries") or [] if bool(e.get("Egress")) == egress}
    if below >= IMPLICIT_RULE:
        allows = [n for n in used if n < IMPLICIT_RULE]
        start = ((max(allows) // 10) + 1) * 10 if allows else 100
        for n in range(min(start, IMPLICIT_RULE - 1), 0, -1):
            if n not in used:
                return n
        return 1
    for n in range(below - 1, 0, -1):
        if n not in used:
            return n
    return 1


def acl_index(acls: Iterable[Mapping[str, Any]]) -> Dict[str, Mapping[str, Any]]:
    """ACLs by the subnets associated with them (the VPC default covers the rest)."""
    out: Dict[str, Mapping[str, Any]] = {}
    for acl in acls:
        for assoc in acl.get("Associations") or []:
            if assoc.get("SubnetId"):
                out[str(assoc["SubnetId"])] = acl
    return out

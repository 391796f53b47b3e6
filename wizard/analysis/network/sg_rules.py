"""Provides the index over security groups (typed by wizard.aws.network_models) and the one question the
reachability analysis asks of them: do these groups admit that peer on that TCP port?

Security groups are allow-only and stateful (VPC user guide, "Security group rules"): a flow is
allowed when any rule of any attached group matches, return traffic needs no rule, and a rule
that references a group matches every network interface that carries that group.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, FrozenSet, Iterable, List, Mapping, Optional, Sequence, Tuple

from ...aws.network_models import SecurityGroup, SgRule, group_keys, groups_referenced
from .ports import ANY_V4, ANY_V6, Net, intersect, is_any, parse_net, uncovered


class SgIndex:
    """Groups by id (typed on first use), their rules flattened on first use, and rules indexed by
    the group they reference.

    The analysis only reads the groups on the path, so building models and flattening are lazy;
    the reverse index (who references group X) is built once, on the first question that needs it.
    """

    def __init__(self, security_groups: Iterable[Mapping[str, Any]],
                 prefix_list_names: Mapping[str, str] = None,
                 prefix_list_entries: Mapping[str, Sequence[str]] = None) -> None:
        self._raw: Dict[str, Mapping[str, Any]] = {}
        self._names: Dict[str, str] = {}
        for g in security_groups:
            gid, name = group_keys(g)
            if gid not in self._raw:
                self._raw[gid], self._names[gid] = g, name
        self._groups: Dict[str, SecurityGroup] = {}
        self.prefix_list_names: Dict[str, str] = dict(prefix_list_names or {})
        self.prefix_list_entries: Dict[str, List[Net]] = {}
        for pl, cidrs in (prefix_list_entries or {}).items():
            nets = [parse_net(c) for c in cidrs]
            self.prefix_list_entries[pl] = [n for n in nets if n is not None]
        self._by_ref: Optional[Dict[str, List[str]]] = None  # group id -> ids of the groups naming it

    def __contains__(self, gid: object) -> bool:
        """Whether the group was read."""
        return gid in self._raw

    def group(self, gid: str) -> Optional[SecurityGroup]:
        """The group, or None when it was not read."""
        if gid not in self._groups and gid in self._raw:
            self._groups[gid] = SecurityGroup.from_raw(self._raw[gid], self._names, self.prefix_list_names)
        return self._groups.get(gid)

    def name(self, gid: str) -> str:
        return self._names.get(gid, "")

    def label(self, gid: str) -> str:
        """`sg-0aaa (ecs-service)`, or the bare id when the group was not read."""
        name = self._names.get(gid)
        return f"{gid} ({name})" if name else gid

    def labels(self, gids: Iterable[str]) -> str:
        return ", ".join(self.label(g) for g in gids) or "no security groups"

    def rules(self, gid: str, direction: Optional[str] = None) -> List[SgRule]:
        """The group's rules (in one direction when given); empty for a group that was not read."""
        group = self.group(gid)
        if group is None:
            return []
        return [r for r in group.rules if r.direction == direction] if direction else list(group.rules)

    def referencing(self, gid: str) -> List[SgRule]:
        """Every rule, in any group read, whose peer is group `gid`."""
        if self._by_ref is None:
            # Scan every group once for group peers only: which groups name which. Only the few
            # groups that name `gid` are then built and flattened into rules.
            index: Dict[str, List[str]] = {}
            for owner, raw in self._raw.items():
                for ref in groups_referenced(raw):
                    named = index.setdefault(ref, [])
                    if not named or named[-1] != owner:
                        named.append(owner)
            self._by_ref = index
        owners = dict.fromkeys(self._by_ref.get(gid, ()))
        return [r for owner in owners for r in self.rules(owner) if r.peer_kind == "group" and r.peer == gid]


@dataclass(frozen=True)
class Peer:
    """The other end of a flow, as security-group rules can match it.

    `groups`: the groups the peer's network interfaces carry; `prefix_lists`: lists that *are* the
    peer (CloudFront's origin-facing list); `nets`: its addresses, or None when they are not known
    (then only a rule for the whole address family, 0.0.0.0/0 or ::/0, surely matches).
    """

    groups: FrozenSet[str] = frozenset()
    prefix_lists: FrozenSet[str] = frozenset()
    nets: Optional[Tuple[Net, ...]] = None
    families: Tuple[int, ...] = (4,)
    any_family: bool = False  # True: one family fully admitted is enough (dualstack)


@dataclass
class SgVerdict:
    """Whether some group admits the peer: ok, blocked or unknown, with the rules that decide it."""

    status: str
    deciding: List[SgRule] = field(default_factory=list)  # the rules that admit (ok or partial)
    stale: List[SgRule] = field(default_factory=list)  # group references that do not match the peer
    considered: List[SgRule] = field(default_factory=list)  # every rule on that port
    missing: List[Net] = field(default_factory=list)  # the peer's addresses nothing admits
    unresolved: List[SgRule] = field(default_factory=list)  # prefix lists whose entries are unknown
    unread: List[str] = field(default_factory=list)  # groups on the hop whose rules could not be read

    @property
    def rule_text(self) -> str:
        if self.deciding:
            return "; ".join(r.describe() for r in self.deciding[:3])
        return ""


def admits(index: SgIndex, groups: Sequence[str], direction: str, port: int, peer: Peer) -> SgVerdict:
    """Do `groups` admit `peer` on TCP `port` in `direction` (ingress: from it; egress: to it)?

    A group that could not be read may hold the rule that admits: then "no rule admits" is
    "unknown", never "blocked" (a denied describe must not become a root cause).
    """
    verdict = _admits(index, groups, direction, port, peer)
    unread = [g for g in groups if g not in index]
    if verdict.status == "blocked" and unread:
        verdict.status = "unknown"
        verdict.unread = unread
    return verdict


def _admits(index: SgIndex, groups: Sequence[str], direction: str, port: int, peer: Peer) -> SgVerdict:
    considered: List[SgRule] = []
    for gid in groups:
        considered.extend(r for r in index.rules(gid, direction) if r.covers_tcp(port))
    by_group = [r for r in considered if r.peer_kind == "group" and r.peer in peer.groups]
    by_list = [r for r in considered if r.peer_kind == "prefix-list" and r.peer in peer.prefix_lists]
    if by_group or by_list:
        return SgVerdict("ok", (by_group + by_list)[:1], considered=considered)
    stale = [r for r in considered if r.peer_kind == "group"]
    blocks: List[Tuple[Net, SgRule]] = []
    unresolved: List[SgRule] = []
    for rule in considered:
        if rule.peer_kind == "cidr":
            net = parse_net(rule.peer)
            if net is not None:
                blocks.append((net, rule))
        elif rule.peer_kind == "prefix-list":
            entries = index.prefix_list_entries.get(rule.peer)
            if entries is None:
                unresolved.append(rule)
            else:
                blocks.extend((n, rule) for n in entries)
    verdict = SgVerdict("blocked", stale=stale, considered=considered, unresolved=unresolved)
    if peer.nets is None:
        wildcards = [r for n, r in blocks if is_any(n) and n.version in peer.families]
        if wildcards:
            verdict.status, verdict.deciding = "ok", wildcards[:1]
        elif blocks or unresolved:
            # Some addresses are admitted, but which ones the peer uses is not known.
            verdict.status = "unknown"
            verdict.deciding = [r for _, r in blocks][:3]
        else:
            verdict.missing = [ANY_V4 if f == 4 else ANY_V6 for f in peer.families]
        return verdict
    wanted = list(peer.nets)
    missing = uncovered(wanted, (n for n, _ in blocks))
    covering = []
    for net, rule in blocks:
        if any(intersect([w], net) for w in wanted) and rule not in covering:
            covering.append(rule)
    if peer.any_family:
        fully = [f for f in peer.families
                 if not [m for m in missing if m.version == f] and [w for w in wanted if w.version == f]]
        if fully:
            missing = []
    verdict.deciding = covering
    verdict.missing = missing
    if not missing:
        verdict.status = "ok"
    elif unresolved:
        verdict.status = "unknown"
    return verdict

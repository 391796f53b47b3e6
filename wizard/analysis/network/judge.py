"""Provides the rule judgements of the reachability walk: who CloudFront is as a security-group peer,
whether the ALB's groups admit it, whether the ALB's egress and the targets' ingress let a target's
port through, and what a subnet's network ACL does to a flow — each computed once and shared by
every target with the same groups, subnets and ports. No prose and no findings: network.prose says
what a verdict means, network.reachability puts verdicts on the graph.
"""

from __future__ import annotations

from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

from ...aws.network_models import LoadBalancer
from . import nacl as nacls
from .network_inventory import CF_PREFIX_LIST, CF_PREFIX_LIST_V6, NetworkIndex
from .ports import ANY_V4, ANY_V6, Net, host_net
from .sg_rules import Peer, SgVerdict, admits
from .targets import Target


class Judge:
    """The verdicts of one load balancer's path, cached by what decides them."""

    def __init__(self, idx: NetworkIndex, lb: LoadBalancer) -> None:
        self.idx = idx
        self.sg = idx.sg
        self.alb_sgs: List[str] = list(lb.security_groups)
        self.alb_subnets: List[str] = list(lb.subnets)
        self._cache: Dict[Any, Any] = {}
        self.alb_nets = self.subnet_nets(self.alb_subnets)
        # Whether the ALB's egress rules name groups; if not, the targets' groups cannot change the
        # egress verdict, and targets with different groups share one.
        self._egress_names_groups = any(r.peer_kind == "group" for g in self.alb_sgs
                                        for r in self.sg.rules(g, "egress"))
        self._cf_lists = (idx.cloudfront_list(CF_PREFIX_LIST), idx.cloudfront_list(CF_PREFIX_LIST_V6))

    def cached(self, key: Any, compute: Callable[[], Any]) -> Any:
        if key not in self._cache:
            self._cache[key] = compute()
        return self._cache[key]

    # Addresses ---------------------------------------------------------------------------------

    def subnet_nets(self, subnet_ids: Sequence[str]) -> Optional[Tuple[Net, ...]]:
        nets = [self.idx.subnet_net(s) for s in subnet_ids]
        if not nets or any(n is None for n in nets):
            return None
        return tuple(nets)  # type: ignore[arg-type]

    def target_nets(self, t: Target) -> Optional[Tuple[Net, ...]]:
        if t.ip and host_net(t.ip) is not None:
            return (host_net(t.ip),)  # type: ignore[return-value]
        return self.subnet_nets(t.subnets)

    # CloudFront → ALB --------------------------------------------------------------------------

    def cloudfront_list_ids(self) -> List[str]:
        """The ids of CloudFront's origin-facing prefix lists (IPv4, IPv6) this scan read."""
        return [str(p.get("PrefixListId")) for p in self._cf_lists if p]

    def cloudfront_peer(self, ip_address_type: str) -> Tuple[Peer, List[str]]:
        """CloudFront as the ALB's groups see it: its origin-facing lists for the address families the
        origin's IpAddressType uses, with their entries when every list's entries were read."""
        families = {"ipv6": (6,), "dualstack": (4, 6)}.get(ip_address_type.lower() or "ipv4", (4,))
        lists = [pl for fam, pl in zip((4, 6), self._cf_lists) if fam in families and pl]
        ids = [str(pl.get("PrefixListId")) for pl in lists]
        entries = [self.sg.prefix_list_entries.get(i) for i in ids]
        nets = None
        if ids and len(ids) == len(families) and all(entries):
            nets = tuple(n for e in entries for n in e)  # type: ignore[union-attr]
        return Peer(prefix_lists=frozenset(ids), nets=nets, families=families,
                    any_family=len(families) > 1), ids

    @staticmethod
    def cloudfront_nets(peer: Peer) -> List[Net]:
        """The addresses an ACL must let CloudFront in from (every address when they are not known)."""
        return list(peer.nets) if peer.nets else [ANY_V4 if f == 4 else ANY_V6 for f in peer.families]

    def admits_cloudfront(self, port: int, peer: Peer) -> SgVerdict:
        return admits(self.sg, self.alb_sgs, "ingress", port, peer)

    def alb_group_for_cloudfront(self, pl_ids: Sequence[str]) -> str:
        """The ALB group to fix or name: one that already admits CloudFront on some port, else the first."""
        for gid in self.alb_sgs:
            if any(r.peer in pl_ids for r in self.sg.rules(gid, "ingress")):
                return gid
        return self.alb_sgs[0] if self.alb_sgs else "<alb security group>"

    # ALB → target ------------------------------------------------------------------------------

    def egress(self, t: Target, port: int) -> SgVerdict:
        """The ALB's egress verdict for a target: its subnet first (shared by many targets and sound:
        a subnet that passes whole lets each address pass), the address itself only when needed."""
        if not self.alb_sgs:  # a load balancer without groups (an NLB may have none) filters nothing outbound
            return SgVerdict("ok")
        groups = frozenset(t.groups) if self._egress_names_groups else frozenset()
        wide = self.subnet_nets(t.subnets)
        if wide is not None:
            verdict = self.cached(("egress", groups, wide, port), lambda: admits(
                self.sg, self.alb_sgs, "egress", port, Peer(groups=groups, nets=wide)))
            if verdict.status == "ok":
                return verdict
        tnets = self.target_nets(t)
        return self.cached(("egress", groups, tnets, port), lambda: admits(
            self.sg, self.alb_sgs, "egress", port, Peer(groups=groups, nets=tnets)))

    def ingress(self, t: Target, port: int) -> SgVerdict:
        """Whether the target's groups admit the load balancer (its groups, its subnets) on `port`."""
        return self.cached(("ingress", frozenset(t.groups), port), lambda: admits(
            self.sg, t.groups, "ingress", port, Peer(groups=frozenset(self.alb_sgs), nets=self.alb_nets)))

    # Network ACLs ------------------------------------------------------------------------------

    def nacl(self, acl: Any, egress: bool, peer: Sequence[Net], lo: int, hi: int,
             exact: bool = True) -> nacls.NaclVerdict:
        # Asked for every pair of subnets of every target: the cache lookup is inline on purpose.
        peer_key = str(peer[0]) if len(peer) == 1 else " ".join(map(str, peer))
        key = ("nacl", acl.get("NetworkAclId"), egress, peer_key, lo, hi, exact)
        verdict = self._cache.get(key)
        if verdict is None:
            verdict = self._cache[key] = nacls.evaluate(acl, egress, list(peer), lo, hi, exact)
        return verdict

    def subnet_passes(self, subnet: str, egress: bool, target_subnet: Net, lo: int, hi: int) -> bool:
        """Whether the subnet's ACL lets the whole target subnet through (then every address in it passes)."""
        acl = self.idx.acl_for(subnet)
        return acl is not None and self.nacl(acl, egress, [target_subnet], lo, hi).status == "ok"

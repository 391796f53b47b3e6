"""Provides the CloudFront → ALB → targets reachability analysis: it builds the path as a graph whose
every hop is ok, blocked or unknown with the rule that decides it, and collects the findings the
graph proves.

Pure: it reads a NetworkInventory (collected by wizard.aws.network) through its typed index and
returns plain data. The hops, in the order a request meets them: CloudFront → the ALB's security
groups and subnet ACLs → a listener on the origin port → the target groups it forwards to → from
the ALB to each target on the traffic and health-check ports (ALB egress, target ingress, both
subnets' ACLs and the return traffic) → target health. network.judge gives each verdict,
network.prose the words of each finding.
"""

from __future__ import annotations

from typing import Any, Callable, Dict, List, Mapping, Optional, Sequence, Tuple

import networkx as nx

from ...aws.network_models import Listener, TargetGroup
from ...model import Unknown
from . import ports, prose, target_health
from .judge import Judge
from .network_inventory import NetworkInventory, inventory_from_dict
from .path_graph import Check, HitBag, PathAnalysis, add_edge, add_node, conclude
from .ports import EPHEMERAL, Net, origin_port_plan
from .targets import Target, forwards, services_for, short_arn, targets_of

__all__ = ["PathAnalysis", "analyze_origin_path"]

# Findings that explain failing health checks by the network.
_NETWORK_HITS = ("sg.target-ingress-stale-reference", "sg.target-ingress-missing", "sg.alb-egress-blocked",
                 "nacl.blocked")


class _Walk:
    """One analysis run: builds the graph hop by hop and collects hits and unknowns."""

    def __init__(self, inv: NetworkInventory, plan: Optional[Sequence[Tuple[str, int]]]) -> None:
        self.inv = inv
        self.idx = inv.index()
        self.g = nx.DiGraph()
        self.bag = HitBag()
        self.unknowns: List[Unknown] = list(inv.unknowns)
        self.lb = self.idx.load_balancer
        self.cfg: Mapping[str, Any] = (inv.origin or {}).get("CustomOriginConfig") or {}
        self.policy = str(self.cfg.get("OriginProtocolPolicy") or "unknown")
        self.plan = list(plan) if plan is not None else origin_port_plan(self.cfg, inv.viewer_protocol_policies)
        if self.policy == "match-viewer" and inv.viewer_protocol_policies and all(
                p in ports.HTTPS_ONLY_VIEWERS for p in inv.viewer_protocol_policies):
            # Viewers are forced to HTTPS, so with match-viewer CloudFront never uses the HTTP port.
            self.plan = [p for p in self.plan if p[0] == "https"] or self.plan
        self.alb = self.lb.name if self.lb and self.lb.name else "the load balancer"
        self.judge = Judge(self.idx, self.lb) if self.lb else None
        self.scene = prose.Scene(self.idx, self.alb, self.lb.security_groups if self.lb else (), self.policy,
                                 inv.region)
        self._tg_done: Dict[str, Dict[str, Any]] = {}
        self._once_cache: Dict[Any, Any] = {}
        self._recording: Optional[List[prose.Raised]] = None

    def node(self, nid: str, kind: str, label: str, detail: str = "") -> str:
        return add_node(self.g, nid, kind, label, detail)

    def edge(self, src: str, dst: str, checks: Sequence[Check]) -> None:
        add_edge(self.g, src, dst, checks)

    def raise_(self, raised: Optional[prose.Raised], target: str = "") -> None:
        """Raise a hit, or record it for _once to replay for every target that shares the verdict."""
        if raised is None:
            return
        if self._recording is not None and not target:
            self._recording.append(raised)
        else:
            self.bag.add(raised.fid, raised.key, raised.params, raised.evidence, target, cidr=raised.cidr)

    def _once(self, key: Any, target: str, check: Callable[[], Check]) -> Check:
        """Run a target check once per key (targets with the same groups share it); replay its hits
        with each target named, so evidence is built once, not once per target."""
        if key not in self._once_cache:
            self._recording = []
            try:
                result = check()
            finally:
                recorded, self._recording = self._recording, None
            self._once_cache[key] = (result, recorded)
        result, recorded = self._once_cache[key]
        for raised in recorded:
            self.raise_(raised, target)
        return result

    # The walk ----------------------------------------------------------------------------------

    def start(self) -> str:
        """The path's first node, CloudFront's side of the origin; returns the origin's domain."""
        origin = self.inv.origin or {}
        domain = str(origin.get("DomainName", ""))
        self.node("cloudfront", "cloudfront", f"CloudFront origin {origin.get('Id') or domain}",
                  f"connects to {domain} with origin protocol policy {self.policy}")
        return domain

    def run(self) -> PathAnalysis:
        domain = self.start()
        if self.lb is None or self.judge is None:
            # The collector says why (the read failed, or no load balancer has that name).
            said = next((u for u in self.unknowns if u.what.startswith("elbv2:DescribeLoadBalancers")), None)
            reason = said.reason if said else (f"no load balancer in {self.inv.region or 'the region'} "
                                               f"has the DNS name {domain}")
            self.node("alb", "alb", domain or "load balancer", "not found")
            self.edge("cloudfront", "alb", [Check("unknown", reason)])
            if said is None:
                self.unknowns.append(Unknown("network", f"the load balancer behind {domain}", reason))
            return self.finish()
        self.node("alb", "alb", f"{self.alb} ({self.lb.scheme or 'internet-facing'})",
                  f"security groups: {self.idx.sg.labels(self.judge.alb_sgs)}")
        if not self.plan:
            self.unknowns.append(Unknown("network", f"the ports CloudFront uses for {domain}",
                                         "the origin has no CustomOriginConfig"))
        self.cloudfront_to_alb(self.judge)
        for proto, port in self.plan:
            self.listener(proto, port)
        return self.finish()

    def finish(self) -> PathAnalysis:
        return conclude(self.g, self.bag.hits(), self.unknowns)

    def cloudfront_to_alb(self, judge: Judge) -> None:
        checks: List[Check] = []
        if self.lb is not None and self.lb.scheme == "internal":
            checks.append(Check("blocked", f"{self.alb} is internal: a custom origin reaches only internet-facing "
                                            "load balancers (an internal one needs a CloudFront VPC origin)"))
        peer, pl_ids = judge.cloudfront_peer(str(self.cfg.get("IpAddressType") or "ipv4"))
        for _, port in self.plan:
            if not judge.alb_sgs:
                checks.append(Check("ok", f"{self.alb} has no security groups: nothing filters tcp/{port}"))
            else:
                checks.append(self._checked(*prose.cloudfront_ingress(
                    self.scene, port, judge.admits_cloudfront(port, peer), pl_ids,
                    judge.alb_group_for_cloudfront(pl_ids))))
            cf_nets = judge.cloudfront_nets(peer)
            exact = peer.nets is not None
            for subnet in judge.alb_subnets:
                checks.extend(self.nacl_check(subnet, False, cf_nets, port, port, "CloudFront", exact))
                checks.extend(self.nacl_check(subnet, True, cf_nets, *EPHEMERAL, "CloudFront (return traffic)", exact))
        self.edge("cloudfront", "alb", checks)

    # ALB → listener → target groups -------------------------------------------------------------

    def listener(self, proto: str, port: int) -> None:
        nid = self.node(f"listener:{port}", "listener", f"listener :{port}")
        found = [lst for lst in self.idx.listeners if lst.port == port]
        if not found:
            have = sorted({f"{lst.protocol}:{lst.port}" for lst in self.idx.listeners})
            listening = ", ".join(have) or "no port at all"
            self.g.nodes[nid]["detail"] = "no listener"
            tg = next((a for lst in self.idx.listeners for a, _ in forwards(self.idx, lst)), "<target-group-arn>")
            check, raised = prose.no_listener(self.scene, proto, port, listening, self.lb.arn if self.lb else "", tg)
            self.edge("alb", nid, [check])
            self.raise_(raised)
            return
        lst: Listener = found[0]
        self.g.nodes[nid]["label"] = f"listener {lst.protocol}:{port}"
        checks = [Check("ok", f"listener {lst.protocol}:{port} ({lst.short_id})")]
        if lst.protocol in ("HTTP", "HTTPS") and lst.protocol != proto.upper():
            checks.append(Check("blocked", f"CloudFront speaks {proto.upper()} to port {port}, but the listener "
                                            f"there is {lst.protocol}: the connection fails (CloudFront answers 502)"))
        self.edge("alb", nid, checks)
        groups = forwards(self.idx, lst)
        if not groups:
            self.g.nodes[nid]["detail"] = "answers itself (redirect or fixed response): forwards to no target group"
        for tg_arn, how in groups:
            self.edge(nid, self.target_group(tg_arn), [Check("ok", how)])

    def target_group(self, arn: str) -> str:
        if arn in self._tg_done:
            return self._tg_done[arn]["node"]
        tg = self.idx.target_groups.get(arn)
        name = (tg.name if tg else "") or short_arn(arn)
        nid = self.node(f"tg:{name}", "target-group", f"target group {name}")
        state: Dict[str, Any] = {"node": nid, "blocked": {}}
        self._tg_done[arn] = state
        if tg is None:
            self.unknowns.append(Unknown("network", f"target group {name}", "it could not be read"))
            return nid
        hc = tg.health_check_port
        self.g.nodes[nid]["detail"] = (f"{tg.target_type} targets, {tg.protocol}:{tg.port}, health check "
                                       f"{tg.health_check_protocol} {tg.health_check_path} on {hc}").strip()
        targets, unresolved = targets_of(self.inv, self.idx, tg)
        for t in targets:
            self.node(t.node, "target", t.label, f"security groups: {self.idx.sg.labels(t.groups)} ({t.how})")
            checks: List[Check] = []
            hc_port = t.port if hc == "traffic-port" or not hc.isdigit() else int(hc)
            if hc_port == t.port:
                wanted = [("traffic and health-check", t.port)]
            else:
                wanted = [("traffic", t.port), ("health-check", hc_port)]
            for kind, port in wanted:
                found = self.alb_to_target(tg, t, port, kind)
                checks.extend(found)
                if any(c.status == "blocked" for c in found) and "health" in kind:
                    state["blocked"][port] = [c.text for c in found if c.status == "blocked"]
            self.edge(nid, t.node, checks)
        if unresolved:
            self.unknowns.append(Unknown("network", f"the security groups of {len(unresolved)} target(s) of {name}",
                                         f"no network interface was found for {', '.join(unresolved[:5])}"))
        self.health(tg, name, state)
        return nid

    # ALB → target ------------------------------------------------------------------------------

    def alb_to_target(self, tg: TargetGroup, t: Target, port: int, kind: str) -> List[Check]:
        judge = self.judge
        assert judge is not None
        checks: List[Check] = []
        tnets = judge.target_nets(t)
        egress = judge.egress(t, port)
        checks.append(self._once(("egress-check", tuple(t.groups), port, kind, id(egress)), t.label,
                                 lambda: self._checked(*prose.alb_egress(self.scene, t, port, kind, egress))))
        if not t.groups:
            checks.append(Check("unknown", f"tcp/{port}: the target's security groups are not known"))
        else:
            ingress = judge.ingress(t, port)
            checks.append(self._once(("ingress-check", tuple(t.groups), port, kind, tg.arn), t.label,
                                     lambda: self._checked(*prose.target_ingress(
                                         self.scene, tg, t, port, kind, ingress,
                                         lambda: judge.alb_group_for_cloudfront(judge.cloudfront_list_ids())))))
        for a in judge.alb_subnets:
            anet = self.idx.subnet_net(a)
            for s in t.subnets:
                if s == a:
                    continue  # traffic inside one subnet never crosses its ACL
                snet = self.idx.subnet_net(s)
                peer_t = list(tnets) if tnets else ([snet] if snet else [])
                if anet is None or not peer_t:
                    checks.append(Check("unknown", f"network ACLs between {a} and {s}: subnet CIDRs unknown"))
                    continue
                checks.extend(self._nacl_to_target(a, True, snet, peer_t, port, port, f"target {t.label}"))
                checks.extend(self.nacl_check(s, False, [anet], port, port, f"load balancer subnet {a}"))
                checks.extend(self.nacl_check(s, True, [anet], *EPHEMERAL,
                                              f"load balancer subnet {a} (return traffic)"))
                checks.extend(self._nacl_to_target(a, False, snet, peer_t, *EPHEMERAL,
                                                   f"target {t.label} (return traffic)"))
        return checks

    def _checked(self, check: Check, raised: Optional[prose.Raised] = None,
                 unknown: Optional[Unknown] = None) -> Check:
        self.raise_(raised)
        if unknown is not None:
            self.unknowns.append(unknown)
        return check

    def _nacl_to_target(self, subnet: str, egress: bool, target_subnet: Optional[Net], peer: List[Net],
                        lo: int, hi: int, who: str) -> List[Check]:
        """An ALB-subnet ACL check toward a target: its whole subnet first (shared, and sound when it
        passes), the address itself only when the subnet does not pass whole. A task's address changes
        on every deployment, so the fix suggests the target subnet, not the /32."""
        assert self.judge is not None
        if target_subnet is not None and self.judge.subnet_passes(subnet, egress, target_subnet, lo, hi):
            return []
        return self.nacl_check(subnet, egress, peer, lo, hi, who, fix_cidr=target_subnet)

    def nacl_check(self, subnet: str, egress: bool, peer: List[Net], lo: int, hi: int, who: str,
                   exact: bool = True, fix_cidr: Optional[Net] = None) -> List[Check]:
        assert self.judge is not None
        acl = self.idx.acl_for(subnet)
        if acl is None:
            if self.idx.acls or self.idx.subnets:
                return [Check("unknown", f"the network ACL of {subnet} was not found")]
            return []  # ACLs were not read: the collector recorded that as an unknown already
        verdict = self.judge.nacl(acl, egress, peer, lo, hi, exact)
        if verdict.status == "ok":
            return []  # an allowing ACL is not the deciding rule of the hop; keep the edge's text short
        check, raised = prose.nacl_denied(self.scene, acl, subnet, egress, peer, lo, hi, who, verdict, fix_cidr)
        if raised is not None:
            self.bag.add(raised.fid, raised.key, raised.params, raised.evidence, cidr=raised.cidr)
        return [check]

    # Target health -----------------------------------------------------------------------------

    def health(self, tg: TargetGroup, name: str, state: Dict[str, Any]) -> None:
        if not self.idx.health_was_read(tg.arn):
            self.unknowns.append(Unknown("network", f"the health of the targets in {name}", "it could not be read"))
            return
        reading = target_health.read_health(name, self.idx.health_of(tg.arn), services_for(self.inv, tg.arn))
        if reading is None:
            return
        evidence = list(reading.evidence)
        blocked = state.get("blocked") or {}
        if blocked:
            port = sorted(blocked)[0]
            line, fix = prose.network_explains(port, blocked[port], [h for h in _NETWORK_HITS if self.bag.has(h)])
            evidence.append(line)
        else:
            fix = target_health.health_fix(reading.codes, tg)
        self.raise_(prose.unhealthy(self.scene, tg, name, evidence, reading.reason, fix))


def analyze_origin_path(inventory: Any, origin_port_plan: Optional[Sequence[Tuple[str, int]]] = None) -> PathAnalysis:
    """Walk CloudFront → ALB → listener → target groups → targets; say which hop stops the request.

    `inventory` is a NetworkInventory or its as_dict(); `origin_port_plan` is the list of
    (protocol, port) CloudFront connects on (see ports.origin_port_plan); None derives it from the
    inventory's origin.
    """
    inv = inventory if isinstance(inventory, NetworkInventory) else inventory_from_dict(inventory)
    return _Walk(inv, origin_port_plan).run()

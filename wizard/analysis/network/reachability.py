"""Provides the CloudFront → ALB → targets reachability analysis: the path as a graph whose every hop
is ok, blocked or unknown with the rule that decides it, and the findings the graph proves.

Pure: it reads a NetworkInventory (boto3 response shapes, collected by wizard.aws.network) and
returns plain data. The checks, in the order a request meets them: CloudFront → the ALB's
security groups and subnet ACLs → a listener on the origin port → the target groups it forwards
to → from the ALB to each target on the traffic and health-check ports (ALB egress, target
ingress, both subnets' ACLs and the return traffic) → target health.
"""

from __future__ import annotations

from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

import networkx as nx

from ...model import Unknown
from . import nacl as nacls
from . import ports
from . import target_health
from .network_inventory import (CF_PREFIX_LIST, CF_PREFIX_LIST_V6, NetworkIndex, NetworkInventory, inventory_from_dict,
                                inventory_to_dict, service_groups, service_subnets)
from .path_graph import Check, HitBag, PathAnalysis, add_edge, add_node, conclude
from .ports import EPHEMERAL, Net, host_net, nets_text, origin_port_plan
from .sg_rules import Peer, SgVerdict, admits
from .targets import Target, forwards, services_for, short_arn, targets_of

__all__ = ["NetworkInventory", "NetworkIndex", "PathAnalysis", "analyze_origin_path", "inventory_from_dict",
           "inventory_to_dict", "origin_port_plan", "service_groups", "service_subnets", "CF_PREFIX_LIST",
           "CF_PREFIX_LIST_V6"]


class _Walk:
    """One analysis run: builds the graph hop by hop and collects hits and unknowns."""

    def __init__(self, inv: NetworkInventory, plan: Optional[Sequence[Tuple[str, int]]]) -> None:
        self.inv = inv
        self.idx = inv.index()
        self.g = nx.DiGraph()
        self.bag = HitBag()
        self.unknowns: List[Unknown] = list(inv.unknowns)
        self.lb = inv.load_balancer or {}
        self.alb = str(self.lb.get("LoadBalancerName", "the load balancer"))
        self.alb_sgs = [str(g) for g in self.lb.get("SecurityGroups") or []]
        self.cfg = (inv.origin or {}).get("CustomOriginConfig") or {}
        self.policy = str(self.cfg.get("OriginProtocolPolicy") or "unknown")
        self.plan = list(plan) if plan is not None else origin_port_plan(self.cfg, inv.viewer_protocol_policies)
        if self.policy == "match-viewer" and inv.viewer_protocol_policies and all(
                p in ports.HTTPS_ONLY_VIEWERS for p in inv.viewer_protocol_policies):
            # Viewers are forced to HTTPS, so with match-viewer CloudFront never uses the HTTP port.
            self.plan = [p for p in self.plan if p[0] == "https"] or self.plan
        self._tg_done: Dict[str, Dict[str, Any]] = {}
        self._cache: Dict[Any, Any] = {}
        self._recording: Optional[List[Tuple[str, Sequence[Any], Mapping[str, Any], Sequence[str]]]] = None
        self._alb_nets = self._subnet_nets(self._alb_subnets())
        # Whether the ALB's egress rules name groups; if not, the targets' groups cannot change the
        # egress verdict, and targets with different groups share one.
        self._egress_names_groups = any(r.peer_kind == "group" for g in self.alb_sgs
                                        for r in self.idx.sg.rules(g, "egress"))
        self._cf_pl = self.idx.cloudfront_list(CF_PREFIX_LIST)
        self._cf_pl6 = self.idx.cloudfront_list(CF_PREFIX_LIST_V6)

    # Graph helpers -----------------------------------------------------------------------------


    # Graph helpers -----------------------------------------------------------------------------

    def node(self, nid: str, kind: str, label: str, detail: str = "") -> str:
        return add_node(self.g, nid, kind, label, detail)

    def edge(self, src: str, dst: str, checks: Sequence[Check]) -> None:
        add_edge(self.g, src, dst, checks)

    # The walk ----------------------------------------------------------------------------------

    def run(self) -> PathAnalysis:
        origin = self.inv.origin or {}
        domain = str(origin.get("DomainName", ""))
        self.node("cloudfront", "cloudfront", f"CloudFront origin {origin.get('Id') or domain}",
                  f"connects to {domain} with origin protocol policy {self.policy}")
        if not self.inv.load_balancer:
            # The collector says why (the read failed, or no load balancer has that name).
            said = next((u for u in self.unknowns if u.what.startswith("elbv2:DescribeLoadBalancers")), None)
            reason = said.reason if said else (f"no load balancer in {self.inv.region or 'the region'} "
                                               f"has the DNS name {domain}")
            self.node("alb", "alb", domain or "load balancer", "not found")
            self.edge("cloudfront", "alb", [Check("unknown", reason)])
            if said is None:
                self.unknowns.append(Unknown("network", f"the load balancer behind {domain}", reason))
            return self.finish()
        self.node("alb", "alb", f"{self.alb} ({self.lb.get('Scheme', 'internet-facing')})",
                  f"security groups: {self.idx.sg.labels(self.alb_sgs)}")
        if not self.plan:
            self.unknowns.append(Unknown("network", f"the ports CloudFront uses for {domain}",
                                         "the origin has no CustomOriginConfig"))
        self.cloudfront_to_alb()
        for proto, port in self.plan:
            self.listener(proto, port)
        return self.finish()

    def finish(self) -> PathAnalysis:
        return conclude(self.g, self.bag.hits(), self.unknowns)


    def _cf_peer(self) -> Tuple[Peer, List[str]]:
        ip_type = str(self.cfg.get("IpAddressType") or "ipv4").lower()
        families = {"ipv6": (6,), "dualstack": (4, 6)}.get(ip_type, (4,))
        lists = [pl for fam, pl in ((4, self._cf_pl), (6, self._cf_pl6)) if fam in families and pl]
        ids = [str(pl.get("PrefixListId")) for pl in lists]
        entries = [self.idx.sg.prefix_list_entries.get(i) for i in ids]
        nets = None
        if ids and len(ids) == len(families) and all(entries):
            nets = tuple(n for e in entries for n in e)  # type: ignore[union-attr]
        return Peer(prefix_lists=frozenset(ids), nets=nets, families=families,
                    any_family=len(families) > 1), ids

    def cloudfront_to_alb(self) -> None:
        checks: List[Check] = []
        if str(self.lb.get("Scheme", "")) == "internal":
            checks.append(Check("blocked", f"{self.alb} is internal: a custom origin reaches only internet-facing "
                                            "load balancers (an internal one needs a CloudFront VPC origin)"))
        peer, pl_ids = self._cf_peer()
        for _, port in self.plan:
            if not self.alb_sgs:
                checks.append(Check("ok", f"{self.alb} has no security groups: nothing filters tcp/{port}"))
            else:
                verdict = admits(self.idx.sg, self.alb_sgs, "ingress", port, peer)
                checks.append(self._cf_ingress_check(port, verdict, pl_ids))
            cf_nets = list(peer.nets) if peer.nets else [ports.ANY_V4 if f == 4 else ports.ANY_V6
                                                         for f in peer.families]
            for subnet in self._alb_subnets():
                checks.extend(self.nacl_check(subnet, False, cf_nets, port, port, "CloudFront", peer.nets is not None))
                checks.extend(self.nacl_check(subnet, True, cf_nets, *EPHEMERAL, "CloudFront (return traffic)",
                                              peer.nets is not None))
        self.edge("cloudfront", "alb", checks)

    def _cf_ingress_check(self, port: int, verdict: SgVerdict, pl_ids: List[str]) -> Check:
        if verdict.status == "ok":
            return Check("ok", f"tcp/{port}: {verdict.rule_text}")
        if verdict.status == "unknown":
            lists = ", ".join(r.peer_label for r in verdict.unresolved) or "the CIDR rules"
            why = (f"tcp/{port}: {lists} may or may not cover CloudFront "
                   f"(its entries or CloudFront's origin-facing list could not be read)")
            self.unknowns.append(Unknown("network", f"whether {self.alb} admits CloudFront on tcp/{port}", why))
            return Check("unknown", why)
        pl_id = pl_ids[0] if pl_ids else "<CloudFront origin-facing prefix list id>"
        inbound = [r for g in self.alb_sgs for r in self.idx.sg.rules(g, "ingress")]
        evidence = [f"CloudFront connects to {self.alb} on tcp/{port} (origin protocol policy {self.policy})."]
        if inbound:
            shown = "; ".join(r.describe() for r in inbound[:6]) + (" …" if len(inbound) > 6 else "")
            evidence.append(f"The ALB has {self.idx.sg.labels(self.alb_sgs)}; their inbound rules: {shown}.")
        else:
            evidence.append(f"The ALB has {self.idx.sg.labels(self.alb_sgs)}, with no inbound rules at all.")
        if verdict.deciding:
            evidence.append(f"On tcp/{port} the CIDR rules ({'; '.join(r.describe() for r in verdict.deciding[:3])}) "
                            f"leave CloudFront's origin-facing ranges {nets_text(verdict.missing)} closed, so "
                            f"requests from those edge locations cannot connect.")
        else:
            evidence.append(f"None of them admits CloudFront's origin-facing prefix list ({pl_id}) or a covering "
                            f"CIDR on tcp/{port}.")
        self.bag.add("sg.alb-ingress-missing-cloudfront", [port], {
            "alb": self.alb, "alb_sg": self._alb_sg_for_cloudfront(pl_ids), "alb_sgs": ", ".join(self.alb_sgs),
            "port": port, "prefix_list_id": pl_id, "region": self.inv.region, "protocol_policy": self.policy,
        }, evidence)
        return Check("blocked", f"tcp/{port}: no rule in {self.idx.sg.labels(self.alb_sgs)} admits CloudFront")

    def _alb_sg_for_cloudfront(self, pl_ids: List[str]) -> str:
        """The ALB group to fix: one that already admits CloudFront on some port, else the first."""
        for gid in self.alb_sgs:
            if any(r.peer in pl_ids for r in self.idx.sg.rules(gid, "ingress")):
                return gid
        return self.alb_sgs[0] if self.alb_sgs else "<alb security group>"

    # ALB → listener → target groups -------------------------------------------------------------

    def listener(self, proto: str, port: int) -> None:
        nid = self.node(f"listener:{port}", "listener", f"listener :{port}")
        found = [lst for lst in self.inv.listeners if int(lst.get("Port") or 0) == port]
        if not found:
            have = sorted({f"{lst.get('Protocol')}:{lst.get('Port')}" for lst in self.inv.listeners})
            listening = ", ".join(have) or "no port at all"
            self.g.nodes[nid]["detail"] = "no listener"
            self.edge("alb", nid, [Check("blocked", f"{self.alb} has no listener on port {port}; "
                                                     f"it listens on {listening}")])
            tg = next((a for lst in self.inv.listeners for a, _ in forwards(self.inv, lst)), "<target-group-arn>")
            self.bag.add("elb.no-listener-for-origin-port", [port], {
                "alb": self.alb, "alb_arn": self.lb.get("LoadBalancerArn", ""), "port": port,
                "listener_protocol": proto.upper(), "listener_ports": listening, "protocol_policy": self.policy,
                "target_group_arn": tg, "region": self.inv.region,
            }, [f"CloudFront connects to {self.alb} on {proto.upper()}:{port} (origin protocol policy {self.policy}).",
                f"{self.alb} listens on {listening}."])
            return
        lst = found[0]
        lproto = str(lst.get("Protocol", "")).upper()
        self.g.nodes[nid]["label"] = f"listener {lproto}:{port}"
        checks = [Check("ok", f"listener {lproto}:{port} ({str(lst.get('ListenerArn', '')).rsplit('/', 1)[-1]})")]
        if lproto in ("HTTP", "HTTPS") and lproto != proto.upper():
            checks.append(Check("blocked", f"CloudFront speaks {proto.upper()} to port {port}, but the listener "
                                            f"there is {lproto}: the connection fails (CloudFront answers 502)"))
        self.edge("alb", nid, checks)
        groups = forwards(self.inv, lst)
        if not groups:
            self.g.nodes[nid]["detail"] = "answers itself (redirect or fixed response): forwards to no target group"
        for tg_arn, how in groups:
            tg_node = self.target_group(tg_arn)
            self.edge(nid, tg_node, [Check("ok", how)])

    def target_group(self, arn: str) -> str:
        if arn in self._tg_done:
            return self._tg_done[arn]["node"]
        tg = next((t for t in self.inv.target_groups if t.get("TargetGroupArn") == arn), None)
        name = str((tg or {}).get("TargetGroupName") or short_arn(arn))
        nid = self.node(f"tg:{name}", "target-group", f"target group {name}")
        state: Dict[str, Any] = {"node": nid, "blocked": {}}
        self._tg_done[arn] = state
        if tg is None:
            self.unknowns.append(Unknown("network", f"target group {name}", "it could not be read"))
            return nid
        hc = str(tg.get("HealthCheckPort") or "traffic-port")
        self.g.nodes[nid]["detail"] = (f"{tg.get('TargetType', 'instance')} targets, {tg.get('Protocol')}:"
                                       f"{tg.get('Port')}, health check {tg.get('HealthCheckProtocol', '')} "
                                       f"{tg.get('HealthCheckPath', '')} on {hc}").strip()
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

    # Targets -----------------------------------------------------------------------------------

    # ALB → target ------------------------------------------------------------------------------

    def _alb_subnets(self) -> List[str]:
        return [str(z.get("SubnetId")) for z in self.lb.get("AvailabilityZones") or [] if z.get("SubnetId")]

    def _subnet_nets(self, subnet_ids: Sequence[str]) -> Optional[Tuple[Net, ...]]:
        nets = [self.idx.subnet_net(s) for s in subnet_ids]
        if not nets or any(n is None for n in nets):
            return None
        return tuple(nets)  # type: ignore[arg-type]

    def _target_nets(self, t: Target) -> Optional[Tuple[Net, ...]]:
        if t.ip and host_net(t.ip) is not None:
            return (host_net(t.ip),)  # type: ignore[return-value]
        return self._subnet_nets(t.subnets)

    def _hit(self, fid: str, key: Sequence[Any], params: Mapping[str, Any], evidence: Sequence[str]) -> None:
        """Raise a hit, or record it for _once to replay for every target that shares the verdict."""
        if self._recording is not None:
            self._recording.append((fid, key, params, evidence))
        else:
            self.bag.add(fid, key, params, evidence)

    def _once(self, key: Any, target: str, check: Any) -> Check:
        """Run a target check once per key (targets with the same groups share it); replay its hits
        with each target named, so evidence is built once, not once per target."""
        if key not in self._cache:
            self._recording = []
            try:
                result = check()
            finally:
                recorded, self._recording = self._recording, None
            self._cache[key] = (result, recorded)
        result, recorded = self._cache[key]
        for fid, hit_key, params, evidence in recorded:
            self.bag.add(fid, hit_key, params, evidence, target)
        return result

    def _cached(self, key: Any, compute: Any) -> Any:
        if key not in self._cache:
            self._cache[key] = compute()
        return self._cache[key]

    def _egress(self, t: Target, port: int) -> SgVerdict:
        """The ALB's egress verdict for a target: its subnet first (shared by many targets and sound:
        a subnet that passes whole lets each address pass), the address itself only when needed."""
        groups = frozenset(t.groups) if self._egress_names_groups else frozenset()
        wide = self._subnet_nets(t.subnets)
        if wide is not None:
            verdict = self._cached(("egress", groups, wide, port), lambda: admits(
                self.idx.sg, self.alb_sgs, "egress", port, Peer(groups=groups, nets=wide)))
            if verdict.status == "ok":
                return verdict
        tnets = self._target_nets(t)
        return self._cached(("egress", groups, tnets, port), lambda: admits(
            self.idx.sg, self.alb_sgs, "egress", port, Peer(groups=groups, nets=tnets)))

    def alb_to_target(self, tg: Mapping[str, Any], t: Target, port: int, kind: str) -> List[Check]:
        checks: List[Check] = []
        tnets = self._target_nets(t)
        egress = self._egress(t, port)
        checks.append(self._once(("egress-check", tuple(t.groups), port, kind, id(egress)), t.label,
                                 lambda: self._egress_check(t, port, kind, egress)))
        if not t.groups:
            checks.append(Check("unknown", f"tcp/{port}: the target's security groups are not known"))
        else:
            groups = frozenset(t.groups)
            ingress = self._cached(("ingress", groups, port), lambda: admits(
                self.idx.sg, t.groups, "ingress", port, Peer(groups=frozenset(self.alb_sgs), nets=self._alb_nets)))
            checks.append(self._once(("ingress-check", tuple(t.groups), port, kind, tg.get("TargetGroupArn")),
                                     t.label, lambda: self._ingress_check(tg, t, port, kind, ingress)))
        for a in self._alb_subnets():
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

    def _nacl_to_target(self, subnet: str, egress: bool, target_subnet: Optional[Net], peer: List[Net],
                        lo: int, hi: int, who: str) -> List[Check]:
        """An ALB-subnet ACL check toward a target: its whole subnet first (shared, and sound when it
        passes), the address itself only when the subnet does not pass whole. A task's address changes
        on every deployment, so the fix suggests the target subnet, not the /32."""
        if target_subnet is not None:
            acl = self.idx.acl_for(subnet)
            if acl is not None:
                wide = self._cached(("nacl", acl.get("NetworkAclId"), egress, str(target_subnet), lo, hi, True),
                                    lambda: nacls.evaluate(acl, egress, [target_subnet], lo, hi, True))
                if wide.status == "ok":
                    return []
        return self.nacl_check(subnet, egress, peer, lo, hi, who, fix_cidr=target_subnet)

    def _egress_check(self, t: Target, port: int, kind: str, v: SgVerdict) -> Check:
        if v.status == "ok":
            return Check("ok", f"tcp/{port}: {v.rule_text}")
        if v.status == "unknown":
            return Check("unknown", f"tcp/{port}: the ALB's egress rules may not cover the target "
                                     f"({v.rule_text or 'prefix list entries unknown'})")
        outbound = [r for g in self.alb_sgs for r in self.idx.sg.rules(g, "egress")]
        shown = "; ".join(r.describe() for r in outbound[:6]) or "none at all"
        self._hit("sg.alb-egress-blocked", [port, t.groups[0] if t.groups else ""], {
            "alb": self.alb, "alb_sg": self.alb_sgs[0] if self.alb_sgs else "<alb security group>",
            "alb_sgs": ", ".join(self.alb_sgs), "port": port,
            "target_sg": t.groups[0] if t.groups else "<target security group>", "region": self.inv.region,
        }, [f"The ALB opens connections to its targets on tcp/{port} ({kind} port).",
            f"The outbound rules of {self.idx.sg.labels(self.alb_sgs)} are: {shown}; none covers tcp/{port} "
            f"to the targets or their groups ({self.idx.sg.labels(t.groups)})."])
        return Check("blocked", f"tcp/{port}: no outbound rule of {self.idx.sg.labels(self.alb_sgs)} "
                                 f"reaches the target")

    def _ingress_check(self, tg: Mapping[str, Any], t: Target, port: int, kind: str, v: SgVerdict) -> Check:
        sg = self.idx.sg
        if v.status == "ok":
            return Check("ok", f"tcp/{port}: {v.rule_text}")
        if v.status == "unknown":
            why = (f"tcp/{port}: {sg.labels(t.groups)} admits "
                   f"{', '.join(r.peer_label for r in (v.unresolved or v.deciding)[:3])}, and whether that covers "
                   f"the load balancer's addresses is not known")
            self.unknowns.append(Unknown("network", f"whether {sg.labels(t.groups)} admits {self.alb} on tcp/{port}",
                                         why))
            return Check("unknown", why)
        alb_sg = self._alb_sg_to_reference()
        target_sg = t.groups[0]
        has = f"the ALB has {sg.labels(self.alb_sgs)}"
        evidence = [f"The ALB connects to its targets on tcp/{port} ({kind} port of target group "
                    f"{tg.get('TargetGroupName')})."]
        # A reference to one of the targets' own groups (the default group's self-reference) admits
        # the targets' peers: it is not a ghost of a detached load balancer group.
        stale = [r for r in v.stale if r.peer not in t.groups]
        if stale:
            stale_ids = list(dict.fromkeys(r.peer for r in stale))
            target_sg = stale[0].group_id
            for gid in stale_ids:
                owners = sorted({r.group_id for r in stale if r.peer == gid})
                evidence.append(f"{sg.labels(owners)} allows tcp/{port} only from {sg.label(gid)}, which is not "
                                f"attached to the load balancer {self.alb}; {has}.")
                evidence.append(self.idx.where_attached(gid) + ".")
            if v.deciding:
                evidence.append(f"Its CIDR rules ({'; '.join(r.describe() for r in v.deciding[:3])}) leave the ALB's "
                                f"addresses {nets_text(v.missing)} out.")
            self._hit("sg.target-ingress-stale-reference", [target_sg, stale_ids[0], port], {
                "alb": self.alb, "alb_sg": alb_sg, "alb_sgs": ", ".join(self.alb_sgs), "target_sg": target_sg,
                "stale_group": stale_ids[0], "port": port, "region": self.inv.region,
            }, evidence)
            return Check("blocked", f"tcp/{port}: {stale[0].describe()}, and {stale_ids[0]} is not attached to "
                                     f"{self.alb}")
        inbound = [r for g in t.groups for r in sg.rules(g, "ingress")]
        shown = "; ".join(r.describe() for r in inbound[:6]) or "none at all"
        if v.deciding:
            evidence.append(f"{sg.labels(t.groups)} admits tcp/{port} only from "
                            f"{', '.join(r.peer for r in v.deciding[:4])}, which leaves the load balancer's subnets "
                            f"{nets_text(v.missing)} out: the ALB nodes there cannot connect.")
        else:
            evidence.append(f"Nothing in {sg.labels(t.groups)} admits the load balancer on tcp/{port}; {has}.")
        evidence.append(f"The inbound rules of the targets' groups are: {shown}.")
        self._hit("sg.target-ingress-missing", [target_sg, port], {
            "alb": self.alb, "alb_sg": alb_sg, "alb_sgs": ", ".join(self.alb_sgs), "target_sg": target_sg,
            "port": port, "region": self.inv.region,
        }, evidence)
        return Check("blocked", f"tcp/{port}: no inbound rule of {sg.labels(t.groups)} admits {self.alb}")

    def _alb_sg_to_reference(self) -> str:
        """The ALB group a target rule should name: one that admits CloudFront, else the first."""
        pl_ids = [str(p.get("PrefixListId")) for p in (self._cf_pl, self._cf_pl6) if p]
        return self._alb_sg_for_cloudfront(pl_ids)

    # Network ACLs ------------------------------------------------------------------------------

    def nacl_check(self, subnet: str, egress: bool, peer: List[Net], lo: int, hi: int, who: str,
                   exact: bool = True, fix_cidr: Optional[Net] = None) -> List[Check]:
        acl = self.idx.acl_for(subnet)
        if acl is None:
            if self.idx.acls or self.idx.subnets:
                return [Check("unknown", f"the network ACL of {subnet} was not found")]
            return []  # ACLs were not read: the collector recorded that as an unknown already
        verdict: nacls.NaclVerdict = self._cached(
            ("nacl", acl.get("NetworkAclId"), egress, " ".join(map(str, peer)), lo, hi, exact),
            lambda: nacls.evaluate(acl, egress, peer, lo, hi, exact))
        if verdict.status == "ok":
            return []  # an allowing ACL is not the deciding rule of the hop; keep the edge's text short
        if verdict.status == "unknown":
            return [Check("unknown", f"{verdict.describe()} (part of {who}; its exact addresses are not known)")]
        deny = verdict.first_deny
        assert deny is not None
        peer_word = "to" if egress else "from"
        rule = "the default * rule" if deny.rule_label == "*" else f"rule {deny.rule_label} (deny)"
        ports_text = ports.port_text("tcp", lo, hi)
        detail = (f"drops {verdict.direction} {ports.port_text('tcp', deny.port_lo, deny.port_hi)} {peer_word} "
                  f"{who} ({nets_text(list(deny.nets))}) in subnet {subnet}: {rule} decides it.")
        cidr = fix_cidr or (peer[0] if len(peer) == 1 else ports.ANY_V4)
        self.bag.add("nacl.blocked", [verdict.nacl_id, egress, ports_text], {
            "nacl_id": verdict.nacl_id, "direction": verdict.direction,
            "direction_flag": "egress" if egress else "ingress", "rule_number": deny.rule_label, "rule": rule,
            "ports": ports_text, "from_port": lo, "to_port": hi,
            "suggested_rule": nacls.suggested_rule_number(acl, egress, deny.rule_number), "detail": detail,
            "subnet": subnet, "region": self.inv.region,
        }, [f"{verdict.nacl_id} {detail}"], cidr=cidr)
        return [Check("blocked", verdict.describe())]

    # Target health -----------------------------------------------------------------------------

    def health(self, tg: Mapping[str, Any], name: str, state: Dict[str, Any]) -> None:
        arn = str(tg.get("TargetGroupArn"))
        if arn not in self.inv.target_health:
            self.unknowns.append(Unknown("network", f"the health of the targets in {name}", "it could not be read"))
            return
        reading = target_health.read_health(name, self.inv.target_health.get(arn) or [], services_for(self.inv, arn))
        if reading is None:
            return
        evidence = list(reading.evidence)
        blocked = state.get("blocked") or {}
        if blocked:
            port = sorted(blocked)[0]
            found = [h for h in ("sg.target-ingress-stale-reference", "sg.target-ingress-missing",
                                 "sg.alb-egress-blocked", "nacl.blocked") if self.bag.has(h)]
            evidence.append(f"The network analysis explains it: health checks go from the load balancer to each "
                            f"target on tcp/{port}, and that port is blocked ({'; '.join(blocked[port][:2])}).")
            fix = (f"Fix the blocked rule first ({', '.join(found) or 'see above'}); the targets turn healthy "
                   f"after a few health-check intervals.")
        else:
            fix = target_health.health_fix(reading.codes, tg)
        self.bag.add("elb.targets-unhealthy", [arn], {
            "target_group": name, "target_group_arn": arn, "reason": reading.reason, "health_fix": fix,
            "region": self.inv.region,
        }, evidence)



def analyze_origin_path(inventory: Any, origin_port_plan: Optional[Sequence[Tuple[str, int]]] = None) -> PathAnalysis:
    """Walk CloudFront → ALB → listener → target groups → targets; say which hop stops the request.

    `inventory` is a NetworkInventory or its as_dict(); `origin_port_plan` is the list of
    (protocol, port) CloudFront connects on (see origin_port_plan); None derives it from the
    inventory's origin.
    """
    inv = inventory if isinstance(inventory, NetworkInventory) else inventory_from_dict(inventory)
    return _Walk(inv, origin_port_plan).run()

"""Provides the CloudFront → origin reachability analysis for origins that are not an ALB: an EC2
instance (its public DNS name) and a Network Load Balancer. It reuses the ALB walk's CloudFront hop
(who CloudFront is as a security-group peer, which rule admits it, the subnet ACLs both ways) and
names the result sg.origin-ingress-missing-cloudfront, with the origin's own words.

Pure: reads a NetworkInventory, returns a PathAnalysis.
"""

from __future__ import annotations

from typing import Any, List, Mapping, Optional, Sequence, Tuple

from ...model import Hit, Unknown
from .network_inventory import NetworkInventory
from .path_graph import Check, PathAnalysis
from .reachability import _Walk

ALB_ID = "sg.alb-ingress-missing-cloudfront"
ORIGIN_ID = "sg.origin-ingress-missing-cloudfront"


def origin_type(inv: NetworkInventory) -> str:
    """"instance", "network" (an NLB), "application" (an ALB) or "" when the origin was not found."""
    lb = inv.load_balancer or {}
    return str(lb.get("Type") or ("application" if lb else ""))


def origin_words(inv: NetworkInventory) -> str:
    return {"instance": "EC2 instance", "network": "Network Load Balancer"}.get(origin_type(inv), "load balancer")


class _HostWalk(_Walk):
    """Only the first hop: there is no listener or target group on an instance."""

    def run(self) -> PathAnalysis:
        domain = self.start()
        if self.lb is None or self.judge is None:
            self.node("alb", "origin", domain or "origin", "not found")
            said = next((u for u in self.unknowns if u.what.startswith("ec2:DescribeInstances")), None)
            reason = said.reason if said else f"no instance has the address in {domain}"
            self.edge("cloudfront", "alb", [Check("unknown", reason)])
            if said is None:
                self.unknowns.append(Unknown("network", f"the instance behind {domain}", reason))
            return self.finish()
        self.node("alb", "origin", f"{self.alb} (EC2 instance)",
                  f"security groups: {self.idx.sg.labels(self.judge.alb_sgs)}")
        self.cloudfront_to_alb(self.judge)
        return self.finish()


def analyze_host_origin(inv: NetworkInventory, plan: Optional[Sequence[Tuple[str, int]]] = None) -> PathAnalysis:
    """CloudFront's hop to an EC2 instance origin: its groups and subnet ACL, on each origin port."""
    analysis = _HostWalk(inv, plan).run()
    analysis.hits = as_origin_hits(inv, analysis.hits)
    return analysis


def as_origin_hits(inv: NetworkInventory, hits: List[Hit]) -> List[Hit]:
    """The ALB walk's "no ALB group admits CloudFront" said of an EC2 instance or NLB origin."""
    if origin_type(inv) not in ("instance", "network"):
        return hits
    words = origin_words(inv)
    return [_renamed(h, words, inv) if h.id == ALB_ID else h for h in hits]


def _renamed(hit: Hit, words: str, inv: NetworkInventory) -> Hit:
    p: Mapping[str, Any] = hit.params
    evidence = tuple(e.replace("The ALB has", f"The {words} {p.get('alb')} has") for e in hit.evidence)
    params = {"origin": p.get("alb", ""), "origin_kind": words, "origin_sg": p.get("alb_sg", ""),
              "origin_sgs": p.get("alb_sgs", ""), "port": p.get("port", ""),
              "prefix_list_id": p.get("prefix_list_id", ""), "region": p.get("region", inv.region),
              "protocol_policy": p.get("protocol_policy", "")}
    return Hit(ORIGIN_ID, evidence, params, hit.severity)


def nlb_client_ip_hits(inv: NetworkInventory) -> List[Hit]:
    """An NLB without security groups filters nothing, and it keeps the client's address for instance
    targets (client IP preservation, on by default for them): the targets' groups then meet CloudFront's
    origin-facing addresses on the traffic port and must admit them. (Health checks still come from the
    NLB's nodes, which the ALB walk judges.) Raised per target group and port, naming the targets' group."""
    from .judge import Judge
    from .sg_rules import admits
    from .targets import targets_of

    idx = inv.index()
    lb = idx.load_balancer
    if origin_type(inv) != "network" or lb is None or lb.security_groups:
        return []
    cfg = (inv.origin or {}).get("CustomOriginConfig") or {}
    peer, pl_ids = Judge(idx, lb).cloudfront_peer(str(cfg.get("IpAddressType") or "ipv4"))
    pl_id = pl_ids[0] if pl_ids else "<CloudFront origin-facing prefix list id>"
    hits: List[Hit] = []
    for tg in idx.target_groups.values():
        if tg.target_type != "instance":
            continue
        targets, _ = targets_of(inv, idx, tg)
        for port, groups in sorted({(t.port, tuple(t.groups)) for t in targets if t.groups}):
            verdict = admits(idx.sg, list(groups), "ingress", port, peer)
            if verdict.status != "blocked":
                continue  # ok, or unknown (a group or list that could not be read): never a false finding
            shown = "; ".join(r.describe() for g in groups for r in idx.sg.rules(g, "ingress")[:6]) or "none at all"
            affected = [t.label for t in targets if tuple(t.groups) == groups and t.port == port]
            hits.append(Hit(ORIGIN_ID, (
                f"{lb.name} is a Network Load Balancer without security groups: it passes CloudFront's connections "
                f"to instance targets with the client's address preserved (the default for instance targets).",
                f"The targets of {tg.name} ({', '.join(affected[:5])}) see CloudFront's origin-facing addresses on "
                f"tcp/{port}; their groups {idx.sg.labels(list(groups))} have the inbound rules: {shown}.",
                f"None of them admits CloudFront's origin-facing prefix list ({pl_id}) or a covering CIDR on tcp/{port}.",
            ), {"origin": f"{lb.name} (target group {tg.name})",
                "origin_kind": "instance targets of the Network Load Balancer",
                "origin_sg": groups[0], "origin_sgs": ", ".join(groups), "port": str(port), "prefix_list_id": pl_id,
                "region": inv.region, "protocol_policy": str(cfg.get("OriginProtocolPolicy") or "")}))
    return hits

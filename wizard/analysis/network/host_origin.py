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
        origin = self.inv.origin or {}
        domain = str(origin.get("DomainName", ""))
        self.node("cloudfront", "cloudfront", f"CloudFront origin {origin.get('Id') or domain}",
                  f"connects to {domain} with origin protocol policy {self.policy}")
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

"""Provides the judgement of a CloudFront VPC origin's one hop: CloudFront's traffic comes from its
service-managed group CloudFront-VPCOrigins-Service-SG inside the origin's VPC, so the origin's groups
must admit that group on the origin port (cf.vpc-origin.sg-missing). Pure: reads a NetworkInventory
(wizard.aws.vpc_origin) and the shared security-group rules (sg_rules.admits)."""

from __future__ import annotations

from typing import List, Tuple

from ...model import Hit, Unknown
from .network_inventory import NetworkInventory
from .ports import origin_port_plan
from .sg_rules import Peer, admits

SERVICE_SG = "CloudFront-VPCOrigins-Service-SG"


def vpc_origin_path(inv: NetworkInventory) -> Tuple[List[Hit], List[Unknown]]:
    unknowns = list(inv.unknowns)
    lb = inv.load_balancer
    if not lb:
        return [], unknowns
    idx = inv.index()
    vpc = str(lb.get("VpcId") or "")
    name = str(lb.get("LoadBalancerName") or lb.get("LoadBalancerArn") or "the origin")
    vo_id = str((inv.origin.get("VpcOriginConfig") or {}).get("VpcOriginId") or "")
    service = next((g for g in inv.security_groups if g.get("GroupName") == SERVICE_SG and g.get("VpcId") == vpc), None)
    if service is None:
        if not any("SecurityGroups" in u.what for u in unknowns):
            unknowns.append(Unknown("network", f"{SERVICE_SG} in {vpc}",
                                    f"no such group in {vpc}: CloudFront creates it when VPC origin {vo_id} is "
                                    "deployed there (still deploying, or the origin is in another VPC or account)"))
        return [], unknowns
    groups = [str(g) for g in lb.get("SecurityGroups") or []]
    if not groups:
        return [], unknowns  # nothing filters the connection
    sid = str(service["GroupId"])
    cfg = inv.origin.get("CustomOriginConfig") or {}
    # CloudFront's interfaces are in the endpoint's subnets; unknown ranges: only 0.0.0.0/0 surely covers them.
    subnet_nets = [idx.subnet_net(str(z.get("SubnetId"))) for z in lb.get("AvailabilityZones") or []]
    nets = tuple(subnet_nets) if subnet_nets and all(n is not None for n in subnet_nets) else None
    hits: List[Hit] = []
    for _, port in origin_port_plan(cfg, inv.viewer_protocol_policies):
        verdict = admits(idx.sg, groups, "ingress", port, Peer(groups=frozenset({sid}), nets=nets))
        if verdict.status == "unknown":
            unknowns.append(Unknown("network", f"whether {name} admits {SERVICE_SG} on tcp/{port}",
                                    verdict.rule_text or "a group or prefix list on the hop could not be read"))
        if verdict.status != "blocked":
            continue
        shown = "; ".join(r.describe() for g in groups for r in idx.sg.rules(g, "ingress")[:6]) or "none at all"
        hits.append(Hit("cf.vpc-origin.sg-missing", (
            f"The origin is reached through VPC origin {vo_id}: CloudFront connects to {name} on tcp/{port} from "
            f"its service-managed group {sid} ({SERVICE_SG}) in {vpc}.",
            f"{name} has {idx.sg.labels(groups)}; their inbound rules: {shown}.",
            f"None of them admits {sid} on tcp/{port} (CloudFront's origin-facing prefix list does not apply to "
            "VPC origins).",
        ), {"origin": name, "origin_sg": groups[0], "origin_sgs": ", ".join(groups), "port": str(port),
            "service_sg": sid, "vpc": vpc, "vpc_origin_id": vo_id, "region": inv.region}))
    return hits, unknowns

"""Provides gather(): the SafetyState of a lab after a diagnosis — the diagnosis's own readings (the
distribution, the origin, the load balancer inventory) plus the bucket's exposure, read read-only."""

from __future__ import annotations

from typing import Any, Mapping, Optional, Set, Tuple

from ..aws.facts import EdgeFacts
from .safety import OPEN_CIDRS, SafetyState, parse_policy


def facts_of(diagnosis) -> EdgeFacts:
    """The diagnosis's probe outcomes read as EdgeFacts (what the checks saw)."""
    return EdgeFacts(symptom=diagnosis.symptom, outcomes={o.name: o for o in diagnosis.probes})


def open_ingress(inventory: Optional[Mapping[str, Any]]) -> Optional[Set[Tuple[str, str, str]]]:
    """(role, group, cidr) for every ingress from the whole internet on the load balancer's groups and
    the targets' (their network interfaces') groups; None when the inventory was not read."""
    if not inventory:
        return None
    roles = {}
    lbs = list(inventory.get("load_balancers") or []) + ([inventory["load_balancer"]] if inventory.get("load_balancer") else [])
    for lb in lbs:
        for gid in lb.get("SecurityGroups") or []:
            roles.setdefault(str(gid), "load balancer")
    for eni in inventory.get("network_interfaces") or []:
        for group in eni.get("Groups") or []:
            roles.setdefault(str(group.get("GroupId")), "target")
    out = set()
    for group in inventory.get("security_groups") or []:
        gid = str(group.get("GroupId"))
        if gid not in roles:
            continue
        for perm in group.get("IpPermissions") or []:
            for r in perm.get("IpRanges") or []:
                if r.get("CidrIp") in OPEN_CIDRS:
                    out.add((roles[gid], gid, r["CidrIp"]))
            for r in perm.get("Ipv6Ranges") or []:
                if r.get("CidrIpv6") in OPEN_CIDRS:
                    out.add((roles[gid], gid, r["CidrIpv6"]))
    return out


def gather(diagnosis, access) -> SafetyState:
    """The SafetyState for a finished diagnosis; `access` (an AwsAccess) reads the bucket's exposure."""
    from ..aws.bucket_exposure import bucket_exposure

    facts = facts_of(diagnosis)
    origin = facts.origin
    dist = facts.distribution
    state = SafetyState(origin_kind=facts.origin_kind, bucket=facts.bucket,
                        distribution_arn=dist.arn if dist else None,
                        uses_origin_access=bool(origin and (origin.oac_id or origin.oai_id)))
    if state.bucket:
        exposure = bucket_exposure(access, state.bucket)
        state.policy_read = exposure["policy_read"]
        state.policy = parse_policy(exposure["policy"])
        state.acl_grants = exposure["acl_grants"]
        state.bpa = exposure["bpa"]
        state.cors_read = exposure["cors_read"]
        state.cors_rules = exposure["cors_rules"]
    state.open_ingress = open_ingress(facts.data("aws.alb_inventory"))
    return state

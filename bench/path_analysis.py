"""Provides the reachability benchmark: analyze_origin_path and the security-group reference lookup
over a synthetic account (5,000 groups, 50,000 rules, 20,000 interfaces) and one half its size.

Run: python bench/path_analysis.py  — prints seconds (best of 3) and peak traced memory at both
sizes and the ratio (about 2 means linear growth). The goal is under a second at full size.
"""

from __future__ import annotations

import random
import sys
import time
import tracemalloc
from pathlib import Path
from typing import Any, Dict, List, Tuple

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from wizard.analysis.network.network_inventory import inventory_from_dict  # noqa: E402
from wizard.analysis.network.reachability import analyze_origin_path  # noqa: E402
from wizard.analysis.network.sg_refs import security_group_references  # noqa: E402

CF_PL = "pl-cloudfront"
N_SUBNETS = 48
N_TARGET_GROUPS = 8
TARGET_SHARE = 10  # one interface in this many is a registered target


def _perm(rng: random.Random, n_groups: int) -> Dict[str, Any]:
    port = rng.choice((80, 443, 8080, 22, 5432, 3000))
    perm: Dict[str, Any] = {"IpProtocol": "tcp", "FromPort": port, "ToPort": port, "IpRanges": [],
                            "Ipv6Ranges": [], "PrefixListIds": [], "UserIdGroupPairs": []}
    kind = rng.random()
    if kind < 0.5:
        perm["UserIdGroupPairs"].append({"GroupId": f"sg-{rng.randrange(n_groups):08d}"})
    elif kind < 0.95:
        perm["IpRanges"].append({"CidrIp": f"10.{rng.randrange(256)}.{rng.randrange(256)}.0/24"})
    else:
        perm["PrefixListIds"].append({"PrefixListId": CF_PL})
    return perm


def synthetic(n_groups: int, n_rules: int, n_enis: int, seed: int = 3) -> Dict[str, Any]:
    """An account in boto3 shapes: one ALB in front of target groups whose targets are a tenth of
    the interfaces; rules reference random groups, CIDRs and the CloudFront prefix list."""
    rng = random.Random(seed)
    groups: List[Dict[str, Any]] = []
    per_group = n_rules // n_groups
    for i in range(n_groups):
        groups.append({"GroupId": f"sg-{i:08d}", "GroupName": f"group-{i}", "VpcId": "vpc-1",
                       "IpPermissions": [_perm(rng, n_groups) for _ in range(per_group - 1)],
                       "IpPermissionsEgress": [{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}],
                                                "Ipv6Ranges": [], "PrefixListIds": [], "UserIdGroupPairs": []}]})
    alb_sgs = ["sg-00000000", "sg-00000001"]
    groups[0]["IpPermissions"].append({"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "IpRanges": [],
                                       "PrefixListIds": [{"PrefixListId": CF_PL}], "UserIdGroupPairs": []})
    subnets = [{"SubnetId": f"subnet-{i}", "CidrBlock": f"10.{i}.0.0/16", "VpcId": "vpc-1"} for i in range(N_SUBNETS)]
    acls = [{"NetworkAclId": "acl-default", "VpcId": "vpc-1", "IsDefault": True, "Associations": [],
             "Entries": [{"RuleNumber": 100, "Egress": e, "RuleAction": "allow", "CidrBlock": "0.0.0.0/0",
                          "Protocol": "-1"} for e in (False, True)]}]
    for a in range(8):  # custom ACLs: a deny for a remote range, then the recommended allows
        entries = []
        for egress in (False, True):
            entries.append({"RuleNumber": 50, "Egress": egress, "RuleAction": "deny", "CidrBlock": "192.168.0.0/16",
                            "Protocol": "6", "PortRange": {"From": 0, "To": 65535}})
            for n, (lo, hi) in enumerate(((80, 80), (443, 443), (8080, 8080), (1024, 65535)), start=1):
                entries.append({"RuleNumber": 100 + n, "Egress": egress, "RuleAction": "allow",
                                "CidrBlock": "0.0.0.0/0", "Protocol": "6", "PortRange": {"From": lo, "To": hi}})
        acls.append({"NetworkAclId": f"acl-{a}", "VpcId": "vpc-1", "IsDefault": False, "Entries": entries,
                     "Associations": [{"SubnetId": f"subnet-{s}"} for s in range(a, N_SUBNETS, 8)]})
    tg_arns = [f"arn:aws:elasticloadbalancing:r:1:targetgroup/tg-{i}/x" for i in range(N_TARGET_GROUPS)]
    enis, health = [], {arn: [] for arn in tg_arns}
    target_groups_pool = [f"sg-{i:08d}" for i in range(2, min(n_groups, 200))]
    for i in range(n_enis):
        subnet = i % N_SUBNETS
        ip = f"10.{subnet}.{(i // 250) % 256}.{i % 250 + 1}"
        if i % TARGET_SHARE == 0:
            eni_groups = rng.sample(target_groups_pool, 2)
            arn = tg_arns[(i // TARGET_SHARE) % N_TARGET_GROUPS]
            health[arn].append({"Target": {"Id": ip, "Port": 8080},
                                "TargetHealth": {"State": rng.choice(("healthy", "unhealthy"))}})
        else:
            eni_groups = [f"sg-{rng.randrange(n_groups):08d}"]
        enis.append({"NetworkInterfaceId": f"eni-{i:08d}", "PrivateIpAddress": ip, "SubnetId": f"subnet-{subnet}",
                     "VpcId": "vpc-1", "Groups": [{"GroupId": g} for g in eni_groups]})
    for gid in target_groups_pool[:50]:  # some target groups admit the ALB by reference
        group = groups[int(gid[3:])]
        group["IpPermissions"].append({"IpProtocol": "tcp", "FromPort": 8080, "ToPort": 8080, "IpRanges": [],
                                       "PrefixListIds": [], "UserIdGroupPairs": [{"GroupId": alb_sgs[0]}]})
    return {
        "region": "ap-northeast-1",
        "origin": {"Id": "alb", "DomainName": "alb-1.ap-northeast-1.elb.amazonaws.com",
                   "CustomOriginConfig": {"HTTPPort": 80, "HTTPSPort": 443, "OriginProtocolPolicy": "match-viewer"}},
        "load_balancer": {"LoadBalancerArn": "arn:alb", "LoadBalancerName": "alb-1", "VpcId": "vpc-1",
                          "Scheme": "internet-facing", "SecurityGroups": alb_sgs,
                          "AvailabilityZones": [{"SubnetId": f"subnet-{s}"} for s in (0, 1, 2)]},
        "listeners": [{"ListenerArn": f"arn:listener/{p}", "Port": p, "Protocol": proto,
                       "DefaultActions": [{"Type": "forward", "ForwardConfig": {
                           "TargetGroups": [{"TargetGroupArn": a} for a in tg_arns]}}]}
                      for p, proto in ((80, "HTTP"), (443, "HTTPS"))],
        "target_groups": [{"TargetGroupArn": a, "TargetGroupName": a.split("/")[1], "TargetType": "ip", "Port": 8080,
                           "Protocol": "HTTP", "HealthCheckPort": "traffic-port"} for a in tg_arns],
        "target_health": health,
        "security_groups": groups,
        "prefix_lists": [{"PrefixListId": CF_PL, "PrefixListName": "com.amazonaws.global.cloudfront.origin-facing",
                          "OwnerId": "AWS"}],
        "prefix_list_entries": {CF_PL: ["130.176.0.0/18", "15.158.0.0/16", "13.124.199.0/24"]},
        "network_interfaces": enis,
        "subnets": subnets,
        "network_acls": acls,
    }


REPEATS = 3


def _measure(raw: Dict[str, Any], fn) -> Tuple[float, float, Any]:
    """Best-of-REPEATS seconds (untraced: tracemalloc slows Python down several times; the best run
    is the one least disturbed by other processes) and the traced peak in MB, each on a fresh
    inventory so the index is built inside the measurement."""
    seconds = float("inf")
    for _ in range(REPEATS):
        inv = inventory_from_dict(raw)
        t0 = time.perf_counter()
        result = fn(inv)
        seconds = min(seconds, time.perf_counter() - t0)
    inv = inventory_from_dict(raw)
    tracemalloc.start()
    fn(inv)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return seconds, peak / 1e6, result


def run(n_groups: int, n_rules: int, n_enis: int) -> Dict[str, Any]:
    """Time one size: the path analysis on a fresh inventory, then two reference lookups."""
    raw = synthetic(n_groups, n_rules, n_enis)
    rules = sum(len(p.get("IpRanges") or []) + len(p.get("UserIdGroupPairs") or []) + len(p.get("PrefixListIds") or [])
                for g in raw["security_groups"] for p in g["IpPermissions"] + g["IpPermissionsEgress"])
    seconds, peak, analysis = _measure(raw, analyze_origin_path)
    # The first lookup builds the reverse index over every rule; the next one reuses it.
    ref_first, ref_peak, refs = _measure(raw, lambda inv: security_group_references(inv, "sg-00000000"))
    inv = inventory_from_dict(raw)
    security_group_references(inv, "sg-00000000")
    t0 = time.perf_counter()
    security_group_references(inv, "sg-00000001")
    ref_next = time.perf_counter() - t0
    targets = sum(len(v) for v in raw["target_health"].values())
    return {"groups": n_groups, "rules": rules, "enis": n_enis, "targets": targets, "analysis_s": seconds,
            "analysis_peak_mb": peak, "refs_first_s": ref_first, "refs_peak_mb": ref_peak, "refs_next_s": ref_next,
            "edges": len(analysis.graph.edges), "hits": len(analysis.hits), "referencing_rules": len(refs.rules)}


def main() -> None:
    half = run(2_500, 25_000, 10_000)
    full = run(5_000, 50_000, 20_000)
    cols = ("groups", "rules", "enis", "targets", "edges", "hits", "analysis_s", "analysis_peak_mb",
            "refs_first_s", "refs_next_s", "refs_peak_mb", "referencing_rules")
    print(f"{'':>18} {'half':>10} {'full':>10} {'ratio':>7}")
    for col in cols:
        a, b = half[col], full[col]
        fmt = "{:>10.3f}" if isinstance(a, float) else "{:>10}"
        ratio = f"{b / a:>7.2f}" if a else f"{'-':>7}"
        print(f"{col:>18} {fmt.format(a)} {fmt.format(b)} {ratio}")


if __name__ == "__main__":
    main()

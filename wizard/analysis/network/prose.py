"""Provides the words of the reachability findings: given a verdict that stops (or may stop) a hop,
the hop's rule text, the finding it raises (id, merge key, template params, evidence) and what
could not be told — for CloudFront → ALB security groups, the listener, the ALB's egress, the
targets' ingress (missing or a stale group reference), network ACLs and unhealthy targets. It
decides nothing: network.judge gives the verdicts, network.reachability asks for the words.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, List, Mapping, Optional, Sequence, Tuple

from ...aws.network_models import TargetGroup
from ...model import Unknown
from . import nacl as nacls
from . import ports
from .network_inventory import NetworkIndex
from .path_graph import Check
from .ports import Net, nets_text
from .sg_rules import SgVerdict
from .targets import Target


@dataclass(frozen=True)
class Scene:
    """What the prose names: the load balancer, its groups, CloudFront's protocol policy, the region."""

    idx: NetworkIndex
    alb: str
    alb_sgs: Tuple[str, ...]
    policy: str
    region: str


@dataclass(frozen=True)
class Raised:
    """A finding to raise: hits with the same id and key merge (see path_graph.HitBag)."""

    fid: str
    key: Tuple[Any, ...]
    params: Mapping[str, Any]
    evidence: Tuple[str, ...]
    cidr: Optional[Net] = field(default=None)


def cloudfront_ingress(s: Scene, port: int, v: SgVerdict, pl_ids: Sequence[str],
                       alb_sg: str) -> Tuple[Check, Optional[Raised], Optional[Unknown]]:
    """The ALB's groups and CloudFront on one port."""
    sg = s.idx.sg
    if v.status == "ok":
        return Check("ok", f"tcp/{port}: {v.rule_text}"), None, None
    if v.status == "unknown":
        lists = ", ".join(r.peer_label for r in v.unresolved) or "the CIDR rules"
        why = (f"tcp/{port}: {lists} may or may not cover CloudFront "
               f"(its entries or CloudFront's origin-facing list could not be read)")
        return Check("unknown", why), None, Unknown("network", f"whether {s.alb} admits CloudFront on tcp/{port}", why)
    pl_id = pl_ids[0] if pl_ids else "<CloudFront origin-facing prefix list id>"
    inbound = [r for g in s.alb_sgs for r in sg.rules(g, "ingress")]
    evidence = [f"CloudFront connects to {s.alb} on tcp/{port} (origin protocol policy {s.policy})."]
    if inbound:
        shown = "; ".join(r.describe() for r in inbound[:6]) + (" …" if len(inbound) > 6 else "")
        evidence.append(f"The ALB has {sg.labels(s.alb_sgs)}; their inbound rules: {shown}.")
    else:
        evidence.append(f"The ALB has {sg.labels(s.alb_sgs)}, with no inbound rules at all.")
    if v.deciding:
        evidence.append(f"On tcp/{port} the CIDR rules ({'; '.join(r.describe() for r in v.deciding[:3])}) "
                        f"leave CloudFront's origin-facing ranges {nets_text(v.missing)} closed, so "
                        f"requests from those edge locations cannot connect.")
    else:
        evidence.append(f"None of them admits CloudFront's origin-facing prefix list ({pl_id}) or a covering "
                        f"CIDR on tcp/{port}.")
    raised = Raised("sg.alb-ingress-missing-cloudfront", (port,), {
        "alb": s.alb, "alb_sg": alb_sg, "alb_sgs": ", ".join(s.alb_sgs), "port": port, "prefix_list_id": pl_id,
        "region": s.region, "protocol_policy": s.policy,
    }, tuple(evidence))
    return Check("blocked", f"tcp/{port}: no rule in {sg.labels(s.alb_sgs)} admits CloudFront"), raised, None


def no_listener(s: Scene, proto: str, port: int, listening: str, alb_arn: str, tg_arn: str) -> Tuple[Check, Raised]:
    """CloudFront connects on a port the load balancer does not listen on."""
    check = Check("blocked", f"{s.alb} has no listener on port {port}; it listens on {listening}")
    return check, Raised("elb.no-listener-for-origin-port", (port,), {
        "alb": s.alb, "alb_arn": alb_arn, "port": port, "listener_protocol": proto.upper(),
        "listener_ports": listening, "protocol_policy": s.policy, "target_group_arn": tg_arn, "region": s.region,
    }, (f"CloudFront connects to {s.alb} on {proto.upper()}:{port} (origin protocol policy {s.policy}).",
        f"{s.alb} listens on {listening}."))


def alb_egress(s: Scene, t: Target, port: int, kind: str, v: SgVerdict) -> Tuple[Check, Optional[Raised]]:
    """The ALB's outbound rules and one target port."""
    sg = s.idx.sg
    if v.status == "ok":
        return Check("ok", f"tcp/{port}: {v.rule_text}"), None
    if v.status == "unknown":
        return Check("unknown", f"tcp/{port}: the ALB's egress rules may not cover the target "
                                f"({v.rule_text or 'prefix list entries unknown'})"), None
    outbound = [r for g in s.alb_sgs for r in sg.rules(g, "egress")]
    shown = "; ".join(r.describe() for r in outbound[:6]) or "none at all"
    raised = Raised("sg.alb-egress-blocked", (port, t.groups[0] if t.groups else ""), {
        "alb": s.alb, "alb_sg": s.alb_sgs[0] if s.alb_sgs else "<alb security group>",
        "alb_sgs": ", ".join(s.alb_sgs), "port": port,
        "target_sg": t.groups[0] if t.groups else "<target security group>", "region": s.region,
    }, (f"The ALB opens connections to its targets on tcp/{port} ({kind} port).",
        f"The outbound rules of {sg.labels(s.alb_sgs)} are: {shown}; none covers tcp/{port} "
        f"to the targets or their groups ({sg.labels(t.groups)})."))
    return Check("blocked", f"tcp/{port}: no outbound rule of {sg.labels(s.alb_sgs)} reaches the target"), raised


def target_ingress(s: Scene, tg: TargetGroup, t: Target, port: int, kind: str, v: SgVerdict,
                   alb_sg: Callable[[], str]) -> Tuple[Check, Optional[Raised], Optional[Unknown]]:
    """The targets' inbound rules and the load balancer: ok, a stale group reference, or nothing at all.
    `alb_sg` names the ALB group a fixed rule should reference (asked only when the hop is blocked)."""
    sg = s.idx.sg
    if v.status == "ok":
        return Check("ok", f"tcp/{port}: {v.rule_text}"), None, None
    if v.status == "unknown":
        why = (f"tcp/{port}: {sg.labels(t.groups)} admits "
               f"{', '.join(r.peer_label for r in (v.unresolved or v.deciding)[:3])}, and whether that covers "
               f"the load balancer's addresses is not known")
        return Check("unknown", why), None, Unknown(
            "network", f"whether {sg.labels(t.groups)} admits {s.alb} on tcp/{port}", why)
    target_sg = t.groups[0]
    has = f"the ALB has {sg.labels(s.alb_sgs)}"
    evidence = [f"The ALB connects to its targets on tcp/{port} ({kind} port of target group {tg.name})."]
    params = {"alb": s.alb, "alb_sg": alb_sg(), "alb_sgs": ", ".join(s.alb_sgs), "port": port, "region": s.region}
    # A reference to one of the targets' own groups (the default group's self-reference) admits
    # the targets' peers: it is not a ghost of a detached load balancer group.
    stale = [r for r in v.stale if r.peer not in t.groups]
    if stale:
        stale_ids = list(dict.fromkeys(r.peer for r in stale))
        target_sg = stale[0].group_id
        for gid in stale_ids:
            owners = sorted({r.group_id for r in stale if r.peer == gid})
            evidence.append(f"{sg.labels(owners)} allows tcp/{port} only from {sg.label(gid)}, which is not "
                            f"attached to the load balancer {s.alb}; {has}.")
            evidence.append(s.idx.where_attached(gid) + ".")
        if v.deciding:
            evidence.append(f"Its CIDR rules ({'; '.join(r.describe() for r in v.deciding[:3])}) leave the ALB's "
                            f"addresses {nets_text(v.missing)} out.")
        raised = Raised("sg.target-ingress-stale-reference", (target_sg, stale_ids[0], port),
                        dict(params, target_sg=target_sg, stale_group=stale_ids[0]), tuple(evidence))
        return Check("blocked", f"tcp/{port}: {stale[0].describe()}, and {stale_ids[0]} is not attached to "
                                f"{s.alb}"), raised, None
    inbound = [r for g in t.groups for r in sg.rules(g, "ingress")]
    shown = "; ".join(r.describe() for r in inbound[:6]) or "none at all"
    if v.deciding:
        evidence.append(f"{sg.labels(t.groups)} admits tcp/{port} only from "
                        f"{', '.join(r.peer for r in v.deciding[:4])}, which leaves the load balancer's subnets "
                        f"{nets_text(v.missing)} out: the ALB nodes there cannot connect.")
    else:
        evidence.append(f"Nothing in {sg.labels(t.groups)} admits the load balancer on tcp/{port}; {has}.")
    evidence.append(f"The inbound rules of the targets' groups are: {shown}.")
    raised = Raised("sg.target-ingress-missing", (target_sg, port), dict(params, target_sg=target_sg),
                    tuple(evidence))
    return Check("blocked", f"tcp/{port}: no inbound rule of {sg.labels(t.groups)} admits {s.alb}"), raised, None


def nacl_denied(s: Scene, acl: Mapping[str, Any], subnet: str, egress: bool, peer: List[Net], lo: int, hi: int,
                who: str, verdict: nacls.NaclVerdict, fix_cidr: Optional[Net]) -> Tuple[Check, Optional[Raised]]:
    """A subnet's ACL that drops (or may drop) part of a flow."""
    if verdict.status == "unknown":
        return Check("unknown", f"{verdict.describe()} (part of {who}; its exact addresses are not known)"), None
    deny = verdict.first_deny
    assert deny is not None
    peer_word = "to" if egress else "from"
    rule = "the default * rule" if deny.rule_label == "*" else f"rule {deny.rule_label} (deny)"
    ports_text = ports.port_text("tcp", lo, hi)
    detail = (f"drops {verdict.direction} {ports.port_text('tcp', deny.port_lo, deny.port_hi)} {peer_word} "
              f"{who} ({nets_text(list(deny.nets))}) in subnet {subnet}: {rule} decides it.")
    raised = Raised("nacl.blocked", (verdict.nacl_id, egress, ports_text), {
        "nacl_id": verdict.nacl_id, "direction": verdict.direction,
        "direction_flag": "egress" if egress else "ingress", "rule_number": deny.rule_label, "rule": rule,
        "ports": ports_text, "from_port": lo, "to_port": hi,
        "suggested_rule": nacls.suggested_rule_number(acl, egress, deny.rule_number), "detail": detail,
        "subnet": subnet, "region": s.region,
    }, (f"{verdict.nacl_id} {detail}",), cidr=fix_cidr or (peer[0] if len(peer) == 1 else ports.ANY_V4))
    return Check("blocked", verdict.describe()), raised


def unhealthy(s: Scene, tg: TargetGroup, name: str, evidence: Sequence[str], reason: str, fix: str) -> Raised:
    return Raised("elb.targets-unhealthy", (tg.arn,), {
        "target_group": name, "target_group_arn": tg.arn, "reason": reason, "health_fix": fix,
        "region": s.region,
    }, tuple(evidence))


def network_explains(port: int, blocked: Sequence[str], found: Sequence[str]) -> Tuple[str, str]:
    """The evidence line and the fix when the health checks fail because the network blocks them."""
    return (f"The network analysis explains it: health checks go from the load balancer to each target on "
            f"tcp/{port}, and that port is blocked ({'; '.join(blocked[:2])}).",
            f"Fix the blocked rule first ({', '.join(found) or 'see above'}); the targets turn healthy after a "
            f"few health-check intervals.")

"""Provides the targets behind a load balancer as the reachability analysis needs them: which target
groups a listener forwards to (default action, then rules by priority), and each registered target (or
ECS task or service) with its address, subnets and security groups, and where those came from.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, Iterable, List, Mapping, Optional, Tuple

from .network_inventory import NetworkIndex, NetworkInventory, service_groups, service_subnets


@dataclass
class Target:
    """One place the load balancer sends traffic to, with what guards it."""

    node: str
    label: str
    port: int
    ip: Optional[str]
    subnets: List[str]
    groups: List[str]
    how: str  # where the groups came from


def short_arn(arn: str) -> str:
    """The name part of a target group ARN."""
    return arn.rsplit("/", 2)[-2] if arn.count("/") >= 2 else arn


def services_for(inv: NetworkInventory, arn: str) -> List[Mapping[str, Any]]:
    """The ECS services registered with one target group."""
    return [s for s in inv.ecs_services
            if any(lb.get("targetGroupArn") == arn for lb in s.get("loadBalancers") or [])]


def forwards(inv: NetworkInventory, lst: Mapping[str, Any]) -> List[Tuple[str, str]]:
    """(target group ARN, how the listener gets there), default action first, then rules by priority."""
    out: Dict[str, str] = {}

    def take(actions: Iterable[Mapping[str, Any]], how: str) -> None:
        for action in actions or []:
            if action.get("Type") != "forward":
                continue
            arns = [action.get("TargetGroupArn")] + [
                t.get("TargetGroupArn") for t in (action.get("ForwardConfig") or {}).get("TargetGroups") or []]
            for arn in arns:
                if arn and arn not in out:
                    out[str(arn)] = how

    take(lst.get("DefaultActions") or [], "default action forwards")
    rules = inv.listener_rules.get(str(lst.get("ListenerArn", ""))) or []
    for rule in sorted(rules, key=lambda r: (r.get("IsDefault", False), _priority(r))):
        if rule.get("IsDefault"):
            continue
        take(rule.get("Actions") or [], f"rule {rule.get('Priority')} ({_conditions(rule)}) forwards")
    return list(out.items())


def targets_of(inv: NetworkInventory, idx: NetworkIndex, tg: Mapping[str, Any]) -> Tuple[List[Target], List[str]]:
    """Registered targets with their interfaces; else the ECS tasks or service behind the group."""
    arn = str(tg.get("TargetGroupArn"))
    kind = str(tg.get("TargetType", "instance"))
    services = services_for(inv, arn)
    svc_groups = [g for s in services for g in service_groups(s)]
    out: List[Target] = []
    unresolved: List[str] = []
    if kind in ("lambda", "alb"):
        return out, unresolved
    for desc in inv.target_health.get(arn) or []:
        target = desc.get("Target") or {}
        tid, port = str(target.get("Id", "")), int(target.get("Port") or tg.get("Port") or 0)
        eni = idx.enis_by_ip.get(tid) if kind == "ip" else _primary(idx.enis_by_instance.get(tid))
        health = desc.get("TargetHealth") or {}
        label = f"{tid}:{port} ({health.get('State', 'unknown')})"
        if eni is not None:
            ip = tid if kind == "ip" else str(eni.get("PrivateIpAddress") or "") or None
            groups = [str(g.get("GroupId")) for g in eni.get("Groups") or []]
            out.append(Target(f"target:{tid}:{port}", label, port, ip, [str(eni.get("SubnetId", ""))],
                               groups, f"from {eni.get('NetworkInterfaceId')}"))
        elif svc_groups:
            ip = tid if kind == "ip" else None
            subnet = idx.subnet_of_ip(tid) if ip else None
            out.append(Target(f"target:{tid}:{port}", label, port, ip, [subnet] if subnet else [],
                               svc_groups, "from the ECS service's network configuration"))
        else:
            out.append(Target(f"target:{tid}:{port}", label, port, tid if kind == "ip" else None, [], [],
                               "interface not found"))
            unresolved.append(tid)
    if out or unresolved:
        return out, unresolved
    for service in services:
        port = next((int(lb.get("containerPort") or 0) for lb in service.get("loadBalancers") or []
                     if lb.get("targetGroupArn") == arn), int(tg.get("Port") or 0))
        tasks = [t for t in inv.ecs_tasks if t.get("group") == f"service:{service.get('serviceName')}"]
        for task in tasks:
            eni_id, ip, subnet = _task_eni(task)
            eni = idx.enis_by_id.get(str(eni_id))
            groups = [str(g.get("GroupId")) for g in (eni or {}).get("Groups") or []] or service_groups(service)
            out.append(Target(f"task:{ip or eni_id}:{port}", f"task {ip or eni_id}:{port} (not registered)",
                               port, ip, [subnet] if subnet else [], groups,
                               f"ECS task of {service.get('serviceName')}"))
        if not tasks:
            out.append(Target(f"ecs-service:{service.get('serviceName')}",
                               f"ECS service {service.get('serviceName')} (no registered targets)", port, None,
                               service_subnets(service), service_groups(service),
                               "from the ECS service's network configuration"))
    return out, unresolved



def _primary(enis: Optional[List[Mapping[str, Any]]]) -> Optional[Mapping[str, Any]]:
    """An instance target receives traffic on its primary interface (device index 0)."""
    if not enis:
        return None
    return next((e for e in enis if (e.get("Attachment") or {}).get("DeviceIndex") == 0), enis[0])


def _task_eni(task: Mapping[str, Any]) -> Tuple[Optional[str], Optional[str], Optional[str]]:
    for attachment in task.get("attachments") or []:
        if attachment.get("type") != "ElasticNetworkInterface":
            continue
        details = {d.get("name"): d.get("value") for d in attachment.get("details") or []}
        return details.get("networkInterfaceId"), details.get("privateIPv4Address"), details.get("subnetId")
    return None, None, None


def _priority(rule: Mapping[str, Any]) -> int:
    try:
        return int(rule.get("Priority"))
    except (TypeError, ValueError):
        return 1 << 30


def _conditions(rule: Mapping[str, Any]) -> str:
    parts = []
    for cond in rule.get("Conditions") or []:
        values = cond.get("Values") or []
        for key in ("PathPatternConfig", "HostHeaderConfig", "HttpRequestMethodConfig", "SourceIpConfig"):
            values = values or (cond.get(key) or {}).get("Values") or []
        parts.append(f"{cond.get('Field')} {','.join(values)}".strip())
    return "; ".join(parts) or "no conditions"

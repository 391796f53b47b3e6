"""Provides the targets behind a load balancer as the reachability analysis needs them: which target
groups a listener forwards to (default action, then rules by priority), and each registered target (or
ECS task or service) with its address, subnets and security groups, and where those came from.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, Iterable, List, Mapping, Optional, Tuple

from ...aws.network_models import Action, Listener, NetworkInterface, TargetGroup
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


def forwards(idx: NetworkIndex, lst: Listener) -> List[Tuple[str, str]]:
    """(target group ARN, how the listener gets there), default action first, then rules by priority."""
    out: Dict[str, str] = {}

    def take(actions: Iterable[Action], how: str) -> None:
        for action in actions:
            if action.type != "forward":
                continue
            for arn in action.target_groups:
                out.setdefault(arn, how)

    take(lst.default_actions, "default action forwards")
    rules = [r for r in idx.listener_rules.get(lst.arn) or [] if not r.is_default]
    for rule in sorted(rules, key=lambda r: r.priority):
        take(rule.actions, f"rule {rule.priority} ({rule.conditions}) forwards")
    return list(out.items())


def targets_of(inv: NetworkInventory, idx: NetworkIndex, tg: TargetGroup) -> Tuple[List[Target], List[str]]:
    """Registered targets with their interfaces; else the ECS tasks or service behind the group."""
    kind = tg.target_type
    services = services_for(inv, tg.arn)
    svc_groups = [g for s in services for g in service_groups(s)]
    out: List[Target] = []
    unresolved: List[str] = []
    if kind in ("lambda", "alb"):
        return out, unresolved
    for desc in idx.health_of(tg.arn):
        tid, port = desc.target_id, desc.port or tg.port
        eni = idx.eni_by_ip(tid) if kind == "ip" else _primary(idx.enis_of_instance(tid))
        label = f"{tid}:{port} ({desc.state})"
        if eni is not None:
            ip = tid if kind == "ip" else eni.private_ip or None
            out.append(Target(f"target:{tid}:{port}", label, port, ip, [eni.subnet], list(eni.groups),
                              f"from {eni.id}"))
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
                     if lb.get("targetGroupArn") == tg.arn), tg.port)
        tasks = [t for t in inv.ecs_tasks if t.get("group") == f"service:{service.get('serviceName')}"]
        for task in tasks:
            eni_id, ip, subnet = _task_eni(task)
            eni = idx.eni_by_id(str(eni_id))
            groups = (list(eni.groups) if eni else []) or service_groups(service)
            out.append(Target(f"task:{ip or eni_id}:{port}", f"task {ip or eni_id}:{port} (not registered)",
                              port, ip, [subnet] if subnet else [], groups,
                              f"ECS task of {service.get('serviceName')}"))
        if not tasks:
            out.append(Target(f"ecs-service:{service.get('serviceName')}",
                              f"ECS service {service.get('serviceName')} (no registered targets)", port, None,
                              service_subnets(service), service_groups(service),
                              "from the ECS service's network configuration"))
    return out, unresolved


def _primary(enis: List[NetworkInterface]) -> Optional[NetworkInterface]:
    """An instance target receives traffic on its primary interface (device index 0)."""
    if not enis:
        return None
    return next((e for e in enis if e.device_index == 0), enis[0])


def _task_eni(task: Mapping[str, Any]) -> Tuple[Optional[str], Optional[str], Optional[str]]:
    for attachment in task.get("attachments") or []:
        if attachment.get("type") != "ElasticNetworkInterface":
            continue
        details = {d.get("name"): d.get("value") for d in attachment.get("details") or []}
        return details.get("networkInterfaceId"), details.get("privateIPv4Address"), details.get("subnetId")
    return None, None, None

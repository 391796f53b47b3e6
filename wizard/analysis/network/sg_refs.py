"""Provides the answer to "what depends on this security group?": the rules in other groups that
reference it, what carries it (interfaces, load balancers, ECS services), and what would lose
access if it were detached or deleted (seed 003's lesson: look before you detach).

Pure: it reads a NetworkInventory (or its dict) as wizard.aws.network collects it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, List, Tuple

from ...model import Unknown
from .network_inventory import NetworkIndex, NetworkInventory, inventory_from_dict, service_groups
from ...aws.network_models import SgRule


@dataclass
class SgReferences:
    """Where a security group is used, and what its removal would close."""

    group_id: str
    group_name: str = ""
    exists: bool = True
    rules: List[SgRule] = field(default_factory=list)  # rules of other groups that name it
    network_interfaces: List[Dict[str, str]] = field(default_factory=list)
    load_balancers: List[str] = field(default_factory=list)
    ecs_services: List[str] = field(default_factory=list)
    if_removed: List[str] = field(default_factory=list)  # plain sentences
    unknowns: List[Unknown] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"{self.group_id} ({self.group_name})" if self.group_name else self.group_id

    def as_dict(self) -> Dict[str, Any]:
        """JSON-ready form."""
        return {
            "group_id": self.group_id, "group_name": self.group_name, "exists": self.exists,
            "rules": [r.describe() for r in self.rules],
            "network_interfaces": list(self.network_interfaces), "load_balancers": list(self.load_balancers),
            "ecs_services": list(self.ecs_services), "if_removed": list(self.if_removed),
            "unknowns": [vars(u).copy() for u in self.unknowns],
        }


def _overlap(a: SgRule, b: SgRule) -> bool:
    """True when the two rules share some protocol and port."""
    if "-1" in (a.protocol, b.protocol):
        return True
    return a.protocol == b.protocol and a.from_port <= b.to_port and b.from_port <= a.to_port


def _carriers(idx: NetworkIndex, gid: str) -> List[Tuple[str, List[str]]]:
    """(name, all its groups) for everything that carries `gid`."""
    out = [(f"load balancer {lb.name}", list(lb.security_groups)) for lb in idx.lbs_with_group(gid)]
    out += [(f"ECS service {s.get('serviceName')}", service_groups(s)) for s in idx.services_with_group(gid)]
    enis = [e for e in idx.enis_with_group(gid)
            if not e.description.startswith("ELB ")]  # the load balancer is already named
    out += [(e.id, list(e.groups)) for e in enis[:3]]
    if len(enis) > 3:
        out.append((f"{len(enis) - 3} more interfaces", [gid]))
    return out


def _consequence(idx: NetworkIndex, gid: str, rule: SgRule, carriers: List[Tuple[str, List[str]]]) -> str:
    """What one referencing rule stops granting once `gid` is gone from the carriers."""
    owner = idx.sg.label(rule.group_id)
    verb, word = ("admit", "from") if rule.direction == "ingress" else ("allow", "to")
    others = [r for r in idx.sg.rules(rule.group_id, rule.direction) if r.peer != gid and _overlap(r, rule)]
    # A carrier that also has a group the remaining rules name keeps its access.
    kept_by = {r.peer for r in others if r.peer_kind == "group"}
    losers = [name for name, groups in carriers if not kept_by.intersection(groups)]
    who = f" ({', '.join(losers)} would lose it)" if losers else ""
    if not others:
        return f"{owner} would {verb} {rule.ports} {word} nobody{who}."
    kept = ", ".join(dict.fromkeys(f"{r.peer_label} on {r.ports}" for r in others[:4]))
    return f"{owner} would {verb} {rule.ports} only {word} {kept}{who}."


def _carrier_losses(idx: NetworkIndex, gid: str, carriers: List[Tuple[str, List[str]]], limit: int = 6) -> List[str]:
    """What each carrier stops admitting once `gid` is detached: the inbound rules of `gid` that no
    other group of the carrier repeats."""
    out: List[str] = []
    own = [r for r in idx.sg.rules(gid, "ingress")]
    for name, groups in carriers:
        others = [r for g in groups if g != gid for r in idx.sg.rules(g, "ingress")]
        for rule in own:
            if any(o.peer == rule.peer and _overlap(o, rule) for o in others):
                continue
            out.append(f"{name} would stop admitting {rule.ports} from {rule.peer_label} "
                       f"(granted only by {idx.sg.label(gid)}).")
            if len(out) >= limit:
                return out
    return out


def security_group_references(inventory_like: Any, sg_id: str) -> SgReferences:
    """Rules that name `sg_id`, what carries it, and what would lose access without it."""
    inv: NetworkInventory = inventory_from_dict(inventory_like)
    idx = inv.index()
    out = SgReferences(sg_id, idx.sg.name(sg_id), exists=sg_id in idx.sg and sg_id not in idx.missing_groups,
                       unknowns=list(inv.unknowns))
    out.rules = [r for r in idx.sg.referencing(sg_id) if r.group_id != sg_id]
    for eni in idx.enis_with_group(sg_id):
        out.network_interfaces.append({"id": eni.id, "description": eni.description, "private_ip": eni.private_ip,
                                       "subnet": eni.subnet})
    out.load_balancers = [lb.name for lb in idx.lbs_with_group(sg_id)]
    out.ecs_services = [str(s.get("serviceName")) for s in idx.services_with_group(sg_id)]
    carriers = _carriers(idx, sg_id)
    carrier_names = [name for name, _ in carriers]
    for rule in out.rules:
        out.if_removed.append(_consequence(idx, sg_id, rule, carriers))
    out.if_removed.extend(_carrier_losses(idx, sg_id, carriers))
    if out.rules and out.exists:
        # Same-VPC references block deletion (DependencyViolation), but nothing stops a detach: the
        # rules then silently admit nobody, which is how seed 003's ghost reference was born.
        out.if_removed.append(f"AWS refuses to delete {out.label} while these rules name it (DependencyViolation), "
                              f"but detaching it from {', '.join(carrier_names) or 'what carries it'} is accepted "
                              f"without warning and has the same effect.")
    if not out.exists:
        where = f" in {inv.region}" if inv.region else ""
        out.if_removed.insert(0, f"{sg_id} does not exist{where} any more: the rules that name it admit nobody now.")
    if not out.rules and not carriers and out.exists and not out.unknowns:  # silence proves nothing when reads failed
        out.if_removed.append(f"Nothing this scan can see references or carries {out.label}.")
    return out


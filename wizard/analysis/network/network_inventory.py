"""Provides the network inventory (boto3 response shapes, as wizard.aws.network collects and journals
them) and the index the analyses read it through, as typed facts (wizard.aws.network_models): the
load balancer, listeners, target groups and health, groups and rules, interfaces by address,
instance and group; subnets, network ACLs and CloudFront's prefix lists stay as AWS gives them.

Pure: no AWS calls; the collector fills it, the analyses only read it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any, Dict, List, Mapping, Optional

from ...aws.network_models import (ListenerRule, LoadBalancer, Listener, NetworkInterface, TargetGroup, TargetHealth,
                                   index_interfaces, listeners, target_health)
from ...model import Unknown
from . import nacl as nacls
from .ports import Net, host_net, parse_net
from .sg_rules import SgIndex

__all__ = ["CF_PREFIX_LIST", "CF_PREFIX_LIST_V6", "NetworkIndex", "NetworkInventory", "inventory_from_dict",
           "inventory_to_dict", "service_groups", "service_subnets"]

CF_PREFIX_LIST = "com.amazonaws.global.cloudfront.origin-facing"
CF_PREFIX_LIST_V6 = "com.amazonaws.global.ipv6.cloudfront.origin-facing"


@dataclass
class NetworkInventory:
    """What the collector read, in boto3 response shapes, plus what it could not read.

    Lists hold the items of describe_* answers (one dict per load balancer, group, interface...);
    `target_health` and `listener_rules` are keyed by target-group and listener ARN. A read that
    failed leaves its part empty and adds an entry to `unknowns`: empty never means "none" then.
    """

    region: str = ""
    origin: Dict[str, Any] = field(default_factory=dict)  # the CloudFront origin (DomainName, CustomOriginConfig)
    viewer_protocol_policies: List[str] = field(default_factory=list)  # of the behaviors that use the origin
    load_balancer: Optional[Dict[str, Any]] = None
    load_balancers: List[Dict[str, Any]] = field(default_factory=list)
    listeners: List[Dict[str, Any]] = field(default_factory=list)
    listener_rules: Dict[str, List[Dict[str, Any]]] = field(default_factory=dict)
    target_groups: List[Dict[str, Any]] = field(default_factory=list)
    target_health: Dict[str, List[Dict[str, Any]]] = field(default_factory=dict)
    security_groups: List[Dict[str, Any]] = field(default_factory=list)
    missing_groups: List[str] = field(default_factory=list)  # referenced, but describe found no such group
    prefix_lists: List[Dict[str, Any]] = field(default_factory=list)
    prefix_list_entries: Dict[str, List[str]] = field(default_factory=dict)
    network_interfaces: List[Dict[str, Any]] = field(default_factory=list)
    subnets: List[Dict[str, Any]] = field(default_factory=list)
    network_acls: List[Dict[str, Any]] = field(default_factory=list)
    ecs_services: List[Dict[str, Any]] = field(default_factory=list)
    ecs_tasks: List[Dict[str, Any]] = field(default_factory=list)
    unknowns: List[Unknown] = field(default_factory=list)

    def as_dict(self) -> Dict[str, Any]:
        """A JSON-ready dict (what the probe journals); inventory_from_dict reads it back."""
        out = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "unknowns"}
        out["unknowns"] = [asdict(u) for u in self.unknowns]
        return out

    def index(self) -> "NetworkIndex":
        """The lookups the analyses need, built once per inventory."""
        cached = self.__dict__.get("_index")
        if cached is None:
            cached = NetworkIndex(self)
            self.__dict__["_index"] = cached
        return cached


def inventory_from_dict(data: Optional[Mapping[str, Any]]) -> NetworkInventory:
    """A NetworkInventory from its as_dict() form (unknown keys are ignored)."""
    if isinstance(data, NetworkInventory):
        return data
    data = dict(data or {})
    names = {f.name for f in fields(NetworkInventory)}
    kwargs = {k: v for k, v in data.items() if k in names and k != "unknowns"}
    unknowns = [u if isinstance(u, Unknown) else Unknown(str(u.get("layer", "network")), str(u.get("what", "")),
                                                          str(u.get("reason", "")))
                for u in data.get("unknowns") or []]
    return NetworkInventory(unknowns=unknowns, **kwargs)


def inventory_to_dict(inventory: Any) -> Dict[str, Any]:
    """The JSON-ready dict of an inventory (a dict is returned as it is)."""
    if isinstance(inventory, NetworkInventory):
        return inventory.as_dict()
    return dict(inventory or {})


class NetworkIndex:
    """Lookups over an inventory, as typed facts (wizard.aws.network_models): the load balancer, its
    listeners and rules, target groups and health, groups and rules, interfaces by address, instance
    and group; subnets and ACLs.

    Groups and interfaces are built into models on first use: an account holds tens of thousands,
    the path reaches a few.
    """

    def __init__(self, inv: NetworkInventory) -> None:
        pl_names = {str(p.get("PrefixListId")): str(p.get("PrefixListName", "")) for p in inv.prefix_lists}
        self.sg = SgIndex(inv.security_groups, pl_names, inv.prefix_list_entries)
        self.missing_groups = set(inv.missing_groups)
        self.load_balancer: Optional[LoadBalancer] = LoadBalancer.from_raw(inv.load_balancer)
        self.listeners: List[Listener] = listeners(inv.listeners)
        self.listener_rules: Dict[str, List[ListenerRule]] = {
            arn: [ListenerRule.from_raw(r) for r in rules or []] for arn, rules in inv.listener_rules.items()}
        self.target_groups: Dict[str, TargetGroup] = {}
        for raw in inv.target_groups:
            tg = TargetGroup.from_raw(raw)
            self.target_groups.setdefault(tg.arn, tg)
        self._raw_health = inv.target_health
        self._health: Dict[str, List[TargetHealth]] = {}
        self._enis: Dict[int, NetworkInterface] = {}  # built on first use, by id() of the raw item
        self._interfaces = index_interfaces(inv.network_interfaces)
        self._where: Dict[str, str] = {}
        self.subnets: Dict[str, Mapping[str, Any]] = {str(s.get("SubnetId")): s for s in inv.subnets}
        self.acls = list(inv.network_acls)
        self._acl_by_subnet = nacls.acl_index(self.acls)
        self.prefix_lists = inv.prefix_lists
        others = [lb for lb in (LoadBalancer.from_raw(x) for x in inv.load_balancers) if lb is not None]
        self.load_balancers: List[LoadBalancer] = ([self.load_balancer] if self.load_balancer else []) + [
            lb for lb in others if not self.load_balancer or lb.arn != self.load_balancer.arn]
        self.ecs_services = inv.ecs_services

    def health_was_read(self, tg_arn: str) -> bool:
        """An ARN missing from the inventory's target health means describe-target-health failed for it."""
        return tg_arn in self._raw_health

    def health_of(self, tg_arn: str) -> List[TargetHealth]:
        """The group's describe-target-health items (empty when none are registered or it was not read)."""
        if tg_arn not in self._health:
            self._health[tg_arn] = target_health(self._raw_health.get(tg_arn) or [])
        return self._health[tg_arn]

    def _eni(self, raw: Mapping[str, Any]) -> NetworkInterface:
        key = id(raw)  # the inventory keeps every item alive as long as this index
        if key not in self._enis:
            self._enis[key] = NetworkInterface.from_raw(raw)
        return self._enis[key]

    def eni_by_id(self, eni_id: str) -> Optional[NetworkInterface]:
        raw = self._interfaces.by_id.get(eni_id)
        return None if raw is None else self._eni(raw)

    def eni_by_ip(self, ip: str) -> Optional[NetworkInterface]:
        raw = self._interfaces.by_ip.get(ip)
        return None if raw is None else self._eni(raw)

    def enis_of_instance(self, instance_id: str) -> List[NetworkInterface]:
        return [self._eni(raw) for raw in self._interfaces.by_instance.get(instance_id, ())]

    def enis_with_group(self, gid: str) -> List[NetworkInterface]:
        """Network interfaces that carry the group."""
        return [self._eni(raw) for raw in self._interfaces.by_group.get(gid, ())]

    def lbs_with_group(self, gid: str) -> List[LoadBalancer]:
        return [lb for lb in self.load_balancers if gid in lb.security_groups]

    def services_with_group(self, gid: str) -> List[Mapping[str, Any]]:
        return [s for s in self.ecs_services if gid in service_groups(s)]

    def subnet_net(self, subnet_id: str) -> Optional[Net]:
        subnet = self.subnets.get(subnet_id)
        return parse_net(subnet.get("CidrBlock")) if subnet else None

    def subnet_of_ip(self, ip: str) -> Optional[str]:
        addr = host_net(ip)
        if addr is None:
            return None
        for sid, subnet in self.subnets.items():
            net = parse_net(subnet.get("CidrBlock"))
            if net is not None and net.version == addr.version and addr.subnet_of(net):  # type: ignore[arg-type]
                return sid
        return None

    def acl_for(self, subnet_id: str) -> Optional[Mapping[str, Any]]:
        if subnet_id in self._acl_by_subnet:
            return self._acl_by_subnet[subnet_id]
        vpc = (self.subnets.get(subnet_id) or {}).get("VpcId", "")
        return nacls.acl_for_subnet(self.acls, subnet_id, str(vpc))

    def cloudfront_list(self, name: str) -> Optional[Mapping[str, Any]]:
        """The AWS-owned prefix list by name (a customer list may carry the same name)."""
        for pl in self.prefix_lists:
            if pl.get("PrefixListName") == name and str(pl.get("OwnerId", "AWS")) == "AWS":
                return pl
        return None

    def where_attached(self, gid: str) -> str:
        """Where a group is attached, said plainly (for evidence)."""
        if gid not in self._where:
            self._where[gid] = self._where_attached(gid)
        return self._where[gid]

    def _where_attached(self, gid: str) -> str:
        if gid in self.missing_groups:
            return f"{gid} no longer exists (it was deleted)"
        if gid not in self.sg:
            return f"{gid} could not be read"
        places = [f"load balancer {lb.name}" for lb in self.lbs_with_group(gid)]
        places += [f"ECS service {s.get('serviceName')}" for s in self.services_with_group(gid)]
        enis = self.enis_with_group(gid)
        places += [f"{e.id} ({e.description or e.private_ip or 'interface'})" for e in enis[:3]]
        if len(enis) > 3:
            places.append(f"{len(enis) - 3} more interfaces")
        if not places:
            return f"{self.sg.label(gid)} is attached to nothing this scan can see"
        return f"{self.sg.label(gid)} is still attached to {', '.join(places)}"


def service_groups(service: Mapping[str, Any]) -> List[str]:
    """The security groups of an ECS service (awsvpc network mode)."""
    cfg = (service.get("networkConfiguration") or {}).get("awsvpcConfiguration") or {}
    return [str(g) for g in cfg.get("securityGroups") or []]


def service_subnets(service: Mapping[str, Any]) -> List[str]:
    """The subnets of an ECS service (awsvpc network mode)."""
    cfg = (service.get("networkConfiguration") or {}).get("awsvpcConfiguration") or {}
    return [str(s) for s in cfg.get("subnets") or []]

"""Provides the read-only network collectors: the ALB behind a CloudFront origin with everything on
its path (listeners, rules, target groups and health, security groups, CloudFront's prefix list,
interfaces, subnets, ACLs, the ECS services behind the targets), and where one security group is
referenced or attached.

Every call is a Describe/List/Get through the guarded AwsAccess. A call that fails is explained
(errors.explain) and recorded in the inventory as an unknown; the collector never raises for it.
"""

from __future__ import annotations

import re
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Set, Union

from ..analysis.network.network_inventory import (CF_PREFIX_LIST, CF_PREFIX_LIST_V6, NetworkInventory, service_groups,
                                          service_subnets)
from ..model import Unknown
from .errors import explain
from .jsonable import jsonable
from .session import AwsAccess

# ALB: NAME-ID.REGION.elb.amazonaws.com; NLB: NAME-ID.elb.REGION.amazonaws.com (either may be dualstack.).
_ELB_REGION = re.compile(r"(?:\.([a-z]{2}(?:-[a-z]+)+-\d+)\.elb|\.elb\.([a-z]{2}(?:-[a-z]+)+-\d+))"
                         r"\.amazonaws\.com(?:\.cn)?$")
_MAX_FILTER_VALUES = 200  # EC2 accepts up to 200 values per filter
_MAX_PREFIX_LISTS = 10  # entries are read for CloudFront's lists and a few customer lists only
_MAX_CLUSTERS = 50  # searching ECS for the service behind a target group stops here


def _chunks(values: Sequence[Any], size: int) -> Iterable[List[Any]]:
    values = list(values)
    for i in range(0, len(values), size):
        yield values[i:i + size]


class _Reader:
    """Runs read calls for one region, turning each failure into an Unknown on the inventory."""

    def __init__(self, access: AwsAccess, region: str, inv: NetworkInventory) -> None:
        self.access = access
        self.region = region
        self.inv = inv

    def _fail(self, service: str, method: str, purpose: str, exc: BaseException) -> None:
        client = self.access.client(service, self.region)
        operation = client.meta.method_to_api_mapping.get(method, method)
        failure = explain(exc, service, operation)
        self.inv.unknowns.append(Unknown("network", f"{service}:{operation} ({purpose})", failure.message))

    def call(self, service: str, method: str, purpose: str, **kwargs: Any) -> Optional[Dict[str, Any]]:
        """One call; None when it failed (and the failure is recorded)."""
        try:
            return getattr(self.access.client(service, self.region), method)(**kwargs)
        except Exception as exc:  # noqa: BLE001 - every failure becomes an Unknown, by design
            self._fail(service, method, purpose, exc)
            return None

    def pages(self, service: str, method: str, key: str, purpose: str, **kwargs: Any) -> Optional[List[Any]]:
        """Every item of `key` across pages; None when a page failed."""
        items: List[Any] = []
        try:
            client = self.access.client(service, self.region)
            if client.can_paginate(method):
                for page in client.get_paginator(method).paginate(**kwargs):
                    items.extend(page.get(key) or [])
            else:
                items.extend(getattr(client, method)(**kwargs).get(key) or [])
        except Exception as exc:  # noqa: BLE001
            self._fail(service, method, purpose, exc)
            return None
        return items

    def filtered(self, service: str, method: str, key: str, purpose: str, name: str,
                 values: Iterable[str], **kwargs: Any) -> List[Any]:
        """Items matching a filter with many values, asked for in chunks."""
        out: List[Any] = []
        for chunk in _chunks(sorted(set(v for v in values if v)), _MAX_FILTER_VALUES):
            out.extend(self.pages(service, method, key, purpose,
                                  Filters=[{"Name": name, "Values": chunk}], **kwargs) or [])
        return out


def _origin(distribution_config: Optional[Mapping[str, Any]], origin: Union[str, Mapping[str, Any]]) -> Dict[str, Any]:
    if isinstance(origin, str):
        items = ((distribution_config or {}).get("Origins") or {}).get("Items") or []
        return dict(next((o for o in items if o.get("Id") == origin), {"Id": origin}))
    return dict(origin or {})


def _viewer_policies(distribution_config: Optional[Mapping[str, Any]], origin_id: str) -> List[str]:
    """The viewer protocol policies of the behaviors that send requests to this origin."""
    cfg = distribution_config or {}
    behaviors = [cfg.get("DefaultCacheBehavior") or {}] + list((cfg.get("CacheBehaviors") or {}).get("Items") or [])
    return [str(b.get("ViewerProtocolPolicy")) for b in behaviors
            if b.get("TargetOriginId") == origin_id and b.get("ViewerProtocolPolicy")]


def elb_name(domain: str) -> str:
    """The load balancer DNS name an origin domain points at (lower case, without `dualstack.`)."""
    name = str(domain or "").strip().lower().rstrip(".")
    return name[len("dualstack."):] if name.startswith("dualstack.") else name


def _forward_arns(actions: Iterable[Mapping[str, Any]]) -> List[str]:
    out = []
    for action in actions or []:
        if action.get("Type") != "forward":
            continue
        out.append(action.get("TargetGroupArn"))
        out.extend(t.get("TargetGroupArn") for t in (action.get("ForwardConfig") or {}).get("TargetGroups") or [])
    return [str(a) for a in out if a]


def _referenced_groups(groups: Iterable[Mapping[str, Any]]) -> Dict[str, bool]:
    """Group ids named by the groups' rules -> True when a missing one would mean "deleted"
    (same account, no peering: another account's group simply cannot be read from here)."""
    out: Dict[str, bool] = {}
    for g in groups:
        owner = g.get("OwnerId")
        for key in ("IpPermissions", "IpPermissionsEgress"):
            for perm in g.get(key) or []:
                for pair in perm.get("UserIdGroupPairs") or []:
                    gid = pair.get("GroupId")
                    if gid:
                        local = not pair.get("VpcPeeringConnectionId") and pair.get("UserId") in (None, owner)
                        out[str(gid)] = out.get(str(gid), False) or local
    return out


def _prefix_list_ids(groups: Iterable[Mapping[str, Any]]) -> Set[str]:
    return {str(p.get("PrefixListId")) for g in groups for key in ("IpPermissions", "IpPermissionsEgress")
            for perm in g.get(key) or [] for p in perm.get("PrefixListIds") or [] if p.get("PrefixListId")}


def _task_enis(tasks: Iterable[Mapping[str, Any]]) -> List[str]:
    out = []
    for task in tasks:
        for attachment in task.get("attachments") or []:
            for d in attachment.get("details") or []:
                if d.get("name") == "networkInterfaceId" and d.get("value"):
                    out.append(str(d["value"]))
    return out


def _ecs_services(reader: _Reader, wanted: Set[str], ecs_service: Optional[Mapping[str, str]]) -> List[Dict[str, Any]]:
    """ECS services whose loadBalancers name one of the `wanted` target groups (or the one given)."""
    if ecs_service:
        found = reader.call("ecs", "describe_services", "the ECS service", cluster=ecs_service.get("cluster"),
                            services=[ecs_service.get("service")])
        return list((found or {}).get("services") or [])
    out: List[Dict[str, Any]] = []
    clusters = reader.pages("ecs", "list_clusters", "clusterArns", "ECS clusters") or []
    for cluster in clusters[:_MAX_CLUSTERS]:
        arns = reader.pages("ecs", "list_services", "serviceArns", f"services of {cluster}", cluster=cluster) or []
        for chunk in _chunks(arns, 10):  # DescribeServices takes at most 10 services
            found = reader.call("ecs", "describe_services", f"services of {cluster}", cluster=cluster, services=chunk)
            for svc in (found or {}).get("services") or []:
                if any(lb.get("targetGroupArn") in wanted for lb in svc.get("loadBalancers") or []):
                    out.append(svc)
    if len(clusters) > _MAX_CLUSTERS:
        reader.inv.unknowns.append(Unknown("network", "ecs:ListServices (the ECS service behind the targets)",
                                           f"only the first {_MAX_CLUSTERS} of {len(clusters)} clusters were searched"))
    return out


def _ecs_tasks(reader: _Reader, services: Iterable[Mapping[str, Any]]) -> List[Dict[str, Any]]:
    out: List[Dict[str, Any]] = []
    for svc in services:
        cluster, name = svc.get("clusterArn"), svc.get("serviceName")
        arns = reader.pages("ecs", "list_tasks", "taskArns", f"tasks of {name}", cluster=cluster,
                            serviceName=name, desiredStatus="RUNNING") or []
        for chunk in _chunks(arns, 100):  # DescribeTasks takes at most 100 tasks
            found = reader.call("ecs", "describe_tasks", f"tasks of {name}", cluster=cluster, tasks=chunk)
            # moto ignores the serviceName filter of ListTasks, so keep only this service's tasks.
            out.extend(t for t in (found or {}).get("tasks") or [] if t.get("group") == f"service:{name}")
    return out


def collect_alb_inventory(access: AwsAccess, distribution_config: Optional[Mapping[str, Any]],
                          origin: Union[str, Mapping[str, Any]], region: Optional[str] = None,
                          ecs_service: Optional[Mapping[str, str]] = None) -> NetworkInventory:
    """Read the ALB an origin points at and everything on the path to its targets.

    `origin` is the origin dict from the DistributionConfig (or its Id); `region` defaults to the
    one in the ALB's DNS name, else the session's. `ecs_service` ({"cluster", "service"}) skips
    the search for the service behind the target groups.
    """
    org = _origin(distribution_config, origin)
    domain = elb_name(str(org.get("DomainName", "")))
    match = _ELB_REGION.search(domain)
    region = region or (match.group(1) or match.group(2) if match else None) or access.region
    inv = NetworkInventory(region=region, origin=jsonable(org),
                           viewer_protocol_policies=_viewer_policies(distribution_config, str(org.get("Id", ""))))
    reader = _Reader(access, region, inv)

    lbs = reader.pages("elbv2", "describe_load_balancers", "LoadBalancers", f"the load balancer behind {domain}")
    if lbs is None:
        return inv
    lb = next((x for x in lbs if elb_name(str(x.get("DNSName", ""))) == domain), None)
    if lb is None:
        inv.unknowns.append(Unknown("network", f"elbv2:DescribeLoadBalancers (the load balancer behind {domain})",
                                    f"none of the {len(lbs)} load balancers of this account in {region} has the DNS "
                                    f"name {domain}: it belongs to another account (re-run with that account's "
                                    "profile, --profile) or it was deleted"))
        return inv
    inv.load_balancer = jsonable(lb)
    inv.load_balancers = [jsonable(x) for x in lbs if x.get("VpcId") == lb.get("VpcId")]
    lb_arn, vpc = str(lb["LoadBalancerArn"]), str(lb.get("VpcId", ""))

    listeners = reader.pages("elbv2", "describe_listeners", "Listeners", "the load balancer's listeners",
                             LoadBalancerArn=lb_arn) or []
    inv.listeners = jsonable(listeners)
    tg_arns: List[str] = []
    for lst in listeners:
        tg_arns.extend(_forward_arns(lst.get("DefaultActions") or []))
        rules = reader.pages("elbv2", "describe_rules", "Rules", f"rules of listener {lst.get('Port')}",
                             ListenerArn=lst["ListenerArn"])
        if rules is not None:
            inv.listener_rules[str(lst["ListenerArn"])] = jsonable(rules)
            for rule in rules:
                tg_arns.extend(_forward_arns(rule.get("Actions") or []))
    tgs = reader.pages("elbv2", "describe_target_groups", "TargetGroups", "the load balancer's target groups",
                       LoadBalancerArn=lb_arn) or []
    inv.target_groups = jsonable(tgs)
    wanted = set(tg_arns) | {str(t["TargetGroupArn"]) for t in tgs}
    for tg in tgs:
        health = reader.call("elbv2", "describe_target_health", f"health of {tg.get('TargetGroupName')}",
                             TargetGroupArn=tg["TargetGroupArn"])
        if health is not None:
            inv.target_health[str(tg["TargetGroupArn"])] = jsonable(health.get("TargetHealthDescriptions") or [])

    inv.ecs_services = jsonable(_ecs_services(reader, wanted, ecs_service)) if wanted else []
    inv.ecs_tasks = jsonable(_ecs_tasks(reader, inv.ecs_services))

    # Interfaces of the targets: by address (ip targets), by instance, and the ECS tasks' own.
    ips, instances = [], []
    for tg in tgs:
        for desc in inv.target_health.get(str(tg["TargetGroupArn"])) or []:
            tid = str((desc.get("Target") or {}).get("Id", ""))
            (ips if tg.get("TargetType") == "ip" else instances).append(tid)
    enis: Dict[str, Dict[str, Any]] = {}

    def keep(items: Iterable[Mapping[str, Any]]) -> None:
        for eni in items:
            enis.setdefault(str(eni.get("NetworkInterfaceId")), jsonable(eni))

    keep(reader.filtered("ec2", "describe_network_interfaces", "NetworkInterfaces", "the targets' interfaces",
                         "addresses.private-ip-address", ips))
    keep(reader.filtered("ec2", "describe_network_interfaces", "NetworkInterfaces", "the instances' interfaces",
                         "attachment.instance-id", instances))
    keep(reader.filtered("ec2", "describe_network_interfaces", "NetworkInterfaces", "the ECS tasks' interfaces",
                         "network-interface-id", _task_enis(inv.ecs_tasks)))
    if vpc:
        # Target addresses are unique within the load balancer's VPC only (peered targets aside).
        kept = {k: v for k, v in enis.items() if not v.get("VpcId") or v.get("VpcId") == vpc}
        enis = kept

    # Security groups on the path, then the groups their rules name (a ghost may be among them).
    path_groups = set(lb.get("SecurityGroups") or [])
    for eni in enis.values():
        path_groups.update(str(g.get("GroupId")) for g in eni.get("Groups") or [])
    for svc in inv.ecs_services:
        path_groups.update(service_groups(svc))
    groups = {str(g["GroupId"]): g for g in reader.filtered(
        "ec2", "describe_security_groups", "SecurityGroups", "the security groups on the path", "group-id",
        path_groups)}
    refs = _referenced_groups(groups.values())
    extra = set(refs) - set(groups)
    for g in reader.filtered("ec2", "describe_security_groups", "SecurityGroups", "groups the path's rules name",
                             "group-id", extra):
        groups[str(g["GroupId"])] = g
    read_ok = not any(u.what.startswith("ec2:DescribeSecurityGroups") for u in inv.unknowns)
    inv.missing_groups = sorted(g for g in extra if g not in groups and refs.get(g) and read_ok)
    inv.security_groups = jsonable(list(groups.values()))
    # Where the named groups that are not on the path are attached now (the stale group's whereabouts).
    elsewhere = set(g for g in extra if g in groups)
    target_subnets = {str(e.get("SubnetId")) for e in enis.values() if e.get("SubnetId")}
    if elsewhere:
        # A sample is enough to say where a group is attached; a busy group may sit on thousands.
        found = reader.call("ec2", "describe_network_interfaces", "where the referenced groups are attached",
                            Filters=[{"Name": "group-id", "Values": sorted(elsewhere)[:_MAX_FILTER_VALUES]}],
                            MaxResults=50)
        keep((found or {}).get("NetworkInterfaces") or [])
    inv.network_interfaces = list(enis.values())

    # CloudFront's origin-facing lists by name (the id differs per region), and any list the rules name.
    lists = reader.pages("ec2", "describe_managed_prefix_lists", "PrefixLists",
                         "CloudFront's origin-facing prefix list",
                         Filters=[{"Name": "owner-id", "Values": ["AWS"]},
                                  {"Name": "prefix-list-name", "Values": [CF_PREFIX_LIST, CF_PREFIX_LIST_V6]}]) or []
    named = _prefix_list_ids(groups.values()) - {str(p.get("PrefixListId")) for p in lists}
    if named:
        lists += reader.filtered("ec2", "describe_managed_prefix_lists", "PrefixLists", "prefix lists the rules name",
                                 "prefix-list-id", named)
    inv.prefix_lists = jsonable(lists)
    for pl in lists[:_MAX_PREFIX_LISTS]:
        entries = reader.pages("ec2", "get_managed_prefix_list_entries", "Entries",
                               f"entries of {pl.get('PrefixListName')}", PrefixListId=pl["PrefixListId"])
        if entries is not None:
            inv.prefix_list_entries[str(pl["PrefixListId"])] = [str(e.get("Cidr")) for e in entries if e.get("Cidr")]

    # Subnets and their ACLs: the ALB's, the targets', the ECS service's.
    subnet_ids = {str(z.get("SubnetId")) for z in lb.get("AvailabilityZones") or [] if z.get("SubnetId")}
    subnet_ids.update(target_subnets)
    for svc in inv.ecs_services:
        subnet_ids.update(service_subnets(svc))
    inv.subnets = jsonable(reader.filtered("ec2", "describe_subnets", "Subnets", "the subnets on the path",
                                           "subnet-id", subnet_ids))
    acls = {str(a["NetworkAclId"]): a for a in reader.filtered(
        "ec2", "describe_network_acls", "NetworkAcls", "the network ACLs on the path", "association.subnet-id",
        subnet_ids)}
    if vpc:
        for a in reader.pages("ec2", "describe_network_acls", "NetworkAcls", "the VPC's default network ACL",
                              Filters=[{"Name": "vpc-id", "Values": [vpc]},
                                       {"Name": "default", "Values": ["true"]}]) or []:
            acls.setdefault(str(a["NetworkAclId"]), a)
    inv.network_acls = jsonable(list(acls.values()))
    return inv


def collect_sg_references(access: AwsAccess, sg_id: str, region: Optional[str] = None) -> NetworkInventory:
    """Read what references or carries one security group (for wizard.analysis.network.sg_refs).

    Uses the `ip-permission.group-id` and `egress.ip-permission.group-id` filters (seed 003's
    "check before you detach" command), interfaces by `group-id`, load balancers and ECS services.
    """
    region = region or access.region
    inv = NetworkInventory(region=region)
    reader = _Reader(access, region, inv)
    groups: Dict[str, Any] = {}
    own = reader.pages("ec2", "describe_security_groups", "SecurityGroups", f"the group {sg_id}",
                       Filters=[{"Name": "group-id", "Values": [sg_id]}])
    if own is not None and not own:
        inv.missing_groups = [sg_id]
    for purpose, name in (("groups whose inbound rules name it", "ip-permission.group-id"),
                          ("groups whose outbound rules name it", "egress.ip-permission.group-id")):
        for g in (own or []) + (reader.pages("ec2", "describe_security_groups", "SecurityGroups", purpose,
                                             Filters=[{"Name": name, "Values": [sg_id]}]) or []):
            groups.setdefault(str(g["GroupId"]), g)
    inv.security_groups = jsonable(list(groups.values()))
    inv.network_interfaces = jsonable(reader.pages("ec2", "describe_network_interfaces", "NetworkInterfaces",
                                                   "interfaces that carry it",
                                                   Filters=[{"Name": "group-id", "Values": [sg_id]}]) or [])
    lbs = reader.pages("elbv2", "describe_load_balancers", "LoadBalancers", "load balancers that carry it") or []
    inv.load_balancers = jsonable([lb for lb in lbs if sg_id in (lb.get("SecurityGroups") or [])])
    services: List[Dict[str, Any]] = []
    clusters = reader.pages("ecs", "list_clusters", "clusterArns", "ECS clusters") or []
    for cluster in clusters[:_MAX_CLUSTERS]:
        arns = reader.pages("ecs", "list_services", "serviceArns", f"services of {cluster}", cluster=cluster) or []
        for chunk in _chunks(arns, 10):
            found = reader.call("ecs", "describe_services", f"services of {cluster}", cluster=cluster, services=chunk)
            services.extend(s for s in (found or {}).get("services") or [] if sg_id in service_groups(s))
    inv.ecs_services = jsonable(services)
    return inv

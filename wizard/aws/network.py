"""Provides the read-only network collectors: the ALB behind a CloudFront origin with everything on
its path (listeners, rules, target groups and health, security groups, CloudFront's prefix list,
interfaces, subnets, ACLs, the ECS services behind the targets), and where one security group is
referenced or attached.

Every call is a Describe/List/Get through the guarded AwsAccess. A call that fails is explained
(errors.explain) and recorded in the inventory as an unknown; the collector never raises for it.
"""

from __future__ import annotations

import contextvars
import re
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, Callable, Dict, Iterable, List, Mapping, Optional, Sequence, Set, Union

from ..analysis.network.network_inventory import (CF_PREFIX_LIST, CF_PREFIX_LIST_V6, NetworkInventory, service_groups,
                                          service_subnets)
from ..model import Unknown
from .ecs_search import MAX_CLUSTERS, MAX_SERVICES, listed_services, services_behind
from .errors import explain
from .jsonable import jsonable
from .session import AwsAccess
from .together import together

# ALB: NAME-ID.REGION.elb.amazonaws.com; NLB: NAME-ID.elb.REGION.amazonaws.com (either may be dualstack.).
_ELB_REGION = re.compile(r"(?:\.([a-z]{2}(?:-[a-z]+)+-\d+)\.elb|\.elb\.([a-z]{2}(?:-[a-z]+)+-\d+))"
                         r"\.amazonaws\.com(?:\.cn)?$")
_MAX_FILTER_VALUES = 200  # EC2 accepts up to 200 values per filter
_MAX_PREFIX_LISTS = 10  # entries are read for CloudFront's lists and a few customer lists only
_MAX_CLUSTERS = 50  # sg-refs: where a group is attached, searched in this many clusters
_CUT_SHORT = "ecs:ListServices (the ECS service behind the targets)"
_READERS = 6  # concurrent reads of one inventory: a round trip is 50-200 ms from a bastion


def _chunks(values: Sequence[Any], size: int) -> Iterable[List[Any]]:
    values = list(values)
    for i in range(0, len(values), size):
        yield values[i:i + size]


class _Reader:
    """Runs read calls for one region, turning each failure into an Unknown on the inventory.

    Independent reads run concurrently on a small pool (`many`, `start`): only the collector's own
    thread waits for them, and pooled work is single reads, so the pool cannot deadlock. The
    clients are made up front: botocore clients are thread-safe, boto3 sessions are not."""

    def __init__(self, access: AwsAccess, region: str, inv: NetworkInventory,
                 pool: Optional[ThreadPoolExecutor] = None) -> None:
        self.access = access
        self.region = region
        self.inv = inv
        self.pool = pool
        self._clients = {service: access.client(service, region) for service in ("elbv2", "ec2", "ecs")}
        self._lock = threading.Lock()

    def client(self, service: str):
        return self._clients.get(service) or self.access.client(service, self.region)

    def many(self, thunks: Sequence[Callable[[], Any]]) -> List[Any]:
        """Run independent reads at once; their results in the order given."""
        if self.pool is None or len(thunks) < 2:
            return [thunk() for thunk in thunks]
        return [f.result() for f in [self._submit(thunk) for thunk in thunks]]

    def start(self, thunk: Callable[[], Any]) -> "Future[Any]":
        """Start one read now; its result when asked (`.result()`)."""
        if self.pool is None:
            done: "Future[Any]" = Future()
            done.set_result(thunk())
            return done
        return self._submit(thunk)

    def _submit(self, thunk: Callable[[], Any]) -> "Future[Any]":
        # In a copy of the caller's context: the calls count for the probe that asked for them.
        return self.pool.submit(contextvars.copy_context().run, thunk)

    def _fail(self, service: str, method: str, purpose: str, exc: BaseException) -> None:
        client = self.client(service)
        operation = client.meta.method_to_api_mapping.get(method, method)
        failure = explain(exc, service, operation)
        with self._lock:
            self.inv.unknowns.append(Unknown("network", f"{service}:{operation} ({purpose})", failure.message))

    def call(self, service: str, method: str, purpose: str, **kwargs: Any) -> Optional[Dict[str, Any]]:
        """One call; None when it failed (and the failure is recorded)."""
        try:
            return getattr(self.client(service), method)(**kwargs)
        except Exception as exc:  # noqa: BLE001 - every failure becomes an Unknown, by design
            self._fail(service, method, purpose, exc)
            return None

    def pages(self, service: str, method: str, key: str, purpose: str, **kwargs: Any) -> Optional[List[Any]]:
        """Every item of `key` across pages; None when a page failed."""
        items: List[Any] = []
        try:
            client = self.client(service)
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


def elb_region(domain: str) -> Optional[str]:
    """The region in a load balancer's DNS name (ALB or NLB form), or None."""
    match = _ELB_REGION.search(domain)
    return (match.group(1) or match.group(2)) if match else None


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


def _ecs_services(reader: _Reader, wanted: Set[str], hints: Sequence[str],
                  ecs_service: Optional[Mapping[str, str]], listing: "Optional[Future[Any]]") -> List[Dict[str, Any]]:
    """ECS services whose loadBalancers name one of the `wanted` target groups (or the one given), by
    the one ranked, capped search (wizard/aws/ecs_search.py) the asset-host read uses too."""
    if ecs_service:
        found = reader.call("ecs", "describe_services", "the ECS service", cluster=ecs_service.get("cluster"),
                            services=[ecs_service.get("service")])
        return list((found or {}).get("services") or [])
    try:
        services, cut_short = services_behind(reader.client("ecs"), wanted, hints,
                                              listing.result() if listing is not None else None)
    except Exception as exc:  # noqa: BLE001 - an unreadable search is an unknown, by design
        reader._fail("ecs", getattr(exc, "operation_name", "") or "describe_services",
                     "the ECS service behind the targets", exc)
        return []
    if cut_short:
        with reader._lock:
            reader.inv.unknowns.append(Unknown(
                "network", _CUT_SHORT,
                f"the search stopped at its limit ({MAX_CLUSTERS} clusters, {MAX_SERVICES} services) before it found "
                "the service of every target group"))
    return services


def _ecs_tasks(reader: _Reader, services: Sequence[Mapping[str, Any]]) -> List[Dict[str, Any]]:
    def listed(svc: Mapping[str, Any]) -> List[str]:
        return reader.pages("ecs", "list_tasks", "taskArns", f"tasks of {svc.get('serviceName')}",
                            cluster=svc.get("clusterArn"), serviceName=svc.get("serviceName"),
                            desiredStatus="RUNNING") or []

    arns = reader.many([lambda svc=svc: listed(svc) for svc in services])
    asks = [(svc, chunk) for svc, task_arns in zip(services, arns) for chunk in _chunks(task_arns, 100)]
    described = reader.many([lambda svc=svc, chunk=chunk: reader.call(
        "ecs", "describe_tasks", f"tasks of {svc.get('serviceName')}", cluster=svc.get("clusterArn"), tasks=chunk)
        for svc, chunk in asks])  # DescribeTasks takes at most 100 tasks
    out: List[Dict[str, Any]] = []
    for (svc, _chunk), found in zip(asks, described):
        # moto ignores the serviceName filter of ListTasks, so keep only this service's tasks.
        out.extend(t for t in (found or {}).get("tasks") or [] if t.get("group") == f"service:{svc.get('serviceName')}")
    return out


def _with_entries(reader: _Reader, lists: List[Dict[str, Any]], room: int) -> "tuple[List[Dict[str, Any]], List[Any]]":
    """The prefix lists and the entries of the first `room` of them (None for a failed read). On the
    shared pool of single reads (together.py), not the reader's: this may run on a reader's thread,
    and a pooled read must never wait for another on its own pool."""
    head = lists[:max(room, 0)]
    return lists, together(*[lambda pl=pl: reader.pages("ec2", "get_managed_prefix_list_entries", "Entries",
                                                          f"entries of {pl.get('PrefixListName')}",
                                                          PrefixListId=pl["PrefixListId"]) for pl in head])


def collect_alb_inventory(access: AwsAccess, distribution_config: Optional[Mapping[str, Any]],
                          origin: Union[str, Mapping[str, Any]], region: Optional[str] = None,
                          ecs_service: Optional[Mapping[str, str]] = None) -> NetworkInventory:
    """Read the ALB an origin points at and everything on the path to its targets.

    `origin` is the origin dict from the DistributionConfig (or its Id); `region` defaults to the
    one in the ALB's DNS name, else the session's. `ecs_service` ({"cluster", "service"}) skips
    the search for the service behind the target groups. Reads that do not depend on each other
    (listeners and target groups, each listener's rules and each group's health, the interfaces,
    subnets and ACLs) are sent at once: the depth is the chain of dependent reads, not their count.
    """
    org = _origin(distribution_config, origin)
    domain = elb_name(str(org.get("DomainName", "")))
    region = region or elb_region(domain) or access.region
    inv = NetworkInventory(region=region, origin=jsonable(org),
                           viewer_protocol_policies=_viewer_policies(distribution_config, str(org.get("Id", ""))))
    with ThreadPoolExecutor(max_workers=_READERS, thread_name_prefix="alb-read") as pool:
        _read_alb(_Reader(access, region, inv, pool), domain, ecs_service)
    inv.unknowns.sort(key=lambda u: u.what)  # concurrent reads fail in any order; the report does not
    return inv


def alb_front(access: AwsAccess, distribution_config: Optional[Mapping[str, Any]],
              origin: Union[str, Mapping[str, Any]]) -> Dict[str, Any]:
    """The load balancer an origin points at, with its listeners and target groups, read with exactly
    the requests collect_alb_inventory begins with, so one diagnosis's read cache answers whichever
    asks second: the ALB's metrics and certificate need only these, not the path behind them.

    As in the inventory, a failed read leaves its part empty (`load_balancer` None, no listeners or
    groups); `region` is the one the inventory uses."""
    org = _origin(distribution_config, origin)
    domain = elb_name(str(org.get("DomainName", "")))
    region = elb_region(domain) or access.region
    reader = _Reader(access, region, NetworkInventory(region=region))
    out: Dict[str, Any] = {"region": region, "load_balancer": None, "listeners": [], "target_groups": []}
    _, lb = _load_balancer(reader, domain)
    if lb is None:
        return out
    listeners, tgs = together(*_listener_and_group_reads(reader, str(lb["LoadBalancerArn"])))
    out.update(load_balancer=jsonable(lb), listeners=jsonable(listeners), target_groups=jsonable(tgs))
    return out


def _load_balancer(reader: _Reader, domain: str) -> "tuple[Optional[List[Dict[str, Any]]], Optional[Dict[str, Any]]]":
    """The account's load balancers in the reader's region (None when the read failed) and the one
    whose DNS name is `domain` (None when none is)."""
    lbs = reader.pages("elbv2", "describe_load_balancers", "LoadBalancers", f"the load balancer behind {domain}")
    return lbs, next((x for x in lbs or [] if elb_name(str(x.get("DNSName", ""))) == domain), None)


def _listener_and_group_reads(reader: _Reader, lb_arn: str) -> List[Callable[[], List[Dict[str, Any]]]]:
    """The reads of a load balancer's listeners and of its target groups ([] for a failed one), to run
    at once: the inventory's and alb_front's are the same requests, so the read cache sends each once."""
    return [lambda: reader.pages("elbv2", "describe_listeners", "Listeners", "the load balancer's listeners",
                                 LoadBalancerArn=lb_arn) or [],
            lambda: reader.pages("elbv2", "describe_target_groups", "TargetGroups", "the load balancer's target groups",
                                 LoadBalancerArn=lb_arn) or []]


def _read_alb(reader: _Reader, domain: str, ecs_service: Optional[Mapping[str, str]]) -> None:
    inv, region = reader.inv, reader.region
    lbs, lb = _load_balancer(reader, domain)
    if lbs is None:
        return
    if lb is None:
        inv.unknowns.append(Unknown("network", f"elbv2:DescribeLoadBalancers (the load balancer behind {domain})",
                                    f"none of the {len(lbs)} load balancers of this account in {region} has the DNS "
                                    f"name {domain}: it belongs to another account (re-run with that account's "
                                    "profile, --profile) or it was deleted"))
        return
    inv.load_balancer = jsonable(lb)
    inv.load_balancers = [jsonable(x) for x in lbs if x.get("VpcId") == lb.get("VpcId")]
    lb_arn, vpc = str(lb["LoadBalancerArn"]), str(lb.get("VpcId", ""))
    # The clusters' services, listed while the listeners, groups and health are read (the search
    # needs the target groups only to pick which services to describe).
    ecs_listing = None if ecs_service else reader.start(lambda: listed_services(reader.client("ecs")))

    # CloudFront's origin-facing lists by name (the id differs per region): read at once with
    # the VPC's default ACL, the listeners and the target groups.
    # Their entries follow at once, not after the security groups: nothing else decides them.
    cf_lists = reader.start(lambda: _with_entries(reader, reader.pages(
        "ec2", "describe_managed_prefix_lists", "PrefixLists", "CloudFront's origin-facing prefix list",
        Filters=[{"Name": "owner-id", "Values": ["AWS"]},
                 {"Name": "prefix-list-name", "Values": [CF_PREFIX_LIST, CF_PREFIX_LIST_V6]}]) or [],
        _MAX_PREFIX_LISTS))
    default_acls = reader.start(lambda: reader.pages(
        "ec2", "describe_network_acls", "NetworkAcls", "the VPC's default network ACL",
        Filters=[{"Name": "vpc-id", "Values": [vpc]}, {"Name": "default", "Values": ["true"]}]) or [] if vpc else [])
    listeners, tgs = reader.many(_listener_and_group_reads(reader, lb_arn))
    inv.listeners = jsonable(listeners)
    inv.target_groups = jsonable(tgs)
    # Every listener's rules and every target group's health at once, and meanwhile (on this thread)
    # the ECS services behind the groups known now: the load balancer's own and its listeners'
    # defaults. A rule can forward only to a group of this load balancer, so the rules rarely add one;
    # if they do, the search runs again for all of them (its reads so far come from the read cache).
    reading = [reader.start(lambda lst=lst: reader.pages("elbv2", "describe_rules", "Rules",
                                                         f"rules of listener {lst.get('Port')}",
                                                         ListenerArn=lst["ListenerArn"])) for lst in listeners]
    reading += [reader.start(lambda tg=tg: reader.call("elbv2", "describe_target_health",
                                                       f"health of {tg.get('TargetGroupName')}",
                                                       TargetGroupArn=tg["TargetGroupArn"])) for tg in tgs]
    hints = [str(lb.get("LoadBalancerName", ""))] + [str(t.get("TargetGroupName", "")) for t in tgs]
    early = {str(t["TargetGroupArn"]) for t in tgs}
    for lst in listeners:
        early.update(_forward_arns(lst.get("DefaultActions") or []))
    services = _ecs_services(reader, early, hints, ecs_service, ecs_listing) if early else []
    answers = [f.result() for f in reading]
    tg_arns: List[str] = []
    for lst, rules in zip(listeners, answers[:len(listeners)]):
        tg_arns.extend(_forward_arns(lst.get("DefaultActions") or []))
        if rules is not None:
            inv.listener_rules[str(lst["ListenerArn"])] = jsonable(rules)
            for rule in rules:
                tg_arns.extend(_forward_arns(rule.get("Actions") or []))
    for tg, health in zip(tgs, answers[len(listeners):]):
        if health is not None:
            inv.target_health[str(tg["TargetGroupArn"])] = jsonable(health.get("TargetHealthDescriptions") or [])
    wanted = set(tg_arns) | {str(t["TargetGroupArn"]) for t in tgs}

    # Interfaces of the targets: by address (ip targets) and by instance, while ECS is searched.
    ips, instances = [], []
    for tg in tgs:
        for desc in inv.target_health.get(str(tg["TargetGroupArn"])) or []:
            tid = str((desc.get("Target") or {}).get("Id", ""))
            (ips if tg.get("TargetType") == "ip" else instances).append(tid)
    by_ip = reader.start(lambda: reader.filtered("ec2", "describe_network_interfaces", "NetworkInterfaces",
                                                 "the targets' interfaces", "addresses.private-ip-address", ips))
    by_instance = reader.start(lambda: reader.filtered("ec2", "describe_network_interfaces", "NetworkInterfaces",
                                                       "the instances' interfaces", "attachment.instance-id", instances))
    if wanted - early:  # a rule forwards to a group the first search did not look for
        with reader._lock:
            inv.unknowns[:] = [u for u in inv.unknowns if u.what != _CUT_SHORT]
        services = _ecs_services(reader, wanted, hints, ecs_service, ecs_listing)
    inv.ecs_services = jsonable(services)
    enis: Dict[str, Dict[str, Any]] = {}
    asked: Set[str] = set()  # interfaces read, in the VPC or not

    def keep(items: Iterable[Mapping[str, Any]]) -> None:
        for eni in items:
            asked.add(str(eni.get("NetworkInterfaceId")))
            enis.setdefault(str(eni.get("NetworkInterfaceId")), jsonable(eni))

    def in_vpc() -> None:
        # Target addresses are unique within the load balancer's VPC only (peered targets aside).
        if vpc:
            for k in [k for k, v in enis.items() if v.get("VpcId") and v.get("VpcId") != vpc]:
                del enis[k]

    def groups_on_path() -> Set[str]:
        out = set(lb.get("SecurityGroups") or [])
        for eni in enis.values():
            out.update(str(g.get("GroupId")) for g in eni.get("Groups") or [])
        for svc in inv.ecs_services:
            out.update(service_groups(svc))
        return out

    # The services' tasks are read on a thread of their own (not the reader's pool: they wait for
    # pooled reads) while the security groups known without them are: the load balancer's, the
    # targets' interfaces' and the services'. A task's interface is usually a target's already.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="alb-tasks") as one:
        tasks = one.submit(contextvars.copy_context().run, _ecs_tasks, reader, inv.ecs_services)
        keep(by_ip.result())
        keep(by_instance.result())
        in_vpc()
        path_groups = groups_on_path()
        groups = {str(g["GroupId"]): g for g in reader.filtered(
            "ec2", "describe_security_groups", "SecurityGroups", "the security groups on the path", "group-id",
            path_groups)}
        inv.ecs_tasks = jsonable(tasks.result())
    # The tasks' interfaces not already read by address, and the groups they add (rarely any).
    keep(reader.filtered("ec2", "describe_network_interfaces", "NetworkInterfaces", "the ECS tasks' interfaces",
                         "network-interface-id", [e for e in _task_enis(inv.ecs_tasks) if e not in asked]))
    in_vpc()
    for g in reader.filtered("ec2", "describe_security_groups", "SecurityGroups", "the security groups on the path",
                             "group-id", groups_on_path() - path_groups):
        groups.setdefault(str(g["GroupId"]), g)

    # Subnets and their ACLs (the ALB's, the targets', the ECS service's), read while the groups are.
    target_subnets = {str(e.get("SubnetId")) for e in enis.values() if e.get("SubnetId")}
    subnet_ids = {str(z.get("SubnetId")) for z in lb.get("AvailabilityZones") or [] if z.get("SubnetId")}
    subnet_ids.update(target_subnets)
    for svc in inv.ecs_services:
        subnet_ids.update(service_subnets(svc))
    subnets = reader.start(lambda: reader.filtered("ec2", "describe_subnets", "Subnets", "the subnets on the path",
                                                   "subnet-id", subnet_ids))
    subnet_acls = reader.start(lambda: reader.filtered(
        "ec2", "describe_network_acls", "NetworkAcls", "the network ACLs on the path", "association.subnet-id",
        subnet_ids))

    # Then the groups the path's rules name (a ghost may be among them).
    refs = _referenced_groups(groups.values())
    extra = set(refs) - set(groups)
    # Where the named groups that are not on the path are attached now (the stale group's whereabouts),
    # asked while they are read: a group that does not exist is attached nowhere, so asking for all of
    # them finds the same interfaces. A sample is enough; a busy group may sit on thousands.
    where = reader.start(lambda: reader.call(
        "ec2", "describe_network_interfaces", "where the referenced groups are attached",
        Filters=[{"Name": "group-id", "Values": sorted(extra)[:_MAX_FILTER_VALUES]}], MaxResults=50) if extra else None)
    for g in reader.filtered("ec2", "describe_security_groups", "SecurityGroups", "groups the path's rules name",
                             "group-id", extra):
        groups[str(g["GroupId"])] = g
    read_ok = not any(u.what.startswith("ec2:DescribeSecurityGroups") for u in inv.unknowns)
    inv.missing_groups = sorted(g for g in extra if g not in groups and refs.get(g) and read_ok)
    inv.security_groups = jsonable(list(groups.values()))
    # Any prefix list the rules name besides CloudFront's.
    lists, entries = cf_lists.result()
    named = _prefix_list_ids(groups.values()) - {str(p.get("PrefixListId")) for p in lists}
    more_lists = reader.filtered("ec2", "describe_managed_prefix_lists", "PrefixLists", "prefix lists the rules name",
                                 "prefix-list-id", named) if named else []
    found = where.result()
    keep((found or {}).get("NetworkInterfaces") or [])
    inv.network_interfaces = list(enis.values())
    _, more_entries = _with_entries(reader, more_lists, _MAX_PREFIX_LISTS - len(entries))
    lists = lists + more_lists
    inv.prefix_lists = jsonable(lists)
    for pl, got in zip(lists[:_MAX_PREFIX_LISTS], entries + more_entries):
        if got is not None:
            inv.prefix_list_entries[str(pl["PrefixListId"])] = [str(e.get("Cidr")) for e in got if e.get("Cidr")]

    inv.subnets = jsonable(subnets.result())
    acls = {str(a["NetworkAclId"]): a for a in subnet_acls.result()}
    for a in default_acls.result():
        acls.setdefault(str(a["NetworkAclId"]), a)
    inv.network_acls = jsonable(list(acls.values()))


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

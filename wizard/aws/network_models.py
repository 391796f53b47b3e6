"""Provides the typed network facts the 504 checks and the reachability analyses read: small frozen
dataclasses for a load balancer, its listeners and their rules, target groups and target health,
security groups and their rules' peers, and network interfaces, each with the one converter that
builds it from a boto3 describe_* item.

wizard.aws.network collects plain JSON (what journals keep and `resume` replays); the analyses
convert it here after collection, so an old journal gives the same models. Pure: stdlib only, no
boto3 (tests/test_import_hygiene.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, List, Mapping, Optional, Tuple

from ..analysis.network.ports import ALL_PORTS, port_text

_PROTOCOLS = {"6": "tcp", "17": "udp", "1": "icmp", "58": "icmpv6", "all": "-1", "-1": "-1"}


def _int(value: Any, default: int = 0) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _opt_int(value: Any) -> Optional[int]:
    try:
        return None if value is None or value == "" else int(value)
    except (TypeError, ValueError):
        return None


def _m(value: Any) -> Mapping[str, Any]:
    """A sub-object of a boto3 item, or an empty mapping when it is absent or malformed."""
    if type(value) is dict:  # the usual case, and much cheaper than the abstract Mapping check
        return value
    return value if isinstance(value, Mapping) else {}


def _list(value: Any) -> List[Any]:
    return list(value) if isinstance(value, (list, tuple)) else []


# Load balancer, listeners, target groups ------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LoadBalancer:
    """An Application Load Balancer as describe_load_balancers gives it."""

    name: str
    arn: str
    scheme: str  # "internet-facing" | "internal"
    vpc: str
    security_groups: Tuple[str, ...] = ()
    subnets: Tuple[str, ...] = ()  # one per enabled Availability Zone

    @classmethod
    def from_raw(cls, raw: Optional[Mapping[str, Any]]) -> Optional["LoadBalancer"]:
        if not raw:
            return None
        return cls(str(raw.get("LoadBalancerName", "")), str(raw.get("LoadBalancerArn", "")),
                   str(raw.get("Scheme", "")), str(raw.get("VpcId", "")),
                   tuple(str(g) for g in _list(raw.get("SecurityGroups"))),
                   tuple(str(_m(z).get("SubnetId")) for z in _list(raw.get("AvailabilityZones"))
                         if _m(z).get("SubnetId")))


@dataclass(frozen=True, slots=True)
class Action:
    """A listener or rule action; `target_groups` are the groups a forward action sends to."""

    type: str
    target_groups: Tuple[str, ...] = ()

    @classmethod
    def from_raw(cls, raw: Mapping[str, Any]) -> "Action":
        arns = [raw.get("TargetGroupArn")] + [_m(t).get("TargetGroupArn")
                                              for t in _list(_m(raw.get("ForwardConfig")).get("TargetGroups"))]
        return cls(str(raw.get("Type", "")), tuple(dict.fromkeys(str(a) for a in arns if a)))


def _actions(raw: Any) -> Tuple[Action, ...]:
    return tuple(Action.from_raw(_m(a)) for a in _list(raw))


@dataclass(frozen=True, slots=True)
class Listener:
    port: int
    protocol: str  # upper case: HTTP, HTTPS, ...
    arn: str
    default_actions: Tuple[Action, ...] = ()

    @property
    def short_id(self) -> str:
        return self.arn.rsplit("/", 1)[-1]

    @classmethod
    def from_raw(cls, raw: Mapping[str, Any]) -> "Listener":
        return cls(_int(raw.get("Port")), str(raw.get("Protocol", "")).upper(), str(raw.get("ListenerArn", "")),
                   _actions(raw.get("DefaultActions")))


def listeners(raw: Any) -> List[Listener]:
    return [Listener.from_raw(_m(r)) for r in raw or []]


@dataclass(frozen=True, slots=True)
class ListenerRule:
    """A non-default listener rule: its priority, what it matches (said plainly) and its actions."""

    priority: int  # 1 << 30 when AWS gives none that is a number
    is_default: bool
    conditions: str
    actions: Tuple[Action, ...]

    @classmethod
    def from_raw(cls, raw: Mapping[str, Any]) -> "ListenerRule":
        parts = []
        for cond in _list(raw.get("Conditions")):
            cond = _m(cond)
            values = _list(cond.get("Values"))
            for key in ("PathPatternConfig", "HostHeaderConfig", "HttpRequestMethodConfig", "SourceIpConfig"):
                values = values or _list(_m(cond.get(key)).get("Values"))
            parts.append(f"{cond.get('Field')} {','.join(str(v) for v in values)}".strip())
        return cls(_int(raw.get("Priority"), 1 << 30), bool(raw.get("IsDefault")), "; ".join(parts) or "no conditions",
                   _actions(raw.get("Actions")))


@dataclass(frozen=True, slots=True)
class TargetGroup:
    arn: str
    name: str
    target_type: str  # instance | ip | lambda | alb
    protocol: str
    port: int
    health_check_port: str  # "traffic-port" or a number
    health_check_protocol: str
    health_check_path: str
    matcher: str  # the HTTP codes a healthy answer has

    @classmethod
    def from_raw(cls, raw: Mapping[str, Any]) -> "TargetGroup":
        return cls(str(raw.get("TargetGroupArn", "")), str(raw.get("TargetGroupName", "")),
                   str(raw.get("TargetType") or "instance"), str(raw.get("Protocol", "")), _int(raw.get("Port")),
                   str(raw.get("HealthCheckPort") or "traffic-port"), str(raw.get("HealthCheckProtocol", "")),
                   str(raw.get("HealthCheckPath", "")), str(_m(raw.get("Matcher")).get("HttpCode") or "200"))


@dataclass(frozen=True, slots=True)
class TargetHealth:
    """One item of describe_target_health: which target, and what the load balancer thinks of it."""

    target_id: str
    port: Optional[int]
    state: str
    reason: str = ""
    description: str = ""

    @classmethod
    def from_raw(cls, raw: Mapping[str, Any]) -> "TargetHealth":
        target, health = _m(raw.get("Target")), _m(raw.get("TargetHealth"))
        return cls(str(target.get("Id", "")), _opt_int(target.get("Port")), str(health.get("State") or "unknown"),
                   str(health.get("Reason") or ""), str(health.get("Description") or ""))


def target_health(raw: Any) -> List[TargetHealth]:
    return [TargetHealth.from_raw(_m(d)) for d in raw or []]


# Security groups and interfaces ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SgRule:
    """One rule of one group, one peer per record (a permission with three CIDRs gives three)."""

    group_id: str
    group_name: str
    direction: str  # ingress | egress
    protocol: str  # tcp | udp | icmp | -1 (all) | a protocol number
    from_port: int
    to_port: int
    peer_kind: str  # cidr | prefix-list | group
    peer: str  # the CIDR, the prefix list id or the group id
    peer_name: str = ""  # the prefix list's or the group's name, when known
    description: str = ""

    def covers_tcp(self, port: int) -> bool:
        """True when the rule matches TCP traffic to `port` (protocol -1 matches every port)."""
        if self.protocol == "-1":
            return True
        return self.protocol == "tcp" and self.from_port <= port <= self.to_port

    @property
    def ports(self) -> str:
        return port_text(self.protocol, self.from_port, self.to_port)

    @property
    def peer_label(self) -> str:
        return f"{self.peer} ({self.peer_name})" if self.peer_name else self.peer

    def describe(self) -> str:
        """`sg-0aaa (ecs-service) ingress tcp/80 from sg-0bbb (alb-public)`."""
        where = "from" if self.direction == "ingress" else "to"
        owner = f"{self.group_id} ({self.group_name})" if self.group_name else self.group_id
        return f"{owner} {self.direction} {self.ports} {where} {self.peer_label}"


_PEER_KEYS = (("IpRanges", "cidr", "CidrIp"), ("Ipv6Ranges", "cidr", "CidrIpv6"),
              ("PrefixListIds", "prefix-list", "PrefixListId"), ("UserIdGroupPairs", "group", "GroupId"))


def _perm_ports(protocol: str, perm: Mapping[str, Any]) -> Tuple[int, int]:
    if protocol == "-1":
        return ALL_PORTS
    lo, hi = _opt_int(perm.get("FromPort")), _opt_int(perm.get("ToPort"))
    if lo is None or hi is None or lo < 0:
        return ALL_PORTS
    return lo, hi


@dataclass(frozen=True, slots=True)
class SecurityGroup:
    """A security group and its rules, one record per peer, both directions."""

    id: str
    name: str
    vpc: str
    rules: Tuple[SgRule, ...]

    @classmethod
    def from_raw(cls, raw: Mapping[str, Any], group_names: Optional[Mapping[str, str]] = None,
                 prefix_list_names: Optional[Mapping[str, str]] = None) -> "SecurityGroup":
        """The group from a describe_security_groups item; the name maps label the peers (a group
        pair seldom carries its group's name, and a prefix list never does)."""
        group_names = group_names or {}
        prefix_list_names = prefix_list_names or {}
        gid, gname = str(raw.get("GroupId", "")), str(raw.get("GroupName", ""))
        rules: List[SgRule] = []
        # One loop, no helper per peer: a scan converts every group on the path.
        for direction, key in (("ingress", "IpPermissions"), ("egress", "IpPermissionsEgress")):
            for perm in raw.get(key) or ():
                if type(perm) is not dict:  # a cheap test: this loop meets every rule on the path
                    perm = _m(perm)
                proto = perm.get("IpProtocol")
                text = str(proto if proto is not None else "-1").lower()
                proto = _PROTOCOLS.get(text, text)
                lo, hi = _perm_ports(proto, perm)
                for peers_key, kind, id_key in _PEER_KEYS:
                    for r in perm.get(peers_key) or ():
                        if type(r) is not dict:
                            r = _m(r)
                        peer = str(r.get(id_key, ""))
                        if kind == "group":
                            name = group_names.get(peer) or str(r.get("GroupName") or "")
                        elif kind == "prefix-list":
                            name = prefix_list_names.get(peer, "")
                        else:
                            name = ""
                        rules.append(SgRule(gid, gname, direction, proto, lo, hi, kind, peer, name,
                                            str(r.get("Description") or "")))
        return cls(gid, gname, str(raw.get("VpcId", "")), tuple(rules))


@dataclass(frozen=True, slots=True)
class NetworkInterface:
    """An ENI: where it sits, its addresses, its groups, and what it is attached to."""

    id: str
    description: str
    private_ip: str  # the primary private address
    private_ips: Tuple[str, ...]  # every private address, primary first
    subnet: str
    vpc: str
    groups: Tuple[str, ...]
    instance: str = ""  # the attached instance, if any
    device_index: Optional[int] = None

    @classmethod
    def from_raw(cls, raw: Mapping[str, Any]) -> "NetworkInterface":
        primary = str(raw.get("PrivateIpAddress") or "")
        addresses = [str(_m(a).get("PrivateIpAddress")) for a in _list(raw.get("PrivateIpAddresses"))
                     if _m(a).get("PrivateIpAddress")]
        attachment = _m(raw.get("Attachment"))
        return cls(str(raw.get("NetworkInterfaceId", "")), str(raw.get("Description") or ""), primary,
                   tuple(addresses) or ((primary,) if primary else ()), str(raw.get("SubnetId") or ""),
                   str(raw.get("VpcId") or ""),
                   tuple(str(_m(g).get("GroupId")) for g in _list(raw.get("Groups"))),
                   str(attachment.get("InstanceId") or ""), _opt_int(attachment.get("DeviceIndex")))


@dataclass(frozen=True, slots=True)
class InterfaceIndex:
    """Raw describe_network_interfaces items by id, private address, attached instance and group."""

    by_id: Mapping[str, Mapping[str, Any]]
    by_ip: Mapping[str, Mapping[str, Any]]
    by_instance: Mapping[str, List[Mapping[str, Any]]]
    by_group: Mapping[str, List[Mapping[str, Any]]]


def index_interfaces(items: List[Mapping[str, Any]]) -> InterfaceIndex:
    """The interfaces indexed without building a model for each: an account holds tens of thousands,
    the path reaches a few (NetworkInterface.from_raw builds those). The first interface with an
    address keeps it."""
    by_id: dict = {}
    by_ip: dict = {}
    by_instance: dict = {}
    by_group: dict = {}
    for raw in items:  # one loop, no call per item: it runs over every interface of the account
        by_id[str(raw.get("NetworkInterfaceId"))] = raw
        listed = raw.get("PrivateIpAddresses")
        found = False
        for a in listed or ():
            if type(a) is dict and a.get("PrivateIpAddress"):
                by_ip.setdefault(str(a["PrivateIpAddress"]), raw)
                found = True
        if not found and raw.get("PrivateIpAddress"):
            by_ip.setdefault(str(raw["PrivateIpAddress"]), raw)
        attachment = raw.get("Attachment")
        if type(attachment) is dict and attachment.get("InstanceId"):
            by_instance.setdefault(str(attachment["InstanceId"]), []).append(raw)
        for g in raw.get("Groups") or ():
            if type(g) is dict:
                by_group.setdefault(str(g.get("GroupId")), []).append(raw)
    return InterfaceIndex(by_id, by_ip, by_instance, by_group)


def group_keys(raw: Mapping[str, Any]) -> Tuple[str, str]:
    """A security group's id and name, read without building the model (see index_interfaces)."""
    return str(raw.get("GroupId", "")), str(raw.get("GroupName", ""))


def groups_referenced(raw: Mapping[str, Any]) -> List[str]:
    """The ids of the groups a raw security group's rules reference, in either direction (a scan of
    every group in the account, so it does not build models)."""
    return [str(pair.get("GroupId", "")) for key in ("IpPermissions", "IpPermissionsEgress")
            for perm in raw.get(key) or () for pair in perm.get("UserIdGroupPairs") or ()]

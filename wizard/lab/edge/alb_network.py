"""Provides the lab's network model for the ALB simulator: the EC2, ELB and ECS state of one region
read through the lab's own clients, and one TCP connection followed through security groups and
network ACLs the way a packet would go.

Deliberately independent of wizard.analysis (see alb_origin's docstring for why): it evaluates one
concrete connection (an address, a port), not sets of addresses.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import Any, Dict, Iterable, List, Mapping, Optional, Set, Tuple

from botocore.exceptions import ClientError

CF_ORIGIN_FACING = "com.amazonaws.global.cloudfront.origin-facing"
_FALLBACK_EDGE_IP = "130.176.0.1"  # used only when the lab has no origin-facing prefix list
# The source ports replies go back to (inside 1024-65535, which AWS asks network ACLs to open).
CLOUDFRONT_SOURCE_PORT = 50000
ALB_SOURCE_PORT = 40000


# ---------------------------------------------------------------------------------------------
# Reading the lab's AWS state


def _net(text: Optional[str]):
    try:
        return ipaddress.ip_network(str(text), strict=False) if text else None
    except ValueError:
        return None


def _in(ip: str, cidr: Optional[str]) -> bool:
    net = _net(cidr)
    try:
        return net is not None and ipaddress.ip_address(ip) in net
    except ValueError:
        return False


class LabNetwork:
    """Reads (and remembers, for one request) the EC2, ELB and ECS state of one region."""

    def __init__(self, client_for, region: str) -> None:
        self._client_for = client_for
        self.region = region
        self._groups: Dict[str, Dict[str, Any]] = {}
        self._acls: Dict[str, Optional[Dict[str, Any]]] = {}
        self._subnets: Dict[str, Dict[str, Any]] = {}
        self._entries: Dict[str, List[str]] = {}
        self._app_ports: Dict[str, Optional[Set[int]]] = {}

    def client(self, service: str):
        return self._client_for(service)

    def load_balancer_by_dns(self, domain: str) -> Optional[Dict[str, Any]]:
        name = domain.lower().rstrip(".")
        name = name[len("dualstack."):] if name.startswith("dualstack.") else name
        for page in self.client("elbv2").get_paginator("describe_load_balancers").paginate():
            for lb in page.get("LoadBalancers") or []:
                if str(lb.get("DNSName", "")).lower() == name:
                    return lb
        return None

    def load_balancers(self) -> List[Dict[str, Any]]:
        out: List[Dict[str, Any]] = []
        for page in self.client("elbv2").get_paginator("describe_load_balancers").paginate():
            out.extend(page.get("LoadBalancers") or [])
        return out

    def groups(self, ids: Iterable[str]) -> List[Dict[str, Any]]:
        wanted = [g for g in dict.fromkeys(ids) if g and g not in self._groups]
        if wanted:
            found = self.client("ec2").describe_security_groups(
                Filters=[{"Name": "group-id", "Values": wanted}]).get("SecurityGroups") or []
            for g in found:
                self._groups[g["GroupId"]] = g
        # A group that no longer exists admits nothing and allows nothing.
        return [self._groups[g] for g in dict.fromkeys(ids) if g in self._groups]

    def subnet(self, subnet_id: str) -> Dict[str, Any]:
        if subnet_id not in self._subnets:
            found = self.client("ec2").describe_subnets(
                Filters=[{"Name": "subnet-id", "Values": [subnet_id]}]).get("Subnets") or [{}]
            self._subnets[subnet_id] = found[0]
        return self._subnets[subnet_id]

    def acl(self, subnet_id: str) -> Optional[Dict[str, Any]]:
        """The subnet's network ACL: its explicit association, else the VPC's default ACL."""
        if subnet_id not in self._acls:
            ec2 = self.client("ec2")
            found = ec2.describe_network_acls(
                Filters=[{"Name": "association.subnet-id", "Values": [subnet_id]}]).get("NetworkAcls") or []
            if not found:
                vpc = self.subnet(subnet_id).get("VpcId")
                found = ec2.describe_network_acls(Filters=[{"Name": "vpc-id", "Values": [vpc or "-"]},
                                                           {"Name": "default", "Values": ["true"]}]).get(
                    "NetworkAcls") or []
            self._acls[subnet_id] = found[0] if found else None
        return self._acls[subnet_id]

    def prefix_list_entries(self, pl_id: str) -> List[str]:
        if pl_id not in self._entries:
            try:
                entries = self.client("ec2").get_managed_prefix_list_entries(PrefixListId=pl_id).get("Entries") or []
            except ClientError:
                entries = []
            self._entries[pl_id] = [str(e.get("Cidr")) for e in entries if e.get("Cidr")]
        return self._entries[pl_id]

    def cloudfront_edge_ip(self) -> str:
        """One CloudFront origin-facing address: the first host of the AWS-owned list's first entry."""
        lists = self.client("ec2").describe_managed_prefix_lists(
            Filters=[{"Name": "owner-id", "Values": ["AWS"]},
                     {"Name": "prefix-list-name", "Values": [CF_ORIGIN_FACING]}]).get("PrefixLists") or []
        for pl in lists:
            for cidr in sorted(self.prefix_list_entries(pl["PrefixListId"])):
                net = _net(cidr)
                if net is not None and net.version == 4:
                    return str(next(net.hosts(), net.network_address))
        return _FALLBACK_EDGE_IP

    def eni_by_ip(self, ip: str) -> Optional[Dict[str, Any]]:
        found = self.client("ec2").describe_network_interfaces(
            Filters=[{"Name": "addresses.private-ip-address", "Values": [ip]}]).get("NetworkInterfaces") or []
        return found[0] if found else None

    def primary_eni(self, instance_id: str) -> Optional[Dict[str, Any]]:
        found = self.client("ec2").describe_network_interfaces(
            Filters=[{"Name": "attachment.instance-id", "Values": [instance_id]}]).get("NetworkInterfaces") or []
        return next((e for e in found if (e.get("Attachment") or {}).get("DeviceIndex") == 0),
                    found[0] if found else None)

    def instance_endpoint(self, inst: Mapping[str, Any]) -> "Endpoint":
        """An instance on the network: its private address, and the groups of its primary interface
        (which carries the public address and filters what reaches it)."""
        eni = self.primary_eni(str(inst.get("InstanceId"))) or {}
        groups = eni.get("Groups") or inst.get("SecurityGroups") or []
        return Endpoint(str(inst.get("PrivateIpAddress") or ""), f"instance {inst.get('InstanceId')}",
                        tuple(str(g.get("GroupId")) for g in groups), str(inst.get("SubnetId") or "") or None)

    def alb_interfaces(self, lb: Mapping[str, Any]) -> List[Dict[str, Any]]:
        """The ALB's own interfaces, as AWS describes them ("ELB app/NAME/ID"); moto creates none."""
        suffix = str(lb.get("LoadBalancerArn", "")).split(":loadbalancer/", 1)[-1]
        found = self.client("ec2").describe_network_interfaces(
            Filters=[{"Name": "description", "Values": [f"ELB {suffix}"]}]).get("NetworkInterfaces") or []
        return found

    def app_ports(self, target_group_arn: str) -> Optional[Set[int]]:
        """The ports the application behind a target group listens on: the container ports of the ECS
        service that names the group (awsvpc: host port = container port). None: not known (no ECS
        service), so every port is taken to be served."""
        if target_group_arn in self._app_ports:
            return self._app_ports[target_group_arn]
        ports: Optional[Set[int]] = None
        ecs = self.client("ecs")
        try:
            for cluster in ecs.list_clusters().get("clusterArns") or []:
                arns = ecs.list_services(cluster=cluster).get("serviceArns") or []
                for i in range(0, len(arns), 10):
                    for svc in ecs.describe_services(cluster=cluster, services=arns[i:i + 10]).get("services") or []:
                        if not any(lb.get("targetGroupArn") == target_group_arn for lb in svc.get("loadBalancers") or []):
                            continue
                        taskdef = ecs.describe_task_definition(taskDefinition=svc["taskDefinition"])["taskDefinition"]
                        found = {int(m["containerPort"]) for c in taskdef.get("containerDefinitions") or []
                                 for m in c.get("portMappings") or [] if m.get("containerPort")}
                        ports = (ports or set()) | found
        except ClientError:
            ports = None
        self._app_ports[target_group_arn] = ports
        return ports


# ---------------------------------------------------------------------------------------------
# One connection through security groups and network ACLs


@dataclass(frozen=True)
class Endpoint:
    """One end of a connection: an address, the security groups on its interface, its subnet."""

    ip: str
    label: str
    group_ids: Tuple[str, ...] = ()
    subnet_id: Optional[str] = None  # None: outside the VPC (CloudFront)


def _covers(perm: Mapping[str, Any], port: int) -> bool:
    proto = str(perm.get("IpProtocol", ""))
    if proto == "-1":
        return True
    if proto not in ("tcp", "6"):
        return False
    lo, hi = perm.get("FromPort"), perm.get("ToPort")
    return lo is not None and hi is not None and int(lo) <= port <= int(hi)


def sg_allows(net: LabNetwork, owner: Endpoint, egress: bool, port: int, peer: Endpoint) -> Optional[str]:
    """The rule of `owner`'s groups that lets the connection out (egress) or in; None if none does."""
    key = "IpPermissionsEgress" if egress else "IpPermissions"
    for group in net.groups(owner.group_ids):
        for perm in group.get(key) or []:
            if not _covers(perm, port):
                continue
            where = f"{group['GroupId']} {'outbound' if egress else 'inbound'} tcp/{port}"
            for r in (perm.get("IpRanges") or []) + (perm.get("Ipv6Ranges") or []):
                cidr = r.get("CidrIp") or r.get("CidrIpv6")
                if _in(peer.ip, cidr):
                    return f"{where} {cidr}"
            for p in perm.get("PrefixListIds") or []:
                if any(_in(peer.ip, c) for c in net.prefix_list_entries(p.get("PrefixListId", ""))):
                    return f"{where} {p.get('PrefixListId')}"
            for pair in perm.get("UserIdGroupPairs") or []:
                if pair.get("GroupId") in peer.group_ids:
                    return f"{where} {pair.get('GroupId')}"
    return None


def nacl_allows(acl: Optional[Mapping[str, Any]], egress: bool, port: int, peer_ip: str) -> Tuple[bool, str]:
    """A network ACL's verdict: the lowest-numbered matching entry decides; no match is a deny (the
    implicit `*` rule, which moto leaves out of custom ACLs)."""
    if acl is None:
        return True, "no network ACL"
    entries = sorted((e for e in acl.get("Entries") or [] if bool(e.get("Egress")) == egress),
                     key=lambda e: int(e.get("RuleNumber", 32767)))
    for e in entries:
        proto = str(e.get("Protocol", ""))
        if proto not in ("-1", "6"):
            continue
        if proto == "6":
            rng = e.get("PortRange") or {}
            if not int(rng.get("From", -1)) <= port <= int(rng.get("To", -1)):
                continue
        if not _in(peer_ip, e.get("CidrBlock") or e.get("Ipv6CidrBlock")):
            continue
        action = str(e.get("RuleAction", "deny"))
        return action == "allow", f"{acl.get('NetworkAclId')} {'outbound' if egress else 'inbound'} rule " \
                                  f"{e.get('RuleNumber')} ({action})"
    return False, f"{acl.get('NetworkAclId')} {'outbound' if egress else 'inbound'}: no rule matches (implicit deny)"


def connect(net: LabNetwork, src: Endpoint, dst: Endpoint, port: int, src_port: int) -> Optional[str]:
    """Why a TCP connection from `src` to `dst`:`port` fails, or None when it is established.

    Security groups are stateful (the reply needs no rule); network ACLs are not, so the reply to
    `src_port` is checked in both subnets too. Traffic inside one subnet crosses no ACL.
    """
    if src.group_ids and not sg_allows(net, src, True, port, dst):
        return f"no outbound rule of {', '.join(src.group_ids)} lets {src.label} reach {dst.label} on tcp/{port}"
    crossing = src.subnet_id != dst.subnet_id
    if crossing and src.subnet_id:
        ok, rule = nacl_allows(net.acl(src.subnet_id), True, port, dst.ip)
        if not ok:
            return f"{rule} drops tcp/{port} from {src.label} to {dst.label}"
    if crossing and dst.subnet_id:
        ok, rule = nacl_allows(net.acl(dst.subnet_id), False, port, src.ip)
        if not ok:
            return f"{rule} drops tcp/{port} from {src.label} to {dst.label}"
    if dst.group_ids:
        if not sg_allows(net, dst, False, port, src):
            return f"no inbound rule of {', '.join(dst.group_ids) or 'its groups'} admits {src.label} on tcp/{port}"
    if crossing and dst.subnet_id:
        ok, rule = nacl_allows(net.acl(dst.subnet_id), True, src_port, src.ip)
        if not ok:
            return f"{rule} drops the reply from {dst.label} to {src.label} (tcp/{src_port})"
    if crossing and src.subnet_id:
        ok, rule = nacl_allows(net.acl(src.subnet_id), False, src_port, dst.ip)
        if not ok:
            return f"{rule} drops the reply from {dst.label} to {src.label} (tcp/{src_port})"
    return None


def alb_nodes(net: LabNetwork, lb: Mapping[str, Any]) -> List[Endpoint]:
    """One node per enabled subnet: the ALB's own interface when AWS shows one, else an address
    near the top of the subnet (moto creates no load balancer interfaces)."""
    groups = tuple(str(g) for g in lb.get("SecurityGroups") or [])
    name = str(lb.get("LoadBalancerName"))
    by_subnet = {str(e.get("SubnetId")): e for e in net.alb_interfaces(lb)}
    nodes = []
    for zone in lb.get("AvailabilityZones") or []:
        subnet_id = str(zone.get("SubnetId"))
        eni = by_subnet.get(subnet_id)
        if eni is not None and eni.get("PrivateIpAddress"):
            ip = str(eni["PrivateIpAddress"])
        else:
            cidr = _net(net.subnet(subnet_id).get("CidrBlock")) or ipaddress.ip_network("10.255.255.0/24")
            ip = str(cidr.network_address + (cidr.num_addresses - 6))
        nodes.append(Endpoint(ip, f"{name} node {ip}", groups, subnet_id))
    return nodes


def target_endpoint(net: LabNetwork, tg: Mapping[str, Any], target: Mapping[str, Any]) -> Optional[Endpoint]:
    """The target's interface (by address for ip targets, the primary one for instances), or None."""
    tid = str(target.get("Id", ""))
    eni = net.eni_by_ip(tid) if tg.get("TargetType") == "ip" else net.primary_eni(tid)
    if eni is None:
        return None
    ip = tid if tg.get("TargetType") == "ip" else str(eni.get("PrivateIpAddress") or "")
    return Endpoint(ip, f"target {tid}:{target.get('Port')}", tuple(str(g["GroupId"]) for g in eni.get("Groups") or []),
                    str(eni.get("SubnetId") or "") or None)

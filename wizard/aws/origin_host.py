"""Provides the read-only collector for an EC2 instance used as a custom origin: the instance named by
the origin's public DNS name, its security groups, its subnet and network ACL, and CloudFront's
origin-facing prefix lists, as a NetworkInventory the reachability analysis reads.

The instance stands where a load balancer stands in the ALB inventory (`load_balancer` holds its
groups and subnet), so the analysis judges the CloudFront hop with the same code.
"""

from __future__ import annotations

import re
from typing import Any, Dict, List, Mapping, Optional

from ..analysis.network.network_inventory import CF_PREFIX_LIST, CF_PREFIX_LIST_V6, NetworkInventory
from ..model import Unknown
from .jsonable import jsonable
from .network import _origin, _Reader, _viewer_policies
from .session import AwsAccess

# ec2-1-2-3-4.compute-1.amazonaws.com (us-east-1) or ec2-1-2-3-4.REGION.compute.amazonaws.com.
_EC2_NAME = re.compile(r"^ec2-(\d{1,3}(?:-\d{1,3}){3})\.(?:compute-1|([a-z]{2}(?:-[a-z]+)+-\d+)\.compute)"
                       r"\.amazonaws\.com(?:\.cn)?$")


def parse_ec2_name(domain: str) -> Optional[Dict[str, str]]:
    """The public address and region an EC2 public DNS name carries, or None for another name."""
    match = _EC2_NAME.match(str(domain or "").strip().lower().rstrip("."))
    if not match:
        return None
    return {"ip": match.group(1).replace("-", "."), "region": match.group(2) or "us-east-1"}


def instance_groups(instance: Mapping[str, Any]) -> List[str]:
    """The groups that filter the instance's public address: those of the interface that carries it
    (the primary one), else the instance's own list."""
    enis = sorted(instance.get("NetworkInterfaces") or [],
                  key=lambda e: int((e.get("Attachment") or {}).get("DeviceIndex") or 0))
    carrier = next((e for e in enis if (e.get("Association") or {}).get("PublicIp") == instance.get("PublicIpAddress")),
                   enis[0] if enis else None)
    groups = (carrier or {}).get("Groups") or instance.get("SecurityGroups") or []
    return list(dict.fromkeys(str(g.get("GroupId")) for g in groups if g.get("GroupId")))


def instance_as_origin(instance: Mapping[str, Any]) -> Dict[str, Any]:
    """The instance in the shape the analysis reads for the hop CloudFront connects to."""
    name = next((t.get("Value") for t in instance.get("Tags") or [] if t.get("Key") == "Name"), None)
    iid = str(instance.get("InstanceId", ""))
    return {"LoadBalancerName": f"{iid} ({name})" if name else iid, "LoadBalancerArn": iid, "Type": "instance",
            "Scheme": "internet-facing" if instance.get("PublicIpAddress") else "internal",
            "VpcId": instance.get("VpcId", ""),
            "SecurityGroups": instance_groups(instance),
            "AvailabilityZones": [{"SubnetId": instance.get("SubnetId")}] if instance.get("SubnetId") else []}


def collect_ec2_origin_inventory(access: AwsAccess, distribution_config: Optional[Mapping[str, Any]],
                                 origin: Mapping[str, Any]) -> NetworkInventory:
    """Read the instance behind an EC2 public DNS origin and what filters CloudFront's connection to it."""
    org = _origin(distribution_config, origin)
    domain = str(org.get("DomainName", "")).lower().rstrip(".")
    parsed = parse_ec2_name(domain) or {}
    region = parsed.get("region") or access.region
    inv = NetworkInventory(region=region, origin=jsonable(org),
                           viewer_protocol_policies=_viewer_policies(distribution_config, str(org.get("Id", ""))))
    reader = _Reader(access, region, inv)
    # By its public address (an Elastic IP included): the name carries it.
    found = reader.pages("ec2", "describe_instances", "Reservations", f"the instance behind {domain}",
                         Filters=[{"Name": "ip-address", "Values": [parsed.get("ip", "")]}])
    if found is None:
        return inv
    instances = [i for r in found for i in r.get("Instances") or []]
    if not instances:
        inv.unknowns.append(Unknown("network", f"ec2:DescribeInstances (the instance behind {domain})",
                                    f"no instance of this account in {region} has the public address "
                                    f"{parsed.get('ip')}: it belongs to another account (re-run with that account's "
                                    "profile, --profile), or the address moved (a stopped instance loses it)"))
        return inv
    inv.load_balancer = instance_as_origin(instances[0])
    _read_host_path(reader, inv.load_balancer)
    inv.unknowns.sort(key=lambda u: u.what)
    return inv


def _read_host_path(reader: _Reader, host: Mapping[str, Any]) -> None:
    """The host's groups, CloudFront's origin-facing lists and their entries, the subnet and its ACL."""
    inv = reader.inv
    groups = reader.filtered("ec2", "describe_security_groups", "SecurityGroups", "the origin's security groups",
                             "group-id", host.get("SecurityGroups") or [])
    inv.security_groups = jsonable(groups)
    lists = reader.pages("ec2", "describe_managed_prefix_lists", "PrefixLists", "CloudFront's origin-facing prefix list",
                         Filters=[{"Name": "owner-id", "Values": ["AWS"]},
                                  {"Name": "prefix-list-name", "Values": [CF_PREFIX_LIST, CF_PREFIX_LIST_V6]}]) or []
    inv.prefix_lists = jsonable(lists)
    for pl in lists:
        got = reader.pages("ec2", "get_managed_prefix_list_entries", "Entries", f"entries of {pl.get('PrefixListName')}",
                           PrefixListId=pl["PrefixListId"])
        if got is not None:
            inv.prefix_list_entries[str(pl["PrefixListId"])] = [str(e.get("Cidr")) for e in got if e.get("Cidr")]
    subnets = [str(z.get("SubnetId")) for z in host.get("AvailabilityZones") or [] if z.get("SubnetId")]
    inv.subnets = jsonable(reader.filtered("ec2", "describe_subnets", "Subnets", "the origin's subnet", "subnet-id",
                                           subnets))
    acls = {str(a["NetworkAclId"]): a for a in reader.filtered(
        "ec2", "describe_network_acls", "NetworkAcls", "the origin subnet's network ACL", "association.subnet-id",
        subnets)}
    vpc = str(host.get("VpcId") or "")
    if vpc:
        for a in reader.pages("ec2", "describe_network_acls", "NetworkAcls", "the VPC's default network ACL",
                              Filters=[{"Name": "vpc-id", "Values": [vpc]},
                                       {"Name": "default", "Values": ["true"]}]) or []:
            acls.setdefault(str(a["NetworkAclId"]), a)
    inv.network_acls = jsonable(list(acls.values()))

"""Provides the read-only collector for a CloudFront VPC origin: the VPC origin (GetVpcOrigin), the
private endpoint it names (a load balancer or an EC2 instance), the endpoint's security groups, and
the service-managed group CloudFront-VPCOrigins-Service-SG in the endpoint's VPC, as a NetworkInventory
(the endpoint stands where the load balancer stands; the service group is among the groups)."""

from __future__ import annotations

from typing import Any, Dict, Mapping, Optional

from ..analysis.network.network_inventory import NetworkInventory
from ..model import Unknown
from .jsonable import jsonable
from .network import _origin, _Reader, _viewer_policies
from .origin_host import instance_as_origin
from .session import AwsAccess

SERVICE_SG = "CloudFront-VPCOrigins-Service-SG"


def collect_vpc_origin_inventory(access: AwsAccess, distribution_config: Optional[Mapping[str, Any]],
                                 origin: Mapping[str, Any]) -> NetworkInventory:
    org = _origin(distribution_config, origin)
    vo_id = str((org.get("VpcOriginConfig") or {}).get("VpcOriginId") or "")
    inv = NetworkInventory(region=access.region, origin=jsonable(org),
                           viewer_protocol_policies=_viewer_policies(distribution_config, str(org.get("Id", ""))))
    cf = _Reader(access, "us-east-1", inv)  # CloudFront's API lives in us-east-1
    got = cf.call("cloudfront", "get_vpc_origin", f"the VPC origin {vo_id}", Id=vo_id)
    if got is None:
        return inv
    endpoint = (got.get("VpcOrigin") or {}).get("VpcOriginEndpointConfig") or {}
    # The endpoint's ports and protocol policy are what CloudFront uses (the origin has no CustomOriginConfig).
    inv.origin = dict(inv.origin, CustomOriginConfig={k: endpoint.get(k) for k in (
        "OriginProtocolPolicy", "HTTPPort", "HTTPSPort", "IpAddressType") if endpoint.get(k) is not None},
        VpcOrigin=jsonable(got.get("VpcOrigin") or {}))
    arn = str(endpoint.get("Arn") or "")
    parts = arn.split(":")
    region = parts[3] if len(parts) > 5 and parts[3] else access.region
    inv.region = region
    reader = _Reader(access, region, inv)
    host: Optional[Dict[str, Any]] = None
    if len(parts) > 5 and parts[2] == "elasticloadbalancing":
        lbs = reader.call("elbv2", "describe_load_balancers", "the VPC origin's load balancer", LoadBalancerArns=[arn])
        host = jsonable(((lbs or {}).get("LoadBalancers") or [None])[0]) if lbs else None
    elif len(parts) > 5 and parts[2] == "ec2" and parts[5].startswith("instance/"):
        found = reader.call("ec2", "describe_instances", "the VPC origin's instance",
                            InstanceIds=[parts[5].split("/", 1)[1]])
        instances = [i for r in (found or {}).get("Reservations") or [] for i in r.get("Instances") or []]
        host = instance_as_origin(instances[0]) if instances else None
    if host is None:
        if not any(u.what.startswith(("elbv2:", "ec2:")) for u in inv.unknowns):
            inv.unknowns.append(Unknown("network", f"the endpoint of VPC origin {vo_id}",
                                        f"{arn or 'its endpoint'} was not found in this account"))
        return inv
    inv.load_balancer = host
    vpc = str(host.get("VpcId") or "")
    groups = reader.filtered("ec2", "describe_security_groups", "SecurityGroups", "the VPC origin's security groups",
                             "group-id", host.get("SecurityGroups") or [])
    service = reader.pages("ec2", "describe_security_groups", "SecurityGroups", f"{SERVICE_SG} in {vpc}",
                           Filters=[{"Name": "group-name", "Values": [SERVICE_SG]},
                                    {"Name": "vpc-id", "Values": [vpc]}]) if vpc else []
    seen = {g["GroupId"] for g in groups}
    inv.security_groups = jsonable(groups + [g for g in service or [] if g["GroupId"] not in seen])
    # CloudFront's interfaces sit in the endpoint's subnets: their ranges are the peer's addresses, and
    # the entries of prefix lists the rules name say whether a rule covers them.
    subnets = [str(z.get("SubnetId")) for z in host.get("AvailabilityZones") or [] if z.get("SubnetId")]
    inv.subnets = jsonable(reader.filtered("ec2", "describe_subnets", "Subnets", "the VPC origin's subnets",
                                           "subnet-id", subnets))
    named = sorted({str(p.get("PrefixListId")) for g in groups for perm in g.get("IpPermissions") or []
                    for p in perm.get("PrefixListIds") or [] if p.get("PrefixListId")})
    for pl_id in named[:10]:
        got = reader.pages("ec2", "get_managed_prefix_list_entries", "Entries", f"entries of {pl_id}",
                           PrefixListId=pl_id)
        if got is not None:
            inv.prefix_list_entries[pl_id] = [str(e.get("Cidr")) for e in got if e.get("Cidr")]
    return inv

"""Provides the VPC origin side of the edge simulator: CloudFront → a private EC2 instance or load
balancer through a CloudFront VPC origin, decided from the lab's state.

CloudFront reaches a VPC origin from interfaces it places in the origin's subnets, carrying the
service-managed group CloudFront-VPCOrigins-Service-SG of that VPC (created with the VPC origin, see
moto_patches.cloudfront_vpc_origins). The connection is followed with the lab's own model
(alb_network.connect): blocked is CloudFront's 504 after its attempts time out.
"""

from __future__ import annotations

import ipaddress
from typing import Any, Mapping, Optional

from botocore.exceptions import ClientError

from . import pages
from .alb_network import CLOUDFRONT_SOURCE_PORT, Endpoint, LabNetwork, alb_nodes, connect
from .alb_origin import _app_page, _listener_answer, _origin_port, connect_wait

SERVICE_SG = "CloudFront-VPCOrigins-Service-SG"


def _service_group(net: LabNetwork, vpc: str) -> Optional[str]:
    found = net.client("ec2").describe_security_groups(Filters=[
        {"Name": "group-name", "Values": [SERVICE_SG]}, {"Name": "vpc-id", "Values": [vpc]}]).get("SecurityGroups") or []
    return str(found[0]["GroupId"]) if found else None


def _cloudfront_eni(net: LabNetwork, subnet_id: Optional[str], group: str) -> Endpoint:
    """CloudFront's interface in the origin's subnet: an address near the subnet's start."""
    cidr = str(net.subnet(subnet_id).get("CidrBlock") or "10.255.255.0/24") if subnet_id else "10.255.255.0/24"
    ip = str(ipaddress.ip_network(cidr, strict=False).network_address + 7)
    return Endpoint(ip, f"CloudFront VPC origin interface {ip}", (group,), subnet_id)


def answer(view, raw_origin: Mapping[str, Any], method: str, path: str, forwarded: Mapping[str, str], cf_id: str):
    """CloudFront's answer through a VPC origin: (status, headers, body, seconds taken or None)."""
    waited = connect_wait(raw_origin)
    timeout = (*pages.cloudfront_error(504, "origin-timeout", cf_id), waited)
    try:
        vo = view.client("cloudfront").get_vpc_origin(Id=(raw_origin.get("VpcOriginConfig") or {}).get("VpcOriginId"))
    except ClientError:
        return timeout
    endpoint = vo["VpcOrigin"].get("VpcOriginEndpointConfig") or {}
    arn = str(endpoint.get("Arn") or "")
    parts = arn.split(":")
    region = parts[3] if len(parts) > 5 else view.region
    net = LabNetwork(lambda service: view.client(service, region), region)
    proto, port = _origin_port({"CustomOriginConfig": endpoint}, forwarded)
    if len(parts) > 5 and parts[2] == "ec2":
        found = net.client("ec2").describe_instances(InstanceIds=[parts[5].split("/", 1)[1]])
        inst = found["Reservations"][0]["Instances"][0]
        host = net.instance_endpoint(inst)
        group = _service_group(net, str(inst.get("VpcId") or ""))
        if group is None or connect(net, _cloudfront_eni(net, host.subnet_id, group), host, port, CLOUDFRONT_SOURCE_PORT):
            return timeout
        return (*_app_page(host, path), None)
    lbs = net.client("elbv2").describe_load_balancers(LoadBalancerArns=[arn]).get("LoadBalancers") or []
    if not lbs:
        return timeout
    lb = lbs[0]
    group = _service_group(net, str(lb.get("VpcId") or ""))
    reached = next((n for n in alb_nodes(net, lb) if group and not connect(
        net, _cloudfront_eni(net, n.subnet_id, group), n, port, CLOUDFRONT_SOURCE_PORT)), None)
    listeners = net.client("elbv2").describe_listeners(LoadBalancerArn=lb["LoadBalancerArn"]).get("Listeners") or []
    listener = next((lst for lst in listeners if int(lst.get("Port") or 0) == port), None)
    if reached is None or listener is None:
        return timeout
    decision = _listener_answer(net, lb, listener, reached, proto, port, method, path,
                                str(forwarded.get("host") or raw_origin.get("DomainName") or ""))
    return decision.status, list(decision.headers), decision.body, decision.taken_s

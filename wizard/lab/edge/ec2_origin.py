"""Provides the EC2 instance side of the edge simulator: CloudFront → an instance named by its public
DNS name (ec2-1-2-3-4.compute-1.amazonaws.com), decided from the lab's EC2 state.

Like alb_origin, it follows one concrete connection (an address from CloudFront's origin-facing
prefix list to the instance's private address on the origin port) through the instance's security
groups and its subnet's network ACL with the lab's own model (alb_network.connect), never with the
diagnosis's analysis. A blocked connection is CloudFront's own 504 after its attempts time out; an
established one is the instance's page.
"""

from __future__ import annotations

import re
from typing import Any, Dict, Mapping, Optional

from . import pages
from .alb_network import CLOUDFRONT_SOURCE_PORT, Endpoint, LabNetwork, connect
from .alb_origin import _app_page, _origin_port, connect_wait

_EC2_NAME = re.compile(r"^ec2-(\d{1,3}(?:-\d{1,3}){3})\.(?:compute-1|([a-z]{2}(?:-[a-z]+)+-\d+)\.compute)"
                       r"\.amazonaws\.com$")


def _instance(net: LabNetwork, ip: str) -> Optional[Dict[str, Any]]:
    for page in net.client("ec2").get_paginator("describe_instances").paginate():
        for reservation in page.get("Reservations") or []:
            for inst in reservation.get("Instances") or []:
                if inst.get("PublicIpAddress") == ip and (inst.get("State") or {}).get("Name") == "running":
                    return inst
    return None


def answer(view, raw_origin: Mapping[str, Any], path: str, forwarded: Mapping[str, str], cf_id: str):
    """CloudFront's answer from an EC2 origin: (status, headers, body, seconds taken or None)."""
    domain = str(raw_origin.get("DomainName", "")).lower().rstrip(".")
    match = _EC2_NAME.match(domain)
    region = (match.group(2) or "us-east-1") if match else view.region
    net = LabNetwork(lambda service: view.client(service, region), region)
    waited = connect_wait(raw_origin)
    inst = _instance(net, match.group(1).replace("-", ".")) if match else None
    if inst is None:
        # Nothing answers at that address: the attempts time out.
        return (*pages.cloudfront_error(504, "origin-timeout", cf_id), waited)
    _, port = _origin_port(raw_origin, forwarded)
    edge_ip = net.cloudfront_edge_ip()
    host = net.instance_endpoint(inst)
    if connect(net, Endpoint(edge_ip, f"CloudFront edge {edge_ip}"), host, port, CLOUDFRONT_SOURCE_PORT):
        return (*pages.cloudfront_error(504, "origin-timeout", cf_id), waited)
    return (*_app_page(host, path), None)

"""Provides the probes for EC2 instance and VPC origins: thin adapters from ProbeContext to
wizard.aws.origin_host (the instance by the public address its DNS name carries) and wizard.aws.vpc_origin."""

from __future__ import annotations

from typing import Any, Dict

from ..aws import origin_host as host
from .context import ProbeContext, ProbeSkip


def origin_host(ctx: ProbeContext) -> Dict[str, Any]:
    from ..analysis.network.network_inventory import inventory_to_dict
    from .aws_probes import _dist

    dist = _dist(ctx)
    origin = ctx.origin()
    if host.parse_ec2_name(origin.domain) is None:
        raise ProbeSkip("the origin is not an EC2 public DNS name")
    raw = dict(dist.raw_origin(origin.id) or {"Id": origin.id})
    return inventory_to_dict(host.collect_ec2_origin_inventory(ctx.need_aws(), dict(dist.config), raw))


def vpc_origin(ctx: ProbeContext) -> Dict[str, Any]:
    from ..analysis.network.network_inventory import inventory_to_dict
    from ..aws.vpc_origin import collect_vpc_origin_inventory
    from .aws_probes import _dist

    dist = _dist(ctx)
    origin = ctx.origin()
    raw = dict(dist.raw_origin(origin.id) or {"Id": origin.id})
    if not (raw.get("VpcOriginConfig") or {}).get("VpcOriginId"):
        raise ProbeSkip("the origin is not a VPC origin")
    return inventory_to_dict(collect_vpc_origin_inventory(ctx.need_aws(), dict(dist.config), raw))

"""Provides the probe for an EC2 instance origin: a thin adapter from ProbeContext to
wizard.aws.origin_host, which reads the instance by the public address its DNS name carries."""

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

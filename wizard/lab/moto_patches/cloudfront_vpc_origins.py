"""Provides the moto patch for CloudFront VPC origins: CreateVpcOrigin, GetVpcOrigin, ListVpcOrigins,
and distribution origins that keep their VpcOriginConfig.

Replaces: moto 5.2.5 has no /2020-05-31/vpc-origin routes (a 404) and its Origin drops VpcOriginConfig,
so a distribution that reaches a private ALB, NLB or EC2 instance through a VPC origin cannot be built.
CloudFront answers CreateVpcOrigin with the VPC origin (Id, Arn, Status, the endpoint config) and, in
the endpoint's VPC, creates the service-managed security group CloudFront-VPCOrigins-Service-SG that
CloudFront's traffic to the origin carries; the origin's own groups must admit that group.
"""

from __future__ import annotations

import datetime
import string
from typing import Any, Dict, List, Optional

from ._common import _random, add_routes, install, wrap
from .cloudfront import error

SERVICE_SG = "CloudFront-VPCOrigins-Service-SG"


def _vpc_origin_id() -> str:
    rnd = _random()
    return "vo_" + "".join(rnd.choice(string.ascii_letters + string.digits) for _ in range(22))


def vpc_origins_of(backend) -> Dict[str, Dict[str, Any]]:
    """The VPC origins of one account (kept on its CloudFront backend: moto's reset clears them)."""
    return backend.__dict__.setdefault("lab_vpc_origins", {})


def _endpoint_vpc(account: str, arn: str) -> Optional[tuple]:
    """(region, VPC id) of the endpoint a VPC origin names: a load balancer or an EC2 instance."""
    parts = arn.split(":")
    if len(parts) < 6:
        return None
    region = parts[3]
    if parts[2] == "elasticloadbalancing":
        from moto.elbv2.models import elbv2_backends

        lb = elbv2_backends[account][region].load_balancers.get(arn)
        return (region, lb.vpc_id) if lb is not None else None
    if parts[2] == "ec2" and parts[5].startswith("instance/"):
        from moto.ec2.models import ec2_backends

        try:
            instance = ec2_backends[account][region].get_instance(parts[5].split("/", 1)[1])
        except Exception:  # noqa: BLE001 - moto raises its own InvalidInstanceID
            return None
        return region, instance.vpc_id
    return None


def _service_group(account: str, arn: str) -> None:
    """Create CloudFront-VPCOrigins-Service-SG in the endpoint's VPC, once per VPC, as CloudFront does."""
    found = _endpoint_vpc(account, arn)
    if found is None:
        raise error("EntityNotFound", f"The origin endpoint {arn} does not exist.")
    region, vpc_id = found
    from moto.ec2.models import ec2_backends

    ec2 = ec2_backends[account][region]
    if any(g.name == SERVICE_SG and g.vpc_id == vpc_id for g in ec2.describe_security_groups()):
        return
    ec2.create_security_group(SERVICE_SG, "CloudFront VPC origins service security group (managed by CloudFront)",
                              vpc_id=vpc_id)


def patch_origin_vpc_config() -> None:
    """A distribution origin keeps its VpcOriginConfig (moto drops it)."""
    from moto.cloudfront import models

    def make(original):
        def __init__(self, origin: Dict[str, Any]) -> None:
            original(self, origin)
            if origin.get("VpcOriginConfig"):
                self.vpc_origin_config = dict(origin["VpcOriginConfig"])
        return __init__

    wrap(models.Origin, "__init__", make)


def patch_vpc_origin_api() -> None:
    """Serve CreateVpcOrigin, GetVpcOrigin and ListVpcOrigins."""
    from moto.cloudfront import responses, urls
    from moto.core.responses import ActionResult

    base = "{0}/2020-05-31/vpc-origin"
    add_routes(urls, responses.CloudFrontResponse.dispatch, {base + "$": None, base + "/(?P<vpc_origin_id>[^/]+)$": None})

    def create_vpc_origin(self):
        config = dict(self._get_param("VpcOriginEndpointConfig", {}) or {})
        account = self.current_account
        _service_group(account, str(config.get("Arn") or ""))
        now = datetime.datetime.now(datetime.timezone.utc)
        vid = _vpc_origin_id()
        origin = {"Id": vid, "Arn": f"arn:aws:cloudfront::{account}:vpcorigin/{vid}", "AccountId": account,
                  "Status": "Deployed", "CreatedTime": now, "LastModifiedTime": now,
                  "VpcOriginEndpointConfig": config}
        vpc_origins_of(self.backend)[vid] = origin
        return ActionResult({"VpcOrigin": origin, "ETag": "E" + vid[3:16].upper(),
                             "Location": f"https://cloudfront.amazonaws.com/2020-05-31/vpc-origin/{vid}"})

    def get_vpc_origin(self):
        found = vpc_origins_of(self.backend).get(self._get_param("Id"))
        if found is None:
            raise error("EntityNotFound", "The VPC origin does not exist.")
        return ActionResult({"VpcOrigin": found, "ETag": "E" + found["Id"][3:16].upper()})

    def list_vpc_origins(self):
        items: List[Dict[str, Any]] = [
            {"Id": o["Id"], "Name": o["VpcOriginEndpointConfig"].get("Name", ""), "Status": o["Status"],
             "CreatedTime": o["CreatedTime"], "LastModifiedTime": o["LastModifiedTime"], "Arn": o["Arn"],
             "AccountId": o["AccountId"], "OriginEndpointArn": o["VpcOriginEndpointConfig"].get("Arn", "")}
            for o in vpc_origins_of(self.backend).values()]
        return ActionResult({"VpcOriginList": {"Marker": self._get_param("Marker") or "", "MaxItems": 100,
                                               "IsTruncated": False, "Quantity": len(items), "Items": items or None}})

    for fn in (create_vpc_origin, get_vpc_origin, list_vpc_origins):
        install(responses.CloudFrontResponse, fn.__name__, fn)


def apply() -> None:
    patch_origin_vpc_config()
    patch_vpc_origin_api()

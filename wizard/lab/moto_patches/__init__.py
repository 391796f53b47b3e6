"""Provides every fix the lab makes to moto 5.2.5, behind one entry point: `apply()`.

Each patch wraps or adds one moto method, says in its docstring which moto behaviour it
replaces and why, and has a test in tests/lab/test_moto_*.py that goes through boto3 over HTTP.
A moto upgrade that breaks a patch, or makes one unnecessary, shows up there.

| module               | what it fixes                                                            |
|----------------------|--------------------------------------------------------------------------|
| cloudfront           | S3OriginConfig / OriginAccessControlId, ViewerCertificate, E…/d… ids,     |
|                      | ETag + IfMatch, legacy fields under cache policies, the OAI API, OAC config|
| cloudfront_policies  | managed + custom cache / origin request / response headers policies      |
| cloudfront_functions | behaviors keep function / Lambda@Edge associations; PublishFunction, Stage|
| cloudfront_origin_groups | a behavior may target an origin group                                |
| cloudfront_vpc_origins | VPC origins (create/get/list, the service-managed group), VpcOriginConfig|
| s3                   | Requester Pays, object owner per writer, 2023 bucket defaults, ACL rules,|
|                      | GetBucketPolicy only from the owner's account (403 / 405)                 |
| kms                  | AWS managed keys (alias/aws/s3): KeyManager AWS and AWS's key policy      |
| elbv2                | injected target health, ALB default attributes (idle timeout)            |
| ecs                  | awsvpc task ENIs inside their subnet, with a private DNS name            |
| wafv2                | get_sampled_requests from recorded samples, first 5,000 requests only     |
| organizations        | invited member accounts (chosen ids), member reads denied unless delegated|
| server_dispatch      | moto's module list read once, not listed from disk on every request       |
| ec2_instance_types   | EC2's instance-type catalogue read on first use, not at import (~0.2 s)   |
| model_loader         | one loader for moto's models; service models from the clients' parse      |
| server_routes        | a service's routes compile their URL builders only if one is ever used    |
| ec2_regions          | EC2's region list read through one shared session, not three new ones    |
| acm_keys             | certificate keys made in the background before RequestCertificate asks   |
"""

from __future__ import annotations

import threading

from .acm_keys import prepare as prepare_certificate_keys
from .elbv2 import clear_target_health, set_target_health
from .organizations import clear_organizations_state
from .wafv2 import clear_sampled_requests, record_sampled_request

__all__ = ["apply", "prepare_certificate_keys", "set_target_health", "clear_target_health",
           "record_sampled_request", "clear_sampled_requests", "clear_stores"]

_LOCK = threading.Lock()
_APPLIED = False


def clear_stores() -> None:
    """Forget what the lab injected outside moto (target health, WAF samples, handshakes, delegation)."""
    clear_target_health()
    clear_sampled_requests()
    clear_organizations_state()


def _patch_reset() -> None:
    """`POST /moto-api/reset` also clears the lab's own stores, so a reset is a full reset."""
    from moto.moto_api._internal import models

    from ._common import wrap

    def make(original):
        def reset(self):
            original(self)
            clear_stores()
        return reset

    wrap(models.MotoAPIBackend, "reset", make)


def apply() -> None:
    """Apply every patch to the imported moto (idempotent; call before the server starts)."""
    global _APPLIED
    with _LOCK:
        if _APPLIED:
            return
        from . import (acm_keys, cloudfront, cloudfront_functions, cloudfront_origin_groups, cloudfront_policies,
                       cloudfront_vpc_origins, ec2_instance_types, ec2_regions, ecs, elbv2, kms, model_loader, organizations,
                       s3, server_dispatch, server_routes, wafv2)

        ec2_instance_types.apply()  # first: the other patches may import moto's EC2
        ec2_regions.apply()

        cloudfront.apply()
        cloudfront_policies.apply()
        cloudfront_origin_groups.apply()
        cloudfront_functions.apply()
        cloudfront_vpc_origins.apply()
        s3.apply()
        elbv2.apply()
        ecs.apply()
        wafv2.apply()
        organizations.apply()
        kms.apply()
        server_dispatch.apply()
        model_loader.apply()
        server_routes.apply()
        acm_keys.apply()
        _patch_reset()
        _APPLIED = True

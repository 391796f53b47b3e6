"""Provides IMPLEMENTATIONS: each probe name of specs.PROBES mapped to the function that runs it."""

from __future__ import annotations

from typing import Callable, Dict

from . import alb_certificate_probe, aws_probes, edge_probes, host_probes, http_probes, origin_probes, ownership, serverless_probes
from .context import ProbeContext
from .specs import PROBES

IMPLEMENTATIONS: Dict[str, Callable[[ProbeContext], object]] = {
    "http.viewer": http_probes.viewer,
    "http.viewer_with_origin": http_probes.viewer_with_origin,
    "http.preflight": http_probes.preflight,
    "page.assets": http_probes.page,
    "aws.identity": aws_probes.identity,
    "aws.distribution": aws_probes.distribution,
    "aws.ecs_env": aws_probes.ecs_env,
    "aws.waf": aws_probes.waf,
    "aws.origin_access": aws_probes.origin_access,
    "aws.origin_policies": aws_probes.origin_policies,
    "aws.bucket_policy": aws_probes.bucket_policy,
    "aws.bucket_cors": aws_probes.bucket_cors,
    "aws.object": aws_probes.object_state,
    "aws.object_owner": aws_probes.object_owner,
    "aws.encryption": aws_probes.encryption,
    "aws.public_access": aws_probes.public_access,
    "aws.request_payment": aws_probes.request_payment,
    "aws.bucket_website": aws_probes.bucket_website,
    "aws.scp": aws_probes.scp,
    "aws.alb_inventory": aws_probes.alb_inventory,
    "aws.alb_metrics": aws_probes.alb_metrics,
    "aws.cloudfront_logs": aws_probes.cloudfront_logs,
    "http.origin_tls": origin_probes.origin_tls,
    "aws.alb_certificate": alb_certificate_probe.alb_certificate,
    "aws.edge_functions": edge_probes.edge_code,
    "aws.apigw": serverless_probes.apigw,
    "aws.lambda_url": serverless_probes.lambda_url,
    "aws.origin_host": host_probes.origin_host,
    "aws.vpc_origin": host_probes.vpc_origin,
}

# A bucket read refused because the bucket is another account's says so, not "lacks s3:..." (ownership.py).
IMPLEMENTATIONS.update(ownership.guarded_probes(IMPLEMENTATIONS))

assert set(IMPLEMENTATIONS) == set(PROBES), "every probe spec needs an implementation, and only those"

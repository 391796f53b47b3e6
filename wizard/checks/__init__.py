"""Provides the checks (pure functions from EdgeFacts to hits) and the predicates, by the names flows use.

Each check declares the finding ids it may raise: a flow may only name checks defined here, every
declared id must exist in the findings catalogue and every catalogue entry must be declared here
(validated when flows load), and the walk refuses a hit whose id its check did not declare.
"""

from __future__ import annotations

from typing import Callable, Dict, List, Sequence, Tuple

from ..aws.facts import EdgeFacts
from ..model import Hit, Unknown
from . import (alb_certificate, alb_timing, application, cache, cloudfront, cors, edge_functions, edge_responses,
               network, organization, origin, origin_network, s3_access, s3_object, serverless)
from .predicates import PREDICATES

CheckFn = Callable[[EdgeFacts], Tuple[List[Hit], List[Unknown]]]

CHECKS: Dict[str, Tuple[CheckFn, Sequence[str]]] = {
    "app.asset_host": (application.asset_host, ("app.asset-host-cloudfront",)),
    "cloudfront.viewer": (cloudfront.viewer, ("cf.alias-missing", "cf.geo-blocked", "waf.blocked",
                                              "cf.viewer-http-on-https-only",
                                              "cf.signed-url-required", "cf.signed-url-expired")),
    "cloudfront.edge_functions": (edge_functions.edge_functions, ("cf.function.generated-response",
                                                                   "cf.function.execution-error", "cf.lambda-edge.error")),
    "cloudfront.origin_settings": (cloudfront.origin_settings, ("cf.origin-website-with-oac", "cf.default-root-object")),
    "org.scp": (organization.scp, ("org.scp-deny", "org.rcp-deny")),
    "s3.rest_policy": (s3_access.rest_policy, ("s3.policy.oac-sourcearn-mismatch", "s3.policy.oai-mismatch",
                                               "s3.policy.no-cloudfront-grant", "s3.policy.explicit-deny")),
    "s3.website_access": (s3_access.website_access, ("s3.policy.explicit-deny", "s3.website.block-public-access",
                                                     "s3.website.object-not-public", "s3.website.requester-pays",
                                                     "s3.website.referer-mismatch")),
    "s3.object_exists": (s3_object.existence, ("s3.object-missing", "s3.object-key-case")),
    "s3.object_owner": (s3_object.ownership, ("s3.object-owner-mismatch",)),
    "s3.encryption": (s3_object.encryption, ("s3.kms-not-allowed",)),
    "cors": (cors.cors, ("cf.cors.origin-not-forwarded", "s3.cors.missing", "s3.cors.origin-not-allowed")),
    "cache.stale": (cache.stale, ("cf.stale-cache",)),
    # What CloudFront does to the answer between origin and viewer (issue 14 items 3-5).
    "cloudfront.error_responses": (edge_responses.error_responses, ("cf.custom-error-response-masks",)),
    "cloudfront.origin_group": (edge_responses.origin_group, ("cf.origin-group-failover-criteria",)),
    "cloudfront.response_headers_cors": (edge_responses.response_headers_cors, ("cf.cors.response-headers-conflict",)),
    "network.alb_path": (network.alb_path, ("sg.alb-ingress-missing-cloudfront", "sg.target-ingress-stale-reference",
                                            "sg.target-ingress-missing", "sg.alb-egress-blocked", "nacl.blocked",
                                            "elb.no-listener-for-origin-port", "elb.targets-unhealthy", "elb.internal-scheme", "elb.listener-protocol-mismatch",
                                            "sg.origin-ingress-missing-cloudfront")),
    "logs.cloudfront": (network.access_logs, ("logs.origin-errors",)),
    "origin.connection": (origin.connection, ("origin.dns-unresolvable", "origin.protocol-port-mismatch",
                                              "origin.tls.untrusted", "origin.tls.name-mismatch",
                                              "origin.response-timeout")),
    "network.alb_certificate": (alb_certificate.listener_certificate, ("origin.tls.name-mismatch",)),
    "network.alb_response_time": (alb_timing.slow_target, ("origin.response-timeout",)),
    # API Gateway and Lambda function URL origins (issue 13 items 5-6).
    "origin.api_gateway": (serverless.api_gateway, ("cf.host-header-forwarded", "cf.origin-path-wrong")),
    "origin.s3_host": (serverless.s3_host, ("cf.host-header-forwarded",)),
    "origin.lambda_url": (serverless.lambda_url, ("lambda-url.oac-permission-missing", "lambda-url.unsigned-body")),
    # EC2 instance origins (issue 13 item 3).
    "network.origin_host": (origin_network.origin_host, ("sg.origin-ingress-missing-cloudfront", "nacl.blocked")),
    # CloudFront VPC origins (issue 13 item 4).
    "network.vpc_origin": (origin_network.vpc_origin, ("cf.vpc-origin.sg-missing",)),
}

__all__ = ["CHECKS", "PREDICATES"]

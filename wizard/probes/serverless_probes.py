"""Provides the probes for API Gateway and Lambda function URL origins: thin adapters from
ProbeContext to wizard.aws.serverless, keyed by the ids in the origin domain."""

from __future__ import annotations

from typing import Any, Dict

from ..analysis.edge.serverless_origin import apigw_domain, lambda_url_domain
from ..aws import serverless
from .context import ProbeContext, ProbeIncomplete, ProbeSkip


def apigw(ctx: ProbeContext) -> Dict[str, Any]:
    parsed = apigw_domain(ctx.origin().domain)
    if parsed is None:
        raise ProbeSkip("the origin is not an API Gateway execute-api domain")
    return serverless.api(ctx.need_aws(), *parsed)


def lambda_url(ctx: ProbeContext) -> Dict[str, Any]:
    parsed = lambda_url_domain(ctx.origin().domain)
    if parsed is None:
        raise ProbeSkip("the origin is not a Lambda function URL")
    found = serverless.function_url(ctx.need_aws(), *parsed)
    if found.get("truncated"):
        raise ProbeIncomplete(str(found["error"]))
    return found

"""Provides the AWS services the lab serves: an exact allowlist shared by scenario validation and
the lab's AWS server, so a scenario cannot ask for what the server would refuse.

Why an allowlist: several moto services send traffic out of the process on the caller's say-so
(SNS delivers to HTTP subscribers, Firehose to HTTP endpoints, EventBridge to API destinations,
Lambda and Batch start Docker containers, API Gateway calls its integrations). A shared scenario
must not be able to make a bastion POST anywhere. The services below only keep state in memory;
their notifications (S3 event notifications, say) can only reach services that are not served.
Athena runs no SQL in moto: it records executions and writes canned results to the lab's own S3
(`logs --athena-run` is tested against it).
Lambda is served for its function state only (Lambda@Edge and function URL scenarios): the gate lets
through only LAMBDA_PATHS, so nothing can invoke a function (which would start a container); API
Gateway for its configuration, with the test-invoke operations refused (REFUSED_PATHS).
"""

from __future__ import annotations

import re
from typing import FrozenSet

# boto3 client names: what scenarios build with and what the wizard's probes read.
LAB_SERVICES = (
    "acm", "apigateway", "apigatewayv2", "athena", "cloudfront", "cloudwatch", "ec2", "ecs", "elbv2", "iam", "kms", "lambda",
    "logs",
    "organizations", "route53", "s3", "s3control", "sts", "wafv2",
)

# Lambda and API Gateway are served for their configuration only (functions, URLs, policies, APIs,
# stages): the operations that would run code or call an integration are refused, by scenarios
# (these names) and by the lab's gate: Lambda by the LAMBDA_PATHS allowlist below (an invoke path is
# not on it), API Gateway's test-invoke operations by REFUSED_PATHS (their request paths).
REFUSED_OPERATIONS = {
    "lambda": ("invoke", "invoke_async", "invoke_with_response_stream"),
    "apigateway": ("test_invoke_method", "test_invoke_authorizer"),
}
# (signing name, HTTP method or None for any, path regex) of those operations. No Lambda row: the
# gate checks LAMBDA_PATHS first, so a Lambda invoke path never gets this far.
REFUSED_PATHS = (
    ("apigateway", "POST", r"^/restapis/[^/]+/(resources/[^/]+/methods/[^/]+|authorizers/[^/]+)/?$"),
)


# The Lambda API paths the gate lets through (AWS Lambda API reference): create / get / list / delete
# a function, publish and list versions, its configuration, reserved concurrency, its URL configuration
# and resource policy. Every invoke path (/invocations, /invoke-async, /response-streaming-invocations)
# stays refused.
LAMBDA_PATHS = re.compile(
    r"^/2015-03-31/functions/?$"
    r"|^/2015-03-31/functions/[A-Za-z0-9_:.$-]{1,170}/?$"
    r"|^/2015-03-31/functions/[A-Za-z0-9_:.$-]{1,170}/(versions|configuration)/?$"
    r"|^/(2017-10-31|2019-09-30)/functions/[A-Za-z0-9_:.$-]{1,170}/concurrency/?$"
    # function URL configuration and the resource policy (Lambda URL origins with OAC): state only
    r"|^/2021-10-31/functions/[A-Za-z0-9_:.$-]{1,170}/url/?$"
    r"|^/2015-03-31/functions/[A-Za-z0-9_:.$-]{1,170}/policy(/[A-Za-z0-9_.-]{1,100})?/?$")


def refusal(service: str) -> str:
    """The one-line reason a service is not served, naming what is."""
    return (f"the lab does not serve '{service}': it serves only {', '.join(LAB_SERVICES)} (services such as "
            "SNS, Firehose, EventBridge could make the lab send traffic elsewhere)")


# The SigV4 signing names (credential scope) of LAB_SERVICES, what the server sees in a request:
# cloudwatch signs as "monitoring", elbv2 as "elasticloadbalancing", s3control as "s3", apigatewayv2
# as "apigateway". Written out because working them out from botocore's models parses all nineteen
# service models (EC2's is 1.5 MB) on every lab's start, ~0.2-0.3 s; tests/lab/test_lab_gate.py
# checks the table against botocore (signing_names_from_models), so a new service or an SDK change
# cannot leave it stale.
SIGNING_NAMES: FrozenSet[str] = frozenset({
    "acm", "apigateway", "athena", "cloudfront", "ec2", "ecs", "elasticloadbalancing", "iam", "kms", "lambda",
    "logs", "monitoring", "organizations", "route53", "s3", "sts", "wafv2",
})


def signing_names() -> FrozenSet[str]:
    """The SigV4 signing names of LAB_SERVICES (see SIGNING_NAMES)."""
    return SIGNING_NAMES


def signing_names_from_models() -> FrozenSet[str]:
    """The same set worked out from botocore's service models (slow: for the test that keeps
    SIGNING_NAMES true)."""
    from ..aws.botocore_loader import botocore_session

    session = botocore_session()
    names = set()
    for service in LAB_SERVICES:
        meta = session.get_service_model(service).metadata
        names.add(meta.get("signingName") or meta["endpointPrefix"])
    return frozenset(names)

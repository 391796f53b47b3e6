"""Provides pure readings of API Gateway and Lambda function URL origins: the API id or URL id and
Region in the origin domain, which stage a request path names, and whether a function's
resource-based policy lets CloudFront (OAC) invoke its URL for one distribution."""

from __future__ import annotations

import json
import re
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

from .. import wildcards

_APIGW = re.compile(r"^(?P<id>[a-z0-9]+)\.execute-api\.(?P<region>[a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$")
_LAMBDA_URL = re.compile(r"^(?P<id>[a-z0-9]+)\.lambda-url\.(?P<region>[a-z0-9-]+)\.on\.aws$")

# AWS Lambda "Control access to Lambda function URLs": since October 2025 a function URL needs both
# actions for the caller (older URLs keep a temporary exception until November 2026).
URL_ACTIONS = ("lambda:InvokeFunctionUrl", "lambda:InvokeFunction")
CLOUDFRONT = "cloudfront.amazonaws.com"
ENDPOINT_NAMES = {"EDGE": "edge-optimized", "REGIONAL": "regional", "PRIVATE": "private"}


def apigw_domain(domain: str) -> Optional[Tuple[str, str]]:
    """(api id, Region) of an execute-api domain, else None."""
    match = _APIGW.match(domain.lower().rstrip("."))
    return (match.group("id"), match.group("region")) if match else None


def lambda_url_domain(domain: str) -> Optional[Tuple[str, str]]:
    """(url id, Region) of a function URL domain, else None."""
    match = _LAMBDA_URL.match(domain.lower().rstrip("."))
    return (match.group("id"), match.group("region")) if match else None


def stage_of(origin_path: str, path: str, stages: Sequence[str]) -> Tuple[Optional[str], str]:
    """The stage a request reaches and the resource path under it. A REST API's URL starts with the
    stage name (/prod/orders); an HTTP API's $default stage serves paths without one."""
    full = "/" + ((origin_path or "").strip("/") + "/" + path.lstrip("/")).strip("/")
    first, _, rest = full.lstrip("/").partition("/")
    if first and first in stages:
        return first, "/" + rest
    if "$default" in stages:
        return "$default", full
    return None, full


def resource_matches(template: str, path: str) -> bool:
    """Whether an API Gateway resource path (/orders/{id}, /{proxy+}) serves `path`."""
    want = [p for p in template.strip("/").split("/") if p]
    have = [p for p in path.strip("/").split("/") if p]
    for i, part in enumerate(want):
        if part.startswith("{") and part.endswith("+}"):
            return len(have) > i
        if i >= len(have):
            return False
        if not (part.startswith("{") and part.endswith("}")) and part != have[i]:
            return False
    return len(want) == len(have)


def _listed(value: Any) -> List[Any]:
    return list(value) if isinstance(value, list) else [value]


def _action_covers(pattern: str, action: str) -> bool:
    return wildcards.matches(pattern.lower(), action.lower())


def _principal_is_cloudfront(principal: Any) -> bool:
    if principal == "*":
        return True
    if isinstance(principal, Mapping):
        return any(p in (CLOUDFRONT, "*") for p in _listed(principal.get("Service", [])) + _listed(principal.get("AWS", [])))
    return False


def _condition_allows(condition: Mapping[str, Any], source_arn: str) -> Tuple[bool, Optional[str]]:
    """Whether a statement's SourceArn condition admits `source_arn`; also the ARN it names."""
    named = None
    for operator, pairs in (condition or {}).items():
        for key, values in (pairs or {}).items():
            if key.lower() != "aws:sourcearn":
                continue
            for value in _listed(values):
                named = str(value)
                if ("like" in operator.lower() and wildcards.matches(str(value), source_arn)) or str(value) == source_arn:
                    return True, named
            return False, named
    return True, named


def url_grants(policy: Optional[str], source_arn: str) -> Dict[str, Any]:
    """Which of URL_ACTIONS the policy allows to CloudFront for this distribution (explicit Denies
    win), and the distribution ARNs other grants name."""
    try:
        document = json.loads(policy) if policy else {}
    except ValueError:
        document = {}
    allowed, denied, other_arns = set(), set(), []
    for statement in _listed(document.get("Statement") or []):
        if not isinstance(statement, Mapping) or not _principal_is_cloudfront(statement.get("Principal")):
            continue
        actions = [a for a in URL_ACTIONS if any(_action_covers(str(p), a) for p in _listed(statement.get("Action", [])))]
        ok, named = _condition_allows(statement.get("Condition") or {}, source_arn)
        if not ok:
            if named:
                other_arns.append(named)
            continue
        (denied if statement.get("Effect") == "Deny" else allowed).update(actions)
    granted = [a for a in URL_ACTIONS if a in allowed and a not in denied]
    return {"granted": granted, "missing": [a for a in URL_ACTIONS if a not in granted],
            "other_arns": sorted(set(other_arns))}

"""Provides the Lambda function URL side of the simulator: how a function URL answers CloudFront,
from moto state. An AWS_IAM URL needs a signed request (the origin's OAC, signing always) and a
resource-based policy that allows cloudfront.amazonaws.com both lambda:InvokeFunctionUrl and
lambda:InvokeFunction for this distribution's ARN (AWS Lambda "Control access to Lambda function
URLs", since October 2025); else 403. The lab's own policy reading, not the diagnosis's."""

from __future__ import annotations

import fnmatch
import json
import re
from typing import Any, List, Optional, Tuple

from botocore.exceptions import ClientError

from .view import LabView

Answer = Tuple[int, List[Tuple[str, str]], bytes]
_DOMAIN = re.compile(r"^([a-z0-9]+)\.lambda-url\.([a-z0-9-]+)\.on\.aws$")
_NEEDED = ("lambda:invokefunctionurl", "lambda:invokefunction")


def _json(status: int, body: dict, error_type: Optional[str] = None) -> Answer:
    headers = [("Content-Type", "application/json"), ("x-amzn-RequestId", "lab-lambda-url-request")]
    if error_type:
        headers.append(("x-amzn-ErrorType", error_type))
    return status, headers, json.dumps(body).encode()


def _as_list(value: Any) -> list:
    return value if isinstance(value, list) else [value]


def _allowed(policy: Optional[str], dist_arn: str) -> set:
    actions: set = set()
    denied: set = set()
    for st in _as_list((json.loads(policy) if policy else {}).get("Statement") or []):
        principal = st.get("Principal")
        services = _as_list(principal.get("Service", [])) if isinstance(principal, dict) else [principal]
        if "cloudfront.amazonaws.com" not in services and "*" not in services:
            continue
        arns = [v for op, kv in (st.get("Condition") or {}).items() for k, vs in kv.items()
                if k.lower() == "aws:sourcearn" for v in _as_list(vs)]
        if arns and not any(fnmatch.fnmatchcase(dist_arn, str(a)) for a in arns):
            continue
        granted = {n for n in _NEEDED for a in _as_list(st.get("Action", [])) if fnmatch.fnmatchcase(n, str(a).lower())}
        (denied if st.get("Effect") == "Deny" else actions).update(granted)
    return actions - denied


def answer(view: LabView, domain: str, oac: Optional[dict], dist_arn: str, method: str,
           headers: dict) -> Answer:
    """The function URL's answer to CloudFront's request (signed when the origin has an OAC)."""
    match = _DOMAIN.match(domain)
    if not match:
        return _json(403, {"Message": "Forbidden"}, "AccessDeniedException")
    url_id, region = match.groups()
    client = view.client("lambda", region)
    wanted = f"https://{url_id}.lambda-url.{region}.on.aws"
    for fn in client.list_functions().get("Functions") or []:
        try:
            config = client.get_function_url_config(FunctionName=fn["FunctionName"])
        except ClientError:
            continue
        if str(config.get("FunctionUrl", "")).rstrip("/") != wanted:
            continue
        if config.get("AuthType") == "AWS_IAM":
            signed = bool(oac) and oac.get("SigningBehavior") in ("always", "no-override") and \
                oac.get("OriginAccessControlOriginType") == "lambda"
            if not signed:
                return _json(403, {"Message": "Forbidden"}, "AccessDeniedException")
            if method in ("PUT", "POST") and "x-amz-content-sha256" not in headers:
                return _json(403, {"message": "The request signature we calculated does not match the signature "
                                   "you provided. Check your AWS Secret Access Key and signing method."},
                             "InvalidSignatureException")
            try:
                policy = client.get_policy(FunctionName=fn["FunctionName"])["Policy"]
            except ClientError:
                policy = None
            if set(_NEEDED) - _allowed(policy, dist_arn):
                return _json(403, {"Message": "Forbidden. For troubleshooting Function URL authorization issues, "
                                   "see: https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html"},
                             "AccessDeniedException")
        return _json(200, {"message": "hello from " + fn["FunctionName"]})
    return _json(403, {"Message": "Forbidden"}, "AccessDeniedException")

"""Provides the reads of a behavior's edge code: each CloudFront Function's stage, status and code
(DescribeFunction / GetFunction), and each Lambda@Edge function's recent log events in the Region
whose logs hold them (logs:FilterLogEvents). Read-only."""

from __future__ import annotations

import time
from typing import Any, Dict, List, Mapping, Optional

from botocore.exceptions import ClientError

from ..analysis.edge.edge_regions import log_group, log_region
from .jsonable import jsonable
from .session import AwsAccess

CODE_LIMIT = 64 * 1024  # CloudFront Functions are at most 10 KB; anything longer is cut, not trusted
LOG_WINDOW_MS = 60 * 60 * 1000
LOG_EVENTS = 20


def _items(behavior: Mapping[str, Any], key: str) -> List[Mapping[str, Any]]:
    return list(((behavior.get(key) or {}).get("Items")) or [])


def _error(exc: ClientError) -> str:
    err = exc.response.get("Error", {})
    return f"{err.get('Code', 'Error')}: {err.get('Message', '')}".strip()


def _function(cf, association: Mapping[str, Any]) -> Dict[str, Any]:
    """A distribution runs a function's LIVE stage; DEVELOPMENT is read only when LIVE is absent."""
    arn = str(association.get("FunctionARN") or "")
    name = arn.rsplit("/", 1)[-1]
    out: Dict[str, Any] = {"name": name, "arn": arn, "event_type": association.get("EventType")}
    for stage in ("LIVE", "DEVELOPMENT"):
        try:
            summary = cf.describe_function(Name=name, Stage=stage)["FunctionSummary"]
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") == "NoSuchFunctionExists":
                continue
            raise
        code = cf.get_function(Name=name, Stage=stage)["FunctionCode"].read(CODE_LIMIT + 1)
        out.update(stage=stage, status=summary.get("Status"),
                   runtime=(summary.get("FunctionConfig") or {}).get("Runtime"),
                   code=code[:CODE_LIMIT].decode("utf-8", "replace"), code_cut=len(code) > CODE_LIMIT)
        return out
    out["missing"] = True
    return out


def _lambda_logs(access: AwsAccess, association: Mapping[str, Any], pop: Optional[str]) -> Dict[str, Any]:
    arn = str(association.get("LambdaFunctionARN") or "")
    parts = arn.split(":")
    name = parts[6] if len(parts) > 6 else arn
    out: Dict[str, Any] = {"arn": arn, "name": name, "version": parts[7] if len(parts) > 7 else None,
                           "event_type": association.get("EventType"), "log_group": log_group(name),
                           "region": log_region(pop), "pop": pop}
    if not out["region"]:
        return out
    try:
        got = access.client("logs", out["region"]).filter_log_events(
            logGroupName=out["log_group"], startTime=int(time.time() * 1000) - LOG_WINDOW_MS, limit=LOG_EVENTS)
        out["events"] = [str(e.get("message", "")) for e in got.get("events") or []]
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") == "ResourceNotFoundException":
            out["events"], out["group_missing"] = [], True
        else:
            out["logs_error"] = _error(exc)  # denied logs leave the logs unknown, not the function
    return out


def edge_code(access: AwsAccess, behavior: Mapping[str, Any], pop: Optional[str]) -> Dict[str, Any]:
    """The behavior's CloudFront Functions (with code) and Lambda@Edge functions (with recent logs)."""
    cf = access.client("cloudfront")
    functions = [_function(cf, a) for a in _items(behavior, "FunctionAssociations")]
    lambdas = [_lambda_logs(access, a, pop) for a in _items(behavior, "LambdaFunctionAssociations")]
    return jsonable({"functions": functions, "lambdas": lambdas})

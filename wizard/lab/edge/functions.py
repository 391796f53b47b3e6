"""Provides the edge code the simulator runs between viewer and origin: the behavior's CloudFront
Functions (their LIVE code, read through the CloudFront API, run in an embedded V8 with CloudFront's
event shape and a time and memory limit) and its Lambda@Edge associations (emulated from the
function's state in the Lambda API: see `lambda_edge`).

The answer always comes from the code and state in the lab's AWS, never from a scenario switch.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Dict, List, Mapping, Optional, Tuple
from urllib.parse import parse_qsl, urlencode

from botocore.exceptions import ClientError

from . import pages
from .view import LabView

Answer = Tuple[int, List[Tuple[str, str]], bytes]

# CloudFront Functions quotas (AWS "Quotas on CloudFront Functions"): 2 MB of memory and a compute
# budget measured in fractions of a millisecond. The lab cannot measure compute utilization, so it
# allows a generous wall-clock budget: code that loops or recurses without end still exceeds it.
TIME_LIMIT_SEC = 0.2
MEMORY_LIMIT_BYTES = 2 * 1024 * 1024


class FunctionFailed(Exception):
    """The function threw, returned something CloudFront cannot use, or exceeded its limits."""


@dataclass
class EdgeResult:
    """What the edge code did to a viewer request: an answer of its own, or the (possibly rewritten)
    request going on to the cache and the origin."""

    answer: Optional[Answer] = None
    label: str = ""
    uri: str = ""
    query: str = ""


def _multi(pairs: Mapping[str, str]) -> Dict[str, Dict[str, str]]:
    return {k.lower(): {"value": v} for k, v in pairs.items()}


def viewer_request_event(dist: Mapping[str, Any], method: str, uri: str, query: str,
                         headers: Mapping[str, str], viewer_ip: str, request_id: str) -> Dict[str, Any]:
    """CloudFront Functions' event object for viewer-request (AWS "CloudFront Functions event
    structure"): version 1.0, context, viewer, request{method, uri, querystring, headers, cookies}."""
    cookies: Dict[str, Dict[str, str]] = {}
    for part in str(headers.get("cookie") or "").split(";"):
        name, sep, value = part.strip().partition("=")
        if sep:
            cookies[name] = {"value": value}
    return {
        "version": "1.0",
        "context": {"distributionDomainName": dist.get("DomainName", ""), "distributionId": dist.get("Id", ""),
                    "eventType": "viewer-request", "requestId": request_id},
        "viewer": {"ip": viewer_ip},
        "request": {"method": method, "uri": uri, "querystring": _multi(dict(parse_qsl(query))),
                    "headers": _multi({k: v for k, v in headers.items() if k.lower() != "cookie"}),
                    "cookies": cookies},
    }


def _settle(ctx) -> None:
    """Let V8 deliver what a cancelled evaluation still owes before the context closes: a timed-out
    script's late callback would otherwise land on a closed event loop ("Event loop is closed")."""
    try:
        ctx.eval("0")
    except Exception:  # noqa: BLE001 - an isolate out of memory refuses even this; closing still works
        pass


def run_function(code: str, event: Mapping[str, Any]) -> Any:
    """Run `handler(event)` from `code` in a fresh V8 isolate and return its result (a plain value).

    Raises FunctionFailed when the code throws, does not define handler, exceeds the time or memory
    limit, or returns something that is not an object.
    """
    from py_mini_racer import JSEvalException, MiniRacer

    ctx = MiniRacer()
    try:
        ctx.set_hard_memory_limit(ctx.heap_stats()["used_heap_size"] + MEMORY_LIMIT_BYTES)
        script = (code + "\n;(function(){ if (typeof handler !== 'function') throw new Error('handler is not defined');"
                  " return JSON.stringify(handler(" + json.dumps(event) + ")); })()")
        try:
            out = ctx.eval(script, timeout_sec=TIME_LIMIT_SEC)
        except JSEvalException as exc:  # throws, syntax errors, timeout and out-of-memory alike
            _settle(ctx)
            raise FunctionFailed(str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__) from exc
        if ctx.was_hard_memory_limit_reached():
            raise FunctionFailed("memory limit exceeded")
        result = json.loads(out) if isinstance(out, str) else None
        if not isinstance(result, dict):
            raise FunctionFailed("the handler returned no request or response object")
        return result
    finally:
        ctx.close()  # always: an isolate left open after running out of memory blocks the process at exit


def _response_answer(result: Mapping[str, Any]) -> Answer:
    status = int(result.get("statusCode") or 0)
    if not 200 <= status <= 599:
        raise FunctionFailed(f"invalid statusCode {result.get('statusCode')!r}")
    headers = [(str(k), str((v or {}).get("value", ""))) for k, v in (result.get("headers") or {}).items()]
    body = result.get("body") or ""
    if isinstance(body, dict):
        body = body.get("data") or ""
    return status, [("Server", "CloudFront")] + headers, str(body).encode()


def _function_name(arn: str) -> str:
    return arn.rsplit("/", 1)[-1]


def _live_code(view: LabView, arn: str) -> str:
    """The LIVE code of a CloudFront Function (a distribution always runs the published stage)."""
    cf = view.client("cloudfront", "us-east-1")
    return cf.get_function(Name=_function_name(arn), Stage="LIVE")["FunctionCode"].read().decode("utf-8", "replace")


def viewer_request(view: LabView, dist: Mapping[str, Any], behavior: Mapping[str, Any], method: str, uri: str,
                   query: str, headers: Mapping[str, str], viewer_ip: str, cf_id: str) -> EdgeResult:
    """Run the behavior's viewer-request edge code: a CloudFront Function, or a Lambda@Edge."""
    for item in ((behavior.get("FunctionAssociations") or {}).get("Items") or []):
        if item.get("EventType") != "viewer-request":
            continue
        event = viewer_request_event(dist, method, uri, query, headers, viewer_ip, cf_id)
        try:
            result = run_function(_live_code(view, item["FunctionARN"]), event)
            if "statusCode" in result:
                return EdgeResult(_response_answer(result), "FunctionGeneratedResponse from cloudfront")
        except (FunctionFailed, ClientError, ValueError):
            return EdgeResult(pages.cloudfront_error(503, "function-error", cf_id), "Error from cloudfront")
        uri = str(result.get("uri") or uri)
        qs = result.get("querystring") or {}
        query = urlencode([(k, (v or {}).get("value", "")) for k, v in qs.items()]) if isinstance(qs, dict) else query
    return lambda_edge(view, behavior, ("viewer-request",), uri, query, cf_id)


def lambda_edge(view: LabView, behavior: Mapping[str, Any], events: Tuple[str, ...], uri: str, query: str,
                cf_id: str) -> EdgeResult:
    """Emulate the behavior's Lambda@Edge functions for `events` from their state in Lambda.

    The lab cannot run a Lambda deployment package (the Lambda API hands out only a download URL for
    it), so it emulates the one failure that state alone decides: a function version whose reserved
    concurrency is 0 is throttled on every invocation, and CloudFront answers 503 with its
    "Lambda function ... was throttled" page (LambdaLimitExceeded). A function that does not exist
    (deleted, or the association names a version that is gone) fails as LambdaExecutionError (503).
    """
    for item in ((behavior.get("LambdaFunctionAssociations") or {}).get("Items") or []):
        if item.get("EventType") not in events:
            continue
        arn = str(item.get("LambdaFunctionARN") or "")
        name = arn.split(":")[6] if arn.count(":") >= 6 else arn
        client = view.client("lambda", "us-east-1")
        try:
            client.get_function(FunctionName=arn)
        except ClientError:
            return EdgeResult(pages.cloudfront_error(503, "lambda-invalid", cf_id), "Error from cloudfront")
        reserved = client.get_function_concurrency(FunctionName=name).get("ReservedConcurrentExecutions")
        if reserved == 0:
            return EdgeResult(pages.cloudfront_error(503, "lambda-throttled", cf_id), "Error from cloudfront")
    return EdgeResult(uri=uri, query=query)


def viewer_response(view: LabView, dist: Mapping[str, Any], behavior: Mapping[str, Any], method: str, uri: str,
                    request_headers: Mapping[str, str], viewer_ip: str, cf_id: str, answer: Answer) -> Answer:
    """Run the behavior's viewer-response CloudFront Function on `answer` (the response about to go to
    the viewer): its returned statusCode and headers replace the answer's, the body stays. CloudFront
    does not run it for an origin answer of 400 or more; a failure is its 503 error page."""
    status, headers, body = answer
    associations = [a for a in ((behavior.get("FunctionAssociations") or {}).get("Items") or [])
                    if a.get("EventType") == "viewer-response"]
    if not associations or status >= 400:
        return answer
    event = viewer_request_event(dist, method, uri, "", request_headers, viewer_ip, cf_id)
    event["context"]["eventType"] = "viewer-response"
    event["response"] = {"statusCode": status, "statusDescription": pages.reason(status), "cookies": {},
                         "headers": _multi({k: v for k, v in headers})}
    try:
        result = run_function(_live_code(view, associations[0]["FunctionARN"]), event)
        new_status = int(result.get("statusCode") or status)
        new_headers = [(str(k), str((v or {}).get("value", ""))) for k, v in (result.get("headers") or {}).items()]
    except (FunctionFailed, ClientError, ValueError, TypeError, AttributeError):
        return pages.cloudfront_error(503, "function-error", cf_id)
    return new_status, new_headers, body

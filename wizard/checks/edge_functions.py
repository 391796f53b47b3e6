"""Provides the edge-code checks: an answer a CloudFront Function generated itself, a CloudFront
Function that failed, and a Lambda@Edge function that failed — each told from the HTTP answer
(X-Cache, CloudFront's own error page) and the matched behavior's associations, with the function's
code path or the Region whose logs to read. Function code and log lines are untrusted text: they go
into evidence as data, and every output channel sanitizes them."""

from __future__ import annotations

import re
from typing import Any, Dict, List, Mapping, Optional, Tuple

from ..analysis.edge.edge_regions import airport, log_group, log_region
from ..aws.facts import EdgeFacts
from ..model import Hit, Unknown
from .common import header, missing

PROBE = "aws.edge_functions"
_LINE_LIMIT = 160
_LAMBDA_KINDS = {
    "LambdaLimitExceeded": ("the function was throttled: Lambda refused to run it (concurrency quota or "
                            "reserved concurrency, or it timed out).",
                            "Check its reserved concurrency (aws lambda get-function-concurrency --function-name "
                            "{name}) and the Region's concurrency quota; remove a reservation of 0."),
    "LambdaExecutionError": ("the function threw, timed out, or CloudFront could not run it (permissions, a "
                             "deleted version).",
                             "The error and stack trace are in those logs; fix the code, publish a new version "
                             "and point the behavior's LambdaFunctionAssociations at it."),
    "LambdaValidationError": ("the function returned a response or request CloudFront rejects (a read-only header "
                              "changed, a body over the size limit, an invalid status or structure).",
                              "CloudFront's validation message is in those logs; fix what the function returns, "
                              "publish a new version and point the behavior's association at it."),
}


def _items(behavior, key: str) -> List[Mapping[str, Any]]:
    return list(((behavior.raw.get(key) or {}).get("Items")) or [])


def _one_line(text: str) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= _LINE_LIMIT else text[:_LINE_LIMIT - 1] + "…"


def code_path(code: str, status: int) -> List[str]:
    """The lines of `code` that return `status` (`statusCode: 403`), numbered; else every line that
    sets a statusCode. Shown as untrusted text."""
    lines = str(code).splitlines()
    exact = re.compile(r"\bstatusCode\s*:\s*['\"]?%d\b" % status)
    found = [(i, line) for i, line in enumerate(lines, 1) if exact.search(line)]
    if not found:
        found = [(i, line) for i, line in enumerate(lines, 1) if "statusCode" in line]
    return [f"line {i}: {_one_line(line)}" for i, line in found[:3]]


def _params(facts: EdgeFacts, answer) -> Dict[str, str]:
    dist = facts.distribution
    behavior = facts.behavior
    return {"distribution_id": dist.id if dist else "", "path_pattern": behavior.path_pattern if behavior else "",
            "status": str(answer.get("status")), "host": facts.symptom.host}


def _read_function(facts: EdgeFacts, association: Mapping[str, Any]) -> Optional[Mapping[str, Any]]:
    arn = association.get("FunctionARN")
    for item in (facts.data(PROBE) or {}).get("functions") or []:
        if item.get("arn") == arn:
            return item
    return None


def _function_hit(facts: EdgeFacts, answer, association, finding: str, first: str) -> Tuple[Hit, List[Unknown]]:
    name = str(association.get("FunctionARN") or "").rsplit("/", 1)[-1]
    event_type = str(association.get("EventType") or "")
    read = _read_function(facts, association)
    status = int(answer["status"])
    unknowns: List[Unknown] = []
    evidence = [first, f"behavior {facts.behavior.path_pattern} runs CloudFront Function {name} on {event_type}"]
    stage, path = "LIVE", "the code could not be read"
    if read and read.get("missing"):
        path = "the function could not be found in either stage"
        evidence.append(f"DescribeFunction: {name} exists in neither LIVE nor DEVELOPMENT")
    elif read:
        stage = str(read.get("stage") or "LIVE")
        lines = code_path(str(read.get("code") or ""), status) if finding.endswith("generated-response") else []
        evidence.append(f"the function's {stage} code ({read.get('runtime') or 'runtime unknown'}, status "
                        f"{read.get('status') or 'unknown'}) was read")
        if stage != "LIVE":
            evidence.append("it has no LIVE stage: a distribution runs only published (LIVE) code")
        if lines:
            path = "; ".join(lines)
            evidence += [f"returns {status} at {line}" for line in lines]
        elif finding.endswith("generated-response"):
            path = f"no line of the code sets statusCode {status} literally"
    else:
        unknown = missing(facts, PROBE, "cloudfront", f"the code of CloudFront Function {name}")
        unknowns += [unknown] if unknown else []
    params = dict(_params(facts, answer), function_name=name, stage=stage, event_type=event_type, code_path=path)
    return Hit(finding, tuple(evidence), params), unknowns


def _cloudfront_page(answer) -> bool:
    return (header(answer, "server") or "").lower() == "cloudfront"


def _body(answer) -> str:
    return str(answer.get("body") or "").lower()


def functions(facts: EdgeFacts, answer) -> Tuple[List[Hit], List[Unknown]]:
    """cf.function.generated-response and cf.function.execution-error."""
    associations = _items(facts.behavior, "FunctionAssociations")
    if not associations:
        return [], []
    x_cache = (header(answer, "x-cache") or "").lower()
    status = int(answer["status"])
    if x_cache.startswith("functiongeneratedresponse"):
        request_side = [a for a in associations if a.get("EventType") == "viewer-request"] or associations
        hit, unknowns = _function_hit(facts, answer, request_side[0], "cf.function.generated-response",
                                      f"CloudFront answered {status} with X-Cache: {header(answer, 'x-cache')}: "
                                      "a CloudFront Function generated it, the origin was never asked")
        return [hit], unknowns
    if status != 503 or not _cloudfront_page(answer):
        return [], []
    body = _body(answer)
    lambdas = _items(facts.behavior, "LambdaFunctionAssociations")
    if "lambda" in body or (lambdas and "function" not in body):
        return [], []  # a Lambda@Edge page, or one that does not say which kind of code failed
    kind = "FunctionThrottledError" if "throttl" in body else "FunctionExecutionError"
    hit, unknowns = _function_hit(facts, answer, associations[0], "cf.function.execution-error",
                                  f"CloudFront answered 503 with its own error page (Server: CloudFront): {kind}")
    return [hit], unknowns


def _lambda_kind(status: int, body: str) -> Optional[str]:
    if "throttled" in body or "limit" in body:
        return "LambdaLimitExceeded"
    if status == 502 or "validation" in body or "invalid response" in body:
        return "LambdaValidationError"
    if status == 503:
        return "LambdaExecutionError"
    return None


def _read_lambda(facts: EdgeFacts, arn: str) -> Optional[Mapping[str, Any]]:
    for item in (facts.data(PROBE) or {}).get("lambdas") or []:
        if item.get("arn") == arn:
            return item
    return None


def lambda_edge(facts: EdgeFacts, answer) -> Tuple[List[Hit], List[Unknown]]:
    """cf.lambda-edge.error: 502/503 from CloudFront itself on a behavior with Lambda@Edge."""
    associations = _items(facts.behavior, "LambdaFunctionAssociations")
    status = int(answer["status"])
    if not associations or status not in (502, 503) or not _cloudfront_page(answer):
        return [], []
    body = _body(answer)
    if _items(facts.behavior, "FunctionAssociations") and "lambda" not in body:
        return [], []  # a CloudFront Function on the same behavior may be the one that failed
    kind = _lambda_kind(status, body)
    if kind is None:
        return [], []
    association = associations[0]
    arn = str(association.get("LambdaFunctionARN") or "")
    parts = arn.split(":")
    name = parts[6] if len(parts) > 6 else arn
    pop = header(answer, "x-amz-cf-pop")
    region = log_region(pop)
    group = log_group(name)
    meaning, remedy = _LAMBDA_KINDS[kind]
    evidence = [f"CloudFront answered {status} with its own Lambda@Edge error page (Server: CloudFront): {kind}",
                f"behavior {facts.behavior.path_pattern} runs Lambda@Edge {arn} on {association.get('EventType')}"]
    unknowns: List[Unknown] = []
    if region:
        evidence.append(f"the edge that served it is {pop} ({airport(pop)}): Lambda@Edge logs for it are in "
                        f"{region}, log group {group}")
    else:
        unknowns.append(Unknown("cloudfront", "which Region holds the Lambda@Edge logs",
                                f"the edge location {pop or '(no X-Amz-Cf-Pop header)'} is not one edgewiz maps "
                                "to a Region: look in the Region nearest that airport"))
    read = _read_lambda(facts, arn)
    if read and read.get("logs_error"):
        unknowns.append(Unknown("cloudfront", f"the log events in {group} ({region})", str(read["logs_error"])))
    elif read and read.get("group_missing"):
        evidence.append(f"{group} does not exist in {region}: the function has not run there"
                        + (" (a throttled invocation never starts, so it writes no log line)"
                           if kind == "LambdaLimitExceeded" else ""))
    elif read and read.get("events") is not None:
        events = [str(e) for e in read["events"]]
        evidence += ([f"{group} in {region}: {_one_line(e)}" for e in events[-3:]] if events
                     else [f"{group} in {region}: no log event in the last hour"])
    elif region:
        unknown = missing(facts, PROBE, "cloudfront", f"the log events in {group} ({region})")
        unknowns += [unknown] if unknown else []
    params = dict(_params(facts, answer), function_name=name, function_arn=arn,
                  event_type=str(association.get("EventType") or ""), error_kind=kind, error_meaning=meaning,
                  remedy=remedy.format(name=name), pop=pop or "(unknown edge)",
                  region=region or f"the Region nearest {airport(pop) or 'the edge'}", log_group=group)
    return [Hit("cf.lambda-edge.error", tuple(evidence), params)], unknowns


def edge_functions(facts: EdgeFacts) -> Tuple[List[Hit], List[Unknown]]:
    """What the behavior's edge code did to the reproduced request."""
    answer = facts.data("http.viewer")
    if facts.behavior is None or not answer or not answer.get("status"):
        return [], []
    hits, unknowns = functions(facts, answer)
    lambda_hits, lambda_unknowns = lambda_edge(facts, answer)
    return hits + lambda_hits, unknowns + lambda_unknowns


def rewrite_unknown(facts: EdgeFacts) -> Optional[Unknown]:
    """When the viewer got a success through a behavior whose edge code may rewrite the URI, the key
    the origin was asked for is not known from the URL alone: an object "missing" under the URL's key
    is then not evidence of anything (the function may have asked for another key)."""
    behavior = facts.behavior
    answer = facts.data("http.viewer") or {}
    if behavior is None or not 200 <= int(answer.get("status") or 0) < 400:
        return None
    rewriting = [a for a in _items(behavior, "FunctionAssociations") if a.get("EventType") == "viewer-request"]
    rewriting += [a for a in _items(behavior, "LambdaFunctionAssociations")
                  if a.get("EventType") in ("viewer-request", "origin-request")]
    if not rewriting:
        return None
    return Unknown("s3", f"which key the origin was asked for ({facts.key} from the URL)",
                   "the behavior's edge code may rewrite the URI before the origin is asked, and the request "
                   f"succeeded ({answer.get('status')})")

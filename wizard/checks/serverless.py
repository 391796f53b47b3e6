"""Provides the checks for API Gateway and Lambda function URL origins: the viewer's Host forwarded
to API Gateway (which routes by Host), an origin path that names no stage, and a function whose
resource-based policy does not let this distribution's OAC invoke its URL. Each reads the answer the
viewer got too, so a working URL is never blamed."""

from __future__ import annotations

from typing import Dict, List, Tuple

from ..analysis.edge.origin_connection import forwards_host
from ..analysis.edge.serverless_origin import ENDPOINT_NAMES, resource_matches, stage_of, url_grants
from ..aws.facts import EdgeFacts
from ..model import Hit, Unknown
from .common import missing

APIGW = "aws.apigw"
LAMBDA_URL = "aws.lambda_url"
LAYER = "origin"
LAMBDA_URL_DOCS = "https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html"


def _viewer_status(facts: EdgeFacts):
    return (facts.data("http.viewer") or {}).get("status")


def _base(facts: EdgeFacts) -> Dict[str, str]:
    origin, dist, behavior = facts.origin, facts.distribution, facts.behavior
    return {"origin_domain": origin.domain, "origin_id": origin.id, "distribution_id": dist.id if dist else "",
            "distribution_arn": dist.arn if dist else "", "behavior": behavior.path_pattern if behavior else "",
            "origin_path": origin.origin_path or "(none)", "viewer_host": facts.symptom.host}


def _endpoint(api: Dict) -> str:
    kind = "REST API" if api.get("kind") == "rest" else f"{str(api.get('kind') or 'HTTP').upper()} API"
    endpoint = str(api.get("endpoint_type") or "")
    return f"{ENDPOINT_NAMES.get(endpoint, endpoint.lower() or 'unknown')} {kind}"


def _no_stage(api: Dict) -> str:
    """What API Gateway answers for a path no stage serves: a REST API 403 Missing Authentication Token,
    an HTTP API (apigatewayv2) 404 Not Found."""
    if api.get("kind") == "rest":
        return '403 {"message":"Missing Authentication Token"}'
    return '404 {"message":"Not Found"}'


def _host_forwarded(facts: EdgeFacts, params: Dict[str, str], status) -> Hit:
    """cf.host-header-forwarded for an API Gateway origin, naming the API (REST or HTTP, its endpoint
    type) when it could be read. Both kinds pick the API by Host: an execute-api endpoint that gets a
    Host it has no custom domain for answers 403 {"message":"Forbidden"} before any stage or route."""
    origin = facts.origin
    outcome = facts.outcome(APIGW)
    api = (facts.data(APIGW) or {}) if outcome is not None and outcome.ok else {}
    named = ""
    if api.get("kind") is not None:
        named = (f"{origin.domain} is the {_endpoint(api)} {api.get('name') or api.get('api_id')} "
                 f"({api.get('api_id')}, {api.get('region')}); ")
    refusal = "403 ForbiddenException" if api.get("kind") in (None, "rest") else '403 {"message":"Forbidden"}'
    kind = "an HTTP API" if api.get("kind") not in (None, "rest") else "API Gateway"
    return Hit("cf.host-header-forwarded", (
        f"Behavior {params['behavior']} forwards the viewer's Host ({facts.symptom.host}) to {origin.domain}.",
        named + f"{kind} picks the API by the Host header and knows no API named {facts.symptom.host} "
        f"(no custom domain by that name), so it answers {refusal} before any stage or route is looked at.",
        f"The viewer got {status if status is not None else 'no answer'}."),
        dict(params, origin_kind=f"API Gateway ({_endpoint(api)} {api.get('name') or api.get('api_id')})"
             if named else "API Gateway",
             routes="picks the API by the Host header", refusal=refusal))


def api_gateway(facts: EdgeFacts) -> Tuple[List[Hit], List[Unknown]]:
    """cf.host-header-forwarded and cf.origin-path-wrong, for an API Gateway origin."""
    origin = facts.origin
    if origin is None or origin.kind != "apigw":
        return [], []
    status = _viewer_status(facts)
    if status is not None and status < 400:
        return [], []  # the API answered through CloudFront: its routing works for this URL
    hits: List[Hit] = []
    unknowns: List[Unknown] = []
    params = _base(facts)
    gap = missing(facts, "aws.origin_policies", LAYER, "whether the behavior forwards the viewer's Host")
    if gap:
        unknowns.append(gap)
    else:
        policies = facts.origin_policies
        behavior = facts.behavior
        if forwards_host(dict(behavior.raw) if behavior else {}, policies.origin_request if policies else None,
                         policies.cache if policies else None):
            hits.append(_host_forwarded(facts, params, status))
    gap = missing(facts, APIGW, LAYER, f"the API behind {origin.domain}")
    if gap:
        return hits, unknowns + [gap]
    api = facts.data(APIGW) or {}
    if api.get("kind") is None:
        unknowns.append(Unknown(LAYER, f"the API behind {origin.domain}",
                                f"no REST or HTTP API {api.get('api_id')} in {api.get('region')} in this account"))
        return hits, unknowns
    stages = [str(s) for s in api.get("stages") or []]
    stage, rest = stage_of(origin.origin_path, facts.symptom.path, stages)
    described = _endpoint(api)
    if stage is None:
        full = "/" + ((origin.origin_path or "").strip("/") + "/" + facts.symptom.path.lstrip("/")).strip("/")
        right = stages[0] if len(stages) == 1 else None
        fix_path = f"/{right}" if right else "/<stage> (one of: " + ", ".join(stages or ["none deployed"]) + ")"
        hits.append(Hit("cf.origin-path-wrong", (
            f"{origin.domain} is a {described} ({api.get('name') or api.get('api_id')}, {api.get('region')}) with "
            f"stage(s) {', '.join(stages) or 'none'}.",
            f"CloudFront asks it for {full} (origin path {params['origin_path']} + {facts.symptom.path}); "
            f"'{full.strip('/').split('/')[0] or '/'}' is not a stage"
            + (" and no $default stage serves it" if api.get("kind") != "rest" else "")
            + f", so API Gateway answers {_no_stage(api)}."),
            dict(params, stages=", ".join(stages) or "none", right_path=fix_path, endpoint=described,
                 requested=full, refusal=_no_stage(api))))
    elif api.get("resources") is not None and not any(resource_matches(str(r.get("path") or ""), rest)
                                                       for r in api.get("resources") or []):
        unknowns.append(Unknown(LAYER, f"the route {rest} in stage {stage}",
                                f"the {described} has no resource for {rest}: API Gateway answers 403 Missing "
                                "Authentication Token for it (a route to add, not an origin setting)"))
    return hits, unknowns


def s3_host(facts: EdgeFacts) -> Tuple[List[Hit], List[Unknown]]:
    """cf.host-header-forwarded, for an S3 REST origin (S3 takes the bucket from the Host header)."""
    origin = facts.origin
    if origin is None or origin.kind != "s3-rest":
        return [], []
    status = _viewer_status(facts)
    if status is not None and status < 400:
        return [], []
    gap = missing(facts, "aws.origin_policies", LAYER, "whether the behavior forwards the viewer's Host")
    if gap:
        return [], [gap]
    policies, behavior = facts.origin_policies, facts.behavior
    if not forwards_host(dict(behavior.raw) if behavior else {}, policies.origin_request if policies else None,
                         policies.cache if policies else None):
        return [], []
    params = _base(facts)
    signed = "403 AccessDenied (CloudFront signs for a bucket S3 does not route to)" if (origin.oac_id or origin.oai_id) \
        else "404 NoSuchBucket"
    return [Hit("cf.host-header-forwarded", (
        f"Behavior {params['behavior']} forwards the viewer's Host ({facts.symptom.host}) to the S3 REST endpoint "
        f"{origin.domain}; S3 takes the bucket from Host, so it looks for a bucket named {facts.symptom.host}, "
        f"not {origin.bucket}, and answers {signed}.",
        f"The viewer got {status if status is not None else 'no answer'}."),
        dict(params, origin_kind="S3 (REST endpoint)", routes="takes the bucket name from the Host header",
             refusal=signed))], []


def lambda_url(facts: EdgeFacts) -> Tuple[List[Hit], List[Unknown]]:
    """lambda-url.oac-permission-missing, for a Lambda function URL origin signed by OAC."""
    origin = facts.origin
    if origin is None or origin.kind != "lambda-url":
        return [], []
    gap = missing(facts, LAMBDA_URL, LAYER, f"the function behind {origin.domain}")
    if gap:
        return [], [gap]
    found = facts.data(LAMBDA_URL) or {}
    if not found.get("function"):
        return [], [Unknown(LAYER, f"the function behind {origin.domain}",
                            f"no function in {found.get('region')} in this account has this URL")]
    if not origin.oac_id:
        return [], [Unknown(LAYER, f"function URL {origin.domain}", f"the origin has no origin access control; the "
                            f"URL's auth type is {found.get('auth_type')}")]
    if found.get("auth_type") != "AWS_IAM":
        return [], [Unknown(LAYER, f"function URL {origin.domain}", f"the URL's auth type is {found.get('auth_type')}, "
                            "not AWS_IAM: OAC needs AWS_IAM")]
    params = dict(_base(facts), function=str(found["function"]), region=str(found.get("region")))
    hits = _unsigned_body(facts, params)
    grants = url_grants(found.get("policy"), params["distribution_arn"])
    if not grants["missing"]:
        return hits, []
    status = _viewer_status(facts)
    if status is not None and status < 400:
        # URLs made before October 2025 keep a temporary exception for lambda:InvokeFunction.
        return hits, [Unknown(LAYER, f"the policy of {found['function']}",
                            f"it lacks {', '.join(grants['missing'])} for CloudFront, yet the URL answered {status}: "
                            "an older function URL may still have AWS's temporary exception (until November 2026)")]
    evidence = [f"Function {found['function']} ({params['region']}): its resource-based policy "
                + (f"grants cloudfront.amazonaws.com {', '.join(grants['granted'])} but not {', '.join(grants['missing'])}"
                   if grants["granted"] else f"grants cloudfront.amazonaws.com neither {' nor '.join(grants['missing'])}")
                + f" for {params['distribution_arn']}."]
    if grants["other_arns"]:
        evidence.append(f"Its CloudFront grants name another SourceArn: {', '.join(grants['other_arns'])}.")
    evidence.append(f"The viewer got {status if status is not None else 'no answer'}; function URLs need both "
                    f"lambda:InvokeFunctionUrl and lambda:InvokeFunction ({LAMBDA_URL_DOCS}).")
    commands = "\n".join(
        f"  aws lambda add-permission --region {params['region']} --function-name {found['function']} "
        f"--statement-id cloudfront-{action.split(':')[1]} --action {action} --principal cloudfront.amazonaws.com "
        f"--source-arn {params['distribution_arn']}" + (" --function-url-auth-type AWS_IAM" if action.endswith("Url") else "")
        for action in grants["missing"])
    return [Hit("lambda-url.oac-permission-missing", tuple(evidence),
                dict(params, missing=", ".join(grants["missing"]), commands=commands))] + hits, []


def _unsigned_body(facts: EdgeFacts, params: Dict[str, str]) -> List[Hit]:
    """lambda-url.unsigned-body: only when the user said the failing request is a PUT or POST
    (--method): edgewiz never sends one itself, and a GET has no body to hash."""
    method = (facts.symptom.method or "").upper()
    if method not in ("PUT", "POST"):
        return []
    behavior = facts.behavior
    allowed = (((behavior.raw if behavior else {}).get("AllowedMethods") or {}).get("Items") or ["GET", "HEAD"])
    if method not in allowed:
        return []  # CloudFront refuses the method itself (allowed methods): nothing reaches the function
    access = facts.origin_access
    oac = (access.oac if access else None) or {}
    signing = str((oac.get("OriginAccessControlConfig") or oac).get("SigningBehavior") or "")
    if signing not in ("always", "no-override"):
        return []  # unknown or never-signing OAC: this is not the signature CloudFront computes
    return [Hit("lambda-url.unsigned-body", (
        f"The failing request is a {method} (as given with --method); the origin's OAC signs requests to "
        f"{params['origin_domain']} (signing behavior {signing}).",
        "Through OAC, Lambda does not accept an unsigned payload: the viewer's request must carry "
        "x-amz-content-sha256 with the SHA-256 of its body, or Lambda answers 403 (signature mismatch). "
        "edgewiz did not send the request (it would run the function) and cannot see your client's headers."),
        dict(params, method=method))]

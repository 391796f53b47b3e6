"""The API Gateway and Lambda function URL checks: each finding on the evidence that proves it, and
none where the viewer's answer or a missing read says otherwise."""

from __future__ import annotations

import dataclasses
import json

from wizard.analysis.edge.cloudfront_config import classify_origin
from wizard.checks import serverless
from wizard.model import ProbeOutcome

from .facts_builder import DIST_ID, answer, build, put

ARN = f"arn:aws:cloudfront::123456789012:distribution/{DIST_ID}"
APIGW = {"Id": "api", "DomainName": "abc123.execute-api.eu-west-1.amazonaws.com", "OriginPath": "",
         "CustomOriginConfig": {"OriginProtocolPolicy": "https-only"}}
FN_URL = {"Id": "fn", "DomainName": "xyz789.lambda-url.us-east-1.on.aws", "OriginAccessControlId": "EOAC1",
          "CustomOriginConfig": {"OriginProtocolPolicy": "https-only"}}
REST_API = {"api_id": "abc123", "region": "eu-west-1", "kind": "rest", "name": "orders", "endpoint_type": "REGIONAL",
            "stages": ["prod"], "resources": [{"path": "/orders", "methods": ["GET"]}]}
NO_HEADERS = {"origin_request_policy": None, "cache_policy": None, "response_headers_policy": None}
ALL_VIEWER = dict(NO_HEADERS, origin_request_policy={"OriginRequestPolicyConfig": {"HeadersConfig": {"HeaderBehavior": "allViewer"}}})


def _policy(*actions, source=ARN):
    return json.dumps({"Statement": [{"Effect": "Allow", "Principal": {"Service": "cloudfront.amazonaws.com"},
                                      "Action": a, "Condition": {"ArnLike": {"AWS:SourceArn": source}}} for a in actions]})


def _apigw(origin_path="", status=403, policies=NO_HEADERS, api=REST_API, path="/orders"):
    facts = build(path, viewer=answer(status, []), origins=(dict(APIGW, OriginPath=origin_path),))
    put(facts, "aws.origin_policies", policies)
    put(facts, "aws.apigw", api)
    return facts


def _fn(policy, status=403, auth="AWS_IAM", method=None, allowed=("GET", "HEAD")):
    behavior = {"TargetOriginId": "fn", "AllowedMethods": {"Items": list(allowed)}}
    facts = build("/orders", viewer=answer(status, []), origins=(FN_URL,), behavior=behavior)
    if method:
        facts.symptom = dataclasses.replace(facts.symptom, method=method)
    put(facts, "aws.origin_access", {"oac": {"OriginAccessControlConfig": {"SigningBehavior": "always",
                                                                           "OriginAccessControlOriginType": "lambda"}}})
    put(facts, "aws.lambda_url", {"url_id": "xyz789", "region": "us-east-1", "function": "orders-fn",
                                  "auth_type": auth, "policy": policy})
    return facts


def test_api_gateway_and_function_url_domains_are_their_own_origin_kinds():
    assert classify_origin(APIGW).kind == "apigw"
    assert classify_origin(FN_URL).kind == "lambda-url"
    assert classify_origin({"DomainName": "api.example.com"}).kind == "custom"


def test_a_missing_stage_names_the_right_one_and_the_endpoint_type():
    hits, _ = serverless.api_gateway(_apigw())
    assert [h.id for h in hits] == ["cf.origin-path-wrong"]
    assert hits[0].params["right_path"] == "/prod"
    assert "regional REST API" in " ".join(hits[0].evidence)
    edge = dict(REST_API, endpoint_type="EDGE")
    assert "edge-optimized REST API" in " ".join(serverless.api_gateway(_apigw(api=edge))[0][0].evidence)


def test_the_right_stage_or_a_working_url_is_not_blamed():
    assert serverless.api_gateway(_apigw(origin_path="/prod"))[0] == []
    assert serverless.api_gateway(_apigw(status=200))[0] == []


def test_forwarding_the_viewer_host_is_named():
    hits, _ = serverless.api_gateway(_apigw(origin_path="/prod", policies=ALL_VIEWER))
    assert [h.id for h in hits] == ["cf.host-header-forwarded"]


def test_a_denied_api_read_leaves_the_stage_unknown():
    facts = _apigw()
    facts.outcomes["aws.apigw"] = ProbeOutcome("aws.apigw", "denied", error="apigateway:GetRestApi denied")
    hits, unknowns = serverless.api_gateway(facts)
    assert hits == [] and any("API behind" in u.what for u in unknowns)


def test_a_policy_with_only_invoke_function_url_misses_invoke_function():
    hits, _ = serverless.lambda_url(_fn(_policy("lambda:InvokeFunctionUrl")))
    assert [h.id for h in hits] == ["lambda-url.oac-permission-missing"]
    assert hits[0].params["missing"] == "lambda:InvokeFunction"
    assert "--action lambda:InvokeFunction " in hits[0].params["commands"] + " "


def test_a_grant_for_another_distribution_does_not_count():
    policy = _policy("lambda:InvokeFunctionUrl", "lambda:InvokeFunction", source=ARN[:-1] + "X")
    hits, _ = serverless.lambda_url(_fn(policy))
    assert hits[0].params["missing"] == "lambda:InvokeFunctionUrl, lambda:InvokeFunction"
    assert "another SourceArn" in " ".join(hits[0].evidence)


def test_both_actions_granted_is_healthy_and_a_working_url_is_not_blamed():
    assert serverless.lambda_url(_fn(_policy("lambda:InvokeFunctionUrl", "lambda:InvokeFunction"))) == ([], [])
    hits, unknowns = serverless.lambda_url(_fn(_policy("lambda:InvokeFunctionUrl"), status=200))
    assert hits == [] and "temporary exception" in unknowns[0].reason


def test_an_unsigned_post_is_named_only_when_the_user_gives_the_method_and_the_behavior_allows_it():
    healthy = _policy("lambda:InvokeFunctionUrl", "lambda:InvokeFunction")
    allowed = ("GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE")
    hits, _ = serverless.lambda_url(_fn(healthy, status=200, method="POST", allowed=allowed))
    assert [h.id for h in hits] == ["lambda-url.unsigned-body"]
    assert serverless.lambda_url(_fn(healthy, status=200, allowed=allowed))[0] == []  # no method given: a GET
    assert serverless.lambda_url(_fn(healthy, status=200, method="POST"))[0] == []  # CloudFront refuses POST itself


def test_an_s3_rest_origin_with_the_viewer_host_forwarded_looks_for_the_wrong_bucket():
    from .facts_builder import REST

    facts = build("/app.js", viewer=answer(403, []), origins=(REST,))
    put(facts, "aws.origin_policies", ALL_VIEWER)
    hits, _ = serverless.s3_host(facts)
    assert [h.id for h in hits] == ["cf.host-header-forwarded"]
    assert "bucket named d111111abcdef8.cloudfront.net" in hits[0].evidence[0]
    put(facts, "aws.origin_policies", NO_HEADERS)
    assert serverless.s3_host(facts) == ([], [])

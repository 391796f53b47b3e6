"""The edge-code checks tell who answered from the HTTP answer and the behavior: a CloudFront
Function's own response (with the line that returns the status), a failed function, a failed
Lambda@Edge (with the Region whose logs to read) — and stay quiet when the origin answered."""

from __future__ import annotations

from wizard.analysis.edge.edge_regions import log_region
from wizard.aws.facts import EdgeFacts
from wizard.checks import edge_functions, s3_object
from wizard.engine.facts import Symptom
from wizard.model import ProbeOutcome

DIST_ID = "EDIST000000001"
FN_ARN = "arn:aws:cloudfront::123456789012:function/partner-gate"
LAMBDA_ARN = "arn:aws:lambda:us-east-1:123456789012:function:edge-auth:7"
REST = {"Id": "s3", "DomainName": "site-bucket.s3.us-east-1.amazonaws.com",
        "S3OriginConfig": {"OriginAccessIdentity": ""}, "OriginAccessControlId": "EOAC0000000001"}
CODE = """function handler(event) {
  if (event.request.uri === '/teapot') { return {statusCode: 418}; }
  if (!event.request.headers['x-partner-key']) {
    return {statusCode: 403, statusDescription: 'Forbidden'};
  }
  return event.request;
}"""
FUNCTION = {"FunctionAssociations": {"Quantity": 1, "Items": [{"FunctionARN": FN_ARN, "EventType": "viewer-request"}]}}
LAMBDA = {"LambdaFunctionAssociations": {"Quantity": 1, "Items": [
    {"LambdaFunctionARN": LAMBDA_ARN, "EventType": "origin-request", "IncludeBody": False}]}}
FN_READ = {"functions": [{"name": "partner-gate", "arn": FN_ARN, "event_type": "viewer-request", "stage": "LIVE",
                          "status": "DEPLOYED", "runtime": "cloudfront-js-2.0", "code": CODE}], "lambdas": []}


def facts(status, headers, body="", behavior=None, read=None, path="/reports/q3.pdf"):
    f = EdgeFacts(Symptom(url=f"https://d111111abcdef8.cloudfront.net{path}"))
    cfg = {"Origins": {"Quantity": 1, "Items": [REST]},
           "DefaultCacheBehavior": dict({"TargetOriginId": "s3"}, **(behavior or {}))}
    f.outcomes["aws.distribution"] = ProbeOutcome("aws.distribution", "ok", data={
        "found": True, "id": DIST_ID, "arn": f"arn:aws:cloudfront::123456789012:distribution/{DIST_ID}",
        "domain": "d111111abcdef8.cloudfront.net", "aliases": [], "matched_by": "domain", "config": cfg})
    f.outcomes["http.viewer"] = ProbeOutcome("http.viewer", "ok", data={
        "status": status, "headers": [list(h) for h in headers], "body": body})
    if read is not None:
        f.outcomes["aws.edge_functions"] = ProbeOutcome("aws.edge_functions", "ok", data=read)
    return f


GENERATED = [("Server", "CloudFront"), ("X-Cache", "FunctionGeneratedResponse from cloudfront"),
             ("X-Amz-Cf-Pop", "NRT57-P3")]
CF_503 = [("Server", "CloudFront"), ("X-Cache", "Error from cloudfront"), ("X-Amz-Cf-Pop", "FRA56-P1")]


def test_generated_response_names_function_stage_event_and_the_line_returning_the_status():
    hits, unknowns = edge_functions.edge_functions(facts(403, GENERATED, behavior=FUNCTION, read=FN_READ))
    (hit,) = hits
    assert hit.id == "cf.function.generated-response"
    assert (hit.params["function_name"], hit.params["stage"], hit.params["event_type"]) == (
        "partner-gate", "LIVE", "viewer-request")
    assert hit.params["code_path"] == "line 4: return {statusCode: 403, statusDescription: 'Forbidden'};"
    assert unknowns == []


def test_generated_response_with_unreadable_code_is_still_the_function_and_the_code_is_unknown():
    f = facts(403, GENERATED, behavior=FUNCTION)
    f.outcomes["aws.edge_functions"] = ProbeOutcome("aws.edge_functions", "denied", error="AccessDenied")
    hits, unknowns = edge_functions.edge_functions(f)
    assert [h.id for h in hits] == ["cf.function.generated-response"]
    assert hits[0].params["code_path"] == "the code could not be read"
    assert [u.what for u in unknowns] == ["the code of CloudFront Function partner-gate"]


def test_an_origin_answer_through_a_function_is_not_the_functions_doing():
    """The decoy: a function with a 403 branch is on the behavior, but S3 answered the 403."""
    s3_403 = [("Server", "AmazonS3"), ("X-Cache", "Error from cloudfront")]
    assert edge_functions.edge_functions(facts(403, s3_403, behavior=FUNCTION, read=FN_READ)) == ([], [])


def test_cloudfronts_503_on_a_function_behavior_is_an_execution_error():
    hits, _ = edge_functions.edge_functions(facts(
        503, CF_503, body="The CloudFront function associated with the CloudFront distribution could not run.",
        behavior=FUNCTION, read=FN_READ))
    assert [h.id for h in hits] == ["cf.function.execution-error"]
    assert hits[0].params["function_name"] == "partner-gate"


def test_a_503_without_edge_code_on_the_behavior_is_not_an_edge_finding():
    assert edge_functions.edge_functions(facts(503, CF_503, body="could not run")) == ([], [])


def test_lambda_throttle_names_the_region_of_the_serving_edge_and_its_log_group():
    read = {"functions": [], "lambdas": [{"arn": LAMBDA_ARN, "name": "edge-auth", "events": [
        "START RequestId: 1", "Task timed out after 5.01 seconds"], "region": "eu-central-1"}]}
    hits, unknowns = edge_functions.edge_functions(facts(
        503, CF_503, body="The Lambda function associated with the CloudFront distribution was throttled.",
        behavior=LAMBDA, read=read))
    (hit,) = hits
    assert hit.id == "cf.lambda-edge.error"
    assert hit.params["error_kind"] == "LambdaLimitExceeded"
    assert (hit.params["region"], hit.params["log_group"]) == ("eu-central-1", "/aws/lambda/us-east-1.edge-auth")
    assert any("Task timed out" in e for e in hit.evidence)
    assert unknowns == []


def test_lambda_502_is_a_validation_error_and_denied_logs_are_unknown_not_absent():
    read = {"functions": [], "lambdas": [{"arn": LAMBDA_ARN, "name": "edge-auth", "logs_error": "AccessDeniedException: no"}]}
    hits, unknowns = edge_functions.edge_functions(facts(
        502, CF_503, body="The Lambda function returned an invalid response", behavior=LAMBDA, read=read))
    assert hits[0].params["error_kind"] == "LambdaValidationError"
    assert [u.reason for u in unknowns] == ["AccessDeniedException: no"]


def test_an_unmapped_edge_says_so_instead_of_naming_a_region():
    headers = [("Server", "CloudFront"), ("X-Amz-Cf-Pop", "ZZZ50-C1")]
    hits, unknowns = edge_functions.edge_functions(facts(503, headers, body="lambda ... throttled", behavior=LAMBDA))
    assert hits[0].params["region"] == "the Region nearest ZZZ"
    assert any("which Region" in u.what for u in unknowns)


def test_pop_airport_codes_map_to_the_regional_edge_cache_region():
    assert [log_region(p) for p in ("NRT57-P3", "IAD89-C1", "fra56-p1", "", None)] == [
        "ap-northeast-1", "us-east-1", "eu-central-1", None, None]


def test_a_success_through_a_rewriting_function_leaves_the_url_key_unknown_not_missing():
    """The healthy twin: /docs/ came back 200 after the function rewrote it; 'docs/' missing in S3 is no fault."""
    f = facts(200, [("Server", "AmazonS3"), ("X-Cache", "Miss from cloudfront")], behavior=FUNCTION, path="/docs/")
    f.outcomes["aws.object"] = ProbeOutcome("aws.object", "ok", data={"exists": False, "listed": True, "nearby": []})
    hits, unknowns = s3_object.existence(f)
    assert hits == [] and "which key the origin was asked for" in unknowns[0].what

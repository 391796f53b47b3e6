"""The simulator's API Gateway and Lambda function URL origins answer from moto state, as the
services do: a stage missing from the path is 403 "Missing Authentication Token", a forwarded Host is
403 ForbiddenException; a function URL behind OAC needs both invoke actions in the function's policy,
and a POST without x-amz-content-sha256 is a 403 signature mismatch. Changing the state changes the
answer (no scenario switch)."""

from __future__ import annotations

import boto3
import httpx
import pytest

from wizard.lab.lab import Lab
from tests.shared_lab import builtin_scenarios

pytestmark = pytest.mark.lab


def _started(lab_aws, name):
    scenario = next(s for s in builtin_scenarios() if s.name == name)
    lab = Lab(scenario, aws_server=lab_aws)
    return lab, lab.start()


def _ask(env, method="GET", path="/orders", headers=None):
    host = env.symptom.url.split("/")[2]
    return httpx.request(method, f"http://{env.edge_address}{path}", headers=dict({"Host": host}, **(headers or {})),
                         content=b'{"sku": 1}' if method in ("POST", "PUT") else None, timeout=10)


def _client(env, service):
    return boto3.client(service, endpoint_url=env.aws_endpoint, region_name="us-east-1", **env.credentials)


def _set_origin(env, **changes):
    cf = _client(env, "cloudfront")
    dist_id = cf.list_distributions()["DistributionList"]["Items"][0]["Id"]
    current = cf.get_distribution_config(Id=dist_id)
    config = current["DistributionConfig"]
    config["Origins"]["Items"][0].update(changes)
    cf.update_distribution(Id=dist_id, IfMatch=current["ETag"], DistributionConfig=config)


def test_api_gateway_answers_by_stage_and_host(lab_aws):
    lab, env = _started(lab_aws, "apigw-healthy")
    try:
        assert _ask(env).status_code == 200
        assert _ask(env, path="/nothing-here").json() == {"message": "Missing Authentication Token"}
        _set_origin(env, OriginPath="")  # the stage drops out of the path CloudFront asks for
        missing = _ask(env, path="/orders/")
        assert missing.status_code == 403 and missing.json() == {"message": "Missing Authentication Token"}
        assert missing.headers["x-amzn-ErrorType"] == "MissingAuthenticationTokenException"
    finally:
        lab.stop()


def test_api_gateway_refuses_a_forwarded_viewer_host(lab_aws):
    lab, env = _started(lab_aws, "apigw-403-host-header-forwarded")
    try:
        refused = _ask(env)
        assert refused.status_code == 403 and refused.headers["x-amzn-ErrorType"] == "ForbiddenException"
    finally:
        lab.stop()


def test_a_function_url_needs_both_invoke_actions_for_this_distribution(lab_aws):
    lab, env = _started(lab_aws, "lambda-url-403-oac-permission-missing")
    try:
        assert _ask(env).status_code == 403
        cf = _client(env, "cloudfront")
        arn = cf.list_distributions()["DistributionList"]["Items"][0]["ARN"]
        lam = _client(env, "lambda")
        lam.add_permission(FunctionName="orders-fn", StatementId="other-dist", Action="lambda:InvokeFunction",
                           Principal="cloudfront.amazonaws.com", SourceArn=arn.rsplit("/", 1)[0] + "/EOTHER")
        assert _ask(env, path="/orders/1").status_code == 403  # another distribution's grant does not count (new paths: the 403s are cached 10 s)
        lam.add_permission(FunctionName="orders-fn", StatementId="this-dist", Action="lambda:InvokeFunction",
                           Principal="cloudfront.amazonaws.com", SourceArn=arn)
        assert _ask(env, path="/orders/2").status_code == 200
    finally:
        lab.stop()


def test_a_post_through_oac_needs_the_body_hash(lab_aws):
    lab, env = _started(lab_aws, "lambda-url-403-unsigned-post")
    try:
        assert _ask(env).status_code == 200
        unsigned = _ask(env, "POST")
        assert unsigned.status_code == 403 and "signature" in unsigned.json()["message"]
        assert _ask(env, "POST", headers={"x-amz-content-sha256": "ab" * 32}).status_code == 200
    finally:
        lab.stop()

"""Tests the lab's gate (issue 10, item 9): while a lab runs, only whoever started it can read or
change its AWS state, and nothing in a scenario can make the lab send traffic elsewhere."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import urllib.error
import urllib.request

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from wizard.lab.scenario import ScenarioError, load_scenario

_NO_RETRY = Config(retries={"max_attempts": 1}, s3={"addressing_style": "path"})


def _status(request: urllib.request.Request) -> int:
    try:
        with urllib.request.build_opener(urllib.request.ProxyHandler({})).open(request, timeout=10) as answer:
            return answer.status
    except urllib.error.HTTPError as exc:
        return exc.code


def test_an_unsigned_request_is_refused(fresh_aws):
    """Any local user's unsigned request (list buckets, create a bucket) gets 403 and changes nothing."""
    fresh_aws.client("s3").create_bucket(Bucket="lab-state")
    assert _status(urllib.request.Request(fresh_aws.endpoint + "/")) == 403
    assert _status(urllib.request.Request(fresh_aws.endpoint + "/planted", method="PUT")) == 403
    names = [b["Name"] for b in fresh_aws.client("s3").list_buckets()["Buckets"]]
    assert names == ["lab-state"]


def test_a_request_signed_with_another_key_id_is_refused(fresh_aws):
    """A correctly signed request with a key id that is not the lab's gets 403 (the old dummy key too)."""
    for key in ("testing", "AKIAIOSFODNN7EXAMPLE"):
        s3 = boto3.client("s3", endpoint_url=fresh_aws.endpoint, region_name="us-east-1", config=_NO_RETRY,
                          aws_access_key_id=key, aws_secret_access_key="anything")
        with pytest.raises(ClientError) as refused:
            s3.list_buckets()
        assert refused.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403


def test_the_labs_own_credentials_work(fresh_aws):
    """The credentials `lab up` exports reach the state."""
    s3 = boto3.client("s3", endpoint_url=fresh_aws.endpoint, region_name="us-east-1", config=_NO_RETRY,
                      **fresh_aws.credentials())
    s3.create_bucket(Bucket="mine")
    assert [b["Name"] for b in s3.list_buckets()["Buckets"]] == ["mine"]


def test_moto_api_needs_the_lab_token(fresh_aws):
    """/moto-api/data.json (every resource the lab holds) and /moto-api/reset refuse a caller without
    the per-lab token; the lab's own control calls carry it."""
    fresh_aws.client("s3").create_bucket(Bucket="kept")
    assert _status(urllib.request.Request(fresh_aws.endpoint + "/moto-api/data.json")) == 403
    assert _status(urllib.request.Request(fresh_aws.endpoint + "/moto-api/reset", method="POST")) == 403
    assert [b["Name"] for b in fresh_aws.client("s3").list_buckets()["Buckets"]] == ["kept"]
    with_token = urllib.request.Request(fresh_aws.endpoint + "/moto-api/data.json",
                                        headers=fresh_aws.control_headers())
    assert _status(with_token) == 200


def test_a_service_that_sends_traffic_is_refused_by_the_server(fresh_aws):
    """Even signed with the lab's own key, SNS (whose HTTP subscriptions POST anywhere) is refused."""
    sns = boto3.client("sns", endpoint_url=fresh_aws.endpoint, region_name="us-east-1", config=_NO_RETRY,
                       **fresh_aws.credentials())
    with pytest.raises(ClientError) as refused:
        sns.create_topic(Name="t")
    assert refused.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403


SNS_SCENARIO = """
    name: sns-out
    title: the lab posts to a URL of the author's choice
    setup:
      - call: sns.create_topic
        params: {Name: hook}
        save: topic
      - call: sns.subscribe
        params: {TopicArn: "${topic.TopicArn}", Protocol: http, Endpoint: "http://192.0.2.10/hook"}
      - call: sns.publish
        params: {TopicArn: "${topic.TopicArn}", Message: hello}
    symptom: {url: "https://d111111abcdef8.cloudfront.net/"}
"""


def test_a_scenario_using_sns_is_refused_at_validation(tmp_path):
    """sns.subscribe (HTTP) + sns.publish is refused when the file loads, in one line naming the step,
    and `lab run` stops there with exit 2, before any lab starts."""
    path = tmp_path / "sns.yaml"
    path.write_text(textwrap.dedent(SNS_SCENARIO))
    with pytest.raises(ScenarioError) as refused:
        load_scenario(str(path))
    message = str(refused.value)
    assert "\n" not in message and "setup step 1" in message and "'sns'" in message
    out = subprocess.run([sys.executable, "-m", "wizard", "lab", "run", str(path)], capture_output=True,
                         text=True, timeout=120)
    assert out.returncode == 2 and "does not serve 'sns'" in out.stderr
    assert "Traceback" not in out.stderr and "starting the lab" not in out.stderr


def test_lambda_is_served_for_its_configuration_but_invoking_is_refused(fresh_aws):
    """A function's URL config and policy can be built and read (the Lambda URL origins need them), but
    lambda:Invoke, which would start a container that may reach anywhere, is refused by the server."""
    role = fresh_aws.client("iam").create_role(RoleName="fn", AssumeRolePolicyDocument="{}")["Role"]["Arn"]
    s3 = fresh_aws.client("s3")
    s3.create_bucket(Bucket="code")
    s3.put_object(Bucket="code", Key="fn.zip", Body=b"PK\x05\x06" + b"\0" * 18)
    lam = boto3.client("lambda", endpoint_url=fresh_aws.endpoint, region_name="us-east-1", config=_NO_RETRY,
                       **fresh_aws.credentials())
    lam.create_function(FunctionName="fn", Runtime="python3.12", Role=role, Handler="a.b",
                        Code={"S3Bucket": "code", "S3Key": "fn.zip"})
    assert lam.create_function_url_config(FunctionName="fn", AuthType="AWS_IAM")["AuthType"] == "AWS_IAM"
    with pytest.raises(ClientError) as refused:
        lam.invoke(FunctionName="fn", Payload=b"{}")
    assert refused.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403


def test_a_scenario_that_invokes_a_function_is_refused_at_validation(tmp_path):
    path = tmp_path / "invoke.yaml"
    path.write_text(textwrap.dedent("""
        name: invoke
        title: runs code
        setup:
          - call: lambda.invoke
            params: {FunctionName: fn}
        symptom: {url: "https://d111111abcdef8.cloudfront.net/"}
    """))
    with pytest.raises(ScenarioError) as refused:
        load_scenario(str(path))
    assert "configuration only" in str(refused.value) and "invoke" in str(refused.value)


def test_the_gate_lets_through_exactly_the_signing_names_of_the_served_services():
    """The gate's written-out signing names (kept so a lab's start does not parse nineteen service
    models) are exactly what botocore says LAB_SERVICES sign as: a served service missing from the
    table would be refused, an extra name would let an unserved service through."""
    from wizard.lab.services import SIGNING_NAMES, signing_names_from_models

    assert SIGNING_NAMES == signing_names_from_models()

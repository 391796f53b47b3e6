"""The training check on a real lab (moto server + edge simulator): the trainee's fixes are applied with
boto3 against the running lab, as the aws CLI would, and the check says which faults remain, whether the
fix is unsafe, and when the exercise is solved."""

from __future__ import annotations

import json

import boto3
import pytest

from wizard.aws.guard import is_allowed
from wizard.aws.session import AwsAccess
from wizard.http.client import HttpProber
from wizard.lab.lab import Lab
from wizard.lab.scenario import load_scenario
from wizard.probes.runner import ProbeRunner
from wizard.training.check import judge, look

pytestmark = pytest.mark.lab

BUCKET = "rails-assets-stg"
KEY = "assets/application-4d5e6f.js"


@pytest.fixture(scope="module")
def lab(lab_aws):
    lab = Lab(load_scenario("asset-403-stacked"), aws_server=lab_aws)
    env = lab.start()
    try:
        yield lab, env
    finally:
        lab.stop()


@pytest.fixture(scope="module")
def trainee(lab):
    """What a trainee has after `train start`: the exports (clients on the lab's endpoint and keys)."""
    _, env = lab
    kwargs = dict(endpoint_url=env.aws_endpoint, region_name=env.region, **env.credentials)
    return {"s3": boto3.client("s3", **kwargs), "cloudfront": boto3.client("cloudfront", **kwargs)}


def check(env, faults, baseline):
    access = AwsAccess(region=env.region, endpoint_url=env.aws_endpoint, credentials=env.credentials)
    runner = ProbeRunner(access, HttpProber(connect_to={"*": env.edge_address}))
    try:
        run = look(env.symptom, runner, access)
    finally:
        runner.close()
    assert [op for op in access.calls if not is_allowed(*op)] == [], "the check sent something that is not a read"
    return run, (judge(run, faults, baseline) if faults is not None else None)


def distribution_arn(trainee, env):
    host = env.symptom.url.split("/")[2]
    for item in trainee["cloudfront"].list_distributions()["DistributionList"]["Items"]:
        if item["DomainName"] == host:
            return item["ARN"], item["Id"]
    raise AssertionError("the symptom's distribution is not in the lab")


def policy(statement):
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


def oac_statement(source_arn, operator="StringEquals"):
    return {"Sid": "AllowCloudFrontServicePrincipal", "Effect": "Allow",
            "Principal": {"Service": "cloudfront.amazonaws.com"}, "Action": "s3:GetObject",
            "Resource": f"arn:aws:s3:::{BUCKET}/*", "Condition": {operator: {"AWS:SourceArn": source_arn}}}


def invalidate(trainee, dist_id):
    trainee["cloudfront"].create_invalidation(DistributionId=dist_id, InvalidationBatch={
        "Paths": {"Quantity": 1, "Items": ["/*"]}, "CallerReference": str(id(object()))})


def test_the_trainees_fixes_are_judged_step_by_step(lab, trainee):
    """Partial fix → the two other faults are named; all three fixed properly → solved; the bucket made
    public instead → works, but unsafe; the OAC grant widened to every distribution → unsafe too."""
    _, env = lab
    first, _ = check(env, None, None)
    faults = sorted(f.id for f in first.diagnosis.root_causes)
    assert faults == ["s3.cors.missing", "s3.object-missing", "s3.policy.oac-sourcearn-mismatch"]
    baseline = first.safety
    arn, dist_id = distribution_arn(trainee, env)

    # 1. The policy alone: still failing, and the check names exactly the two faults left.
    trainee["s3"].put_bucket_policy(Bucket=BUCKET, Policy=policy(oac_statement(arn)))
    invalidate(trainee, dist_id)
    _, result = check(env, faults, baseline)
    assert not result.solved and result.verdict == "not yet"
    assert sorted(fid for fid, _ in result.remaining) == ["s3.cors.missing", "s3.object-missing"]
    assert result.unsafe == []

    # 2. All three, properly: solved.
    trainee["s3"].put_bucket_cors(Bucket=BUCKET, CORSConfiguration={"CORSRules": [
        {"AllowedOrigins": ["https://app.example.com"], "AllowedMethods": ["GET", "HEAD"], "AllowedHeaders": ["*"]}]})
    trainee["s3"].put_object(Bucket=BUCKET, Key=KEY, Body=b"console.log('current build')",
                             ContentType="application/javascript")
    invalidate(trainee, dist_id)
    _, result = check(env, faults, baseline)
    assert result.symptom_ok, result.symptom_said
    assert result.remaining == [] and result.concerns == []
    assert result.solved and result.verdict == "solved"

    # 3. The classic wrong fix: Block Public Access off and a public-read policy. It works, but is unsafe.
    trainee["s3"].delete_public_access_block(Bucket=BUCKET)
    trainee["s3"].put_bucket_policy(Bucket=BUCKET, Policy=policy(
        {"Sid": "PublicRead", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
         "Resource": f"arn:aws:s3:::{BUCKET}/*"}))
    invalidate(trainee, dist_id)
    _, result = check(env, faults, baseline)
    assert result.symptom_ok and result.remaining == []
    assert result.verdict == "works, but unsafe" and not result.solved
    whys = " | ".join(c.why for c in result.unsafe)
    assert {c.rule for c in result.unsafe} == {"bucket-not-public"}
    assert "PublicRead" in whys and "Block Public Access was turned off" in whys

    # 4. The OAC grant for every distribution of the account: works, but broader than needed.
    trainee["s3"].put_public_access_block(Bucket=BUCKET, PublicAccessBlockConfiguration={
        "BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True, "RestrictPublicBuckets": True})
    trainee["s3"].put_bucket_policy(Bucket=BUCKET, Policy=policy(
        oac_statement(arn.rsplit("/", 1)[0] + "/*", "ArnLike")))
    invalidate(trainee, dist_id)
    _, result = check(env, faults, baseline)
    assert result.symptom_ok and result.remaining == []
    assert result.verdict == "works, but unsafe"
    assert [c.rule for c in result.unsafe] == ["oac-grant-scoped"]

    # 5. The policy deleted outright: the asset fails again and the check says the grant went with it.
    trainee["s3"].delete_bucket_policy(Bucket=BUCKET)
    invalidate(trainee, dist_id)
    _, result = check(env, faults, baseline)
    assert not result.symptom_ok and not result.solved
    assert "policy-kept" in {c.rule for c in result.unsafe}

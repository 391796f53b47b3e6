"""The re-check's safety review in a real incident (the same verdict screen, on a lab): when a re-check
shows the OAC finding fixed, the screen says whether the change was broader than needed — a bucket made
public is called out, the statement scoped to this distribution is not. Fixes are applied with boto3
against the lab, as an engineer would with the aws CLI."""

from __future__ import annotations

import json

import boto3
import pytest

from wizard.tui.app import EdgewizApp

from .screen import start_walk, until, walk_to_verdict

pytestmark = pytest.mark.lab
SCENARIO = "asset-403-oac-wrong-distribution"
FAULT = "s3.policy.oac-sourcearn-mismatch"
BUCKET = "rails-assets-stg"


def apply_policy(env, policy: str) -> str:
    kwargs = dict(endpoint_url=env.aws_endpoint, region_name=env.region, **env.credentials)
    s3, cloudfront = boto3.client("s3", **kwargs), boto3.client("cloudfront", **kwargs)
    s3.put_bucket_policy(Bucket=BUCKET, Policy=policy)
    host = env.symptom.url.split("/")[2]
    dist = next(d for d in cloudfront.list_distributions()["DistributionList"]["Items"] if d["DomainName"] == host)
    cloudfront.create_invalidation(DistributionId=dist["Id"], InvalidationBatch={
        "Paths": {"Quantity": 1, "Items": ["/*"]}, "CallerReference": str(hash(policy))})
    return dist["ARN"]


def statement(**fields) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": [dict(
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{BUCKET}/*"}, **fields)]})


async def recheck(pilot, screen) -> None:
    screen.changes, screen.fix_safety = None, None
    await pilot.press("r")
    await until(pilot, lambda: screen.changes is not None, timeout=60, what="the re-check")


async def test_a_recheck_that_shows_a_fix_says_whether_the_fix_is_broader_than_needed(lab):
    env = lab.lab_env
    s3 = boto3.client("s3", endpoint_url=env.aws_endpoint, region_name=env.region, **env.credentials)
    broken = s3.get_bucket_policy(Bucket=BUCKET)["Policy"]
    app = EdgewizApp(lab)
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        await start_walk(pilot)
        await walk_to_verdict(pilot)
        screen = app.screen
        assert [f.id for f in screen.diagnosis.root_causes] == [FAULT]

        # The wrong fix: everyone may read the bucket. The 403 is gone, and the screen says at what cost.
        apply_policy(env, statement(Sid="Everyone", Principal="*"))
        await recheck(pilot, screen)
        assert screen.changes["fixed"] == [FAULT]
        await until(pilot, lambda: getattr(screen, "fix_safety", None), what="the safety review")
        assert screen.fix_safety.startswith(f"Fixed {FAULT}, but the change is broader than needed")
        assert "allows everyone" in screen.fix_safety and "Everyone" in screen.fix_safety
        assert any(screen.fix_safety == n.message for n in app._notifications)  # said in a toast

        # Broken again, then the right fix: the OAC statement scoped to this distribution.
        apply_policy(env, broken)
        await recheck(pilot, screen)
        assert screen.changes["new"] == [FAULT] and getattr(screen, "fix_safety", None) is None
        arn = apply_policy(env, broken)  # (the distribution's ARN, for the statement below)
        apply_policy(env, statement(Sid="AllowCloudFrontServicePrincipal",
                                    Principal={"Service": "cloudfront.amazonaws.com"},
                                    Condition={"StringEquals": {"AWS:SourceArn": arn}}))
        await recheck(pilot, screen)
        assert screen.changes["fixed"] == [FAULT]
        await until(pilot, lambda: getattr(screen, "fix_safety", None), what="the safety review")
        assert screen.fix_safety == f"Fixed {FAULT}, and the change is no broader than needed."

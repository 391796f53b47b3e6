"""Issue 17's scenarios, read the way the on-call engineer reads the verdict: another account's
bucket names the profile to use (not an IAM fix), an AWS managed key is re-encrypted (not given a
key policy), and a custom origin name is followed to the ALB behind it."""

from __future__ import annotations

from pathlib import Path

import pytest

from wizard.lab.scenario import load_scenario

pytestmark = pytest.mark.lab

SCENARIOS = Path(__file__).resolve().parents[2] / "wizard" / "lab" / "scenarios"


def _run(lab_runs, name):
    return lab_runs(load_scenario(SCENARIOS / f"{name}.yaml"))


def test_another_accounts_bucket_says_whose_profile_not_which_iam_action(lab_runs):
    run = _run(lab_runs, "oac-403-cross-account-bucket")
    reasons = [u.reason for u in run.diagnosis.unknowns]
    assert any(r.startswith("bucket media-team-assets is owned by another account") and "--profile" in r
               for r in reasons), reasons
    policy = next(p for p in run.diagnosis.probes if p.name == "aws.bucket_policy")
    assert policy.missing_action is None and "s3:GetBucketPolicy" not in (policy.error or "")
    assert run.diagnosis.root_causes == []


def test_aws_managed_key_is_found_with_describe_key_and_never_given_put_key_policy(lab_runs):
    run = _run(lab_runs, "oac-403-kms-aws-managed-key")
    assert ("kms", "DescribeKey") in run.operations
    finding = next(f for f in run.diagnosis.root_causes if f.id == "s3.kms-not-allowed")
    assert "put-key-policy" not in finding.fix
    assert "customer managed key" in finding.fix


def test_custom_origin_name_is_followed_through_route53_to_the_same_root_cause(lab_runs):
    run = _run(lab_runs, "alb-504-ghost-sg-custom-origin-name")
    assert ("route53", "ListResourceRecordSets") in run.operations
    assert [f.id for f in run.diagnosis.root_causes] == ["sg.target-ingress-stale-reference"]

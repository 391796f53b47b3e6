"""s3.kms-not-allowed on real accounts: DSSE-KMS is KMS too, an AWS managed key (aws/s3) is never
fixed with put-key-policy, and another account's key policy is unknown with the profile to use."""

from __future__ import annotations

import json

from wizard.checks import s3_object

from tests.analysis.test_checks_s3 import OAC_ORIGIN, facts

KEY = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
ROOT_ONLY = json.dumps({"Version": "2012-10-17", "Statement": [{
    "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"}, "Action": "kms:*", "Resource": "*"}]})


def _facts(**encryption):
    data = dict({"sse": "aws:kms", "kms_key_id": KEY, "key_policy": None, "key_policy_error": None}, **encryption)
    return facts(OAC_ORIGIN, object={"key": "docs/a.pdf", "exists": True, "head": {}}, encryption=data)


def test_dsse_kms_objects_are_judged_like_sse_kms():
    hits, _ = s3_object.encryption(_facts(sse="aws:kms:dsse", key_policy=ROOT_ONLY, key_manager="CUSTOMER"))
    assert [h.id for h in hits] == ["s3.kms-not-allowed"]


def test_an_aws_managed_key_is_re_encrypted_not_given_a_new_key_policy():
    hits, _ = s3_object.encryption(_facts(key_manager="AWS"))
    assert [h.id for h in hits] == ["s3.kms-not-allowed"]
    fix = hits[0].params["kms_fix"]
    assert "put-key-policy" not in fix
    assert "customer managed key" in fix and "--sse AES256" in fix


def test_another_accounts_key_policy_is_unknown_and_says_whose_profile_reads_it():
    reason = ("the key is in account 210987654321, and kms:GetKeyPolicy works only from the key's own account: "
              "re-run with that account's profile (--profile)")
    hits, unknowns = s3_object.encryption(_facts(key_manager="CUSTOMER", key_account="210987654321",
                                                 key_policy_error=reason))
    assert hits == [] and [u.reason for u in unknowns] == [reason]

"""The lab's KMS reports AWS managed keys as AWS does: KeyManager AWS and AWS's key policy.

AWS, KMS API reference, DescribeKey (https://docs.aws.amazon.com/kms/latest/APIReference/API_DescribeKey.html)
"KeyManager: AWS | CUSTOMER", and KMS developer guide "AWS managed keys"
(https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#aws-managed-key): created on
first use, its policy allows use only through the service by the account's principals. moto made
them CUSTOMER keys with the account-root policy.
"""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.lab


def test_aws_s3_key_is_aws_managed_and_usable_only_through_s3(fresh_aws):
    kms = fresh_aws.client("kms")
    meta = kms.describe_key(KeyId="alias/aws/s3")["KeyMetadata"]
    assert meta["KeyManager"] == "AWS"
    policy = json.loads(kms.get_key_policy(KeyId=meta["KeyId"], PolicyName="default")["Policy"])
    conditions = policy["Statement"][0]["Condition"]["StringEquals"]
    assert conditions == {"kms:CallerAccount": "123456789012", "kms:ViaService": "s3.us-east-1.amazonaws.com"}


def test_a_key_someone_creates_stays_customer_managed(fresh_aws):
    kms = fresh_aws.client("kms")
    assert kms.create_key(Description="mine")["KeyMetadata"]["KeyManager"] == "CUSTOMER"

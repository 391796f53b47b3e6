"""The lab's S3 answers GetBucketPolicy only to the bucket owner's account, as AWS does.

AWS, S3 API reference, GetBucketPolicy
(https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketPolicy.html): "If you don't have
GetBucketPolicy permissions, Amazon S3 returns a 403 Access Denied error. If you have the correct
permissions, but you're not using an identity that belongs to the bucket owner's account, Amazon S3
returns a 405 Method Not Allowed error." moto answered every account with the policy.
"""

from __future__ import annotations

import json

import pytest
from botocore.exceptions import ClientError

pytestmark = pytest.mark.lab

OTHER = "210987654321"


def _bucket_with_policy(lab_aws, name, statements):
    owner = lab_aws.client("s3", account=OTHER)
    owner.create_bucket(Bucket=name)
    owner.put_bucket_policy(Bucket=name, Policy=json.dumps({"Version": "2012-10-17", "Statement": statements}))
    return owner


def _refusal(client, bucket):
    with pytest.raises(ClientError) as caught:
        client.get_bucket_policy(Bucket=bucket)
    return caught.value.response["Error"]["Code"], caught.value.response["ResponseMetadata"]["HTTPStatusCode"]


def test_another_account_without_permission_gets_403(lab_aws, name):
    _bucket_with_policy(lab_aws, name, [{"Effect": "Allow", "Principal": {"Service": "cloudfront.amazonaws.com"},
                                         "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{name}/*"}])
    assert _refusal(lab_aws.client("s3"), name) == ("AccessDenied", 403)


def test_another_account_with_permission_still_gets_405(lab_aws, name):
    _bucket_with_policy(lab_aws, name, [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"},
                                         "Action": ["s3:GetBucketPolicy"], "Resource": f"arn:aws:s3:::{name}"}])
    assert _refusal(lab_aws.client("s3"), name) == ("MethodNotAllowed", 405)


def test_the_owner_account_reads_its_policy(lab_aws, name):
    owner = _bucket_with_policy(lab_aws, name, [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
                                                 "Resource": f"arn:aws:s3:::{name}/*"}])
    assert json.loads(owner.get_bucket_policy(Bucket=name)["Policy"])["Statement"][0]["Action"] == "s3:GetObject"

"""Provides the KMS patch: AWS managed keys (alias/aws/s3 and the other reserved aliases) say
KeyManager AWS and carry AWS's own key policy.

moto creates the key behind a reserved alias on first use, exactly as AWS does, but reports it as
KeyManager CUSTOMER with the default account-root policy, so "this is an AWS managed key, its policy
cannot be edited" can never be observed and a put-key-policy fix looks plausible.
"""

from __future__ import annotations

import json

from ._common import wrap


def aws_managed_policy(account: str, region: str, service: str) -> str:
    """The key policy AWS gives an AWS managed key (KMS docs "AWS managed keys", the aws/s3 policy):
    every principal of the account may use it, but only through the service, and the account may
    read its metadata. Nobody can edit it."""
    return json.dumps({
        "Version": "2012-10-17",
        "Id": f"auto-{service}-2",
        "Statement": [
            {"Sid": f"Allow access through {service.upper()} for all principals in the account that are "
                    f"authorized to use {service.upper()}",
             "Effect": "Allow", "Principal": {"AWS": "*"},
             "Action": ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
             "Resource": "*",
             "Condition": {"StringEquals": {"kms:CallerAccount": account,
                                            "kms:ViaService": f"{service}.{region}.amazonaws.com"}}},
            {"Sid": "Allow direct access to key metadata to the account", "Effect": "Allow",
             "Principal": {"AWS": f"arn:aws:iam::{account}:root"},
             "Action": ["kms:Describe*", "kms:Get*", "kms:List*"], "Resource": "*"},
        ],
    })


def patch_aws_managed_keys() -> None:
    """Keys made for a reserved alias (alias/aws/s3, ...) are KeyManager AWS with AWS's policy.

    Replaces: moto.kms.models.KmsBackend._generate_default_keys creates them as CUSTOMER keys with
    the account-root policy (KMS API reference, DescribeKey: "KeyManager: AWS | CUSTOMER").
    """
    from moto.kms import models

    def make(original):
        def _generate_default_keys(self, alias_name):
            key_id = original(self, alias_name)
            if key_id is not None:
                key = self.keys[key_id]
                key.key_manager = "AWS"
                key.policy = aws_managed_policy(self.account_id, self.region_name, alias_name.split("/")[-1])
            return key_id
        return _generate_default_keys

    wrap(models.KmsBackend, "_generate_default_keys", make)


def apply() -> None:
    """Apply every KMS patch (idempotent)."""
    patch_aws_managed_keys()

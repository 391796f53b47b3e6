"""Provides the object checks: does the key exist (and in which case), who owns it, and can the
origin's caller decrypt it."""

from __future__ import annotations

from typing import List, Tuple

from ..analysis import bucket_policy as bp
from ..engine.facts import Facts
from ..model import Hit, Unknown
from .common import gather, missing
from .s3_access import caller


def existence(facts: Facts) -> Tuple[List[Hit], List[Unknown]]:
    """s3.object-missing / s3.object-key-case."""
    unknown = missing(facts, "aws.object", "s3", f"whether {facts.key} exists in {facts.bucket}")
    if unknown:
        return [], [unknown]
    obj = facts.data("aws.object") or {}
    if obj.get("exists") is not False:
        return [], []
    dist = facts.distribution or {}
    params = {"bucket": facts.bucket, "key": facts.key, "distribution_id": dist.get("id", ""),
              "prefix": facts.key.rsplit("/", 1)[0] + "/" if "/" in facts.key else ""}
    case = obj.get("case_matches") or []
    if case:
        return [Hit("s3.object-key-case", (f"head-object {facts.key}: not found", f"list-objects: {case[0]} exists"),
                    dict(params, existing=case[0]))], []
    nearby = obj.get("nearby") or []
    note = (f"Nearest existing keys: {', '.join(nearby[:5])}." if nearby else
            "No key with a similar name exists under that prefix.")
    evidence = [f"head-object s3://{facts.bucket}/{facts.key}: not found"]
    if nearby:
        evidence.append("nearest keys: " + ", ".join(nearby[:5]))
    return [Hit("s3.object-missing", tuple(evidence), dict(params, nearby_note=note))], []


def ownership(facts: Facts) -> Tuple[List[Hit], List[Unknown]]:
    """s3.object-owner-mismatch: the object belongs to another account and ACLs are enabled."""
    obj = facts.data("aws.object") or {}
    if obj.get("exists") is False:
        return [], []
    unknown = missing(facts, "aws.object_owner", "s3", f"who owns {facts.key}")
    if unknown:
        return [], [unknown]
    owner = facts.data("aws.object_owner") or {}
    mode = owner.get("ownership") or "ObjectWriter (ACLs enabled)"
    if owner.get("ownership") == "BucketOwnerEnforced":
        return [], []
    if owner.get("object_owner") and owner.get("bucket_owner") and owner["object_owner"] != owner["bucket_owner"]:
        return [Hit("s3.object-owner-mismatch", (
            f"object owner: {owner['object_owner']}", f"bucket owner: {owner['bucket_owner']}",
            f"Object Ownership: {mode}"),
            {"bucket": facts.bucket, "key": facts.key, "object_owner": owner["object_owner"], "ownership": mode})], []
    return [], []


def encryption(facts: Facts) -> Tuple[List[Hit], List[Unknown]]:
    """s3.kms-not-allowed: SSE-KMS that the origin's caller cannot decrypt."""
    obj = facts.data("aws.object") or {}
    if obj.get("exists") is False:
        return [], []
    unknown = missing(facts, "aws.encryption", "s3", f"how {facts.key} is encrypted")
    if unknown:
        return [], [unknown]
    enc = facts.data("aws.encryption") or {}
    if enc.get("sse") != "aws:kms":
        return [], []
    origin = facts.origin
    key_id = enc.get("kms_key_id") or "<kms-key-arn>"
    dist = facts.distribution or {}
    params = {"bucket": facts.bucket, "key": facts.key, "kms_key": key_id}
    evidence = [f"head-object: ServerSideEncryption=aws:kms, SSEKMSKeyId={key_id}"]
    reencrypt = (f"Re-encrypt with SSE-S3:\n  aws s3 cp s3://{facts.bucket}/{facts.key} s3://{facts.bucket}/{facts.key} "
                 "--sse AES256\nand set the bucket default to SSE-S3:\n  aws s3api put-bucket-encryption --bucket "
                 f"{facts.bucket} --server-side-encryption-configuration "
                 "'{\"Rules\":[{\"ApplyServerSideEncryptionByDefault\":{\"SSEAlgorithm\":\"AES256\"}}]}'")
    if origin.kind == "s3-website":
        return [Hit("s3.kms-not-allowed", tuple(evidence), dict(params, reader="a website endpoint",
                    reason="S3 website endpoints do not serve SSE-KMS encrypted objects at all: anonymous requests "
                           "cannot use KMS.", kms_fix=reencrypt))], []
    if origin.oai_id or not origin.oac_id:
        who = f"OAI {origin.oai_id}" if origin.oai_id else "an anonymous caller"
        return [Hit("s3.kms-not-allowed", tuple(evidence), dict(params, reader=who,
                    reason=f"{who} cannot use KMS keys: only OAC can read SSE-KMS objects through CloudFront.",
                    kms_fix="Migrate the origin to OAC and allow it in the key policy, or " + reencrypt[0].lower() + reencrypt[1:]))], []
    policy = enc.get("key_policy")
    if policy is None:
        return [], gather(missing(facts, "aws.encryption", "kms", "the KMS key policy")) or [
            Unknown("kms", f"the key policy of {key_id}", enc.get("key_policy_error") or "not readable")]
    principal, context, label = caller(facts)
    result = bp.evaluate(policy, bp.Request("kms:Decrypt", key_id, principal, context))
    if result.decision == "allow":
        return [], []
    statement = (
        '{"Sid": "AllowCloudFrontServicePrincipalSSE-KMS", "Effect": "Allow",\n'
        '   "Principal": {"Service": "cloudfront.amazonaws.com"},\n'
        '   "Action": ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey*"], "Resource": "*",\n'
        f'   "Condition": {{"StringEquals": {{"AWS:SourceArn": "{dist.get("arn")}"}}}}}}')
    fix = (f"Add to the key policy of {key_id}:\n  {statement}\n"
           f"  aws kms get-key-policy --key-id {key_id} --policy-name default --query Policy --output text > key-policy.json\n"
           f"  aws kms put-key-policy --key-id {key_id} --policy-name default --policy file://key-policy.json")
    evidence.append(f"key policy: {result.decision} for {label} kms:Decrypt")
    return [Hit("s3.kms-not-allowed", tuple(evidence), dict(params, reader=label,
                reason=f"With OAC, CloudFront must be allowed kms:Decrypt in the key policy; the key policy of "
                       f"{key_id} does not allow it for distribution {dist.get('id')}.", kms_fix=fix))], []

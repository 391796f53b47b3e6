"""Provides bucket_exposure(): the read-only state that says who may read a bucket — its policy, its
ACL grants, Block Public Access and its CORS rules — for the training check's safety review.

Each part is read on its own; a part that fails is None with the reason in `errors`, never a guess."""

from __future__ import annotations

from typing import Any, Dict

from botocore.exceptions import BotoCoreError, ClientError

from . import s3
from .session import AwsAccess


def bucket_exposure(access: AwsAccess, bucket: str) -> Dict[str, Any]:
    """{"policy": text or None, "policy_read", "acl_grants", "bpa", "cors_rules", "cors_read", "errors"}."""
    out: Dict[str, Any] = {"policy": None, "policy_read": False, "acl_grants": None, "bpa": None,
                           "cors_rules": None, "cors_read": False, "errors": []}
    try:
        out["policy"] = s3.bucket_policy(access, bucket)["policy"]
        out["policy_read"] = True
    except (ClientError, BotoCoreError, KeyError, TypeError) as exc:  # a malformed answer: unknown, not a crash
        out["errors"].append(f"s3:GetBucketPolicy: {exc}")
    try:
        acl = access.client("s3").get_bucket_acl(Bucket=bucket)
        out["acl_grants"] = [{"grantee": (g.get("Grantee") or {}).get("URI") or (g.get("Grantee") or {}).get("ID") or "",
                              "permission": str(g.get("Permission") or "")} for g in acl.get("Grants") or []]
    except (ClientError, BotoCoreError, KeyError, TypeError) as exc:  # a malformed answer: unknown, not a crash
        out["errors"].append(f"s3:GetBucketAcl: {exc}")
    try:
        out["bpa"] = s3.public_access(access, bucket, None)
    except (ClientError, BotoCoreError, KeyError, TypeError) as exc:  # a malformed answer: unknown, not a crash
        out["errors"].append(f"s3:GetPublicAccessBlock: {exc}")
    try:
        out["cors_rules"] = s3.bucket_cors(access, bucket)["rules"]
        out["cors_read"] = True
    except (ClientError, BotoCoreError, KeyError, TypeError) as exc:  # a malformed answer: unknown, not a crash
        out["errors"].append(f"s3:GetBucketCors: {exc}")
    return out

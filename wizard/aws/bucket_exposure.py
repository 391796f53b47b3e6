"""Provides bucket_exposure(): the read-only state that says who may read a bucket — its policy, its
ACL grants, Block Public Access and its CORS rules — for the training check's safety review.

Each part is read on its own; a part that fails is None with the reason in `errors`, never a guess."""

from __future__ import annotations

from typing import Any, Callable, Dict, List, Tuple

from botocore.exceptions import BotoCoreError, ClientError

from . import s3
from .session import AwsAccess


_MALFORMED = (ClientError, BotoCoreError, KeyError, TypeError)  # a malformed answer: unknown, not a crash


def _part(errors: List[str], operation: str, read: Callable[[], Any]) -> Tuple[Any, bool]:
    """One part's value and whether it was read; a failure is noted in `errors` and leaves None."""
    try:
        return read(), True
    except _MALFORMED as exc:
        errors.append(f"{operation}: {exc}")
        return None, False


def _acl_grants(access: AwsAccess, bucket: str) -> List[Dict[str, str]]:
    acl = access.client("s3").get_bucket_acl(Bucket=bucket)
    return [{"grantee": (g.get("Grantee") or {}).get("URI") or (g.get("Grantee") or {}).get("ID") or "",
             "permission": str(g.get("Permission") or "")} for g in acl.get("Grants") or []]


def bucket_exposure(access: AwsAccess, bucket: str) -> Dict[str, Any]:
    """{"policy": text or None, "policy_read", "acl_grants", "bpa", "cors_rules", "cors_read", "errors"}."""
    errors: List[str] = []
    policy, policy_read = _part(errors, "s3:GetBucketPolicy", lambda: s3.bucket_policy(access, bucket)["policy"])
    acl_grants, _ = _part(errors, "s3:GetBucketAcl", lambda: _acl_grants(access, bucket))
    bpa, _ = _part(errors, "s3:GetPublicAccessBlock", lambda: s3.public_access(access, bucket, None))
    cors_rules, cors_read = _part(errors, "s3:GetBucketCors", lambda: s3.bucket_cors(access, bucket)["rules"])
    return {"policy": policy, "policy_read": policy_read, "acl_grants": acl_grants, "bpa": bpa,
            "cors_rules": cors_rules, "cors_read": cors_read, "errors": errors}

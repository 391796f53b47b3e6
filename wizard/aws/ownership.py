"""Provides the ownership test for a bucket the caller's reads are refused on: is it the caller's own
bucket, or another account's?

ListBuckets lists only the caller's own buckets; with Prefix=<bucket> it answers in one short page
for any account (S3 API reference, ListBuckets "Prefix"). A bucket absent from that listing belongs
to another account. GetBucketPolicy's 405 MethodNotAllowed says the same on its own: S3 answers it
to an identity with permission that does not belong to the bucket owner's account (S3 API
reference, GetBucketPolicy). Another account's bucket is never an IAM problem of the caller: the
way on is that account's profile.
"""

from __future__ import annotations

from typing import Optional

from botocore.exceptions import ClientError

from .session import AwsAccess


def other_account_message(bucket: str) -> str:
    return (f"bucket {bucket} is owned by another account — re-run with that account's profile (--profile) "
            "to read it")


def not_owner_answer(exc: BaseException) -> bool:
    """S3's own word that the caller is not in the bucket owner's account (405 MethodNotAllowed)."""
    if not isinstance(exc, ClientError):
        return False
    code = str(exc.response.get("Error", {}).get("Code", ""))
    status = int(exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0) or 0)
    return code == "MethodNotAllowed" or status == 405


def refused(exc: BaseException) -> bool:
    """A 403/405 refusal (what another account's bucket answers), not a missing thing or an outage."""
    if not isinstance(exc, ClientError):
        return False
    code = str(exc.response.get("Error", {}).get("Code", ""))
    status = int(exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0) or 0)
    return status in (403, 405) or code in ("AccessDenied", "Forbidden", "403", "MethodNotAllowed")


def caller_owns_bucket(access: AwsAccess, bucket: str) -> Optional[bool]:
    """True when the bucket is the caller's account's, False when it is another account's, None when
    the listing itself is refused or fails (ownership unknown)."""
    try:
        pages = access.client("s3").get_paginator("list_buckets").paginate(Prefix=bucket)
        for page in pages:
            if any(b.get("Name") == bucket for b in page.get("Buckets") or []):
                return True
        return False
    except Exception:  # noqa: BLE001 - a refused listing decides nothing; the caller keeps its own error
        return None

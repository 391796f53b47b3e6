"""Provides the S3 (and KMS) reads a 403 diagnosis needs: policy, CORS, the object and its nearest
neighbours, owners, encryption, Block Public Access, Requester Pays, website configuration."""

from __future__ import annotations

import difflib
import posixpath
from typing import Any, Dict, List, Optional

from botocore.exceptions import ClientError

from .jsonable import jsonable
from .session import AwsAccess

_ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers"


def _code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))


def _status(exc: ClientError) -> int:
    return int(exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0) or 0)


def bucket_policy(access: AwsAccess, bucket: str) -> Dict[str, Any]:
    """The bucket policy text, or None when the bucket has none."""
    try:
        return {"policy": access.client("s3").get_bucket_policy(Bucket=bucket)["Policy"]}
    except ClientError as exc:
        if _code(exc) == "NoSuchBucketPolicy":
            return {"policy": None}
        raise


def bucket_cors(access: AwsAccess, bucket: str) -> Dict[str, Any]:
    """The CORS rules, or None when the bucket has no CORS configuration."""
    try:
        return jsonable({"rules": access.client("s3").get_bucket_cors(Bucket=bucket)["CORSRules"]})
    except ClientError as exc:
        if _code(exc) == "NoSuchCORSConfiguration":
            return {"rules": None}
        raise


def _nearest(key: str, keys: List[str]) -> List[str]:
    """Keys most like `key`: same folder, similar name (a hashed asset's other builds first)."""
    name = posixpath.basename(key)
    stem = name.rsplit("-", 1)[0] if "-" in name else name.rsplit(".", 1)[0]
    ext = posixpath.splitext(name)[1]
    same_build_family = [k for k in keys if posixpath.basename(k).startswith(stem) and k.endswith(ext) and k != key]
    close = difflib.get_close_matches(key, keys, n=5, cutoff=0.5)
    ordered: List[str] = []
    for k in same_build_family + close:
        if k not in ordered and k != key:
            ordered.append(k)
    return ordered[:5]


# One page of the key's folder is compared for the nearest names and case variants: enough for an
# asset folder, bounded on a bucket of millions (the rest is said to be unchecked, never assumed).
FOLDER_KEYS = 1000


def _denied(exc: ClientError) -> bool:
    return _status(exc) == 403 or _code(exc) in ("AccessDenied", "403", "Forbidden")


def exact_listing(access: AwsAccess, bucket: str, key: str) -> Optional[Dict[str, Any]]:
    """The listing entry of exactly `key` (with its Owner), or None when no such key exists.

    ListObjectsV2 with Prefix=<the key> answers for any bucket size: every key it can return starts
    with `key`, and `key` itself sorts before all of them (UTF-8 binary order), so one item decides.
    FetchOwner adds the object's owner, which GetObjectAcl would otherwise be needed for.
    """
    page = access.client("s3").list_objects_v2(Bucket=bucket, Prefix=key, MaxKeys=1, FetchOwner=True)
    first = (page.get("Contents") or [None])[0]
    return first if first is not None and first.get("Key") == key else None


def _folder_keys(access: AwsAccess, bucket: str, key: str, out: Dict[str, Any]) -> None:
    """Case variants and nearest names from one bounded page of the key's folder; what could not be
    compared is recorded in `case_unchecked` (a reason), never read as "no such key"."""
    from .errors import explain

    folder = key.rsplit("/", 1)[0] + "/" if "/" in key else ""
    try:
        page = access.client("s3").list_objects_v2(Bucket=bucket, Prefix=folder, MaxKeys=FOLDER_KEYS)
    except Exception as exc:  # noqa: BLE001 - a failed listing leaves the case question open, says why
        out["case_unchecked"] = f"listing s3://{bucket}/{folder} failed: {explain(exc, 's3', 'ListObjectsV2').message}"
        return
    keys = [o["Key"] for o in page.get("Contents") or []]
    out["listed"] = True
    out["case_matches"] = [k for k in keys if k.lower() == key.lower() and k != key]
    out["nearby"] = _nearest(key, keys)
    if page.get("IsTruncated") and not out["case_matches"]:
        out["case_unchecked"] = (f"s3://{bucket}/{folder} holds more than {FOLDER_KEYS} keys; only the first "
                                 f"{FOLDER_KEYS} were compared")


def object_state(access: AwsAccess, bucket: str, key: str) -> Dict[str, Any]:
    """Whether the key exists (head-object; when that is refused, a listing of exactly that key), the
    nearest keys and any key that differs only in case (from a bounded listing of its folder).

    A refused HEAD is never read as absence, and a capped folder listing never as "no case variant":
    `case_unchecked` then says what could not be compared.
    """
    s3 = access.client("s3")
    out: Dict[str, Any] = {"key": key, "exists": None, "head": None, "owner": None, "nearby": [], "case_matches": [],
                           "listed": False, "case_unchecked": None}
    if not key:
        # "/" with no default root object: CloudFront asks for the bucket itself, not an object.
        out["bucket_root"] = True
        return out
    head_error: Optional[ClientError] = None
    try:
        head = s3.head_object(Bucket=bucket, Key=key)
        out.update(exists=True, head=jsonable(head))
        return out
    except ClientError as exc:
        if _status(exc) == 404 or _code(exc) in ("404", "NoSuchKey", "NotFound"):
            out["exists"] = False  # S3 answers 404 only to a caller allowed to list: a real absence
        elif not _denied(exc):
            raise
        else:
            head_error = exc
    if out["exists"] is None:
        # HEAD refused (no s3:GetObject, or missing and no s3:ListBucket): ask for exactly this key.
        try:
            entry = exact_listing(access, bucket, key)
        except ClientError as exc:
            if _denied(exc) and head_error is not None:
                raise head_error from None  # both reads refused: the probe is denied, its part unknown
            raise
        out["exists"] = entry is not None
        if entry is not None:
            out["owner"] = (entry.get("Owner") or {}).get("ID")
            return out
    _folder_keys(access, bucket, key, out)
    return out


def object_owner(access: AwsAccess, bucket: str, key: str) -> Dict[str, Any]:
    """Object owner, bucket owner, Object Ownership, the object's ACL grants, and whether it is public-read.

    When GetObjectAcl is refused, the owner comes from ListObjectsV2 (FetchOwner) and `grants` is
    None with `acl_error` saying why: the ACL is then unknown, not empty.
    """
    from .together import settle

    s3 = access.client("s3")
    out: Dict[str, Any] = {"object_owner": None, "bucket_owner": None, "ownership": None, "object_public_read": False,
                           "grants": [], "acl_error": None}
    # Three independent reads at once; their failures are looked at in the order they were once sent.
    reads = [lambda: s3.get_bucket_ownership_controls(Bucket=bucket), lambda: s3.get_bucket_acl(Bucket=bucket)]
    if key:
        reads.append(lambda: s3.get_object_acl(Bucket=bucket, Key=key))
    controls, bucket_acl, *object_acl = settle(*reads)
    try:
        rules = controls.get()["OwnershipControls"]["Rules"]
        out["ownership"] = rules[0]["ObjectOwnership"] if rules else None
    except ClientError as exc:
        if _code(exc) != "OwnershipControlsNotFoundError":
            raise
    out["bucket_owner"] = bucket_acl.get()["Owner"].get("ID")
    if not key:
        return out
    try:
        acl = object_acl[0].get()
    except ClientError as exc:
        if _status(exc) == 404 or _code(exc) == "NoSuchKey":
            return out
        if _code(exc) == "AccessControlListNotSupported":  # BucketOwnerEnforced: the bucket owner owns all
            out["object_owner"] = out["bucket_owner"]
            return out
        if not _denied(exc):
            raise
        from .errors import explain

        entry = exact_listing(access, bucket, key)  # refused too: the probe is denied
        out["object_owner"] = ((entry or {}).get("Owner") or {}).get("ID")
        out["grants"] = None
        out["object_public_read"] = None
        out["acl_error"] = explain(exc, "s3", "GetObjectAcl").message
        return out
    out["object_owner"] = acl["Owner"].get("ID")
    # Grantee: a canonical user id (an account, or an OAI's S3CanonicalUserId) or a group URI.
    out["grants"] = [{"grantee": (g.get("Grantee") or {}).get("ID") or (g.get("Grantee") or {}).get("URI") or "",
                      "permission": g.get("Permission")} for g in acl.get("Grants") or []]
    out["object_public_read"] = any(
        (g.get("Grantee") or {}).get("URI") == _ALL_USERS and g.get("Permission") in ("READ", "FULL_CONTROL")
        for g in acl.get("Grants") or [])
    return out


def encryption(access: AwsAccess, bucket: str, key: str, head: Optional[Dict[str, Any]],
               caller_account: Optional[str] = None) -> Dict[str, Any]:
    """SSE type and KMS key of the object and, for SSE-KMS (or DSSE-KMS), who manages the key and its
    policy (wizard/aws/kms.py)."""
    from .kms import KMS_ALGORITHMS, key_facts

    if not key:
        return {"sse": None, "kms_key_id": None, "key_policy": None, "key_policy_error": None}
    if head is None:
        head = jsonable(access.client("s3").head_object(Bucket=bucket, Key=key))
    out: Dict[str, Any] = {"sse": head.get("ServerSideEncryption"), "kms_key_id": head.get("SSEKMSKeyId"),
                           "key_policy": None, "key_policy_error": None}
    if out["sse"] in KMS_ALGORITHMS and out["kms_key_id"]:
        out.update(key_facts(access, out["kms_key_id"], caller_account))
    return out


def public_access(access: AwsAccess, bucket: str, account: Optional[str]) -> Dict[str, Any]:
    """Block Public Access at the bucket and account level (None where not configured)."""
    out = bucket_public_access(access, bucket)
    out.update(account_public_access(access, account))
    return out


def bucket_public_access(access: AwsAccess, bucket: str) -> Dict[str, Any]:
    """{"bucket": the bucket's Block Public Access configuration, None where not configured}; raises
    on any other failure."""
    try:
        return {"bucket": access.client("s3").get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"]}
    except ClientError as exc:
        if _code(exc) != "NoSuchPublicAccessBlockConfiguration":
            raise
    return {"bucket": None}


def account_public_access(access: AwsAccess, account: Optional[str]) -> Dict[str, Any]:
    """{"account": the account's configuration or None, "account_error": why it is unknown, else None};
    nothing is read without an account."""
    out: Dict[str, Any] = {"account": None, "account_error": None}
    if account:
        try:
            out["account"] = access.client("s3control").get_public_access_block(
                AccountId=account)["PublicAccessBlockConfiguration"]
        except ClientError as exc:
            if _code(exc) != "NoSuchPublicAccessBlockConfiguration":
                out["account_error"] = f"s3control:GetPublicAccessBlock failed ({_code(exc)})"
    return out


def request_payment(access: AwsAccess, bucket: str) -> Dict[str, Any]:
    """Who pays for requests: BucketOwner or Requester."""
    return {"payer": access.client("s3").get_bucket_request_payment(Bucket=bucket).get("Payer")}


def bucket_website(access: AwsAccess, bucket: str) -> Dict[str, Any]:
    """The website index document, or None when website hosting is off."""
    try:
        site = access.client("s3").get_bucket_website(Bucket=bucket)
    except ClientError as exc:
        if _code(exc) == "NoSuchWebsiteConfiguration":
            return {"enabled": False, "index": None}
        raise
    return {"enabled": True, "index": (site.get("IndexDocument") or {}).get("Suffix")}

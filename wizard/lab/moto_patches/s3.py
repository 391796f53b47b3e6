"""Provides the S3 patches: Requester Pays, object owners per writing account, and the
defaults and ACL rules AWS applies to buckets created since April 2023.

The owner patches make seed 004 observable: an object uploaded by another account belongs to
that account (ACLs enabled), so a bucket policy written by the bucket owner does not cover it.
moto stores the writer but reports one constant owner for everyone.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from ..identity import canonical_id_for_account
from ._common import wrap

BOE = "BucketOwnerEnforced"
BOP = "BucketOwnerPreferred"
OBJECT_WRITER = "ObjectWriter"
BFC = "bucket-owner-full-control"
# moto's hard-coded owner ids (moto/s3/models.py OWNER and the list_buckets constant).
_MOTO_OWNER_IDS = {"75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a",
                   "bcaf1ffd86f41161ca5fb16fd081034f"}


def _client_error(code: str, message: str) -> Exception:
    from moto.s3.exceptions import S3ClientError

    return S3ClientError(code, message)


def ownership(bucket) -> str:
    """The bucket's Object Ownership setting; no setting at all means ObjectWriter (ACLs on)."""
    return getattr(bucket, "ownership_rule", None) or OBJECT_WRITER


def object_owner_account(bucket, key) -> str:
    """The account that owns `key`: under BucketOwnerEnforced always the bucket owner; otherwise
    whoever owned it when it was written (the writer, or the bucket owner for BucketOwnerPreferred
    + bucket-owner-full-control)."""
    if ownership(bucket) == BOE:
        return bucket.account_id
    return getattr(key, "lab_owner_account", None) or key.account_id


def _acl_headers(headers) -> Dict[str, str]:
    return {k.lower(): v for k, v in headers.items()
            if k.lower() == "x-amz-acl" or k.lower().startswith("x-amz-grant-")}


def _refuse_acl_when_disabled(bucket, headers, body: bytes = b"") -> None:
    # S3 docs "Troubleshooting Object Ownership": with BucketOwnerEnforced, PUT requests may only
    # carry no ACL or bucket-owner-full-control; anything else is 400 AccessControlListNotSupported.
    if ownership(bucket) != BOE:
        return
    acl = _acl_headers(headers)
    canned = acl.pop("x-amz-acl", None)
    if acl or body or (canned is not None and canned != BFC):
        raise _client_error("AccessControlListNotSupported", "The bucket does not allow ACLs")


def _refuse_enforced_with_shared_acl(bucket) -> None:
    # S3 docs "Prerequisites for disabling ACLs": a bucket ACL that grants anyone but the owner
    # must be reset to private before BucketOwnerEnforced is accepted.
    owner_ids = _MOTO_OWNER_IDS | {canonical_id_for_account(bucket.account_id)}
    for grant in getattr(bucket.acl, "grants", None) or []:
        for grantee in grant.grantees:
            if grantee.uri or (grantee.id and grantee.id not in owner_ids):
                raise _client_error(
                    "InvalidBucketAclWithObjectOwnership",
                    "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting")


def _record_write(response, bucket_name: str, key_name: str) -> None:
    bucket = response.backend.get_bucket(bucket_name)
    key = response.backend.get_object(bucket_name, key_name)
    if key is None:
        return
    canned = response.headers.get("x-amz-acl")
    key.lab_canned_acl = canned
    rule = ownership(bucket)
    if rule == BOE or (rule == BOP and canned == BFC):
        key.lab_owner_account = bucket.account_id
    else:
        key.lab_owner_account = response.current_account


def patch_new_bucket_defaults() -> None:
    """New buckets get AWS's defaults: Object Ownership BucketOwnerEnforced and all four Block
    Public Access settings on.

    Replaces: moto creates buckets with no ownership controls (get returns
    OwnershipControlsNotFoundError) and no Block Public Access, the pre-2023 defaults. Since
    April 2023 AWS applies both to every new bucket (S3 docs "Default settings for new S3
    buckets"), and get_bucket_ownership_controls / get_public_access_block return them. A
    scenario that needs ACLs (seed 004) or a public website (seed 002) sets ObjectWriter or
    turns Block Public Access off explicitly, exactly as on AWS.
    """
    from moto.s3 import models

    def make(original):
        def create_bucket(self, bucket_name, region_name, *args, **kwargs):
            bucket = original(self, bucket_name, region_name, *args, **kwargs)
            bucket.ownership_rule = BOE
            bucket.public_access_block = models.PublicAccessBlock(True, True, True, True)
            return bucket
        return create_bucket

    wrap(models.S3Backend, "create_bucket", make)


def patch_bucket_put() -> None:
    """Requester Pays configuration, and ACL rules on bucket PUTs.

    Replaces: moto treats PUT ?requestPayment as a second CreateBucket (silently a 200 that stores
    nothing); S3 stores the Payer. With BucketOwnerEnforced, PutBucketAcl is refused
    (AccessControlListNotSupported); CreateBucket with a public canned ACL, and switching a bucket
    whose ACL grants others to BucketOwnerEnforced, are refused (InvalidBucketAclWithObjectOwnership),
    as on AWS; moto accepts all three.
    """
    import xmltodict
    from moto.s3 import responses

    def make(original):
        def _bucket_response_put(self, request, bucket_name, querystring):
            if "requestPayment" in querystring:
                try:
                    payer = xmltodict.parse(self.body)["RequestPaymentConfiguration"]["Payer"]
                except Exception:  # any parse failure is the client's malformed XML
                    payer = None
                if payer not in ("Requester", "BucketOwner"):
                    raise _client_error("MalformedXML", "The XML you provided was not well-formed or did not "
                                        "validate against our published schema")
                self.backend.get_bucket(bucket_name).lab_payer = payer
                return 200, {}, ""
            if "acl" in querystring:
                _refuse_acl_when_disabled(self.backend.get_bucket(bucket_name), request.headers, self.body or b"")
            elif "ownershipControls" in querystring and b"BucketOwnerEnforced" in (self.body or b""):
                _refuse_enforced_with_shared_acl(self.backend.get_bucket(bucket_name))
            elif not querystring:
                rule = request.headers.get("x-amz-object-ownership") or BOE
                canned = request.headers.get("x-amz-acl")
                if rule == BOE and canned not in (None, "private", BFC):
                    raise _client_error(
                        "InvalidBucketAclWithObjectOwnership",
                        "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting")
            return original(self, request, bucket_name, querystring)
        return _bucket_response_put

    wrap(responses.S3Response, "_bucket_response_put", make)


def patch_bucket_get() -> None:
    """get_bucket_request_payment returns the stored Payer (BucketOwner by default).

    Replaces: moto handles GET ?requestPayment as ListObjects, so boto3 gets `{}` and a reader
    cannot tell Requester Pays is on (seed 002: anonymous website requests are refused).
    """
    from moto.core.responses import ActionResult
    from moto.s3 import responses

    def make(original):
        def _bucket_response_get(self, bucket_name, querystring):
            if "requestPayment" in querystring:
                bucket = self.backend.get_bucket(bucket_name)
                self.data["Action"] = "GetBucketRequestPayment"
                return self.serialized(ActionResult({"Payer": getattr(bucket, "lab_payer", None) or "BucketOwner"}))
            return original(self, bucket_name, querystring)
        return _bucket_response_get

    wrap(responses.S3Response, "_bucket_response_get", make)


def patch_object_writes() -> None:
    """Record who wrote each object, and refuse ACLs where the bucket disabled them.

    Replaces: moto accepts any ACL under BucketOwnerEnforced and never decides an object's owner.
    AWS: the writing account owns the object unless the bucket is BucketOwnerEnforced, or
    BucketOwnerPreferred and the writer sent bucket-owner-full-control (S3 docs "Controlling
    ownership of objects"). Copying an object makes the copier the owner of the copy.
    """
    from moto.s3 import responses

    def make_put(original):
        def put_object(self):
            _refuse_acl_when_disabled(self.backend.get_bucket(self.bucket_name), self.headers)
            result = original(self)
            _record_write(self, self.bucket_name, self.parse_key_name())
            return result
        return put_object

    def make_put_acl(original):
        def put_object_acl(self):
            body = self.body or b""
            _refuse_acl_when_disabled(self.backend.get_bucket(self.bucket_name), self.headers, body)
            result = original(self)
            key = self.backend.get_object(self.bucket_name, self.parse_key_name())
            if key is not None and self.headers.get("x-amz-acl"):
                key.lab_canned_acl = self.headers.get("x-amz-acl")
            return result
        return put_object_acl

    wrap(responses.S3Response, "put_object", make_put)
    wrap(responses.S3Response, "copy_object", make_put)
    wrap(responses.S3Response, "put_object_acl", make_put_acl)


def _grant(canonical: str, permission: str = "FULL_CONTROL") -> Dict[str, Any]:
    return {"Grantee": {"Type": "CanonicalUser", "ID": canonical}, "Permission": permission}


def _owned_grants(grants: List[Dict[str, Any]], owner: str) -> List[Dict[str, Any]]:
    """moto's grants with its constant owner id replaced by the real owner's canonical id."""
    out = []
    for grant in grants or []:
        grantee = dict(grant.get("Grantee") or {})
        if grantee.get("ID") in _MOTO_OWNER_IDS:
            grantee["ID"] = owner
        grantee.pop("DisplayName", None)
        out.append({"Grantee": {k: v for k, v in grantee.items() if v is not None},
                    "Permission": grant.get("Permission")})
    return out


def _key_for(response, bucket, name: str, version_id: Optional[str] = None):
    try:
        return response.backend.get_object(bucket.name, name, version_id=version_id)
    except Exception:  # a listing entry we cannot map back: leave its owner to the caller
        return None


def _rewrite_owners(response, action: str, result: Dict[str, Any]) -> None:
    current = canonical_id_for_account(response.current_account)
    if action == "ListBuckets":
        result["Owner"] = {"ID": current}
        return
    if action in ("ListMultipartUploads", "ListParts"):
        for holder in [result] + list(result.get("Uploads") or []):
            for field in ("Owner", "Initiator"):
                if isinstance(holder.get(field), dict):
                    holder[field] = {"ID": current}
        return
    bucket = response.backend.get_bucket(response.bucket_name)
    bucket_owner = canonical_id_for_account(bucket.account_id)
    if action == "GetBucketAcl":
        result["Owner"] = {"ID": bucket_owner}
        result["Grants"] = ([_grant(bucket_owner)] if ownership(bucket) == BOE
                            else _owned_grants(result.get("Grants"), bucket_owner))
    elif action == "GetObjectAcl":
        version = response.querystring.get("versionId", [None])[0]
        key = _key_for(response, bucket, response.parse_key_name(), version)
        if key is None:
            return
        owner = canonical_id_for_account(object_owner_account(bucket, key))
        result["Owner"] = {"ID": owner}
        if ownership(bucket) == BOE:
            # S3 docs: with ACLs disabled, reading an ACL shows full control for the bucket owner.
            result["Grants"] = [_grant(owner)]
            return
        grants = _owned_grants(result.get("Grants"), owner)
        if getattr(key, "lab_canned_acl", None) == BFC and owner != bucket_owner:
            grants.append(_grant(bucket_owner))
        result["Grants"] = grants
    elif action in ("ListObjects", "ListObjectsV2"):
        for item in result.get("Contents") or []:
            if "Owner" in item:
                key = _key_for(response, bucket, item["Key"])
                account = object_owner_account(bucket, key) if key is not None else bucket.account_id
                item["Owner"] = {"ID": canonical_id_for_account(account)}
    elif action == "ListObjectVersions":
        for item in result.get("Versions") or []:
            key = _key_for(response, bucket, item["Key"], item.get("VersionId"))
            account = object_owner_account(bucket, key) if key is not None else bucket.account_id
            item["Owner"] = {"ID": canonical_id_for_account(account)}
        for item in result.get("DeleteMarkers") or []:
            item["Owner"] = {"ID": current}


def patch_owner_ids() -> None:
    """Report owners as canonical ids of the real accounts, consistently across APIs.

    Replaces: moto answers the same constant `75aa57f0…` for every object, bucket ACL and writer,
    and a different constant for list_buckets, so "this object belongs to another account" can
    never be observed. Now get_object_acl, list_objects(_v2) with FetchOwner, list_object_versions,
    get_bucket_acl and list_buckets all report `identity.canonical_id_for_account(account)`.
    DisplayName is left out: AWS stopped returning it (2025) and the shapes make it optional.
    """
    from moto.s3 import responses

    def make(original):
        def serialized(self, action_result):
            result = getattr(action_result, "result", None)
            if isinstance(result, dict):
                action = self.data.get("Action") or ""
                if action in ("ListBuckets", "ListMultipartUploads", "ListParts", "GetBucketAcl",
                              "GetObjectAcl", "ListObjects", "ListObjectsV2", "ListObjectVersions"):
                    _rewrite_owners(self, action, result)
            return original(self, action_result)
        return serialized

    wrap(responses.S3Response, "serialized", make)


def _error_body(code: str, message: str, extra: str = "") -> str:
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>{code}</Code><Message>{message}</Message>'
            f"{extra}<RequestId>edgewizlab</RequestId></Error>")


def _policy_lets_account(policy: Optional[bytes], account: str, action: str) -> bool:
    """Whether an Allow statement of the bucket policy names `account` (its root, one of its ARNs, or
    "*") for `action`: a lab approximation of "has permission", enough to choose 403 or 405."""
    import fnmatch
    import json

    try:
        doc = json.loads((policy or b"{}").decode())
    except ValueError:
        return False
    statements = doc.get("Statement") or []
    for st in statements if isinstance(statements, list) else [statements]:
        if not isinstance(st, dict) or st.get("Effect") != "Allow":
            continue
        principal = st.get("Principal")
        names = [principal] if isinstance(principal, str) else (principal or {}).get("AWS") or []
        names = [names] if isinstance(names, str) else names
        actions = st.get("Action") or []
        actions = [actions] if isinstance(actions, str) else actions
        named = any(n == "*" or n == account or str(n).startswith(f"arn:aws:iam::{account}:") for n in names)
        if named and any(fnmatch.fnmatch(action.lower(), str(a).lower()) for a in actions):
            return True
    return False


def patch_bucket_policy_owner_only() -> None:
    """GetBucketPolicy answers only identities of the bucket owner's account.

    Replaces: moto returns any bucket's policy to any account. AWS (S3 API reference, GetBucketPolicy):
    "the calling identity must both have the GetBucketPolicy permissions on the specified bucket and
    belong to the bucket owner's account ... If you don't have GetBucketPolicy permissions, Amazon S3
    returns a 403 Access Denied error. If you have the correct permissions, but you're not using an
    identity that belongs to the bucket owner's account, Amazon S3 returns a 405 Method Not Allowed
    error." Here "permission" is an Allow in the bucket policy naming the caller's account.
    """
    from moto.s3 import responses

    def make(original):
        def get_bucket_policy(self):
            bucket = self.backend.get_bucket(self.bucket_name)
            if bucket.account_id != self.current_account:
                headers = {"Content-Type": "application/xml"}
                if _policy_lets_account(bucket.policy, self.current_account, "s3:GetBucketPolicy"):
                    return 405, headers, _error_body(
                        "MethodNotAllowed", "The specified method is not allowed against this resource.",
                        "<Method>GET</Method><ResourceType>BUCKETPOLICY</ResourceType>")
                return 403, headers, _error_body("AccessDenied", "Access Denied")
            return original(self)
        return get_bucket_policy

    wrap(responses.S3Response, "get_bucket_policy", make)


def apply() -> None:
    """Apply every S3 patch (idempotent)."""
    patch_new_bucket_defaults()
    patch_bucket_put()
    patch_bucket_get()
    patch_object_writes()
    patch_owner_ids()
    patch_bucket_policy_owner_only()

"""Provides the S3 side of the simulator: how S3 answers CloudFront's origin request (REST endpoint
with OAC, OAI or anonymous; website endpoint, always anonymous), following S3's documented order:
resource control policies, explicit deny, the grant (which covers only objects the bucket owner owns),
Block Public Access, Requester Pays, KMS, and 404-vs-403 by s3:ListBucket.

Policies are judged by the lab's own policy_oracle, not the diagnosis's evaluator, so the lab stays
an independent check of the diagnosis (issue 11 item 5)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, List, Mapping, Optional, Tuple

from ...analysis.s3 import s3_cors
from ...analysis.edge.cloudfront_config import OriginInfo
from . import pages, routing
from .policy_oracle import OAI_PREFIX, Caller, decide, is_public
from .view import LabView

Answer = Tuple[int, List[Tuple[str, str]], bytes]
_ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers"


@dataclass(frozen=True)
class OriginCall:
    """CloudFront's request to the origin."""

    method: str
    key: str
    headers: Mapping[str, str]  # what CloudFront forwards (lower-case names), custom headers included
    dist_arn: str
    account: str


def _principal(view: LabView, origin: OriginInfo, call: OriginCall) -> Tuple[Caller, Dict[str, Any]]:
    context: Dict[str, Any] = {"aws:SecureTransport": "true" if origin.kind == "s3-rest" else "false"}
    referer = call.headers.get("referer")
    if referer is not None:
        context["aws:Referer"] = referer
    if origin.kind == "s3-rest" and origin.oac_id:
        context.update({"aws:SourceArn": call.dist_arn, "aws:SourceAccount": call.account})
        return Caller("service", "cloudfront.amazonaws.com"), context
    if origin.kind == "s3-rest" and origin.oai_id:
        oai = view.oai(origin.oai_id) or {}
        return Caller("aws", OAI_PREFIX + origin.oai_id, oai.get("S3CanonicalUserId", "")), context
    return Caller("anonymous"), context


def _rcp_denies(view: LabView, bucket: str, resource: str, caller: Caller, context: Mapping[str, Any],
                dist_account: str) -> bool:
    """Whether a resource control policy above the bucket owner's account refuses the read.

    SCPs are not applied: they limit only IAM principals of member accounts, and CloudFront's
    service principal, an OAI and an anonymous request are none of these (AWS Organizations, SCPs).
    RCPs limit what member accounts' resources accept from anyone, service principals included, and
    "don't affect resources in the management account" (AWS Organizations, RCPs).
    """
    organization = view.organization()
    if not organization:
        return False
    management = organization["MasterAccountId"]
    owner = view.bucket_account(bucket, view.org_accounts(management))
    if owner is None or owner == management:
        return False
    context = dict(context)
    if caller.kind == "service" and dist_account in view.org_accounts(management):
        context["aws:SourceOrgID"] = organization["Id"]  # the distribution's account is in the organization
    for doc in view.policy_documents(owner, "RESOURCE_CONTROL_POLICY"):
        if decide(doc, "s3:GetObject", resource, caller, context) == "explicit-deny":
            return True
    return False


def _error(origin: OriginInfo, status: int, code: str, message: str) -> Answer:
    if origin.kind == "s3-website":
        return pages.s3_website_error(status, code, message)
    return pages.s3_xml_error(status, code, message)


def _cors_headers(view: LabView, bucket: str, call: OriginCall) -> List[Tuple[str, str]]:
    origin_hdr = call.headers.get("origin")
    if not origin_hdr:
        return []
    rule = s3_cors.matching_rule(view.cors_rules(bucket) or [], origin_hdr, call.headers.get(
        "access-control-request-method", call.method))
    if rule is None:
        return []
    allowed = "*" if "*" in rule.get("AllowedOrigins", []) else origin_hdr
    out = [("Access-Control-Allow-Origin", allowed),
           ("Access-Control-Allow-Methods", ", ".join(rule.get("AllowedMethods", []))),
           ("Vary", "Origin, Access-Control-Request-Headers, Access-Control-Request-Method")]
    if rule.get("ExposeHeaders"):
        out.append(("Access-Control-Expose-Headers", ", ".join(rule["ExposeHeaders"])))
    if rule.get("MaxAgeSeconds"):
        out.append(("Access-Control-Max-Age", str(rule["MaxAgeSeconds"])))
    return out


def _preflight(view: LabView, origin: OriginInfo, bucket: str, call: OriginCall) -> Answer:
    cors = _cors_headers(view, bucket, call)
    if not cors:
        return _error(origin, 403, "AccessForbidden", "CORSResponse: This CORS request is not allowed. This is usually "
                      "because the evalution of Origin, request method / Access-Control-Request-Method or "
                      "Access-Control-Request-Headers are not whitelisted by the resource's CORS spec.")
    return 200, [("Server", "AmazonS3"), ("Content-Length", "0")] + cors, b""


def _acl_allows(acl: Mapping[str, Any], principal: Caller) -> bool:
    """Whether the object's ACL grants READ to this caller: AllUsers for an anonymous request, the
    OAI's canonical user for an origin access identity (the pre-policy way of granting an OAI)."""
    ids = {_ALL_USERS} if principal.kind == "anonymous" else {principal.canonical} - {""}
    return any(((g.get("Grantee") or {}).get("URI") in ids or (g.get("Grantee") or {}).get("ID") in ids)
               and g.get("Permission") in ("READ", "FULL_CONTROL") for g in acl.get("Grants") or [])


Refusal = Tuple[int, str, str]  # status, S3 error code, message


def _bucket_root(view: LabView, bucket: str, policy: Optional[str], principal, context) -> Optional[Refusal]:
    """GET on the bucket itself (CloudFront asked for "/" with no default root object): a ListBucket."""
    listing = "implicit-deny"
    if policy:
        listing = decide(policy, "s3:ListBucket", f"arn:aws:s3:::{bucket}", principal, context)
    return None if listing == "allow" else (403, "AccessDenied", "Access Denied")


def _decide(view: LabView, origin: OriginInfo, call: OriginCall, bucket: str, key: str):
    """S3's decision for one GET: a Refusal, or the object's head when it will be served."""
    resource = f"arn:aws:s3:::{bucket}/{key}"
    principal, context = _principal(view, origin, call)
    anonymous = principal.kind == "anonymous"
    denied: Refusal = (403, "AccessDenied", "Access Denied")
    if _rcp_denies(view, bucket, resource, principal, context, call.account):
        return denied
    if view.request_payer(bucket) == "Requester" and (anonymous or "x-amz-request-payer" not in call.headers):
        return denied
    policy = view.bucket_policy(bucket)
    if not key:
        return _bucket_root(view, bucket, policy, principal, context) or (200, "ListBucketResult", "")
    pab = view.public_access_block(bucket, call.account)
    decision = "implicit-deny"
    if policy:
        decision = decide(policy, "s3:GetObject", resource, principal, context)
        if decision == "explicit-deny":
            return denied
        if decision == "allow" and anonymous and pab.get("RestrictPublicBuckets") and is_public(policy):
            decision = "implicit-deny"  # RestrictPublicBuckets: a public policy grants nobody outside the account
    head = view.head(bucket, key)
    if head is None:
        listing = "implicit-deny"
        if policy:
            listing = decide(policy, "s3:ListBucket", f"arn:aws:s3:::{bucket}", principal, context)
        if listing == "allow":
            return 404, "NoSuchKey", "The specified key does not exist."
        return denied
    acl = view.object_acl(bucket, key) or {}
    owner = (acl.get("Owner") or {}).get("ID")
    enforced = view.ownership(bucket) == "BucketOwnerEnforced"
    owned = enforced or owner == view.bucket_owner(bucket)
    # A bucket policy grant covers only objects the bucket owner owns (ACLs enabled).
    allowed = decision == "allow" and owned
    if not allowed and not enforced and not (anonymous and pab.get("IgnorePublicAcls")):
        allowed = _acl_allows(acl, principal)
    if not allowed:
        return denied
    if head.get("ServerSideEncryption") == "aws:kms":
        if origin.kind == "s3-website" or not origin.oac_id:
            return denied
        key_policy = view.key_policy(head.get("SSEKMSKeyId", ""))
        kms = decide(key_policy, "kms:Decrypt", head.get("SSEKMSKeyId", "*"), principal, context) if key_policy else None
        if kms != "allow":
            return denied
    return head


def _website_error(view: LabView, origin: OriginInfo, call: OriginCall, bucket: str, refusal: Refusal) -> Answer:
    """A website endpoint's error: the bucket's ErrorDocument (with the error's status) when S3 may serve
    it, else S3's HTML error page, which then also says the custom error document failed (S3 "Configuring
    a custom error document")."""
    status, code, message = refusal
    error_key = view.website_error_document(bucket)
    if not error_key or status >= 500:
        return pages.s3_website_error(status, code, message)
    decided = _decide(view, origin, OriginCall("GET", error_key, call.headers, call.dist_arn, call.account), bucket, error_key)
    if isinstance(decided, dict):
        body = view.body(bucket, error_key) if call.method != "HEAD" else b""
        return status, [("Server", "AmazonS3"), ("Content-Type", decided.get("ContentType") or "text/html")], body
    return pages.s3_website_error(status, code, message, nested=decided[1:])


def answer(view: LabView, origin: OriginInfo, call: OriginCall, website_index: Optional[str] = None) -> Answer:
    """S3's answer to CloudFront's origin request."""
    bucket = origin.bucket or ""
    if not view.bucket_exists(bucket):
        return _error(origin, 404, "NoSuchBucket", "The specified bucket does not exist")
    if call.method == "OPTIONS":
        return _preflight(view, origin, bucket, call)
    key = call.key
    if origin.kind == "s3-website":
        index = view.website_index(bucket)
        if index is None:
            return _error(origin, 404, "NoSuchWebsiteConfiguration", "The specified bucket does not have a website configuration")
        key = routing.website_key(key, index)
    decided = _decide(view, origin, call, bucket, key)
    if isinstance(decided, tuple) and decided[0] >= 400:
        if origin.kind == "s3-website":
            if key == call.key and view.head(bucket, key) is None and view.head(bucket, f"{key}/{index}") is not None:
                # "photos" missing but "photos/index.html" present: S3 redirects to the folder (S3
                # "Configuring an index document"; Knowledge Center "s3-static-website-url-trailing-slash").
                return 302, [("Server", "AmazonS3"), ("Location", f"/{key}/"), ("Content-Length", "0")], b""
            return _website_error(view, origin, call, bucket, decided)
        return _error(origin, *decided)
    if isinstance(decided, tuple):  # the bucket listing (REST, "/" with no default root object)
        body = (f'<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="http://s3.amazonaws.com/doc/'
                f'2006-03-01/"><Name>{bucket}</Name><Prefix></Prefix><MaxKeys>1000</MaxKeys>'
                "<IsTruncated>false</IsTruncated></ListBucketResult>").encode()
        return 200, [("Server", "AmazonS3"), ("Content-Type", "application/xml")], body
    head = decided
    body = view.body(bucket, key) if call.method != "HEAD" else b""
    headers = [("Server", "AmazonS3"), ("Content-Type", head.get("ContentType") or "application/octet-stream"),
               ("ETag", head.get("ETag", "")), ("Last-Modified", head["LastModified"].strftime("%a, %d %b %Y %H:%M:%S GMT"))]
    if head.get("ServerSideEncryption"):
        headers.append(("x-amz-server-side-encryption", head["ServerSideEncryption"]))
    return 200, headers + _cors_headers(view, bucket, call), body

"""Provides the object checks: does the key exist (and in which case), who owns it, and can the
origin's caller decrypt it."""

from __future__ import annotations

from typing import List, Sequence, Tuple

from ..analysis.s3 import bucket_policy as bp
from ..aws.facts import EdgeFacts
from ..aws.models import Grant
from ..model import Hit, Unknown
from .common import gather, missing
from .edge_responses import spa_route_served
from .edge_functions import rewrite_unknown
from .s3_access import caller


def existence(facts: EdgeFacts) -> Tuple[List[Hit], List[Unknown]]:
    """s3.object-missing / s3.object-key-case."""
    if facts.key == "" or any(h.id == "cf.default-root-object" for h in facts.hits):
        # The key comes from a default root object that cannot work (or there is none); that finding
        # already says what S3 is asked for and why it fails, so "missing" would be the same fault twice.
        return [], []
    if spa_route_served(facts):
        return [], []  # an app route the SPA fallback answers: no object is expected at that key
    unknown = missing(facts, "aws.object", "s3", f"whether {facts.key} exists in {facts.bucket}")
    if unknown:
        return [], [unknown]
    obj = facts.object_head
    if obj.exists is None:
        return [], [Unknown("s3", f"whether {facts.key} exists in {facts.bucket}",
                            "could not check: neither head-object nor the listing of that key answered")]
    if obj.exists is not False:
        return [], []
    rewritten = rewrite_unknown(facts)  # edge code may have asked the origin for another key
    if rewritten:
        return [], [rewritten]
    params = {"bucket": facts.bucket, "key": facts.key, "distribution_id": facts.distribution.id,
              "prefix": facts.key.rsplit("/", 1)[0] + "/" if "/" in facts.key else ""}
    case = obj.case_matches
    if case:
        return [Hit("s3.object-key-case", (f"head-object {facts.key}: not found", f"list-objects: {case[0]} exists"),
                    dict(params, existing=case[0]))], []
    nearby = obj.nearby
    unchecked = obj.case_unchecked
    unknowns = [Unknown("s3", f"whether a key differing from {facts.key} only in case exists",
                        f"could not check: {unchecked}")] if unchecked else []
    note = (f"Nearest existing keys: {', '.join(nearby[:5])}." if nearby else
            "No key with a similar name exists under that prefix." if obj.listed and not unchecked else
            "The keys under that prefix could not all be compared, so the nearest names are not known.")
    evidence = [f"s3://{facts.bucket}/{facts.key}: no such key (head-object / list-objects of that exact key)"]
    if nearby:
        evidence.append("nearest keys: " + ", ".join(nearby[:5]) + (" (of the first keys listed)" if unchecked else ""))
    return [Hit("s3.object-missing", tuple(evidence), dict(params, nearby_note=note))], unknowns


_READS = ("READ", "FULL_CONTROL")
_ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers"


def _short(canonical_id: str) -> str:
    return canonical_id if len(canonical_id) <= 16 else canonical_id[:12] + "…"


def _acl_grants_caller(facts: EdgeFacts, grants: Sequence[Grant]) -> bool:
    """True when the object's own ACL lets CloudFront's origin request read it (an OAI's canonical
    user, or AllUsers for an anonymous caller): then the bucket policy is not needed for this object."""
    principal, _, _ = caller(facts)
    ids = set(principal.aliases) if principal.kind == "aws" else set()
    if principal.kind == "anonymous":
        ids.add(_ALL_USERS)
    return any(g.grantee in ids and g.permission in _READS for g in grants)


def ownership(facts: EdgeFacts) -> Tuple[List[Hit], List[Unknown]]:
    """s3.object-owner-mismatch: the object belongs to another account and ACLs are enabled."""
    if facts.object_missing or facts.key == "":
        return [], []
    unknown = missing(facts, "aws.object_owner", "s3", f"who owns {facts.key}")
    if unknown:
        return [], [unknown]
    owner = facts.object_acl
    if owner.ownership == "BucketOwnerEnforced":
        return [], []
    mode = owner.ownership or "not set (ObjectWriter: ACLs enabled)"
    object_owner, bucket_owner = owner.object_owner, owner.bucket_owner
    if not object_owner or not bucket_owner or object_owner == bucket_owner:
        return [], []
    if owner.grants is None:
        # The owners differ but the ACL could not be read: it may grant CloudFront's caller access.
        return [], [Unknown("s3", f"whether the ACL of {facts.key} (owned by another account) lets CloudFront in",
                            f"could not check: {owner.acl_error or 'the object ACL was not readable'}")]
    grants = owner.grants
    if _acl_grants_caller(facts, grants):
        return [], []
    evidence = [f"object owner (canonical id): {object_owner}", f"bucket owner (canonical id): {bucket_owner}",
                f"Object Ownership: {mode}"]
    owner_has_access = any(g.grantee == bucket_owner and g.permission in _READS for g in grants)
    if owner_has_access:
        evidence.append("the object's ACL gives the bucket owner FULL_CONTROL (bucket-owner-full-control): that "
                        "lets the bucket owner's own users in, not CloudFront")
        reown = ""
    else:
        reown = (f"\n(first, from the writer's account: aws s3api put-object-acl --bucket {facts.bucket} "
                 f"--key {facts.key} --acl bucket-owner-full-control)")
    return [Hit("s3.object-owner-mismatch", tuple(evidence),
                {"bucket": facts.bucket, "key": facts.key, "object_owner": _short(object_owner), "ownership": mode,
                 "reown_note": reown})], []


def encryption(facts: EdgeFacts) -> Tuple[List[Hit], List[Unknown]]:
    """s3.kms-not-allowed: SSE-KMS that the origin's caller cannot decrypt."""
    if facts.object_missing:
        return [], []
    unknown = missing(facts, "aws.encryption", "s3", f"how {facts.key} is encrypted")
    if unknown:
        return [], [unknown]
    enc = facts.encryption
    if not enc.is_kms:
        return [], []
    origin = facts.origin
    key_id = enc.kms_key_id or "<kms-key-arn>"
    key_name = enc.key_name or key_id  # the alias too, where ListAliases told it: prose names, commands use the id
    dist = facts.distribution
    params = {"bucket": facts.bucket, "key": facts.key, "kms_key": key_id}
    evidence = [f"head-object: ServerSideEncryption={enc.sse}, SSEKMSKeyId={key_id}"]
    if enc.key_alias and enc.key_alias not in key_id:
        evidence.append(f"kms list-aliases: the key is {enc.key_alias}")
    reencrypt = (f"Re-encrypt with SSE-S3:\n  aws s3 cp s3://{facts.bucket}/{facts.key} s3://{facts.bucket}/{facts.key} "
                 "--sse AES256\nand set the bucket default to SSE-S3:\n  aws s3api put-bucket-encryption --bucket "
                 f"{facts.bucket} --server-side-encryption-configuration "
                 "'{\"Rules\":[{\"ApplyServerSideEncryptionByDefault\":{\"SSEAlgorithm\":\"AES256\"}}]}'")
    if origin.kind == "s3-website":
        return [Hit("s3.kms-not-allowed", tuple(evidence), dict(params, reader="a website endpoint",
                    reason="S3 website endpoints do not serve SSE-KMS encrypted objects at all: anonymous requests "
                           "cannot use KMS.", kms_fix=reencrypt))], []
    if enc.key_manager == "AWS":
        return [aws_managed_key_hit(facts, key_name, evidence, params, reencrypt)], []
    if origin.oai_id or not origin.oac_id:
        who = f"OAI {origin.oai_id}" if origin.oai_id else "an anonymous caller"
        return [Hit("s3.kms-not-allowed", tuple(evidence), dict(params, reader=who,
                    reason=f"{who} cannot use KMS keys: only OAC can read SSE-KMS objects through CloudFront.",
                    kms_fix="Migrate the origin to OAC and allow it in the key policy, or " + reencrypt[0].lower() + reencrypt[1:]))], []
    policy = enc.key_policy
    if policy is None:
        return [], gather(missing(facts, "aws.encryption", "kms", "the KMS key policy")) or [
            Unknown("kms", f"the key policy of {key_name}", enc.key_policy_error or "not readable")]
    principal, context, label = caller(facts)
    result = bp.evaluate(policy, bp.Request("kms:Decrypt", key_id, principal, context))
    if result.decision == "allow":
        return [], []
    statement = (
        '{"Sid": "AllowCloudFrontServicePrincipalSSE-KMS", "Effect": "Allow",\n'
        '   "Principal": {"Service": "cloudfront.amazonaws.com"},\n'
        '   "Action": ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey*"], "Resource": "*",\n'
        f'   "Condition": {{"StringEquals": {{"AWS:SourceArn": "{dist.arn or None}"}}}}}}')
    fix = (f"Add to the key policy of {key_name}:\n  {statement}\n"
           f"  aws kms get-key-policy --key-id {key_id} --policy-name default --query Policy --output text > key-policy.json\n"
           f"  aws kms put-key-policy --key-id {key_id} --policy-name default --policy file://key-policy.json")
    evidence.append(f"key policy: {result.decision} for {label} kms:Decrypt")
    return [Hit("s3.kms-not-allowed", tuple(evidence), dict(params, reader=label,
                reason=f"With OAC, CloudFront must be allowed kms:Decrypt in the key policy; the key policy of "
                       f"{key_name} does not allow it for distribution {dist.id}.", kms_fix=fix))], []


def aws_managed_key_hit(facts: EdgeFacts, key_id: str, evidence: List[str], params, reencrypt: str) -> Hit:
    """An AWS managed key (aws/s3): its policy lets only the account's own principals use it through
    S3 and cannot be edited, so no put-key-policy can let CloudFront in (CloudFront docs, "SSE-KMS":
    use a customer managed key with OAC)."""
    fix = (f"The AWS managed key {key_id} cannot be used by CloudFront and its policy cannot be changed. "
           "Either re-encrypt with a customer managed key whose policy allows the distribution:\n"
           f"  aws s3 cp s3://{facts.bucket}/{facts.key} s3://{facts.bucket}/{facts.key} --sse aws:kms "
           "--sse-kms-key-id <customer-managed-key-arn>\n"
           "  (and add the AllowCloudFrontServicePrincipalSSE-KMS statement to that key's policy)\nor " +
           reencrypt[0].lower() + reencrypt[1:])
    return Hit("s3.kms-not-allowed", tuple(evidence) + ("kms describe-key: KeyManager=AWS (an AWS managed key)",),
               dict(params, reader="CloudFront",
                    reason=f"{key_id} is an AWS managed key (KeyManager AWS, such as aws/s3): its key policy allows "
                           "only principals of the account through S3 and cannot be edited, so CloudFront can never "
                           "decrypt with it.", kms_fix=fix))

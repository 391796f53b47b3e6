"""The S3 and organization checks: owners (seed 004), website layers (seed 002), SCPs, and decoys."""

from __future__ import annotations

import json

from wizard.checks import organization, s3_access, s3_object
from wizard.aws.facts import EdgeFacts as Facts
from wizard.engine.facts import Symptom
from wizard.model import Hit, ProbeOutcome

DIST_ID = "EDIST000000001"
DIST_ARN = f"arn:aws:cloudfront::123456789012:distribution/{DIST_ID}"
BUCKET_OWNER = "a" * 64
WRITER = "b" * 64
OAI_CANONICAL = "c" * 96
OAI_ORIGIN = {"Id": "s3", "DomainName": "docs-bucket.s3.amazonaws.com",
              "S3OriginConfig": {"OriginAccessIdentity": "origin-access-identity/cloudfront/EOAI00000000001"}}
OAC_ORIGIN = {"Id": "s3", "DomainName": "docs-bucket.s3.us-east-1.amazonaws.com",
              "S3OriginConfig": {"OriginAccessIdentity": ""}, "OriginAccessControlId": "EOAC0000000001"}


def website_origin(**extra):
    return dict({"Id": "web", "DomainName": "docs-bucket.s3-website-us-east-1.amazonaws.com",
                 "CustomOriginConfig": {"OriginProtocolPolicy": "http-only"}}, **extra)


def facts(origin, path: str = "/docs/a.pdf", **probes) -> Facts:
    f = Facts(Symptom(url=f"https://d111111abcdef8.cloudfront.net{path}"))
    f.outcomes["aws.distribution"] = ProbeOutcome("aws.distribution", "ok", data={
        "found": True, "id": DIST_ID, "arn": DIST_ARN, "domain": "d111111abcdef8.cloudfront.net", "aliases": [],
        "matched_by": "domain", "config": {"Origins": {"Quantity": 1, "Items": [origin]},
                                           "DefaultCacheBehavior": {"TargetOriginId": origin["Id"]}}})
    f.outcomes["aws.origin_access"] = ProbeOutcome("aws.origin_access", "ok", data={
        "oai": {"Id": "EOAI00000000001", "S3CanonicalUserId": OAI_CANONICAL}, "oac": None})
    for name, data in probes.items():
        probe = "aws." + name
        f.outcomes[probe] = data if isinstance(data, ProbeOutcome) else ProbeOutcome(probe, "ok", data=data)
    return f


def owner(object_owner=WRITER, ownership="ObjectWriter", grants=()):
    return {"object_owner": object_owner, "bucket_owner": BUCKET_OWNER, "ownership": ownership,
            "object_public_read": False, "grants": list(grants)}


def test_seed_004_owner_mismatch_notes_that_bucket_owner_full_control_does_not_help_cloudfront():
    """An object another account wrote with bucket-owner-full-control is a mismatch, and the evidence says why that ACL is not enough."""
    f = facts(OAI_ORIGIN, object={"exists": True}, object_owner=owner(
        grants=[{"grantee": WRITER, "permission": "FULL_CONTROL"}, {"grantee": BUCKET_OWNER, "permission": "FULL_CONTROL"}]))
    (hit,), _ = s3_object.ownership(f)
    assert hit.id == "s3.object-owner-mismatch"
    assert "bucket-owner-full-control" in " ".join(hit.evidence)
    assert hit.params["reown_note"] == ""


def test_owner_mismatch_tells_the_bucket_owner_to_get_access_first_when_the_acl_gives_none():
    """Without a grant to the bucket owner, the re-own step first asks the writer for bucket-owner-full-control."""
    f = facts(OAI_ORIGIN, object={"exists": True}, object_owner=owner(grants=[{"grantee": WRITER, "permission": "FULL_CONTROL"}]))
    (hit,), _ = s3_object.ownership(f)
    assert "put-object-acl --bucket docs-bucket --key docs/a.pdf --acl bucket-owner-full-control" in hit.params["reown_note"]


def test_an_object_acl_that_grants_the_oai_is_not_an_owner_problem():
    """Another account's object whose own ACL grants READ to the OAI's canonical user is readable: no finding."""
    f = facts(OAI_ORIGIN, object={"exists": True}, object_owner=owner(
        grants=[{"grantee": WRITER, "permission": "FULL_CONTROL"}, {"grantee": OAI_CANONICAL, "permission": "READ"}]))
    assert s3_object.ownership(f) == ([], [])


def test_bucket_owner_enforced_never_raises_an_owner_mismatch():
    """Under BucketOwnerEnforced the bucket owner owns everything, whatever the stored writer."""
    f = facts(OAI_ORIGIN, object={"exists": True}, object_owner=owner(ownership="BucketOwnerEnforced"))
    assert s3_object.ownership(f) == ([], [])


def test_a_missing_key_is_not_reported_twice_when_the_default_root_object_explains_it():
    """When cf.default-root-object was raised, the key it produced is not also reported missing."""
    f = facts(OAC_ORIGIN, path="/", object={"exists": False, "nearby": [], "case_matches": []})
    f.outcomes["aws.distribution"].data["config"]["DefaultRootObject"] = "/index.html"
    f.hits.append(Hit("cf.default-root-object"))
    assert s3_object.existence(f) == ([], [])


PUBLIC_WITH_SECRET = {"Version": "2012-10-17", "Statement": [{
    "Sid": "SecretReferer", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
    "Resource": "arn:aws:s3:::docs-bucket/*", "Condition": {"StringLike": {"aws:Referer": "new-secret"}}}]}


def test_website_reports_both_a_wrong_referer_and_block_public_access():
    """A stale Referer secret and RestrictPublicBuckets both refuse the request: both are named."""
    origin = website_origin(CustomHeaders={"Quantity": 1, "Items": [{"HeaderName": "Referer", "HeaderValue": "old-secret"}]})
    f = facts(origin, bucket_policy={"policy": json.dumps(PUBLIC_WITH_SECRET)}, request_payment={"payer": "BucketOwner"},
              public_access={"bucket": {"RestrictPublicBuckets": True}, "account": None}, object_owner=owner(BUCKET_OWNER))
    hits, _ = s3_access.website_access(f)
    assert sorted(h.id for h in hits) == ["s3.website.block-public-access", "s3.website.referer-mismatch"]
    assert "old-secret" not in repr(hits) and "new-secret" not in repr(hits)


def test_a_website_origin_with_oac_makes_object_not_public_contributing_only():
    """On a website origin with OAC, "not public" is a consequence (severity contributing), not a second root cause."""
    f = facts(website_origin(OriginAccessControlId="EOAC0000000001"), bucket_policy={"policy": None},
              request_payment={"payer": "BucketOwner"}, public_access={"bucket": None, "account": None},
              object_owner=owner(BUCKET_OWNER))
    (hit,), _ = s3_access.website_access(f)
    assert (hit.id, hit.severity) == ("s3.website.object-not-public", "contributing")


def test_a_deny_insecure_transport_statement_blames_the_website_origin_but_not_the_rest_origin():
    """CloudFront reaches website endpoints over HTTP (denied) and REST endpoints over HTTPS (not denied)."""
    policy = json.dumps({"Version": "2012-10-17", "Statement": [
        {"Sid": "Public", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::docs-bucket/*"},
        {"Sid": "OAC", "Effect": "Allow", "Principal": {"Service": "cloudfront.amazonaws.com"}, "Action": "s3:GetObject",
         "Resource": "arn:aws:s3:::docs-bucket/*", "Condition": {"StringEquals": {"AWS:SourceArn": DIST_ARN}}},
        {"Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
         "Resource": "arn:aws:s3:::docs-bucket/*", "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]})
    website = facts(website_origin(), bucket_policy={"policy": policy}, request_payment={"payer": "BucketOwner"},
                    public_access={"bucket": None, "account": None}, object_owner=owner(BUCKET_OWNER))
    rest = facts(OAC_ORIGIN, bucket_policy={"policy": policy})
    assert [h.params["statement"] for h in s3_access.website_access(website)[0]] == ["DenyInsecureTransport"]
    assert s3_access.rest_policy(rest) == ([], [])


def scp_data(*statements, rcps=(), account="123456789012", management="999988887777"):
    def doc(pid, name, sts):
        return {"id": pid, "name": name, "target": account,
                "content": json.dumps({"Version": "2012-10-17", "Statement": list(sts)})}
    return {"in_organization": True, "account": account, "management_account": management,
            "organization_id": "o-abc123", "policies": [doc("p-abc12345", "guardrails", statements)] if statements else [],
            "rcps": [doc("p-rcp12345", "data-perimeter", rcps)] if rcps else [], "rcp_error": None}


def test_an_scp_deny_is_explained_as_a_note_not_a_root_cause():
    """An SCP that denies s3:GetObject is named, but as information: SCPs restrict only IAM principals of
    member accounts, and S3 sees CloudFront's service principal (OAC)."""
    f = facts(OAC_ORIGIN, scp=scp_data({"Sid": "OrgOnly", "Effect": "Deny", "Action": "s3:GetObject", "Resource": "*",
                                        "Condition": {"StringNotEquals": {"aws:PrincipalOrgID": "o-abc123"}}}))
    (hit,), unknowns = organization.scp(f)
    assert (hit.id, hit.params["statement"], hit.params["policy_id"]) == ("org.scp-deny", "OrgOnly", "p-abc12345")
    assert hit.severity is None and unknowns == []  # the catalogue's severity: info
    from wizard.playbooks import load
    assert load().catalog.specs["org.scp-deny"].severity == "info"


def test_aws_region_restriction_scp_example_is_only_a_note():
    """AWS's example SCP "Deny access to AWS based on the requested AWS Region" names no root cause."""
    region_scp = {"Sid": "DenyAllOutsideEU", "Effect": "Deny",
                  "NotAction": ["cloudfront:*", "iam:*", "route53:*", "support:*"], "Resource": "*",
                  "Condition": {"StringNotEquals": {"aws:RequestedRegion": ["eu-central-1", "eu-west-1"]}}}
    (hit,), unknowns = organization.scp(facts(OAC_ORIGIN, scp=scp_data(region_scp)))
    assert hit.id == "org.scp-deny" and unknowns == []


PERIMETER = {"Sid": "EnforceOrgIdentities", "Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*",
             "Condition": {"StringNotEqualsIfExists": {"aws:PrincipalOrgID": "o-abc123"}}}


def test_a_data_perimeter_rcp_without_the_service_exception_denies_cloudfront():
    """CloudFront's service principal has no aws:PrincipalOrgID, so ...IfExists does not spare it."""
    (hit,), unknowns = organization.scp(facts(OAC_ORIGIN, scp=scp_data(rcps=[PERIMETER])))
    assert (hit.id, hit.params["statement"], hit.params["policy_id"]) == ("org.rcp-deny", "EnforceOrgIdentities",
                                                                          "p-rcp12345")
    assert unknowns == []


def test_the_same_rcp_with_the_service_principal_exception_denies_nothing():
    spared = dict(PERIMETER, Condition=dict(PERIMETER["Condition"],
                                            BoolIfExists={"aws:PrincipalIsAWSService": "false"}))
    assert organization.scp(facts(OAC_ORIGIN, scp=scp_data(rcps=[spared]))) == ([], [])


def test_an_rcp_never_covers_the_management_accounts_buckets():
    data = scp_data(rcps=[PERIMETER], account="999988887777", management="999988887777")
    assert organization.scp(facts(OAC_ORIGIN, scp=data)) == ([], [])


def test_an_rcp_testing_a_key_edgewiz_cannot_know_is_undecided_not_a_deny():
    """A bucket tag the request would carry is not known here: cannot decide, say so."""
    tagged = dict(PERIMETER, Condition={"StringNotEquals": {"aws:ResourceTag/dp:exclude": "true"}})
    hits, (unknown,) = organization.scp(facts(OAC_ORIGIN, scp=scp_data(rcps=[tagged])))
    assert hits == [] and "cannot be decided" in unknown.reason


def test_an_scp_that_denies_other_actions_or_other_buckets_is_not_blamed():
    """Decoys: a Deny on s3:DeleteBucket, and a Deny on s3:GetObject for another bucket, refuse nothing here."""
    f = facts(OAC_ORIGIN, scp=scp_data(
        {"Sid": "NoDelete", "Effect": "Deny", "Action": "s3:DeleteBucket", "Resource": "*"},
        {"Sid": "OtherBucket", "Effect": "Deny", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::finance-*/*"}))
    assert organization.scp(f) == ([], [])


def test_an_scp_read_the_caller_may_not_make_is_an_unknown_that_says_who_can():
    """A denied Organizations read becomes an Unknown that names the management / delegated administrator account."""
    denied = ProbeOutcome("aws.scp", "denied", error="organizations:ListPoliciesForTarget was denied",
                          missing_action="organizations:ListPoliciesForTarget")
    hits, (unknown,) = organization.scp(facts(OAC_ORIGIN, scp=denied))
    assert hits == []
    assert unknown.layer == "organization" and "management account" in unknown.reason

"""The pure safety review: what makes a fix unsafe, from plain state (no lab)."""

from __future__ import annotations

from wizard.training.safety import SafetyState, review

ARN = "arn:aws:cloudfront::123456789012:distribution/E1"


def state(**kw):
    base = dict(origin_kind="s3-rest", bucket="b", distribution_arn=ARN, uses_origin_access=True, policy_read=True,
                policy={"Statement": []}, acl_grants=[], bpa={"bucket": None}, cors_read=True, cors_rules=None,
                open_ingress=set())
    base.update(kw)
    return SafetyState(**base)


def rules_of(concerns):
    return sorted({c.rule for c in concerns})


def test_an_everyone_allow_is_unsafe_unless_a_condition_narrows_it():
    open_ = {"Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "s3:GetObject"}]}
    narrowed = {"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
                               "Condition": {"StringEquals": {"aws:SourceVpce": "vpce-1"}}}]}
    assert rules_of(review(["bucket-not-public"], state(policy=open_))) == ["bucket-not-public"]
    assert review(["bucket-not-public"], state(policy=narrowed)) == []


def test_an_allusers_acl_grant_is_unsafe_but_a_website_bucket_is_public_by_design():
    grants = [{"grantee": "http://acs.amazonaws.com/groups/global/AllUsers", "permission": "READ"}]
    assert "AllUsers" in review(["bucket-not-public"], state(acl_grants=grants))[0].why
    assert review(["bucket-not-public"], state(acl_grants=grants, origin_kind="s3-website")) == []


def test_turning_block_public_access_off_is_unsafe():
    on = {"bucket": {"BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True,
                     "RestrictPublicBuckets": True}}
    concerns = review(["bucket-not-public"], state(bpa={"bucket": None}), baseline=state(bpa=on))
    assert "Block Public Access was turned off" in concerns[0].why


def test_the_oac_grant_must_name_this_distribution_not_every_one():
    def cf(cond):
        return {"Statement": [dict({"Effect": "Allow", "Principal": {"Service": "cloudfront.amazonaws.com"},
                                    "Action": "s3:GetObject"}, **cond)]}
    assert review(["oac-grant-scoped"], state(policy=cf({"Condition": {"StringEquals": {"AWS:SourceArn": ARN}}}))) == []
    assert rules_of(review(["oac-grant-scoped"], state(policy=cf({})))) == ["oac-grant-scoped"]
    wide = cf({"Condition": {"ArnLike": {"aws:sourcearn": "arn:aws:cloudfront::123456789012:distribution/*"}}})
    assert rules_of(review(["oac-grant-scoped"], state(policy=wide))) == ["oac-grant-scoped"]


def test_a_deleted_policy_is_unsafe_only_where_an_oac_or_oai_needed_it():
    assert rules_of(review(["policy-kept"], state(policy=None))) == ["policy-kept"]
    assert review(["policy-kept"], state(policy=None, uses_origin_access=False)) == []


def test_a_newly_opened_group_is_unsafe_an_old_one_is_not_the_trainees():
    before = state(open_ingress={("load balancer", "sg-old", "0.0.0.0/0")})
    now = state(open_ingress={("load balancer", "sg-old", "0.0.0.0/0"), ("target", "sg-ecs", "0.0.0.0/0")})
    concerns = review(["sg-not-open"], now, baseline=before)
    assert [c.why for c in concerns] == ["target security group sg-ecs now admits 0.0.0.0/0"]


def test_cors_wildcard_is_unsafe_when_credentials_are_allowed():
    star = [{"AllowedOrigins": ["*"], "AllowedMethods": ["GET"], "AllowedHeaders": ["Authorization"]}]
    plain_star = [{"AllowedOrigins": ["*"], "AllowedMethods": ["GET"]}]
    assert rules_of(review(["cors-not-wildcard"], state(cors_rules=star))) == ["cors-not-wildcard"]
    assert review(["cors-not-wildcard"], state(cors_rules=plain_star)) == []
    assert rules_of(review(["cors-not-wildcard"], state(cors_rules=plain_star, credentials_used=True))) == \
        ["cors-not-wildcard"]


def test_an_unread_part_is_unknown_never_a_pass():
    concerns = review(["bucket-not-public", "sg-not-open"], state(policy_read=False, acl_grants=None,
                                                                  open_ingress=None))
    assert concerns and all(c.unknown for c in concerns)

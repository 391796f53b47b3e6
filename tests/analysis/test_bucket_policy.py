"""Tests for the bucket-policy evaluator: the seed stories, AWS's documented elements, and the public test."""

from __future__ import annotations

import json

import pytest

from wizard.analysis.s3 import bucket_policy as bp
from wizard.analysis.s3 import policy_document as pd
from wizard.analysis.s3 import policy_public as pp

ACCOUNT = "111122223333"
DIST_ARN = f"arn:aws:cloudfront::{ACCOUNT}:distribution/EABC"
OTHER_DIST_ARN = f"arn:aws:cloudfront::{ACCOUNT}:distribution/EOTHER"
ASSETS = "arn:aws:s3:::assets-bucket"
WEB = "arn:aws:s3:::DOC-EXAMPLE-BUCKET"
OAI_ID = "EAF5XXXXXXXXX"
OAI_CANONICAL = "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"


def oac_request(key: str = "assets/application-abc.js") -> bp.Request:
    return bp.Request("s3:GetObject", f"{ASSETS}/{key}", bp.Principal.cloudfront_service(),
                      {"aws:SourceArn": DIST_ARN, "aws:SourceAccount": ACCOUNT, "aws:SecureTransport": "true"})


def anonymous_request(key: str = "index.html", **context: str) -> bp.Request:
    return bp.Request("s3:GetObject", f"{WEB}/{key}", bp.Principal.anonymous(),
                      dict({"aws:SecureTransport": "false"}, **context))


def policy(*statements, version: str = "2012-10-17") -> dict:
    return {"Version": version, "Statement": list(statements)}


def allow(sid: str = "", principal="*", action="s3:GetObject", resource=f"{WEB}/*", **extra) -> dict:
    st = {"Effect": "Allow", "Principal": principal, "Action": action, "Resource": resource, **extra}
    return dict(st, Sid=sid) if sid else st


def deny(sid: str = "", principal="*", action="s3:GetObject", resource=f"{WEB}/*", **extra) -> dict:
    return dict(allow(sid, principal, action, resource, **extra), Effect="Deny")


# Seed 000: the OAC statement names another distribution, the fix adds a second statement.
SEED_000_BROKEN = {
    "Version": "2008-10-17",
    "Id": "PolicyForCloudFrontPrivateContent",
    "Statement": [{
        "Sid": "AllowCloudFrontServicePrincipal", "Effect": "Allow",
        "Principal": {"Service": "cloudfront.amazonaws.com"}, "Action": "s3:GetObject",
        "Resource": f"{ASSETS}/*", "Condition": {"ArnLike": {"AWS:SourceArn": OTHER_DIST_ARN}},
    }],
}
SEED_000_FIXED = dict(SEED_000_BROKEN, Statement=SEED_000_BROKEN["Statement"] + [{
    "Sid": "AllowCloudFront-EABC", "Effect": "Allow", "Principal": {"Service": "cloudfront.amazonaws.com"},
    "Action": "s3:GetObject", "Resource": f"{ASSETS}/*", "Condition": {"StringEquals": {"AWS:SourceArn": DIST_ARN}},
}])

# Seed 002 (Knowledge Center, website endpoint): an OAI grant, a public grant, and a VPCE-only Deny.
SEED_002_VPCE = policy(
    allow("Allow-OAI-Access-To-Bucket", {"AWS": pd.OAI_ARN_PREFIX + OAI_ID}, resource=[f"{WEB}/*"]),
    allow("Allow-Public-Access-To-Bucket", resource=[f"{WEB}/*"]),
    deny("Access-to-specific-VPCE-only", resource=[f"{WEB}/*"],
         Condition={"StringNotEquals": {"aws:sourceVpce": "vpce-1a2b3c4d"}}),
)
REFERER_SECRET = "MY_SECRET_TOKEN_CONFIGURED_ON_CLOUDFRONT_ORIGIN_CUSTOM_HEADER"
SEED_002_REFERER = policy(allow("Allow get requests originating from my CloudFront with referer header",
                                Condition={"StringLike": {"aws:Referer": REFERER_SECRET}}))


# --- seed 000 ------------------------------------------------------------------------------------


def test_seed000_oac_statement_for_another_distribution_is_an_implicit_deny():
    """The OAC grant for another distribution leaves this distribution's request implicitly denied."""
    result = bp.evaluate(SEED_000_BROKEN, oac_request())
    assert result.decision == "implicit-deny"
    assert result.deciding is None


def test_seed000_reason_names_the_statement_and_both_distribution_arns():
    """The sentence names the statement, the operator and key, the wanted ARN and the request's ARN."""
    verdict = bp.evaluate(SEED_000_BROKEN, oac_request()).statements[0]
    assert verdict.sentence() == (
        "Statement 'AllowCloudFrontServicePrincipal' does not apply: its condition ArnLike AWS:SourceArn "
        f"wants {OTHER_DIST_ARN}, the request comes from {DIST_ARN}")


def test_seed000_fixed_policy_with_two_oac_statements_allows():
    """After the fix the new statement allows, and the old one still does not apply."""
    result = bp.evaluate(SEED_000_FIXED, oac_request())
    assert result.decision == "allow"
    assert result.deciding.sid == "AllowCloudFront-EABC"
    assert [v.applies for v in result.statements] == [False, True]


def test_seed000_policy_text_with_json_string_input_gives_the_same_answer():
    """A policy passed as JSON text (as get-bucket-policy returns it) evaluates like the dict."""
    assert bp.evaluate(json.dumps(SEED_000_FIXED), oac_request()).decision == "allow"


# --- seed 002 ------------------------------------------------------------------------------------


def test_seed002_vpce_deny_refuses_anonymous_website_requests():
    """The Deny unless aws:sourceVpce decides against an anonymous caller despite the public Allow."""
    result = bp.evaluate(SEED_002_VPCE, anonymous_request())
    assert result.decision == "explicit-deny"
    assert result.deciding.sid == "Access-to-specific-VPCE-only"
    assert "StringNotEquals aws:sourceVpce" in result.deciding.reason
    assert "the request has no aws:sourceVpce" in result.deciding.reason


def test_seed002_vpce_deny_refuses_the_cloudfront_service_principal_too():
    """CloudFront never comes through the VPC endpoint, so OAC requests are denied as well."""
    request = bp.Request("s3:GetObject", f"{WEB}/index.html", bp.Principal.cloudfront_service(),
                         {"aws:SourceArn": DIST_ARN})
    assert bp.evaluate(SEED_002_VPCE, request).decision == "explicit-deny"


def test_seed002_request_through_the_endpoint_is_allowed():
    """A request that does come through vpce-1a2b3c4d escapes the Deny and meets the public Allow."""
    result = bp.evaluate(SEED_002_VPCE, anonymous_request(**{"aws:SourceVpce": "vpce-1a2b3c4d"}))
    assert result.decision == "allow"
    assert result.deciding.sid == "Allow-Public-Access-To-Bucket"


def test_seed002_explicit_deny_reason_reads_as_a_sentence():
    """The applying Deny's reason starts with what it denies, ready for the explicit-deny finding."""
    reason = bp.evaluate(SEED_002_VPCE, anonymous_request()).deciding.reason
    assert reason.startswith(f"It denies s3:GetObject on {WEB}/index.html to an anonymous caller, because")


def test_seed002_matching_referer_allows():
    """The origin's Referer equal to the policy's secret allows the anonymous website request."""
    assert bp.evaluate(SEED_002_REFERER, anonymous_request(**{"aws:Referer": REFERER_SECRET})).decision == "allow"


def test_seed002_different_referer_is_an_implicit_deny_naming_the_key():
    """A different Referer leaves the request implicitly denied, and the reason says aws:Referer differs."""
    result = bp.evaluate(SEED_002_REFERER, anonymous_request(**{"aws:Referer": "stale-token"}))
    assert result.decision == "implicit-deny"
    assert "StringLike aws:Referer" in result.statements[0].reason
    assert "a different value" in result.statements[0].reason


def test_seed002_referer_secret_never_appears_in_the_explanation():
    """Neither the policy's secret nor the header value is printed: reports are shared."""
    text = bp.evaluate(SEED_002_REFERER, anonymous_request(**{"aws:Referer": "stale-token"})).explain()
    assert REFERER_SECRET not in text and "stale-token" not in text


def test_seed002_missing_referer_says_the_request_has_none():
    """An origin without the custom header: the reason says the request has no aws:Referer."""
    verdict = bp.evaluate(SEED_002_REFERER, anonymous_request()).statements[0]
    assert verdict.reason.endswith("the request has no aws:Referer")


def test_deny_insecure_transport_blocks_a_website_endpoint_origin():
    """CloudFront talks HTTP to website endpoints, so the usual "deny non-TLS" statement refuses it."""
    doc = policy(allow("Public"), deny("DenyInsecureTransport", action="s3:*",
                                       Condition={"Bool": {"aws:SecureTransport": "false"}}))
    result = bp.evaluate(doc, anonymous_request())
    assert result.decision == "explicit-deny"
    assert result.deciding.reason.endswith(
        "its condition Bool aws:SecureTransport wants false and the request's aws:SecureTransport is false")


# --- seed 004 ------------------------------------------------------------------------------------

SEED_004_ARN = policy(allow("1", {"AWS": pd.OAI_ARN_PREFIX + OAI_ID}, resource="arn:aws:s3:::my-bucket/*"),
                      version="2008-10-17")
SEED_004_CANONICAL = policy(allow("1", {"CanonicalUser": OAI_CANONICAL}, resource="arn:aws:s3:::my-bucket/*"))


def oai_request(oai: bp.Principal) -> bp.Request:
    return bp.Request("s3:GetObject", "arn:aws:s3:::my-bucket/uploaded.png", oai)


def test_seed004_oai_in_arn_form_is_allowed():
    """The OAI named by its IAM ARN matches the origin's OAI."""
    assert bp.evaluate(SEED_004_ARN, oai_request(bp.Principal.oai(OAI_ID))).decision == "allow"


def test_seed004_oai_in_canonical_user_form_is_allowed():
    """The OAI named by its S3 canonical user id matches through the principal's alias."""
    assert bp.evaluate(SEED_004_CANONICAL, oai_request(bp.Principal.oai(OAI_ID, OAI_CANONICAL))).decision == "allow"


def test_seed004_canonical_form_without_a_known_canonical_id_does_not_match():
    """Without the OAI's canonical id the CanonicalUser grant cannot be tied to it."""
    assert bp.evaluate(SEED_004_CANONICAL, oai_request(bp.Principal.oai(OAI_ID))).decision == "implicit-deny"


def test_seed004_grant_for_another_oai_names_it_in_the_reason():
    """A grant to a different OAI does not apply, and the reason names both identities."""
    reason = bp.evaluate(SEED_004_ARN, oai_request(bp.Principal.oai("EOTHEROAI"))).statements[0].reason
    assert reason == (f"its Principal is origin access identity {OAI_ID}, "
                      "the request comes from origin access identity EOTHEROAI")


# --- decoys and naming ---------------------------------------------------------------------------


def test_deny_on_another_path_does_not_decide():
    """A Deny on private/* leaves index.html to the public Allow."""
    result = bp.evaluate(policy(allow("Public"), deny("NoPrivate", resource=f"{WEB}/private/*")), anonymous_request())
    assert result.decision == "allow"
    assert result.statements[1].reason == (f"its Resource is {WEB}/private/*, the request is for {WEB}/index.html")


def test_deny_on_another_action_does_not_decide():
    """A Deny of s3:PutObject does not touch a read."""
    result = bp.evaluate(policy(allow("Public"), deny("NoWrites", action="s3:PutObject")), anonymous_request())
    assert result.decision == "allow"
    assert result.statements[1].reason == "its Action is s3:PutObject, the request is s3:GetObject"


def test_deciding_statement_without_sid_is_named_by_its_position():
    """A Sid-less statement is called 'statement #2' (one-based)."""
    result = bp.evaluate(policy(allow("Public"), deny()), anonymous_request())
    assert result.deciding.name == "#2"
    assert result.deciding.label == "Statement #2"
    assert "Statement #2 denies" in result.explain()


def test_statement_may_be_a_single_object():
    """"Statement": {...} works like a one-element list."""
    doc = {"Version": "2012-10-17", "Statement": allow()}
    assert bp.evaluate(doc, anonymous_request()).decision == "allow"


def test_empty_statement_list_is_an_implicit_deny():
    """No statements: nothing allows, and the explanation says so."""
    result = bp.evaluate(policy(), anonymous_request())
    assert result.decision == "implicit-deny"
    assert "no statements" in result.explain()


def test_explain_lists_the_decision_then_every_statement():
    """explain() gives one headline and one line per statement, tagged with its effect."""
    lines = bp.evaluate(SEED_002_VPCE, anonymous_request()).explain().splitlines()
    assert lines[0].startswith("Explicit deny: Statement 'Access-to-specific-VPCE-only' denies")
    assert [line.split("]")[0].strip() for line in lines[1:]] == ["[Allow", "[Allow", "[Deny"]


def test_explain_warns_that_identity_policies_are_not_evaluated_for_iam_callers():
    """For an IAM role the explanation says its own policies also count."""
    request = bp.Request("s3:GetObject", f"{WEB}/a", bp.Principal.aws(f"arn:aws:iam::{ACCOUNT}:role/deploy"))
    assert "identity policies" in bp.evaluate(policy(allow()), request).explain()


# --- Action, Resource and their Not forms --------------------------------------------------------


def test_action_wildcards_ignore_case():
    """"S3:get*" covers s3:GetObject: actions compare case-insensitively."""
    assert bp.evaluate(policy(allow(action="S3:get*")), anonymous_request()).decision == "allow"


def test_resource_compares_case_sensitively():
    """A Resource spelled with another case does not cover the object."""
    result = bp.evaluate(policy(allow(resource="arn:aws:s3:::doc-example-bucket/*")), anonymous_request())
    assert result.decision == "implicit-deny"


def test_question_mark_matches_exactly_one_character():
    """"?" stands for one character in a Resource."""
    doc = policy(allow(resource=f"{WEB}/index.htm?"))
    assert bp.evaluate(doc, anonymous_request("index.html")).decision == "allow"
    assert bp.evaluate(doc, anonymous_request("index.htm")).decision == "implicit-deny"


def test_brackets_in_a_resource_are_literal_not_character_classes():
    """Only * and ? are wildcards: [abc] is matched as text."""
    doc = policy(allow(resource=f"{WEB}/[abc].txt"))
    assert bp.evaluate(doc, anonymous_request("a.txt")).decision == "implicit-deny"
    assert bp.evaluate(doc, anonymous_request("[abc].txt")).decision == "allow"


def test_not_action_applies_to_every_other_action():
    """A Deny with NotAction s3:GetObject leaves reads alone but denies deletes."""
    st = deny("OnlyReads")
    st.pop("Action")
    st["NotAction"] = "s3:GetObject"
    doc = policy(allow(action="s3:*"), st)
    assert bp.evaluate(doc, anonymous_request()).decision == "allow"
    delete = bp.Request("s3:DeleteObject", f"{WEB}/index.html", bp.Principal.anonymous())
    assert bp.evaluate(doc, delete).decision == "explicit-deny"


def test_not_resource_applies_outside_the_listed_resources():
    """A Deny with NotResource public/* denies everything else in the bucket."""
    st = deny("OnlyPublic")
    st.pop("Resource")
    st["NotResource"] = f"{WEB}/public/*"
    doc = policy(allow(), st)
    assert bp.evaluate(doc, anonymous_request("public/a.css")).decision == "allow"
    assert bp.evaluate(doc, anonymous_request("secret.txt")).decision == "explicit-deny"


# --- Principal and NotPrincipal ------------------------------------------------------------------


@pytest.mark.parametrize("principal", ["*", {"AWS": "*"}, {"AWS": ["arn:aws:iam::444455556666:root", "*"]}])
def test_wildcard_principals_match_anonymous_callers(principal):
    """"*" and {"AWS": "*"} are everyone, including unsigned requests."""
    assert bp.evaluate(policy(allow(principal=principal)), anonymous_request()).decision == "allow"


@pytest.mark.parametrize("name", [ACCOUNT, f"arn:aws:iam::{ACCOUNT}:root"])
def test_account_principal_matches_any_principal_of_that_account(name):
    """An account id or its :root ARN stands for every role and user of the account."""
    request = bp.Request("s3:GetObject", f"{WEB}/a", bp.Principal.aws(f"arn:aws:iam::{ACCOUNT}:role/deploy"))
    assert bp.evaluate(policy(allow(principal={"AWS": name})), request).decision == "allow"


def test_account_principal_does_not_match_anonymous_or_other_accounts():
    """The account grant is not public and not for other accounts."""
    doc = policy(allow(principal={"AWS": ACCOUNT}))
    other = bp.Request("s3:GetObject", f"{WEB}/a", bp.Principal.aws("arn:aws:iam::444455556666:role/deploy"))
    assert bp.evaluate(doc, other).decision == "implicit-deny"
    assert bp.evaluate(doc, anonymous_request()).decision == "implicit-deny"


def test_role_arn_matches_its_assumed_role_sessions():
    """A role ARN covers the STS sessions of that role."""
    request = bp.Request("s3:GetObject", f"{WEB}/a",
                         bp.Principal.aws(f"arn:aws:sts::{ACCOUNT}:assumed-role/deploy/ci-run-42"))
    doc = policy(allow(principal={"AWS": f"arn:aws:iam::{ACCOUNT}:role/deploy"}))
    assert bp.evaluate(doc, request).decision == "allow"


def test_service_principal_does_not_match_anonymous():
    """A grant to cloudfront.amazonaws.com does not make objects public."""
    doc = policy(allow(principal={"Service": "cloudfront.amazonaws.com"}))
    result = bp.evaluate(doc, anonymous_request())
    assert result.decision == "implicit-deny"
    assert result.statements[0].reason == ("its Principal is the service principal cloudfront.amazonaws.com, "
                                          "the request comes from an anonymous caller")


def test_not_principal_deny_applies_to_everyone_not_listed():
    """Deny + NotPrincipal denies anonymous callers but exempts the listed account."""
    st = deny("OnlyOurAccount")
    st.pop("Principal")
    st["NotPrincipal"] = {"AWS": f"arn:aws:iam::{ACCOUNT}:root"}
    doc = policy(allow(), st)
    assert bp.evaluate(doc, anonymous_request()).decision == "explicit-deny"
    ours = bp.Request("s3:GetObject", f"{WEB}/index.html", bp.Principal.aws(f"arn:aws:iam::{ACCOUNT}:role/r"))
    result = bp.evaluate(doc, ours)
    assert result.decision == "allow"
    assert result.statements[1].reason.startswith(f"its NotPrincipal exempts AWS account {ACCOUNT}")


# --- policy variables ----------------------------------------------------------------------------


def test_policy_variable_in_resource_uses_the_request_value():
    """${aws:username} in a 2012-10-17 Resource is replaced by the caller's user name."""
    doc = policy(allow(principal={"AWS": ACCOUNT}, resource=WEB + "/home/${aws:username}/*"))
    alice = bp.Principal.aws(f"arn:aws:iam::{ACCOUNT}:user/alice")
    ok = bp.Request("s3:GetObject", f"{WEB}/home/alice/a.txt", alice, {"aws:username": "alice"})
    other = bp.Request("s3:GetObject", f"{WEB}/home/bob/a.txt", alice, {"aws:username": "alice"})
    assert bp.evaluate(doc, ok).decision == "allow"
    assert bp.evaluate(doc, other).decision == "implicit-deny"


def test_policy_variable_is_literal_text_under_version_2008():
    """Under Version 2008-10-17 a ${...} is plain text, as AWS documents."""
    doc = policy(allow(resource=WEB + "/home/${aws:username}/*"), version="2008-10-17")
    request = anonymous_request("home/${aws:username}/a.txt", **{"aws:username": "alice"})
    assert bp.evaluate(doc, request).decision == "allow"


# --- malformed policies --------------------------------------------------------------------------


def test_invalid_json_is_a_policy_error_with_a_position():
    """Broken JSON says it is not valid JSON and where."""
    with pytest.raises(pd.PolicyError, match=r"not valid JSON.*line 1 column"):
        pd.parse_policy('{"Statement": [')


@pytest.mark.parametrize("change, message", [
    (lambda st: st.pop("Effect"), r'statement #1 \(Sid .Public.\): Effect must be "Allow" or "Deny"'),
    (lambda st: st.update(Actions=st.pop("Action")), r"unknown element 'Actions'"),
    (lambda st: st.update(NotAction="s3:PutObject"), r"both Action and NotAction"),
    (lambda st: st.pop("Resource"), r"has no Resource \(or NotResource\)"),
    (lambda st: st.update(Principal="arn:aws:iam::111122223333:root"), r'Principal must be "\*" or an object'),
    (lambda st: st.update(Principal={"Aws-Account": "1"}), r"unknown type 'Aws-Account'"),
    (lambda st: st.update(Condition={"StringEquals": {"aws:Referer": {"x": 1}}}), r"Condition StringEquals"),
])
def test_malformed_statements_name_what_is_wrong_and_where(change, message):
    """Each shape error names the statement and the element."""
    st = allow("Public")
    change(st)
    with pytest.raises(pd.PolicyError, match=message):
        bp.evaluate(policy(st), anonymous_request())


def test_policy_without_statement_is_an_error():
    """A document with no Statement is refused."""
    with pytest.raises(pd.PolicyError, match="no Statement"):
        pd.parse_policy({"Version": "2012-10-17"})


def test_parse_policy_returns_the_document():
    """parse_policy gives back the dict for text input."""
    assert pd.parse_policy(json.dumps(SEED_000_FIXED)) == SEED_000_FIXED


# --- who does this policy grant? -----------------------------------------------------------------


def test_statements_granting_lists_allows_for_the_action_and_resource():
    """Only Allow statements covering the action and object are returned, each saying to whom."""
    doc = policy(allow("Oai", {"AWS": pd.OAI_ARN_PREFIX + OAI_ID}), allow("Other", resource="arn:aws:s3:::x/*"),
                 deny("D"), allow("Writes", action="s3:PutObject"))
    grants = bp.statements_granting(doc, "s3:GetObject", f"{WEB}/index.html")
    assert [g.sid for g in grants] == ["Oai"]
    assert grants[0].reason == (f"It allows s3:GetObject on {WEB}/index.html to origin access identity {OAI_ID}, "
                                "with no condition")


def test_statements_granting_mentions_conditions():
    """A conditional grant says which condition it needs."""
    grants = bp.statements_granting(SEED_000_BROKEN, "s3:GetObject", f"{ASSETS}/x.js")
    assert grants[0].reason.endswith(f"its condition ArnLike AWS:SourceArn wants {OTHER_DIST_ARN}")


# --- Block Public Access's "public" --------------------------------------------------------------


def test_wildcard_principal_without_condition_is_public():
    """Principal "*" with no pinning condition is public, and the reason names the statement."""
    verdict = pp.is_public_policy(policy(allow("PublicRead")))
    assert verdict.public is True
    assert verdict.reasons[0].startswith("Statement 'PublicRead' allows s3:GetObject to everyone")


def test_referer_condition_does_not_make_a_policy_non_public():
    """The website-endpoint Referer policy is still public: anyone can send the header."""
    public, reasons = pp.is_public_policy(SEED_002_REFERER)
    assert public is True
    assert "aws:Referer condition does not count" in reasons[0]


def test_fixed_source_ip_makes_it_non_public_but_a_huge_range_does_not():
    """aws:SourceIp 203.0.113.0/24 is a fixed value; 0.0.0.0/0 is public."""
    narrow = policy(allow(Condition={"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}))
    wide = policy(allow(Condition={"IpAddress": {"aws:SourceIp": "0.0.0.0/0"}}))
    assert pp.is_public_policy(narrow).public is False
    assert pp.is_public_policy(wide).public is True


def test_wildcard_source_vpc_is_public_and_a_fixed_one_is_not():
    """The S3 guide's example: aws:SourceVpc "vpc-*" is public, "vpc-91237329" is not."""
    assert pp.is_public_policy(policy(allow(Condition={"StringLike": {"aws:SourceVpc": "vpc-*"}}))).public
    assert not pp.is_public_policy(policy(allow(Condition={"StringEquals": {"aws:SourceVpc": "vpc-91237329"}}))).public


def test_fixed_principals_are_not_public():
    """Grants to the CloudFront service principal, an OAI and an account are not public."""
    doc = policy(allow("Oac", {"Service": "cloudfront.amazonaws.com"}),
                 allow("Oai", {"AWS": pd.OAI_ARN_PREFIX + OAI_ID}), allow("Acct", {"AWS": ACCOUNT}))
    verdict = pp.is_public_policy(doc)
    assert verdict.public is False
    assert len(verdict.reasons) == 3


def test_wildcard_principal_pinned_by_source_arn_is_not_public():
    """Principal "*" limited to one distribution's aws:SourceArn is non-public."""
    doc = policy(allow(Condition={"StringEquals": {"aws:SourceArn": DIST_ARN}}))
    assert pp.is_public_policy(doc).public is False


def test_negated_condition_does_not_pin_a_grant():
    """StringNotEquals aws:SourceVpce still lets everyone else in: public."""
    doc = policy(allow(Condition={"StringNotEquals": {"aws:SourceVpce": "vpce-1a2b3c4d"}}))
    assert pp.is_public_policy(doc).public is True


def test_federated_principal_is_public():
    """The S3 guide lists a Federated graph.facebook.com grant as public."""
    assert pp.is_public_policy(policy(allow(principal={"Federated": "graph.facebook.com"}))).public


def test_deny_only_policy_is_not_public():
    """Deny statements grant nothing, so they never make a policy public."""
    assert not pp.is_public_policy(policy(deny())).public


def test_access_point_arn_with_wildcard_name_and_fixed_account_is_not_public():
    """s3:DataAccessPointArn may wildcard the access point name when the account is fixed."""
    arn = f"arn:aws:s3:us-west-2:{ACCOUNT}:accesspoint/*"
    assert not pp.is_public_policy(policy(allow(Condition={"StringLike": {"s3:DataAccessPointArn": arn}}))).public

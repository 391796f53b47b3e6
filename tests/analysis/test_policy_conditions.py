"""Tests for condition operators as a bucket policy sees them: one Allow with one Condition, one request."""

from __future__ import annotations

import pytest

from wizard.analysis.s3 import bucket_policy as bp
from wizard.analysis.s3 import policy_conditions as pc

OBJECT = "arn:aws:s3:::bucket/key"


def decide(condition: dict, context: dict, effect: str = "Allow") -> bp.Evaluation:
    """Evaluates one statement with `condition` for an anonymous read carrying `context`."""
    statement = {"Sid": "Under-test", "Effect": effect, "Principal": "*", "Action": "s3:GetObject",
                 "Resource": "arn:aws:s3:::bucket/*", "Condition": condition}
    doc = {"Version": "2012-10-17", "Statement": [statement]}
    return bp.evaluate(doc, bp.Request("s3:GetObject", OBJECT, bp.Principal.anonymous(), context))


def allowed(condition: dict, context: dict) -> bool:
    return decide(condition, context).decision == "allow"


# --- strings -------------------------------------------------------------------------------------


def test_string_equals_compares_values_case_sensitively():
    """StringEquals: "vpce-1A" is not "vpce-1a"."""
    assert allowed({"StringEquals": {"aws:SourceVpce": "vpce-1a"}}, {"aws:SourceVpce": "vpce-1a"})
    assert not allowed({"StringEquals": {"aws:SourceVpce": "vpce-1a"}}, {"aws:SourceVpce": "vpce-1A"})


def test_condition_key_names_ignore_case():
    """AWS:SOURCEVPCE in the policy finds aws:SourceVpce in the request."""
    assert allowed({"StringEquals": {"AWS:SOURCEVPCE": "vpce-1a"}}, {"aws:sourcevpce": "vpce-1a"})


def test_string_equals_ignore_case_ignores_value_case():
    """StringEqualsIgnoreCase matches whatever the case of the value."""
    assert allowed({"StringEqualsIgnoreCase": {"aws:SourceVpce": "VPCE-1A"}}, {"aws:SourceVpce": "vpce-1a"})


def test_string_not_equals_ignore_case_is_the_negation():
    """StringNotEqualsIgnoreCase refuses the same value in another case."""
    assert not allowed({"StringNotEqualsIgnoreCase": {"aws:SourceVpce": "VPCE-1A"}}, {"aws:SourceVpce": "vpce-1a"})


def test_string_like_supports_star_and_question_mark():
    """StringLike "*.example.com" and "v?" match as wildcards."""
    assert allowed({"StringLike": {"aws:Referer": "https://*.example.com/*"}}, {"aws:Referer": "https://a.example.com/x"})
    assert allowed({"StringLike": {"s3:prefix": "v?"}}, {"s3:prefix": "v1"})
    assert not allowed({"StringLike": {"s3:prefix": "v?"}}, {"s3:prefix": "v10"})


def test_object_tag_keys_are_looked_up_like_any_other_key():
    """s3:ExistingObjectTag/<key> compares the object's tag value."""
    cond = {"StringEquals": {"s3:ExistingObjectTag/public": "yes"}}
    assert allowed(cond, {"s3:ExistingObjectTag/public": "yes"})
    assert not allowed(cond, {"s3:ExistingObjectTag/public": "no"})


def test_several_values_for_one_key_are_ored():
    """Any one of the listed values is enough."""
    assert allowed({"StringEquals": {"aws:SourceVpce": ["vpce-1", "vpce-2"]}}, {"aws:SourceVpce": "vpce-2"})


def test_negated_operator_with_several_values_is_a_nor():
    """StringNotEquals [a, b] refuses a and b, and accepts anything else."""
    cond = {"StringNotEquals": {"aws:SourceVpce": ["vpce-1", "vpce-2"]}}
    assert not allowed(cond, {"aws:SourceVpce": "vpce-2"})
    assert allowed(cond, {"aws:SourceVpce": "vpce-3"})


def test_several_operators_and_keys_are_anded_and_the_failing_one_is_named():
    """Every condition must hold; the reason names the one that does not."""
    cond = {"Bool": {"aws:SecureTransport": "true"}, "StringEquals": {"aws:SourceVpce": "vpce-1"}}
    result = decide(cond, {"aws:SecureTransport": "true", "aws:SourceVpce": "vpce-9"})
    assert result.decision == "implicit-deny"
    assert result.statements[0].reason == ("its condition StringEquals aws:SourceVpce wants vpce-1, "
                                          "the request comes from vpce-9")


def test_two_failing_conditions_are_counted():
    """When more than one condition fails, the reason says so."""
    cond = {"Bool": {"aws:SecureTransport": "true"}, "StringEquals": {"aws:SourceVpce": "vpce-1"}}
    assert "(1 more condition also fail" in decide(cond, {"aws:SecureTransport": "false"}).statements[0].reason


# --- missing keys, IfExists and Null --------------------------------------------------------------


def test_missing_key_fails_a_positive_operator():
    """StringEquals on a key the request lacks is false (IAM: the values do not match)."""
    result = decide({"StringEquals": {"aws:SourceVpce": "vpce-1"}}, {})
    assert result.decision == "implicit-deny"
    assert result.statements[0].reason.endswith("the request has no aws:SourceVpce")


@pytest.mark.parametrize("operator", ["StringNotEquals", "StringNotLike", "ArnNotLike", "ArnNotEquals",
                                      "StringNotEqualsIgnoreCase", "NotIpAddress", "NumericNotEquals",
                                      "DateNotEquals"])
def test_missing_key_satisfies_a_negated_operator(operator):
    """IAM: a negated operator on an absent key is true, so a Deny with it applies."""
    assert decide({operator: {"aws:SourceX": "x"}}, {}, effect="Deny").decision == "explicit-deny"


def test_if_exists_makes_a_missing_key_match():
    """StringEqualsIfExists passes when the key is absent and checks it when present."""
    cond = {"StringEqualsIfExists": {"aws:SourceVpce": "vpce-1"}}
    assert allowed(cond, {})
    assert not allowed(cond, {"aws:SourceVpce": "vpce-2"})


def test_null_true_means_the_key_is_absent():
    """Null {key: true} holds only without the key; {key: false} only with it."""
    assert allowed({"Null": {"aws:SourceVpce": "true"}}, {})
    assert not allowed({"Null": {"aws:SourceVpce": "true"}}, {"aws:SourceVpce": "vpce-1"})
    assert allowed({"Null": {"aws:SourceVpce": "false"}}, {"aws:SourceVpce": "vpce-1"})
    assert not allowed({"Null": {"aws:SourceVpce": False}}, {})


# --- set operators -------------------------------------------------------------------------------


def test_for_all_values_needs_every_request_value_in_the_set():
    """ForAllValues: every tag key must be one of the listed ones."""
    cond = {"ForAllValues:StringEquals": {"aws:TagKeys": ["env", "team"]}}
    assert allowed(cond, {"aws:TagKeys": ["env"]})
    assert not allowed(cond, {"aws:TagKeys": ["env", "cost"]})


def test_for_all_values_is_true_when_the_key_is_missing():
    """IAM: ForAllValues also returns true if the request has no such key."""
    assert allowed({"ForAllValues:StringEquals": {"aws:TagKeys": ["env"]}}, {})


def test_for_any_value_needs_one_match_and_is_false_when_missing():
    """ForAnyValue: one matching value is enough; no key is false."""
    cond = {"ForAnyValue:StringEquals": {"aws:TagKeys": ["env"]}}
    assert allowed(cond, {"aws:TagKeys": ["cost", "env"]})
    assert not allowed(cond, {})


def test_for_all_values_with_a_negated_operator():
    """The IAM guide's Deny example: ForAllValues:StringNotLike key1* matches key2:audit only."""
    cond = {"ForAllValues:StringNotLike": {"aws:TagKeys": "key1*"}}
    assert decide(cond, {"aws:TagKeys": ["key2:audit"]}, "Deny").decision == "explicit-deny"
    assert decide(cond, {"aws:TagKeys": ["key1:hr", "key1:personnel"]}, "Deny").decision == "implicit-deny"


# --- ARNs ----------------------------------------------------------------------------------------


def test_arn_like_matches_a_wildcard_distribution():
    """ArnLike distribution/* covers every distribution of the account."""
    cond = {"ArnLike": {"aws:SourceArn": "arn:aws:cloudfront::111122223333:distribution/*"}}
    assert allowed(cond, {"aws:SourceArn": "arn:aws:cloudfront::111122223333:distribution/EABC"})


def test_arn_wildcard_stays_inside_its_colon_separated_part():
    """ArnLike matches the six ARN parts one by one: a * in the account part cannot swallow a colon."""
    cond = {"ArnLike": {"aws:SourceArn": "arn:aws:cloudfront::*:distribution/EABC"}}
    assert allowed(cond, {"aws:SourceArn": "arn:aws:cloudfront::111122223333:distribution/EABC"})
    assert not allowed(cond, {"aws:SourceArn": "arn:aws:cloudfront::111122223333:x:distribution/EABC"})


def test_arn_wildcard_in_the_last_part_may_cover_colons():
    """The sixth part (the resource) keeps its colons, and a * there may span them."""
    cond = {"ArnLike": {"aws:SourceArn": "arn:aws:logs:us-east-1:111122223333:log-group:*"}}
    assert allowed(cond, {"aws:SourceArn": "arn:aws:logs:us-east-1:111122223333:log-group:app:log-stream:s"})


def test_arn_equals_is_case_sensitive():
    """ArnEquals compares ARNs case-sensitively."""
    cond = {"ArnEquals": {"aws:SourceArn": "arn:aws:cloudfront::111122223333:distribution/eabc"}}
    assert not allowed(cond, {"aws:SourceArn": "arn:aws:cloudfront::111122223333:distribution/EABC"})


# --- numbers, dates, booleans, addresses ---------------------------------------------------------


def test_bool_accepts_a_json_boolean_in_the_policy():
    """Bool {aws:SecureTransport: false} (a JSON boolean) matches "false"."""
    assert allowed({"Bool": {"aws:SecureTransport": False}}, {"aws:SecureTransport": "false"})
    assert not allowed({"Bool": {"aws:SecureTransport": "true"}}, {"aws:SecureTransport": "false"})


@pytest.mark.parametrize("operator, value, expected", [
    ("NumericLessThan", "10", True), ("NumericLessThan", "5", False), ("NumericLessThanEquals", "5", True),
    ("NumericGreaterThan", "4", True), ("NumericGreaterThanEquals", "6", False), ("NumericEquals", "5.0", True),
    ("NumericEquals", "five", False),
])
def test_numeric_operators_compare_numbers(operator, value, expected):
    """Numeric operators compare the request's number with the policy's; a non-number never matches."""
    assert allowed({operator: {"s3:max-keys": value}}, {"s3:max-keys": "5"}) is expected


@pytest.mark.parametrize("operator, value, expected", [
    ("DateLessThan", "2030-01-01T00:00:00Z", True), ("DateGreaterThan", "2030-01-01T00:00:00Z", False),
    ("DateLessThan", "1893456000", True), ("DateEquals", "2025-06-01T12:00:00+00:00", True),
    ("DateGreaterThanEquals", "2025-06-01T14:00:00+02:00", True),
])
def test_date_operators_accept_iso_and_epoch_values(operator, value, expected):
    """Date operators read ISO 8601 (with offsets) and epoch seconds."""
    assert allowed({operator: {"aws:CurrentTime": value}}, {"aws:CurrentTime": "2025-06-01T12:00:00Z"}) is expected


def test_ip_address_matches_ipv4_and_ipv6_cidrs():
    """IpAddress accepts CIDRs of both families; an address of the other family never matches."""
    cond = {"IpAddress": {"aws:SourceIp": ["203.0.113.0/24", "2001:db8::/32"]}}
    assert allowed(cond, {"aws:SourceIp": "203.0.113.7"})
    assert allowed(cond, {"aws:SourceIp": "2001:db8::1"})
    assert not allowed(cond, {"aws:SourceIp": "198.51.100.7"})


def test_not_ip_address_denies_outside_the_range():
    """The classic Deny NotIpAddress: callers outside the office range are denied."""
    cond = {"NotIpAddress": {"aws:SourceIp": "203.0.113.0/24"}}
    assert decide(cond, {"aws:SourceIp": "198.51.100.7"}, "Deny").decision == "explicit-deny"
    assert decide(cond, {"aws:SourceIp": "203.0.113.9"}, "Deny").decision == "implicit-deny"


# --- unknown operators and variables -------------------------------------------------------------


def test_unknown_operator_makes_the_statement_not_apply_and_says_so():
    """A misspelt operator: the statement does not apply, and the reason names the operator."""
    result = decide({"StringEqualz": {"aws:SourceVpce": "vpce-1"}}, {"aws:SourceVpce": "vpce-1"})
    assert result.decision == "implicit-deny"
    assert "'StringEqualz' is not one AWS knows" in result.statements[0].reason


def test_null_if_exists_is_not_an_operator():
    """AWS allows IfExists on every operator except Null."""
    assert pc.parse_operator("NullIfExists") is None
    assert pc.parse_operator("ForAnyValue:StringLikeIfExists").if_exists is True


def test_variable_without_a_value_makes_the_condition_fail():
    """${aws:username} with no user name in the request: the condition fails and says why."""
    result = decide({"StringEquals": {"s3:prefix": "home/${aws:username}"}}, {"s3:prefix": "home/"})
    assert result.decision == "implicit-deny"
    assert "${aws:username}" in result.statements[0].reason


def test_variable_default_value_is_used_when_the_key_is_missing():
    """${aws:username, 'guest'} falls back to guest."""
    assert allowed({"StringEquals": {"s3:prefix": "home/${aws:username, 'guest'}"}}, {"s3:prefix": "home/guest"})


def test_escaped_star_is_literal_in_string_like():
    """${*} is a literal star, not a wildcard."""
    cond = {"StringLike": {"s3:prefix": "a${*}"}}
    assert allowed(cond, {"s3:prefix": "a*"})
    assert not allowed(cond, {"s3:prefix": "ab"})

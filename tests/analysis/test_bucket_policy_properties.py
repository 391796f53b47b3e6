"""Property tests for the bucket-policy evaluator: robustness, Deny precedence, and irrelevant statements."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wizard.analysis.s3 import bucket_policy as bp
from wizard.analysis.s3 import policy_document as pd
from wizard.analysis.s3 import policy_public as pp

BUCKET = "arn:aws:s3:::bucket"
OAI = "EAF5XXXXXXXXX"
CANONICAL = "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"
DIST = "arn:aws:cloudfront::111122223333:distribution/EABC"

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# --- arbitrary JSON-ish input --------------------------------------------------------------------

scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=12))
json_values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)), max_leaves=20)
element_names = st.sampled_from(["Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource",
                                 "NotResource", "Condition", "Actions"])
element_values = st.one_of(json_values, st.sampled_from(
    ["Allow", "Deny", "*", "s3:GetObject", f"{BUCKET}/*", {"AWS": "*"}, {"Service": "cloudfront.amazonaws.com"},
     {"StringEquals": {"aws:SourceArn": DIST}}, {"Bogus": {"k": "v"}}, {"Null": {"k": ["true", 1, False]}}]))
statement_like = st.dictionaries(element_names, element_values, max_size=7)
policy_like = st.one_of(
    json_values,
    st.fixed_dictionaries({"Statement": st.one_of(statement_like, st.lists(statement_like, max_size=4))},
                          optional={"Version": st.sampled_from(["2012-10-17", "2008-10-17", "1999", 3])}),
)
any_input = st.one_of(policy_like, policy_like.map(json.dumps), st.text(max_size=30))

# --- valid policies and requests -----------------------------------------------------------------

principals = st.sampled_from(["*", {"AWS": "*"}, {"Service": "cloudfront.amazonaws.com"},
                              {"AWS": pd.OAI_ARN_PREFIX + OAI}, {"CanonicalUser": CANONICAL},
                              {"AWS": "111122223333"}, {"AWS": "arn:aws:iam::444455556666:role/x"}])
actions = st.sampled_from(["s3:GetObject", "s3:*", "*", "s3:PutObject", ["s3:GetObject", "s3:ListBucket"],
                           "S3:Get*"])
resources = st.sampled_from([f"{BUCKET}/*", f"{BUCKET}/key.txt", "*", f"{BUCKET}/private/*",
                             "arn:aws:s3:::elsewhere/*", [f"{BUCKET}/a", f"{BUCKET}/k?y.txt"]])
conditions = st.sampled_from([
    {}, {"StringEquals": {"AWS:SourceArn": DIST}}, {"StringNotEquals": {"aws:SourceVpce": "vpce-1"}},
    {"Bool": {"aws:SecureTransport": False}}, {"StringLike": {"aws:Referer": "secret-*"}},
    {"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}, {"Null": {"aws:SourceVpce": "true"}},
    {"ForAnyValue:StringEquals": {"aws:TagKeys": ["env"]}}, {"NotAnOperator": {"k": "v"}},
])


@st.composite
def statements(draw, effect=None, resource=None):
    stmt = {"Effect": effect or draw(st.sampled_from(["Allow", "Deny"]))}
    stmt["NotPrincipal" if draw(st.integers(0, 9)) == 0 else "Principal"] = draw(principals)
    stmt["NotAction" if draw(st.integers(0, 9)) == 0 else "Action"] = draw(actions)
    if resource is not None:
        stmt["Resource"] = resource
    else:
        stmt["NotResource" if draw(st.integers(0, 9)) == 0 else "Resource"] = draw(resources)
    cond = draw(conditions)
    if cond:
        stmt["Condition"] = cond
    if draw(st.booleans()):
        stmt["Sid"] = draw(st.text(alphabet="abcXYZ019-", min_size=1, max_size=6))
    return stmt


policies = st.lists(statements(), max_size=5).map(lambda sts: {"Version": "2012-10-17", "Statement": sts})
callers = st.sampled_from([bp.Principal.anonymous(), bp.Principal.cloudfront_service(), bp.Principal.oai(OAI),
                           bp.Principal.oai(OAI, CANONICAL), bp.Principal.aws("arn:aws:iam::111122223333:role/app")])
contexts = st.fixed_dictionaries({}, optional={
    "aws:SourceArn": st.just(DIST), "aws:SourceVpce": st.sampled_from(["vpce-1", "vpce-2"]),
    "aws:SecureTransport": st.sampled_from(["true", "false"]), "aws:Referer": st.sampled_from(["secret-1", "x"]),
    "aws:SourceIp": st.sampled_from(["203.0.113.5", "2001:db8::1"]), "aws:TagKeys": st.just(["env", "team"])})
requests = st.builds(bp.Request, st.sampled_from(["s3:GetObject", "s3:PutObject", "s3:ListBucket"]),
                     st.sampled_from([f"{BUCKET}/key.txt", f"{BUCKET}/private/a", BUCKET]), callers, contexts)


@FAST
@given(any_input, requests)
def test_any_input_gives_an_evaluation_or_a_policy_error(document, request):
    """Whatever the input, evaluate returns an Evaluation or raises PolicyError, nothing else."""
    try:
        result = bp.evaluate(document, request)
    except pd.PolicyError as exc:
        assert str(exc)
        return
    assert result.decision in ("allow", "explicit-deny", "implicit-deny")
    assert result.explain()


@FAST
@given(any_input)
def test_any_input_gives_a_public_verdict_or_a_policy_error(document):
    """is_public_policy and statements_granting never fail with anything but PolicyError."""
    try:
        verdict = pp.is_public_policy(document)
        grants = bp.statements_granting(document, "s3:GetObject", f"{BUCKET}/key.txt")
    except pd.PolicyError:
        return
    assert verdict.reasons
    assert all(g.effect == "Allow" for g in grants)


@FAST
@given(policies, requests, st.data())
def test_an_applicable_explicit_deny_always_wins(doc, request, data):
    """A Deny that matches the request decides, wherever it sits and whatever Allows surround it."""
    extra_allows = data.draw(st.lists(statements(effect="Allow"), max_size=3))
    blocker = {"Sid": "Blocker", "Effect": "Deny", "Principal": "*", "Action": request.action,
               "Resource": request.resource}
    sts = doc["Statement"] + extra_allows
    position = data.draw(st.integers(0, len(sts)))
    sts.insert(position, blocker)
    result = bp.evaluate({"Version": "2012-10-17", "Statement": sts}, request)
    assert result.decision == "explicit-deny"
    assert result.statements[position].applies


@FAST
@given(policies, requests, st.data())
def test_a_statement_for_another_bucket_never_changes_the_decision(doc, request, data):
    """Adding any statement whose Resource is another bucket leaves the decision as it was."""
    before = bp.evaluate(doc, request)
    other = data.draw(statements(resource=data.draw(st.sampled_from(
        ["arn:aws:s3:::other-bucket/*", "arn:aws:s3:::other-bucket", ["arn:aws:s3:::other-bucket/k*"]]))))
    sts = list(doc["Statement"])
    position = data.draw(st.integers(0, len(sts)))
    sts.insert(position, other)
    after = bp.evaluate({"Version": "2012-10-17", "Statement": sts}, request)
    assert after.decision == before.decision
    assert not after.statements[position].applies


@FAST
@given(policies, requests, st.randoms(use_true_random=False))
def test_statement_order_never_changes_the_decision(doc, request, rng):
    """AWS evaluates all statements together: shuffling them keeps the decision."""
    shuffled = list(doc["Statement"])
    rng.shuffle(shuffled)
    assert bp.evaluate({"Version": "2012-10-17", "Statement": shuffled}, request).decision == \
        bp.evaluate(doc, request).decision


@FAST
@given(policies)
def test_valid_policies_round_trip_through_json_text(doc):
    """A valid policy parses from its JSON text back to the same document."""
    assert pd.parse_policy(json.dumps(doc)) == doc

"""One bucket-policy reader (wizard/aws/models.py PolicyDocument) for the checks and the redactor:
the Referer secret of a website bucket is hidden whatever else the policy holds, and the grant the
report suggests for an OAI is one the evaluator accepts for that OAI."""

from __future__ import annotations

import json

from wizard.analysis.s3 import bucket_policy as bp
from wizard.aws.facts import EdgeFacts
from wizard.checks import s3_access
from wizard.engine.facts import Symptom
from wizard.model import ProbeOutcome
from wizard.redact import Redactor
from wizard.walk_session import register_secrets

SECRET = "referer-secret-7f3a9c2e"
OAI_ORIGIN = {"Id": "s3", "DomainName": "docs-bucket.s3.amazonaws.com",
              "S3OriginConfig": {"OriginAccessIdentity": "origin-access-identity/cloudfront/EOAI00000000001"}}


def _facts(policy: str, origin=OAI_ORIGIN) -> EdgeFacts:
    f = EdgeFacts(Symptom(url="https://d111111abcdef8.cloudfront.net/docs/a.pdf"))
    f.outcomes["aws.distribution"] = ProbeOutcome("aws.distribution", "ok", data={
        "found": True, "id": "EDIST000000001", "arn": "arn:aws:cloudfront::123456789012:distribution/EDIST000000001",
        "domain": "d111111abcdef8.cloudfront.net", "aliases": [], "matched_by": "domain",
        "config": {"Origins": {"Quantity": 1, "Items": [origin]}, "DefaultCacheBehavior": {"TargetOriginId": "s3"}}})
    f.outcomes["aws.bucket_policy"] = ProbeOutcome("aws.bucket_policy", "ok", data={"policy": policy})
    return f


def test_a_referer_secret_is_redacted_even_beside_a_statement_the_evaluator_rejects():
    """A policy with one malformed statement (a Condition operator mapped to a list) still has its
    aws:Referer value registered as a secret, so it never reaches the screen or the journal."""
    policy = json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*", "Condition": {"Bool": ["oops"]}},
        {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::docs-bucket/*",
         "Condition": {"StringLike": {"aws:Referer": [SECRET]}}}]})
    redactor = Redactor()
    register_secrets(redactor, _facts(policy))
    assert SECRET not in redactor.scrub(f"the policy allows Referer {SECRET}")


def test_the_oai_grant_the_report_suggests_lets_that_oai_read_the_key():
    """With no policy, the fix names the OAI with the evaluator's own principal ARN form: pasted in,
    the evaluator allows the OAI's read."""
    f = _facts("")
    (hit,), _ = s3_access.rest_policy(f)
    assert hit.id == "s3.policy.no-cloudfront-grant"
    statement = json.loads(hit.params["grant_fix"].split("\n")[1])
    request = bp.Request("s3:GetObject", "arn:aws:s3:::docs-bucket/docs/a.pdf", bp.Principal.oai("EOAI00000000001"),
                         {"aws:SecureTransport": "true"})
    assert bp.evaluate({"Version": "2012-10-17", "Statement": [statement]}, request).decision == "allow"

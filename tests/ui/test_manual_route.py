"""A denied probe's manual route: the command to look by hand with the walk's names filled in, and
quoted so that pasting it runs that command and nothing else."""

from __future__ import annotations

from wizard.aws.facts import EdgeFacts as Facts
from wizard.engine.facts import Symptom
from wizard.model import ProbeOutcome
from wizard.probes.manual import fill, manual_route

DISTRIBUTION = {"found": True, "id": "E1", "domain": "d1.cloudfront.net", "config": {
    "Origins": {"Quantity": 1, "Items": [{"Id": "s3", "DomainName": "assets-bkt.s3.us-east-1.amazonaws.com",
                                         "S3OriginConfig": {"OriginAccessIdentity": ""}, "OriginPath": ""}]},
    "DefaultCacheBehavior": {"TargetOriginId": "s3"}}}


def _facts(url: str) -> Facts:
    facts = Facts(Symptom(url=url, page_origin="https://app.example.com"))
    facts.outcomes["aws.distribution"] = ProbeOutcome("aws.distribution", "ok", data=DISTRIBUTION)
    return facts


def test_bucket_policy_route_names_the_bucket_behind_the_distribution():
    """The command for a denied bucket-policy read names the origin's bucket."""
    assert manual_route("aws.bucket_policy", _facts("https://d1.cloudfront.net/a.js")) == \
        "aws s3api get-bucket-policy --bucket assets-bkt"


def test_a_quote_in_the_key_cannot_break_out_of_the_command():
    """A key with a single quote stays one shell word."""
    assert manual_route("aws.object", _facts("https://d1.cloudfront.net/assets/it's.js")) == \
        "aws s3api head-object --bucket assets-bkt --key 'assets/it'\\''s.js'"


def test_unquoted_values_are_shell_quoted():
    """A value outside quotes that holds shell syntax is quoted, so `;` cannot start a second command."""
    assert fill("aws s3api get-bucket-cors --bucket {bucket}", {"bucket": "x; rm -rf ~"}) == \
        "aws s3api get-bucket-cors --bucket 'x; rm -rf ~'"


def test_a_name_the_walk_does_not_know_stays_a_visible_placeholder():
    """Before the distribution is found the bucket is shown as <bucket>, not left empty."""
    facts = Facts(Symptom(url="https://d1.cloudfront.net/a.js"))
    assert manual_route("aws.bucket_cors", facts) == "aws s3api get-bucket-cors --bucket <bucket>"

"""What each probe found, in words with values, on real lab outcomes: every probe in the catalogue
gets a summary that is not the field-name fallback ("read: key_policy, kms_key_id, sse"), and the
summaries carry the values a person needs (payer: Requester; SSE-KMS and whether the key policy
names CloudFront; 403 (AccessDenied), x-cache: Error from cloudfront)."""

from __future__ import annotations

from typing import Dict, List

import pytest

from tests.shared_lab import builtin_scenarios
from wizard.model import ProbeOutcome
from wizard.probes.specs import PROBES
from wizard.report.probe_words import found

# Between them these stories run every probe in the catalogue with an answer ("ok").
STORIES = ["asset-403-stacked", "website-403-kms-requester-pays", "oac-403-kms-key-policy",
           "alb-504-ghost-sg-reference", "waf-403-ip-set-rule", "cf-function-generated-403",
           "origin-healthy-custom-https", "apigw-healthy", "lambda-url-healthy", "ec2-healthy", "vpc-origin-healthy"]


@pytest.fixture(scope="module")
def outcomes(lab_runs) -> Dict[str, Dict[str, ProbeOutcome]]:
    """Scenario name -> probe name -> its outcome, from real lab runs."""
    by_name = {s.name: s for s in builtin_scenarios()}
    return {name: {p.name: p for p in lab_runs(by_name[name]).diagnosis.probes} for name in STORIES}


def _fallback(outcome: ProbeOutcome) -> str:
    return "read: " + ", ".join(sorted(outcome.data or {})[:6])


@pytest.mark.lab
def test_every_probe_in_the_catalogue_says_what_it_found_in_words(outcomes):
    """Each probe name in specs.PROBES has, on some story, an answered outcome whose summary is words
    (not the list of field names, not "done")."""
    lines: Dict[str, List[str]] = {}
    for story in outcomes.values():
        for name, outcome in story.items():
            if outcome.status == "ok":
                lines.setdefault(name, []).append(found(outcome))
                assert found(outcome) not in (_fallback(outcome), "done"), (name, found(outcome))
    assert sorted(set(PROBES) - set(lines)) == []


@pytest.mark.lab
def test_the_summaries_carry_the_values(outcomes):
    """The values a junior needs are in the line itself."""
    kms = outcomes["website-403-kms-requester-pays"]
    assert found(kms["aws.request_payment"]) == "payer: Requester"
    assert found(kms["aws.encryption"]).startswith("SSE-KMS, key ")
    assert found(kms["aws.encryption"]).endswith("key policy: no cloudfront.amazonaws.com")
    assert found(kms["aws.bucket_website"]) == "website hosting: on, index document index.html"
    stacked = outcomes["asset-403-stacked"]
    assert found(stacked["http.viewer"]).startswith("403 (AccessDenied), x-cache: Error from cloudfront; ")
    assert found(stacked["aws.bucket_policy"]).startswith("1 statement: Allow cloudfront.amazonaws.com for distribution/E")
    assert found(stacked["aws.bucket_cors"]) == "no CORS configuration"
    alb = found(outcomes["alb-504-ghost-sg-reference"]["aws.alb_inventory"])
    assert "security groups: sg-" in alb and "targets: " in alb
    waf = found(outcomes["waf-403-ip-set-rule"]["aws.waf"])
    assert waf.startswith("web ACL ") and "(1 blocked)" in waf


def test_values_from_aws_are_cleaned_and_secrets_redacted():
    """A hostile value cannot drive the terminal, a signed URL's signature and a credential-looking
    environment variable's value never show."""
    from wizard.redact import Redactor

    hostile = ProbeOutcome("aws.request_payment", "ok", data={"payer": "Requester\x1b]52;c;cm0gLXJm\x07\x1b[2J"})
    assert "\x1b" not in found(hostile) and "\x07" not in found(hostile)
    signed = ProbeOutcome("http.viewer", "ok", data={"status": None, "error": "GET https://d.example/a.js?"
                                                     "Expires=1&Signature=SIGsecret~&Key-Pair-Id=K2ABC failed"})
    assert "SIGsecret" not in found(signed) and "Signature=[REDACTED]" in found(signed)
    ecs = ProbeOutcome("aws.ecs_env", "ok", data={"matches": [{"name": "CDN_TOKEN", "value": "tok-abcdef123456",
                                                               "task_definition": "web:3"}]})
    assert found(ecs) == "CDN_TOKEN=[REDACTED] in web:3"
    known = Redactor(["referer-secret-1234"])
    cors = ProbeOutcome("aws.bucket_cors", "ok", data={"rules": [{"AllowedOrigins": ["https://referer-secret-1234.x"]}]})
    assert "referer-secret-1234" not in found(cors, known)

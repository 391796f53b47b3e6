"""cf.viewer-http-on-https-only: a plain-HTTP request to an https-only behavior is named as the
reason for CloudFront's 403, and only then (redirect-to-https, allow-all and HTTPS are fine)."""

from __future__ import annotations

import pytest

from wizard.checks import cloudfront
from wizard.aws.facts import EdgeFacts as Facts
from wizard.engine.facts import Symptom
from wizard.model import ProbeOutcome

DIST_ID = "EDIST000000001"
ORIGIN = {"Id": "s3", "DomainName": "billing.s3.us-east-1.amazonaws.com", "S3OriginConfig": {"OriginAccessIdentity": ""}}
REFUSED = {"status": 403, "headers": [["Server", "CloudFront"]], "body": "<H1>403 ERROR</H1>"}


def facts(url: str, downloads_policy: str, answer=REFUSED) -> Facts:
    f = Facts(Symptom(url=url))
    config = {"Origins": {"Quantity": 1, "Items": [ORIGIN]},
              "DefaultCacheBehavior": {"TargetOriginId": "s3", "ViewerProtocolPolicy": "redirect-to-https"},
              "CacheBehaviors": {"Quantity": 1, "Items": [
                  {"PathPattern": "downloads/*", "TargetOriginId": "s3", "ViewerProtocolPolicy": downloads_policy}]}}
    f.outcomes["aws.distribution"] = ProbeOutcome("aws.distribution", "ok", data={
        "found": True, "id": DIST_ID, "domain": "d1.cloudfront.net", "aliases": [], "matched_by": "domain",
        "config": config})
    if answer is None:
        f.outcomes["http.viewer"] = ProbeOutcome("http.viewer", "ok", data={"url": url, "status": None,
                                                                            "unreachable": True})
    else:
        f.outcomes["http.viewer"] = ProbeOutcome("http.viewer", "ok", data=dict(answer, url=url))
    return f


def ids(f: Facts):
    return [h.id for h in cloudfront.viewer(f)[0]]


def test_http_to_an_https_only_behavior_is_the_reason_for_cloudfronts_403():
    (hit,), _ = cloudfront.viewer(facts("http://d1.cloudfront.net/downloads/a.pdf", "https-only"))
    assert hit.id == "cf.viewer-http-on-https-only"
    assert hit.params["path_pattern"] == "downloads/*" and hit.params["distribution_id"] == DIST_ID
    assert hit.params["https_url"] == "https://d1.cloudfront.net/downloads/a.pdf"
    assert "CloudFront answered 403 itself (Server: CloudFront)" in hit.evidence


@pytest.mark.parametrize("url, policy", [
    ("http://d1.cloudfront.net/downloads/a.pdf", "redirect-to-https"),  # CloudFront answers 301 instead
    ("http://d1.cloudfront.net/downloads/a.pdf", "allow-all"),
    ("https://d1.cloudfront.net/downloads/a.pdf", "https-only"),
    ("http://d1.cloudfront.net/index.html", "https-only"),  # the default behavior redirects
])
def test_no_finding_when_the_policy_does_not_refuse_this_request(url, policy):
    assert ids(facts(url, policy)) == []


def test_an_answer_from_the_origin_contradicts_the_configuration_and_raises_nothing():
    """A 403 that S3 wrote is not CloudFront refusing the protocol: the answer wins over the config."""
    s3_403 = {"status": 403, "headers": [["Server", "AmazonS3"]], "body": "<Error><Code>AccessDenied</Code></Error>"}
    assert ids(facts("http://d1.cloudfront.net/downloads/a.pdf", "https-only", s3_403)) == []


def test_without_an_answer_the_configuration_alone_names_it():
    (hit,), _ = cloudfront.viewer(facts("http://d1.cloudfront.net/downloads/a.pdf", "https-only", answer=None))
    assert hit.id == "cf.viewer-http-on-https-only"
    assert any("no answer was received" in line for line in hit.evidence)

"""Golden behavior-matching and key-mapping cases from AWS's documentation (path_cases.yaml): the
diagnosis (EdgeFacts over cloudfront_config) and the lab (routing plus the S3 simulator) must agree."""

from __future__ import annotations

import json
from typing import Any, Dict

import pytest

from wizard.analysis.edge.cloudfront_config import classify_origin
from wizard.aws.facts import EdgeFacts
from wizard.engine.facts import Symptom
from wizard.lab.edge import routing, s3_origin
from wizard.model import ProbeOutcome

from .conftest import cases
from .fake_view import SiteState

FILE = "path_cases.yaml"
REST = "docs-bucket.s3.us-east-1.amazonaws.com"
WEBSITE = "docs-bucket.s3-website-us-east-1.amazonaws.com"
PUBLIC = json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::docs-bucket/*"}]})


def _config(case: Dict[str, Any]) -> Dict[str, Any]:
    """A distribution whose behaviors are named by their patterns (TargetOriginId) over one S3 origin."""
    domain = WEBSITE if case["kind"] == "website-key" else REST
    behaviors = [{"PathPattern": p, "TargetOriginId": p} for p in case.get("behaviors", [])]
    origin = {"Id": "default", "DomainName": domain, "OriginPath": case.get("origin_path", "")}
    origins = [origin] + [dict(origin, Id=p) for p in case.get("behaviors", [])]
    config = {"Origins": {"Quantity": len(origins), "Items": origins},
              "CacheBehaviors": {"Quantity": len(behaviors), "Items": behaviors},
              "DefaultCacheBehavior": {"TargetOriginId": "default"}}
    if case.get("default_root_object"):
        config["DefaultRootObject"] = case["default_root_object"]
    return config


def _facts(case: Dict[str, Any]) -> EdgeFacts:
    outcomes = {"aws.distribution": ProbeOutcome("aws.distribution", "ok", data={"found": True, "config": _config(case)})}
    if case["kind"] == "website-key":
        outcomes["aws.bucket_website"] = ProbeOutcome("aws.bucket_website", "ok", data={"enabled": True,
                                                                                     "index": case["index"]})
    return EdgeFacts(Symptom("https://d111111abcdef8.cloudfront.net" + case["path"]), outcomes)


def _expected_behavior(case: Dict[str, Any]) -> str:
    return "default" if case["expect"] == "default" else case["expect"]


@pytest.mark.parametrize("case", cases(FILE))
def test_the_diagnosis_reads_paths_as_documented(case):
    """The diagnosis picks the documented behavior and asks for the documented key."""
    facts = _facts(case)
    if case["kind"] == "behavior":
        assert facts.behavior.target_origin_id == _expected_behavior(case), case["rule"]
    else:
        assert facts.key == case["expect"], case["rule"]


@pytest.mark.parametrize("case", cases(FILE))
def test_the_lab_reads_paths_as_documented(case):
    """The lab's routing picks the documented behavior; its S3 simulator serves the documented key
    (or, for a website folder without its slash, the documented redirect)."""
    config = _config(case)
    if case["kind"] == "behavior":
        assert routing.behavior_for(config, case["path"])["TargetOriginId"] == _expected_behavior(case), case["rule"]
        return
    origin = classify_origin(config["Origins"]["Items"][0])
    key = routing.origin_key(case["path"], config, origin.origin_path)
    if case["kind"] == "rest-key":
        assert key == case["expect"], case["rule"]
        return
    index = case["index"]
    redirect = case.get("if_missing_redirect")
    stored = f"{case['expect']}/{index}" if redirect else case["expect"]
    view = SiteState(objects={stored: {}}, policy=PUBLIC, index=index)
    call = s3_origin.OriginCall("GET", key, {}, "arn:aws:cloudfront::111122223333:distribution/EDFDVBD6EXAMPLE",
                                "111122223333")
    status, headers, body = s3_origin.answer(view, origin, call)
    if redirect:
        assert (status, dict(headers).get("Location")) == (302, redirect), case["rule"]
    else:
        assert (status, body) == (200, case["expect"].encode()), case["rule"]

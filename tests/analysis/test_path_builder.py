"""The path picture takes the hop a finding blocks from the catalogue: a hit of any finding with a
path hop blocks exactly that hop, so a root cause can never sit next to an "ok" hop unnoticed."""

from __future__ import annotations

import pytest

from wizard.analysis.edge.path_builder import build_path
from wizard.engine.catalog import PATH_HOPS
from wizard.aws.facts import EdgeFacts as Facts
from wizard.engine.facts import Symptom
from wizard.model import Hit, ProbeOutcome
from wizard.playbooks import load

CONFIG = {
    "DefaultCacheBehavior": {"TargetOriginId": "s3-assets", "ViewerProtocolPolicy": "https-only"},
    "Origins": {"Quantity": 1, "Items": [{"Id": "s3-assets", "DomainName": "rails-assets.s3.us-east-1.amazonaws.com",
                                          "S3OriginConfig": {"OriginAccessIdentity": ""}}]},
}


def s3_facts() -> Facts:
    """Every hop of an S3 origin read and answered, with a cross-origin page: all six hops drawn."""
    facts = Facts(Symptom("https://d1.cloudfront.net/assets/app.js", page_origin="https://app.example.com"))
    data = {"aws.distribution": {"found": True, "id": "E1", "domain": "d1.cloudfront.net", "config": CONFIG},
            "aws.bucket_policy": {}, "aws.object": {}, "aws.bucket_cors": {}}
    for name, value in data.items():
        facts.outcomes[name] = ProbeOutcome(name, "ok", data=value)
    return facts


def blocked(graph):
    return [(e.src, e.dst) for e in graph.edges if e.status == "blocked"]


CATALOG = load().catalog
WITH_HOP = sorted(fid for fid, hop in CATALOG.hops().items() if hop)


def test_with_no_hit_every_hop_of_the_vocabulary_is_drawn_and_ok():
    """The picture draws every hop a finding may name, so no declared hop is one it cannot show."""
    graph = build_path(s3_facts(), [], hops=CATALOG.hops())
    assert {(e.src, e.dst) for e in graph.edges} == set(PATH_HOPS.values())
    assert {e.status for e in graph.edges} == {"ok"}


@pytest.mark.parametrize("finding_id", WITH_HOP)
def test_a_hit_blocks_exactly_the_hop_its_entry_declares(finding_id):
    hit = Hit(finding_id, ("the proof",), {})
    graph = build_path(s3_facts(), [hit], hops=CATALOG.hops())
    assert blocked(graph) == [CATALOG.specs[finding_id].hop]
    edge = next(e for e in graph.edges if e.status == "blocked")
    assert edge.rule == f"the proof [{finding_id}]"  # the words first, the id in brackets
    assert graph.node(edge.dst).status == "blocked"


def test_network_and_information_findings_leave_the_s3_hops_alone():
    """`blocks: network` findings are drawn by the reachability graph; `none` ones by nobody."""
    others = [fid for fid, hop in CATALOG.hops().items() if hop is None]
    assert others  # the shipped catalogue has both kinds
    graph = build_path(s3_facts(), [Hit(fid) for fid in others], hops=CATALOG.hops())
    assert blocked(graph) == []


def test_a_hit_the_catalogue_does_not_know_is_an_error_not_an_ok_hop():
    with pytest.raises(KeyError, match="cf.not-in-the-catalogue"):
        build_path(s3_facts(), [Hit("cf.not-in-the-catalogue")], hops=CATALOG.hops())

"""Decoys beside EC2 and VPC origins: an instance that is not the origin and a group attached to
nothing look broken (or open) in the same VPC; the diagnosis judges only the origin's own groups and
never names the decoys in what it reports."""

from __future__ import annotations

import pytest

from wizard.lab.scenario import load_scenario
from wizard.report import json_report

DECOYS = ("web-staging", "legacy-open-all", "batch-private")


def _text(name: str, lab_runs) -> str:
    return json_report.render(lab_runs(load_scenario(name)).diagnosis)


@pytest.mark.lab
def test_the_ec2_root_cause_names_the_origins_group_not_the_open_staging_instance(lab_runs):
    """web-1's group is what CloudFront meets: the finding names it, and the open staging instance
    and the unattached open group appear nowhere in the report (not as a cause, not as a fix)."""
    diagnosis = lab_runs(load_scenario("ec2-504-decoy-open-staging")).diagnosis
    (finding,) = diagnosis.root_causes
    assert finding.id == "sg.origin-ingress-missing-cloudfront"
    assert "web-1" in " ".join(finding.evidence) and "web-instance" in " ".join(finding.evidence)
    report = _text("ec2-504-decoy-open-staging", lab_runs)
    assert not [d for d in DECOYS if d in report]


@pytest.mark.lab
@pytest.mark.parametrize("name", ["ec2-healthy-decoy-closed-staging", "vpc-origin-healthy-decoy-second-instance"])
def test_a_healthy_origin_beside_broken_looking_decoys_has_no_finding_about_them(name, lab_runs):
    """The origin admits CloudFront; the decoys (an instance CloudFront could not reach but that is
    no origin, a group open to the world on every port that nothing carries) are not findings."""
    diagnosis = lab_runs(load_scenario(name)).diagnosis
    assert diagnosis.root_causes == []
    assert not [d for d in DECOYS if d in _text(name, lab_runs)]


@pytest.mark.lab
def test_the_vpc_origin_root_cause_names_the_origins_group_not_the_instance_that_admits_cloudfront(lab_runs):
    """web-private-1's group admits only the prefix list, which VPC origin traffic never matches: the
    finding names that group and CloudFront's service group; the second private instance (whose group
    does admit the service group, but is no origin) and the unattached open group appear nowhere."""
    diagnosis = lab_runs(load_scenario("vpc-origin-504-decoy-second-instance")).diagnosis
    (finding,) = diagnosis.root_causes
    assert finding.id == "cf.vpc-origin.sg-missing"
    evidence = " ".join(finding.evidence)
    assert "web-private-1" in evidence and "(web-private)" in evidence
    assert "CloudFront-VPCOrigins-Service-SG" in evidence
    report = _text("vpc-origin-504-decoy-second-instance", lab_runs)
    assert not [d for d in DECOYS if d in report]

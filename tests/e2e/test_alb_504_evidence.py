"""Which ALB 504 it is, from CloudWatch: a slow application names TargetResponseTime (the root cause is
origin.response-timeout), a closed path between the ALB and its targets names TargetConnectionErrorCount
and says it is a closed path, not a slow one."""

from __future__ import annotations

import pytest

from wizard.lab.scenario import load_scenario

CLOSED = ["alb-504-ghost-sg-reference", "alb-504-ghost-sg-custom-origin-name", "alb-504-egress-locked",
          "alb-504-nacl-ephemeral", "alb-504-target-ingress-missing"]


def _evidence(diagnosis) -> str:
    return "\n".join(line for f in diagnosis.findings for line in f.evidence)


@pytest.mark.lab
def test_a_slow_target_is_named_by_target_response_time(lab_runs):
    """The slow-target scenario's root cause cites TargetResponseTime past the origin response timeout,
    and no failed target connection."""
    diagnosis = lab_runs(load_scenario("alb-504-slow-target-response-timeout")).diagnosis
    (finding,) = diagnosis.root_causes
    assert finding.id == "origin.response-timeout"
    text = "\n".join(finding.evidence)
    assert "TargetResponseTime" in text and "origin response timeout of 1 s" in text
    assert "TargetConnectionErrorCount: 0" in text


@pytest.mark.lab
@pytest.mark.parametrize("name", CLOSED)
def test_a_closed_path_to_the_targets_is_named_by_target_connection_errors(name, lab_runs):
    """An ALB that cannot reach its targets: the evidence names TargetConnectionErrorCount and says the
    504 is a closed path; it is never called a response timeout."""
    diagnosis = lab_runs(load_scenario(name)).diagnosis
    text = _evidence(diagnosis)
    assert "TargetConnectionErrorCount" in text
    assert "Which 504: a closed path" in text
    assert "origin.response-timeout" not in [f.id for f in diagnosis.findings]


@pytest.mark.lab
@pytest.mark.parametrize("name", CLOSED)
def test_the_closed_path_root_cause_itself_says_which_504_it_is(name, lab_runs):
    """The root cause that closes the path (the group, egress rule or NACL) carries the "Which 504: a
    closed path" line in its own evidence, so a reader of the root cause alone knows the targets are
    unreachable, not slow."""
    diagnosis = lab_runs(load_scenario(name)).diagnosis
    assert diagnosis.root_causes
    for finding in diagnosis.root_causes:
        text = "\n".join(finding.evidence)
        assert "Which 504: a closed path" in text, finding.id
        assert "TargetConnectionErrorCount" in text, finding.id

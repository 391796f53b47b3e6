"""On a busy web ACL the WAF finding names the rule that blocked the tool's own request, never the
rule of other viewers' blocked samples (WAF samples only the first 5,000 requests of a window)."""

from __future__ import annotations

import pytest

from tests.shared_lab import builtin_scenarios

BUSY = next(s for s in builtin_scenarios() if s.name == "waf-403-busy-acl-unrelated-samples")


@pytest.mark.lab
def test_busy_acl_names_the_rule_that_blocked_our_request(lab_runs):
    run = lab_runs(BUSY)
    (finding,) = [f for f in run.diagnosis.root_causes if f.id == "waf.blocked"]
    assert "rule block-scrapers" in finding.title
    assert "block-bad-bots" not in finding.title
    assert any("edgewiz's User-Agent" in line for line in finding.evidence)

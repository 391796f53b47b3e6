"""The 504 family in the lab: each scenario's JSON `path` blocks the request on the right hop, and the
root cause names the rule that decides it."""

from __future__ import annotations

import pytest

from wizard.lab.scenario import load_scenario
from wizard.report import json_report

# scenario -> (blocked edge: source node, prefix of the destination node, words the edge's rule names)
BLOCKED = {
    "alb-504-ghost-sg-reference": ("tg:web-tg", "target:", ["ecs-existing", "alb-allow-all", "not attached"]),
    "alb-504-prefix-list-https-only": ("origin", "alb", ["tcp/443", "admits CloudFront"]),
    "alb-504-prefix-list-http-only": ("origin", "alb", ["tcp/80", "admits CloudFront"]),
    "alb-504-prefix-list-match-viewer": ("origin", "alb", ["tcp/443"]),
    "alb-504-no-listener": ("alb", "listener:443", ["no listener on port 443"]),
    "alb-504-egress-locked": ("tg:web-tg", "target:", ["tcp/80", "outbound"]),
    "alb-504-nacl-ephemeral": ("tg:web-tg", "target:", ["outbound", "1024-65535"]),
    "alb-504-internal-scheme": ("origin", "alb", ["internal"]),
    "alb-502-listener-protocol-mismatch": ("alb", "listener:80", ["HTTPS", "HTTP"]),
}


def _blocked(report):
    return [e for e in report["path"]["edges"] if e["status"] == "blocked"]


@pytest.mark.lab
@pytest.mark.parametrize("name", sorted(BLOCKED))
def test_json_path_blocks_the_right_hop(name, lab_runs):
    """The first blocked edge joins the two nodes where the request stops, and its rule says why."""
    report = json_report.as_dict(lab_runs(load_scenario(name)).diagnosis)
    src, dst, words = BLOCKED[name]
    blocked = _blocked(report)
    assert blocked, f"{name}: nothing blocked in {report['path']['edges']}"
    first = blocked[0]
    assert first["src"] == src and first["dst"].startswith(dst), blocked
    assert all(w in first["rule"] for w in words), first["rule"]
    assert {e["src"] for e in blocked} == {src}  # no other hop is blamed


@pytest.mark.lab
@pytest.mark.parametrize("name", ["alb-healthy", "alb-targets-unhealthy-health-check-port"])
def test_open_paths_block_nothing(name, lab_runs):
    """The healthy twin, and targets that only fail their health check, have no blocked hop."""
    report = json_report.as_dict(lab_runs(load_scenario(name)).diagnosis)
    assert _blocked(report) == []
    assert any(e["dst"].startswith("target:") and e["status"] == "ok" for e in report["path"]["edges"])


@pytest.mark.lab
def test_seed_003_names_the_ghost_group_and_its_fix(lab_runs):
    """Seed 003's root cause names the ECS group, the detached group, and the group to allow instead."""
    run = lab_runs(load_scenario("alb-504-ghost-sg-reference"))
    (root,) = run.diagnosis.root_causes
    assert root.id == "sg.target-ingress-stale-reference"
    assert "describe-security-groups --filters Name=ip-permission.group-id" in root.fix
    viewer = next(p for p in run.diagnosis.probes if p.name == "http.viewer")
    headers = {k.lower(): v for k, v in viewer.data["headers"]}
    assert viewer.data["status"] == 504 and headers["server"] == "awselb/2.0"  # the ALB's page, passed through

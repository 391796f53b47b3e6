"""`edgewiz sg-refs` against the seed-003 lab: the check the seed's authors wished they had run before
detaching the ALB's group."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Dict

import pytest

from tests.shared_lab import shared_aws_server
from wizard.lab.lab import Lab
from wizard.lab.scenario import load_scenario


def edgewiz(*args: str, env: Dict[str, str] = None) -> subprocess.CompletedProcess:
    base = {"PATH": "/usr/bin:/bin", "HOME": str(Path.home()), "EDGEWIZ_QUIET": "1"}
    return subprocess.run([sys.executable, "-m", "wizard", *args], capture_output=True, text=True, timeout=120,
                          env=dict(base, **(env or {})))


@pytest.fixture(scope="module")
def seed003():
    """The seed-003 lab after the "hardening", and the environment that points the CLI at it."""
    lab = Lab(load_scenario("alb-504-ghost-sg-reference"), aws_server=shared_aws_server())
    env = lab.start()
    try:
        yield lab.variables, {"AWS_ENDPOINT_URL": env.aws_endpoint, "AWS_DEFAULT_REGION": env.region,
                              "AWS_ACCESS_KEY_ID": env.credentials["aws_access_key_id"],
                              "AWS_SECRET_ACCESS_KEY": env.credentials["aws_secret_access_key"]}
    finally:
        lab.stop()


@pytest.mark.lab
def test_removed_group_lists_the_ecs_rule_that_still_names_it(seed003):
    """On the detached SG1, the ECS group's tcp/80 rule is listed, and detaching is said to leave it admitting nobody."""
    variables, env = seed003
    sg1, ecs = variables["sg_allow_all"]["GroupId"], variables["sg_ecs"]["GroupId"]
    out = edgewiz("sg-refs", sg1, env=env)
    assert out.returncode == 0, out.stderr
    assert f"{ecs} (ecs-existing) ingress tcp/80 from {sg1} (alb-allow-all)" in out.stdout
    assert f"{ecs} (ecs-existing) would admit tcp/80 from nobody." in out.stdout
    assert "Attached to nothing this scan can see." in out.stdout


@pytest.mark.lab
def test_json_names_the_rule_and_what_carries_the_group(seed003):
    """--json on the group the ALB kept: no rule names it, the load balancer carries it, and losing it closes 443."""
    variables, env = seed003
    sg2 = variables["sg_cloudfront"]["GroupId"]
    out = edgewiz("sg-refs", sg2, "--json", env=env)
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    assert (report["group_id"], report["exists"], report["rules"]) == (sg2, True, [])
    assert report["load_balancers"] == ["web-alb"]
    assert any("web-alb would stop admitting tcp/443" in line for line in report["if_removed"])


@pytest.mark.lab
def test_json_lists_the_ghost_reference(seed003):
    """--json on SG1 carries the ECS rule in `rules`, for scripts that check before a detach."""
    variables, env = seed003
    sg1, ecs = variables["sg_allow_all"]["GroupId"], variables["sg_ecs"]["GroupId"]
    report = json.loads(edgewiz("sg-refs", sg1, "--json", env=env).stdout)
    assert report["rules"] == [f"{ecs} (ecs-existing) ingress tcp/80 from {sg1} (alb-allow-all)"]
    assert report["load_balancers"] == [] and report["unknowns"] == []


def test_a_malformed_group_id_is_one_clear_line():
    """A value that is not a security group id is refused before any AWS call, exit 2, no traceback."""
    out = edgewiz("sg-refs", "alb-allow-all")
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert "SG_ID must look like sg-" in out.stderr


def test_a_part_that_could_not_be_read_is_not_reported_as_empty():
    """When the group was read but the load balancer and ECS reads were denied, the text does not say
    "Attached to nothing" or "Nothing this scan can see references it": it says what it could not check."""
    from wizard.analysis.network.sg_refs import security_group_references
    from wizard.commands.sg_refs_cmd import render, unread_parts
    from wizard.model import Unknown

    denied = [Unknown("network", "elbv2:DescribeLoadBalancers (load balancers that carry it)", "denied: elbv2:Describe"),
              Unknown("network", "ecs:ListClusters (ECS clusters)", "denied: ecs:ListClusters")]
    inventory = {"region": "us-east-1", "unknowns": [vars(u) for u in denied],
                 "security_groups": [{"GroupId": "sg-0123456789abcdef0", "GroupName": "alb", "VpcId": "vpc-1",
                                      "IpPermissions": [], "IpPermissionsEgress": []}]}
    refs = security_group_references(inventory, "sg-0123456789abcdef0")
    text = render(refs, "us-east-1", unread_parts(refs.unknowns))
    assert "No rule in another group names it." in text  # the group reads succeeded: that one is checked
    assert "Attached to nothing" not in text and "Nothing this scan can see" not in text
    assert "What carries it: could not check everything" in text
    assert "elbv2:DescribeLoadBalancers" in text

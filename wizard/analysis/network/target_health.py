"""Provides the reading of describe-target-health for one target group: whether any target can take
traffic, and if none can, why (reason codes, said plainly) and what to do about each code.

Reason codes and their meaning: ELB user guide, "Health checks for Application Load Balancer
target groups" (target health reason codes).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, List, Mapping, Optional, Sequence

from ...aws.network_models import TargetGroup, TargetHealth

# With health checks disabled the ALB routes to every registered target.
TAKES_TRAFFIC_REASONS = ("Target.HealthCheckDisabled",)


@dataclass
class HealthReading:
    """No target of the group takes traffic: the sentence, the evidence lines, the codes seen."""

    reason: str
    evidence: List[str] = field(default_factory=list)
    codes: List[str] = field(default_factory=list)


def read_health(name: str, descriptions: Sequence[TargetHealth],
                services: Sequence[Mapping[str, Any]] = ()) -> Optional[HealthReading]:
    """None when some target takes traffic; else what describe-target-health says about all of them.

    `services` are the ECS services behind the group: with no registered target, their running and
    desired counts say why.
    """
    if any(d.state == "healthy" or d.reason in TAKES_TRAFFIC_REASONS for d in descriptions):
        return None
    if not descriptions:
        reading = HealthReading(f"No targets are registered in {name}, so the ALB has nowhere to send requests.",
                                [f"describe-target-health lists no targets for {name}."])
        for s in services:
            reading.evidence.append(f"ECS service {s.get('serviceName')} runs {s.get('runningCount', 0)} of "
                                    f"{s.get('desiredCount', 0)} tasks.")
        return reading
    by_state: Dict[str, List[str]] = {}
    for d in descriptions:
        label = d.state
        if d.reason:
            detail = f": {d.description}" if d.description else ""
            label += f" ({d.reason}{detail})"
        by_state.setdefault(label, []).append(f"{d.target_id}:{d.port}")
    codes = sorted({d.reason for d in descriptions} - {""})
    reading = HealthReading(f"None of the {len(descriptions)} targets of {name} is healthy "
                            f"({', '.join(codes) or 'no reason given'}), so the ALB has nowhere good to send "
                            f"requests.", codes=codes)
    for label, ids in by_state.items():
        more = " …" if len(ids) > 5 else ""
        reading.evidence.append(f"{len(ids)} target(s) {label}: {', '.join(ids[:5])}{more}.")
    return reading


def health_fix(codes: Sequence[str], tg: TargetGroup) -> str:
    """What to do about the reason codes, with the group's own health-check settings filled in."""
    path, matcher, port = tg.health_check_path or "/", tg.matcher, tg.health_check_port
    register = "Register targets (for ECS: read the service's events and its desired count)."
    tips = {
        "Target.Timeout": f"Health checks time out: check that the targets' security groups and ACLs admit the ALB "
                          f"on the health-check port ({port}) and that the application listens there.",
        "Target.ResponseCodeMismatch": f"The health check path {path} answers with a code outside {matcher}: fix the "
                                       f"path or the matcher (aws elbv2 modify-target-group --health-check-path ... "
                                       f"--matcher HttpCode=200-399).",
        "Target.FailedHealthChecks": "The targets refuse or drop the health check: read the application's logs and "
                                     "check that it listens on the health-check port.",
        "Target.NotRegistered": register,
        "Target.NotInUse": "The target group is not used by the load balancer, or the target's zone is not enabled.",
        "Target.InvalidState": "The instances are stopped or terminated: start or replace them.",
        "Target.DeregistrationInProgress": "The targets are being deregistered: check the deployment.",
        "Elb.RegistrationInProgress": "The targets are still being registered: wait a few health-check intervals.",
        "Elb.InitialHealthChecking": "The first health checks are still running: wait a few intervals.",
    }
    found = [tips[c] for c in codes if c in tips]
    if found:
        return " ".join(found)
    return register if not codes else "Read the reason codes above and the application's logs."

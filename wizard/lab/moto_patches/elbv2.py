"""Provides the ELBv2 patches: injectable target health (moto can never say "unhealthy") and
the load balancer attributes an ALB really has by default."""

from __future__ import annotations

import functools
import threading
from typing import Dict, Optional, Tuple

from ._common import after_import, wrap

# Descriptions ELB shows for each reason (ELB docs "Target health status", reason codes).
DEFAULT_DESCRIPTIONS = {
    "Target.Timeout": "Request timed out",
    "Target.FailedHealthChecks": "Health checks failed",
    "Target.ResponseCodeMismatch": "Health checks failed with these codes: [502]",
    "Elb.InitialHealthChecking": "Initial health checks in progress",
    "Elb.RegistrationInProgress": "Target registration is in progress",
    "Target.NotInUse": "Target group is not configured to receive traffic from the load balancer",
    "Target.DeregistrationInProgress": "Target deregistration is in progress",
    "Target.HealthCheckDisabled": "Health checks disabled",
    "Elb.InternalError": "Health checks failed due to an internal error",
}

_LOCK = threading.Lock()
# (target group ARN, target id) -> {port or None: (state, reason, description)}
_HEALTH: Dict[Tuple[str, str], Dict[Optional[int], Tuple[str, Optional[str], Optional[str]]]] = {}


@functools.lru_cache(maxsize=None)
def _enum(shape_name: str):
    from ...aws.botocore_loader import model_session

    model = model_session().get_service_model("elbv2")
    return frozenset(model.shape_for(shape_name).enum)


def set_target_health(target_group_arn: str, target_id: str, port: Optional[int], state: str,
                      reason: Optional[str] = None, description: Optional[str] = None) -> None:
    """Make describe_target_health report `state` for a registered target (port None: any port).

    `state` and `reason` must be values ELB uses (checked against botocore's model, so a typo
    fails here, not in a test far away); a known reason without a description gets ELB's text.
    """
    if state not in _enum("TargetHealthStateEnum"):
        raise ValueError(f"unknown target health state {state!r}")
    if reason is not None and reason not in _enum("TargetHealthReasonEnum"):
        raise ValueError(f"unknown target health reason {reason!r}")
    if reason is not None and description is None:
        description = DEFAULT_DESCRIPTIONS.get(reason)
    with _LOCK:
        _HEALTH.setdefault((target_group_arn, target_id), {})[None if port is None else int(port)] = (
            state, reason, description)


def clear_target_health() -> None:
    """Forget every injected target health."""
    with _LOCK:
        _HEALTH.clear()


def _injected(target_group_arn: str, target_id: str, port) -> Optional[Tuple[str, Optional[str], Optional[str]]]:
    with _LOCK:
        by_port = _HEALTH.get((target_group_arn, target_id)) or {}
        try:
            exact = by_port.get(int(port)) if port is not None else None
        except (TypeError, ValueError):
            exact = None
        return exact or by_port.get(None)


def patch_target_health(models) -> None:
    """describe_target_health reports what set_target_health injected.

    Replaces: moto reports every registered target as `healthy` (even an IP outside the VPC), so
    the 504 story (seed 003: targets unreachable after an SG change) has no unhealthy targets to
    show. Injection applies only to targets moto considers registered; deregistered, stopped
    and terminated targets keep moto's answer (unused / draining), as ELB would.
    """
    def make(original):
        def health_for(self, target, ec2_backend):
            status = original(self, target, ec2_backend)
            if status.status != "healthy":
                return status
            injected = _injected(self.arn, status.instance_id, status.port)
            if injected is None:
                return status
            state, reason, description = injected
            return models.FakeHealthStatus(status.instance_id, status.port, status.health_check_port,
                                           state, reason, description)
        return health_for

    wrap(models.FakeTargetGroup, "health_for", make)


def patch_load_balancer_attributes(models) -> None:
    """An application load balancer reports idle_timeout.timeout_seconds=60 from the start.

    Replaces: moto leaves the key out until someone modifies it ("commented out for TF
    compatibility"), so a reader cannot tell the ALB's idle timeout; ELB's default is 60 s and
    describe_load_balancer_attributes always lists it, along with routing.http2.enabled=true and
    load_balancing.cross_zone.enabled=true (always on for an ALB; moto reports false).
    """
    def make(original):
        def __init__(self, *args, **kwargs):
            original(self, *args, **kwargs)
            if self.type == "application":
                self.attrs.setdefault("idle_timeout.timeout_seconds", "60")
                self.attrs.setdefault("routing.http2.enabled", "true")
                # Cross-zone load balancing is always on for an ALB; moto says "false".
                self.attrs["load_balancing.cross_zone.enabled"] = "true"
        return __init__

    wrap(models.FakeLoadBalancer, "__init__", make)


def _patch_module(models) -> None:
    patch_target_health(models)
    patch_load_balancer_attributes(models)


def apply() -> None:
    """Apply the ELBv2 patches (idempotent), as soon as moto loads moto.elbv2.models."""
    after_import("moto.elbv2.models", _patch_module)

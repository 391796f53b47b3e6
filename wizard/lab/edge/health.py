"""Provides the lab's target health: what ELB's health checks would find, computed from the AWS state
(the same connection model as the ALB simulator), injected so describe_target_health shows it.

moto reports every registered target as healthy. Here each ALB node health-checks each target on
the group's health-check port: a connection that security groups or network ACLs drop times out
(Target.Timeout); a port the application does not listen on refuses it (Target.FailedHealthChecks).
When every target of a group is unhealthy ELB fails open and still sends requests to all of them
(ELB guide, "Health checks for Application Load Balancer target groups"), which the simulator does.
Health checks keep running: the simulator re-checks a group on each request it forwards there, so
a target that was fixed (`edgewiz lab up`, then a change) turns healthy again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Dict, List, Mapping, Optional, Sequence, Set, Tuple

from .alb_network import ALB_SOURCE_PORT, Endpoint, LabNetwork, alb_nodes, connect, target_endpoint


@dataclass(frozen=True)
class TargetVerdict:
    """One target's computed health."""

    load_balancer_arn: str
    target_group_arn: str
    target_id: str
    port: int
    state: str  # "healthy" or "unhealthy"
    reason: Optional[str] = None  # ELB reason code
    why: str = ""


def _health_port(tg: Mapping[str, Any], target_port: int) -> int:
    hc = str(tg.get("HealthCheckPort") or "traffic-port")
    return int(hc) if hc.isdigit() else target_port


def compute_target_health(client_for: Callable[..., Any], region: str) -> List[TargetVerdict]:
    """Every registered target of every application load balancer in `region`, health-checked."""
    net = LabNetwork(lambda service: client_for(service, None, region), region)
    elbv2 = net.client("elbv2")
    out: List[TargetVerdict] = []
    for lb in net.load_balancers():
        if lb.get("Type", "application") != "application":
            continue
        nodes = alb_nodes(net, lb)
        for tg in elbv2.describe_target_groups(LoadBalancerArn=lb["LoadBalancerArn"]).get("TargetGroups") or []:
            out += check_group(net, lb, nodes, tg)
    return out


def check_group(net: LabNetwork, lb: Mapping[str, Any], nodes: Sequence[Endpoint],
                tg: Mapping[str, Any]) -> List[TargetVerdict]:
    """The health of each registered target of one group, as the load balancer's nodes see it."""
    if tg.get("TargetType") == "lambda" or tg.get("HealthCheckEnabled") is False:
        return []
    arn = str(tg["TargetGroupArn"])
    app_ports = net.app_ports(arn)
    out = []
    for desc in net.client("elbv2").describe_target_health(TargetGroupArn=arn).get("TargetHealthDescriptions") or []:
        if (desc.get("TargetHealth") or {}).get("State") not in ("healthy", "unhealthy"):
            continue  # moto's unused / draining (deregistered, stopped) stay as they are
        target = desc["Target"]
        port = int(target.get("Port") or tg.get("Port") or 80)
        out.append(_check(net, lb, nodes, tg, target, port, app_ports))
    return out


def _check(net: LabNetwork, lb: Mapping[str, Any], nodes: Sequence[Endpoint], tg: Mapping[str, Any],
           target: Mapping[str, Any], port: int, app_ports: Optional[Set[int]]) -> TargetVerdict:
    lb_arn, arn, tid = str(lb["LoadBalancerArn"]), str(tg["TargetGroupArn"]), str(target["Id"])
    hc_port = _health_port(tg, port)
    dst = target_endpoint(net, tg, target)
    if dst is None:
        return TargetVerdict(lb_arn, arn, tid, port, "unhealthy", "Target.Timeout", f"no interface has the address {tid}")
    for node in nodes:
        why = connect(net, node, dst, hc_port, ALB_SOURCE_PORT)
        if why:
            # A health check is judged by every node; one that cannot connect marks the target down.
            return TargetVerdict(lb_arn, arn, tid, port, "unhealthy", "Target.Timeout", why)
    if app_ports is not None and hc_port not in app_ports:
        return TargetVerdict(lb_arn, arn, tid, port, "unhealthy", "Target.FailedHealthChecks",
                             f"nothing listens on tcp/{hc_port} (the containers map "
                             f"{', '.join(map(str, sorted(app_ports))) or 'no port'})")
    return TargetVerdict(lb_arn, arn, tid, port, "healthy")


def inject(verdicts: Sequence[TargetVerdict]) -> None:
    """Make describe_target_health report each verdict (healthy ones too, so a fixed target recovers)."""
    from ..moto_patches import set_target_health

    for v in verdicts:
        set_target_health(v.target_group_arn, v.target_id, v.port, v.state, v.reason)


def inject_target_health(client_for: Callable[..., Any], region: str) -> List[TargetVerdict]:
    """Compute every target's health and make describe_target_health report it (the lab calls this
    once the scenario is built, after its changes), and publish the host counts ELB would."""
    verdicts = compute_target_health(client_for, region)
    inject(verdicts)
    _publish_host_counts(client_for("cloudwatch", None, region), verdicts)
    return verdicts


def _publish_host_counts(cloudwatch, verdicts: List[TargetVerdict]) -> None:
    """HealthyHostCount / UnHealthyHostCount per target group, as ELB publishes them every minute."""
    counts: Dict[Tuple[str, str], List[int]] = {}
    for v in verdicts:
        pair = counts.setdefault((v.load_balancer_arn, v.target_group_arn), [0, 0])
        pair[0 if v.state == "healthy" else 1] += 1
    data = []
    for (lb_arn, tg_arn), (healthy, unhealthy) in counts.items():
        dims = [{"Name": "TargetGroup", "Value": tg_arn.rsplit(":", 1)[-1]},
                {"Name": "LoadBalancer", "Value": lb_arn.split(":loadbalancer/", 1)[-1]}]
        data += [{"MetricName": "HealthyHostCount", "Dimensions": dims, "Value": float(healthy), "Unit": "Count"},
                 {"MetricName": "UnHealthyHostCount", "Dimensions": dims, "Value": float(unhealthy), "Unit": "Count"}]
    if data:
        cloudwatch.put_metric_data(Namespace="AWS/ApplicationELB", MetricData=data)

"""Provides how long the application behind a load balancer takes to answer in the lab, and what
that does to CloudFront's answer: the targets' latency is the scenario's `sim.origin_latency_ms` (the
application is the lab's world, like a custom origin's `answer_after_s`); the load balancer publishes
it as TargetResponseTime (AWS/ApplicationELB, seconds), as ELB does for every answer from a target;
and when it is longer than the origin's response timeout CloudFront gives up after that timeout and
answers its own 504 — the viewer waits that long for real, so the timing is evidence too.

The ALB's own idle timeout (60 s by default) is not modelled: CloudFront's origin response timeout
is at most 60 s without a quota increase, so CloudFront gives up first.
"""

from __future__ import annotations

import threading
import time
from typing import Any, Mapping, Optional, Tuple

from botocore.exceptions import ClientError

from . import pages

_DEFAULT_READ_TIMEOUT_S = 30.0
_WAIT = threading.Event()  # never set: a wait that an interrupted server does not leave hanging forever


def read_timeout(raw_origin: Mapping[str, Any]) -> float:
    cfg = raw_origin.get("CustomOriginConfig") or {}
    return float(cfg.get("OriginReadTimeout") or _DEFAULT_READ_TIMEOUT_S)


def publish_response_time(net, load_balancer_arn: str, seconds: float) -> None:
    """TargetResponseTime for one answer from a target (evidence for the metrics probe)."""
    dimension = [{"Name": "LoadBalancer", "Value": load_balancer_arn.split(":loadbalancer/", 1)[-1]}]
    try:
        net.client("cloudwatch").put_metric_data(Namespace="AWS/ApplicationELB", MetricData=[
            {"MetricName": "TargetResponseTime", "Dimensions": dimension, "Value": seconds, "Unit": "Seconds"}])
    except ClientError:
        pass  # evidence only


def delayed(net, decision, raw_origin: Mapping[str, Any], latency_s: float,
            cf_id: str, started: Optional[float] = None) -> Optional[Tuple[int, list, bytes, float]]:
    """When a target answered: publish its response time, wait as the viewer would, and return
    CloudFront's 504 when the answer comes after the origin response timeout (None: the answer stands).
    `started` (time.monotonic()) is when the simulator began on CloudFront's request: its own work
    since (reading the lab's network, publishing metrics) counts toward the wait, as the time a real
    request spends on the path does, so the viewer waits the story's latency, not latency + overhead."""
    if decision.answered_by != "target" or not decision.load_balancer_arn:
        return None
    publish_response_time(net, decision.load_balancer_arn, max(latency_s, 0.001))
    if latency_s <= 0:
        return None
    limit = read_timeout(raw_origin)
    spent = time.monotonic() - started if started is not None else 0.0
    if latency_s <= limit:
        _WAIT.wait(max(latency_s - spent, 0.0))
        return None
    _WAIT.wait(max(limit - spent, 0.0))
    status, headers, body = pages.cloudfront_error(504, "origin-timeout", cf_id)
    return status, headers, body, limit

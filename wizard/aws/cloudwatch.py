"""Provides the CloudWatch reads around a 504: the ALB's own error counts, failed target connections
and unhealthy hosts, and CloudFront's 5xx error rate, over the last few hours.

Only GetMetricData is sent, with plain Sum, Average and Maximum statistics: percentiles are left alone (a
pNN query can fail a whole request, and the counts say what is needed). Each metric's datapoints
come back as they are; an empty series means CloudWatch has nothing for it, not "zero errors".
"""

from __future__ import annotations

import datetime
from typing import Any, Dict, List, Optional, Sequence, Tuple

from .errors import explain
from .session import AwsAccess

DEFAULT_HOURS = 3
PERIOD_S = 300

# (metric, statistic): counts are summed, gauges and rates averaged.
ALB_METRICS: Tuple[Tuple[str, str], ...] = (
    ("HTTPCode_ELB_504_Count", "Sum"),
    ("HTTPCode_ELB_502_Count", "Sum"),
    ("TargetConnectionErrorCount", "Sum"),
    # Seconds from the request leaving the ALB to the target's first byte: a slow application shows
    # here, a closed path in TargetConnectionErrorCount (the 504 evidence, alb_timing).
    ("TargetResponseTime", "Maximum"),
)
TARGET_GROUP_METRICS: Tuple[Tuple[str, str], ...] = (("UnHealthyHostCount", "Average"),)
# CloudFront publishes its metrics in us-east-1 only, with Region=Global (Developer Guide,
# "Viewing CloudFront and edge function metrics").
CLOUDFRONT_METRICS: Tuple[Tuple[str, str], ...] = (("5xxErrorRate", "Average"),)


def load_balancer_dimension(arn: str) -> str:
    """CloudWatch's LoadBalancer dimension: `app/NAME/ID` from the load balancer's ARN."""
    return arn.split(":loadbalancer/", 1)[-1]


def target_group_dimension(arn: str) -> str:
    """CloudWatch's TargetGroup dimension: `targetgroup/NAME/ID` from the target group's ARN."""
    return arn.rsplit(":", 1)[-1]


def _query(qid: str, namespace: str, metric: str, stat: str, dims: Sequence[Tuple[str, str]]) -> Dict[str, Any]:
    return {"Id": qid, "ReturnData": True, "MetricStat": {
        "Metric": {"Namespace": namespace, "MetricName": metric,
                   "Dimensions": [{"Name": k, "Value": v} for k, v in dims]},
        "Period": PERIOD_S, "Stat": stat}}


def _read(access: AwsAccess, region: str, queries: List[Dict[str, Any]], start: datetime.datetime,
          end: datetime.datetime) -> Dict[str, List[Dict[str, Any]]]:
    """Datapoints by query id (oldest first), across pages."""
    client = access.client("cloudwatch", region)
    out: Dict[str, List[Dict[str, Any]]] = {q["Id"]: [] for q in queries}
    kwargs: Dict[str, Any] = {"MetricDataQueries": queries, "StartTime": start, "EndTime": end,
                              "ScanBy": "TimestampAscending"}
    while True:
        page = client.get_metric_data(**kwargs)
        for result in page.get("MetricDataResults") or []:
            points = out.setdefault(result["Id"], [])
            for ts, value in zip(result.get("Timestamps") or [], result.get("Values") or []):
                points.append({"time": ts.isoformat() if hasattr(ts, "isoformat") else str(ts), "value": value})
        token = page.get("NextToken")
        if not token:
            return out
        kwargs["NextToken"] = token


def edge_metrics(access: AwsAccess, region: str, load_balancer_arn: Optional[str] = None,
                 target_group_arns: Sequence[str] = (), distribution_id: Optional[str] = None,
                 hours: int = DEFAULT_HOURS, now: Optional[datetime.datetime] = None) -> Dict[str, Any]:
    """The ALB's and the distribution's error metrics for the last `hours`, as probe data.

    Returns `series` (one per metric and dimension: namespace, metric, stat, dimension, points),
    `hours`, and `unknowns` (a read that failed, said plainly). When every read fails the first
    failure is raised, so the probe reports it (denied, with the missing action).
    """
    now = now or datetime.datetime.now(datetime.timezone.utc)
    # End on the next period boundary, so the period in progress (where a live incident's errors are)
    # is included; periods then line up whatever way the service buckets them.
    epoch = int(now.timestamp())
    end = datetime.datetime.fromtimestamp(epoch - epoch % PERIOD_S + PERIOD_S, datetime.timezone.utc)
    start = end - datetime.timedelta(hours=hours)
    plans: List[Tuple[str, List[Tuple[Dict[str, Any], str, str]]]] = []
    if load_balancer_arn:
        lb = load_balancer_dimension(load_balancer_arn)
        items = [(_query(f"alb{i}", "AWS/ApplicationELB", m, s, [("LoadBalancer", lb)]), lb, "load balancer")
                 for i, (m, s) in enumerate(ALB_METRICS)]
        for j, tg in enumerate(target_group_arns):
            tg_dim = target_group_dimension(tg)
            items += [(_query(f"tg{j}x{i}", "AWS/ApplicationELB", m, s, [("TargetGroup", tg_dim), ("LoadBalancer", lb)]),
                       tg_dim, "target group") for i, (m, s) in enumerate(TARGET_GROUP_METRICS)]
        plans.append((region, items))
    if distribution_id:
        plans.append(("us-east-1", [(_query(f"cf{i}", "AWS/CloudFront", m, s,
                                            [("DistributionId", distribution_id), ("Region", "Global")]),
                                     distribution_id, "distribution") for i, (m, s) in enumerate(CLOUDFRONT_METRICS)]))
    series: List[Dict[str, Any]] = []
    unknowns: List[Dict[str, str]] = []
    first_error: Optional[BaseException] = None
    # The load balancer's region and CloudFront's (us-east-1) are read at once: neither needs the other.
    from .together import settle

    answers = settle(*[(lambda where=where, items=items: _read(access, where, [q for q, _, _ in items], start, end))
                       for where, items in plans])
    for (where, items), answer in zip(plans, answers):
        try:
            points = answer.get()
        except Exception as exc:  # noqa: BLE001 - a failed read becomes an unknown, never a crash
            first_error = first_error or exc
            failure = explain(exc, "cloudwatch", "GetMetricData")
            unknowns.append({"what": f"metrics of the {items[0][2]} ({where})", "reason": failure.message})
            continue
        for query, dim, _ in items:
            stat = query["MetricStat"]
            series.append({"namespace": stat["Metric"]["Namespace"], "metric": stat["Metric"]["MetricName"],
                           "stat": stat["Stat"], "dimension": dim, "points": points.get(query["Id"]) or []})
    if first_error is not None and not series:
        raise first_error
    return {"hours": hours, "period_s": PERIOD_S, "start": start.isoformat(), "end": end.isoformat(),
            "series": series, "unknowns": unknowns}

"""Provides WAFv2 get_sampled_requests, fed by the lab (moto raises NotImplementedError)."""

from __future__ import annotations

import copy
import datetime
import json
import threading
from typing import Any, Dict, List, Optional, Tuple

from ._common import install

DEFAULT_ACTION = "Default_Action"  # the reserved metric name WAF uses for the web ACL's default action
ACTIONS = ("ALLOW", "BLOCK", "COUNT", "CAPTCHA", "CHALLENGE", "EXCLUDED_AS_COUNT")
_REQUEST_FIELDS = ("ClientIP", "Country", "URI", "Method", "HTTPVersion", "Headers")

_LOCK = threading.Lock()
# (web ACL ARN, rule name or "Default_Action") -> samples in the SampledHTTPRequest shape
_SAMPLES: Dict[Tuple[str, str], List[Dict[str, Any]]] = {}


def _utc(value: Any) -> datetime.datetime:
    if isinstance(value, datetime.datetime):
        return value if value.tzinfo else value.replace(tzinfo=datetime.timezone.utc)
    if isinstance(value, (int, float)):
        return datetime.datetime.fromtimestamp(float(value), tz=datetime.timezone.utc)
    return datetime.datetime.fromisoformat(str(value).replace("Z", "+00:00"))


def record_sampled_request(web_acl_arn: str, rule_name_or_default: str, request: Dict[str, Any], action: str,
                           timestamp: Optional[datetime.datetime] = None, *, rule_name: Optional[str] = None,
                           weight: int = 1, labels: Optional[List[str]] = None,
                           rule_name_within_rule_group: Optional[str] = None,
                           response_code_sent: Optional[int] = None) -> None:
    """Store one request WAF "sampled", as get_sampled_requests will return it.

    `rule_name_or_default` is the rule's Name or its metric name, or "Default_Action" (or the web
    ACL's own metric name) for a request the default action decided; `rule_name` may name the
    rule as well (the edge simulator passes the metric first and the name here). `request` is
    WAF's HTTPRequest shape (ClientIP, Country, URI, Method, HTTPVersion, Headers=[{Name, Value}]).
    `timestamp` defaults to now; get_sampled_requests only returns samples inside its time window.
    """
    unknown = set(request) - set(_REQUEST_FIELDS)
    if unknown:
        raise ValueError(f"unknown HTTPRequest fields {sorted(unknown)}; WAF knows {list(_REQUEST_FIELDS)}")
    if action not in ACTIONS:
        raise ValueError(f"unknown WAF action {action!r}; expected one of {ACTIONS}")
    sample: Dict[str, Any] = {"Request": copy.deepcopy(request), "Weight": int(weight), "Action": action,
                              "Timestamp": _utc(timestamp or datetime.datetime.now(datetime.timezone.utc))}
    if labels:
        sample["Labels"] = [{"Name": name} for name in labels]
    if rule_name_within_rule_group:
        sample["RuleNameWithinRuleGroup"] = rule_name_within_rule_group
    if response_code_sent is not None:
        sample["ResponseCodeSent"] = int(response_code_sent)
    with _LOCK:
        # One sample, filed under every name a reader may ask by (the same object: no duplicates).
        for key in dict.fromkeys(k for k in (rule_name_or_default, rule_name) if k):
            _SAMPLES.setdefault((web_acl_arn, key), []).append(sample)


def clear_sampled_requests() -> None:
    """Forget every recorded sample."""
    with _LOCK:
        _SAMPLES.clear()


def _keys_for_metric(web_acl, metric: str) -> Tuple[List[str], bool]:
    """The store keys a RuleMetricName covers, and whether sampling is enabled for it."""
    for rule in web_acl.rules or []:
        # moto keeps rules as FakeRule objects (name, visibility_config), not as the API's dicts.
        name = getattr(rule, "name", None)
        visibility = getattr(rule, "visibility_config", None) or {}
        if visibility.get("MetricName") == metric or name == metric:
            return [name, metric], bool(visibility.get("SampledRequestsEnabled", True))
    acl_visibility = web_acl.visibility_config or {}
    if metric in (DEFAULT_ACTION, acl_visibility.get("MetricName")):
        return [DEFAULT_ACTION, metric], bool(acl_visibility.get("SampledRequestsEnabled", True))
    return [metric], True


FIRST_REQUESTS = 5_000  # WAF samples "from among the first 5,000 requests" of the time window
WINDOW = datetime.timedelta(hours=3)  # "you can specify any time range in the previous three hours"


def _first_requests(samples: List[Dict[str, Any]]) -> Tuple[List[Dict[str, Any]], Optional[datetime.datetime]]:
    """The samples among the web ACL's first 5,000 requests of the window (oldest first; a sample's
    Weight is how many requests it stands for), and the time of the 5,000th request when the
    window held more (None otherwise)."""
    ordered = sorted(samples, key=lambda s: s["Timestamp"])
    kept: List[Dict[str, Any]] = []
    seen = 0
    for i, sample in enumerate(ordered):
        kept.append(sample)
        seen += max(1, int(sample.get("Weight") or 1))
        if seen >= FIRST_REQUESTS and i + 1 < len(ordered):
            return kept, sample["Timestamp"]
    return kept, None


def patch_sampled_requests() -> None:
    """Serve get_sampled_requests from what record_sampled_request stored.

    Replaces: moto's NotImplementedError (a 500), which leaves `waf.blocked` without its best
    evidence (which rule blocked which request). The rule is found by its metric name, as WAF
    does; "Default_Action" (or the web ACL's own metric name) returns default-action samples.
    A rule or ACL with SampledRequestsEnabled=false returns no samples, as on AWS. Only samples
    inside TimeWindow are returned, newest first, at most MaxItems.

    As WAF does (API reference "GetSampledRequests" and "TimeWindow"): the sample comes "from among
    the first 5,000 requests that your AWS resource received during a time range"; when more arrived,
    "WAF stops sampling after the 5,000th request" and the returned EndTime "is the time that AWS WAF
    received the 5,000th request"; a StartTime older than three hours is moved to three hours ago.
    moto returned every recorded sample, so a busy web ACL's samples always held the newest request.
    The 5,000 count covers every request the web ACL saw (each rule's and the default action's),
    a sample counting as its Weight. PopulationSize counts the metric's requests among them.
    """
    from moto.wafv2 import models, responses

    def get_sampled_requests(self):
        body = json.loads(self.body)
        if body.get("Scope") == "CLOUDFRONT":
            self.region = models.GLOBAL_REGION
        web_acl = self.wafv2_backend.get_web_acl(body.get("WebAclArn"), None, None)
        keys, enabled = _keys_for_metric(web_acl, body.get("RuleMetricName", ""))
        window = body.get("TimeWindow") or {}
        start, end = _utc(window["StartTime"]), _utc(window["EndTime"])
        start = max(start, datetime.datetime.now(datetime.timezone.utc) - WINDOW)
        with _LOCK:
            everything = {id(s): s for (arn, _), samples in _SAMPLES.items() if arn == web_acl.arn for s in samples}
            mine = {id(s) for key in dict.fromkeys(keys) for s in _SAMPLES.get((web_acl.arn, key), [])}
        in_window = [s for s in everything.values() if start <= s["Timestamp"] <= end]
        population, cut_at = _first_requests(in_window)
        if cut_at is not None:
            end = cut_at
        found = [s for s in population if id(s) in mine] if enabled else []
        found.sort(key=lambda s: s["Timestamp"], reverse=True)
        limited = found[: int(body.get("MaxItems") or 100)]
        out = []
        for sample in limited:
            item = copy.deepcopy(sample)
            item["Timestamp"] = sample["Timestamp"].timestamp()
            out.append(item)
        population_size = sum(max(1, int(x.get("Weight") or 1)) for x in found)
        response = {"SampledRequests": out, "PopulationSize": population_size,
                    "TimeWindow": {"StartTime": start.timestamp(), "EndTime": end.timestamp()}}
        return 200, {"Content-Type": "application/x-amz-json-1.1"}, json.dumps(response)

    install(responses.WAFV2Response, "get_sampled_requests", get_sampled_requests)


def apply() -> None:
    """Apply the WAFv2 patch (idempotent)."""
    patch_sampled_requests()

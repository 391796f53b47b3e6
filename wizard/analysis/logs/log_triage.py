"""Provides the triage of CloudFront and ALB access logs: what they say about a 5xx, said plainly.

The 504 story (seed 003): CloudFront logs show `504` with `x-edge-detailed-result-type` OriginError,
each taking about 10 seconds; the ALB's own logs show `504` with `target_status_code` `-` and `-1`
processing times: the ALB could not connect to its targets. On the way, engineers read the `c-ip`
column as CloudFront edge addresses and tried to allow them in a security group; they are the
viewers' addresses. The summary says so every time.

Pure: it takes an iterable of lines (wizard.logsource reads them from files, .gz and S3) or of
parsed records, and keeps memory flat however long the log.
"""

from __future__ import annotations

import datetime
from collections import Counter
from typing import Dict, Iterable, Iterator, List, Mapping, Optional, Tuple

from .alb_logs import parse_alb
from .cloudfront_logs import ParseStats, parse_cloudfront
from .summary import CONNECT_TIMEOUT_S, NEAR_TIMEOUT_S, TOP, LogSummary, top_counts

_COUNTER_CAP = 20_000
_DISTINCT_CAP = 100_000


class _BoundedCounter(Counter):
    """A Counter that keeps memory flat on huge logs: past its cap it drops the least common half.

    Counts of the survivors stay exact from then on; what was dropped is reported as approximate.
    """

    def __init__(self, cap: int = _COUNTER_CAP) -> None:
        super().__init__()
        self.cap = cap
        self.pruned = False

    def add(self, key) -> None:
        self[key] += 1
        if len(self) > self.cap:
            keep = dict(self.most_common(self.cap // 2))
            self.clear()
            self.update(keep)
            self.pruned = True


# -- triage -------------------------------------------------------------------------------------


def _stats_of(records: object, stats: Optional[ParseStats]) -> Optional[ParseStats]:
    return stats if stats is not None else getattr(records, "stats", None)


def _apply_stats(summary: LogSummary, stats: Optional[ParseStats]) -> None:
    if stats is None:
        return
    summary.lines_read = stats.lines
    summary.malformed = stats.malformed
    summary.notes.extend(stats.notes)


def _host_label(alias: Optional[str], domain: Optional[str]) -> str:
    if alias and domain and alias != domain:
        return f"{alias} ({domain})"
    return alias or domain or "-"


def _keyed(counter: Mapping) -> Dict[str, int]:
    return {("-" if k is None else str(k)): v for k, v in Counter(counter).most_common()}


def triage_cloudfront(records: Iterable[Mapping[str, Optional[str]]], stats: Optional[ParseStats] = None,
                      top: int = TOP) -> LogSummary:
    """Summarise CloudFront records (dicts from parse_cloudfront).

    Counts by sc-status, x-edge-result-type and x-edge-detailed-result-type; origin errors (any
    detailed type naming the origin: OriginError, OriginConnectError, OriginCommError, ...);
    requests with time-taken ≥ NEAR_TIMEOUT_S; the failing paths, hosts, edges and viewers; the
    time range. Memory stays flat however long the log. When `records` is a ParsedLog its parse
    counts (malformed lines, notes) are included.
    """
    tally = CloudFrontTally()
    tally.add(records)
    return tally.summary(_stats_of(records, stats), top)


class CloudFrontTally:
    """The running counts behind a CloudFront LogSummary. `add` takes records one by one; the fast
    triage (cloudfront_fast) also adds whole columns at once, so both paths share these counters
    and the order keys first appear in (which decides ties in the top lists)."""

    def __init__(self) -> None:
        self.by_status: Counter = Counter()
        self.by_rt: Counter = Counter()
        self.by_drt: Counter = Counter()
        self.paths = _BoundedCounter()
        self.hosts = _BoundedCounter()
        self.viewers = _BoundedCounter(_DISTINCT_CAP)
        self.edges: Counter = Counter()
        self.waits: Counter = Counter()
        self.n = self.errors = self.origin_errors = self.near = 0
        self.slowest: Optional[float] = None
        self.first: Optional[str] = None
        self.last: Optional[str] = None

    def add(self, records: Iterable[Mapping[str, Optional[str]]]) -> None:
        """Count records (dicts from parse_cloudfront), in order."""
        by_status, by_rt, by_drt = self.by_status, self.by_rt, self.by_drt
        paths, hosts, viewers, edges, waits = self.paths, self.hosts, self.viewers, self.edges, self.waits
        n, errors, origin_errors, near = self.n, self.errors, self.origin_errors, self.near
        slowest, first, last = self.slowest, self.first, self.last
        try:
            for r in records:
                n += 1
                status = r.get("sc-status")
                by_status[status] += 1
                by_rt[r.get("x-edge-result-type")] += 1
                drt = r.get("x-edge-detailed-result-type")
                if drt is not None:
                    by_drt[drt] += 1
                d = r.get("date")
                if d is not None:
                    ts = d + " " + (r.get("time") or "")
                    if first is None or ts < first:
                        first = ts
                    if last is None or ts > last:
                        last = ts
                taken = r.get("time-taken")
                if taken is not None:
                    try:
                        seconds = float(taken)
                    except ValueError:
                        seconds = 0.0
                    # The upper bound keeps "inf" and absurd values out of the timeout buckets.
                    if NEAR_TIMEOUT_S <= seconds < 1e7:
                        near += 1
                        waits[timeout_bucket(seconds)] += 1
                        if slowest is None or seconds > slowest:
                            slowest = seconds
                origin = drt is not None and "Origin" in drt
                if origin:
                    origin_errors += 1
                if origin or (status is not None and status[:1] == "5"):
                    errors += 1
                    self.add_error(r.get("cs-uri-stem"), r.get("x-host-header"), r.get("cs(Host)"),
                                   r.get("x-edge-location"), r.get("c-ip"))
        finally:
            self.n, self.errors, self.origin_errors, self.near = n, errors, origin_errors, near
            self.slowest, self.first, self.last = slowest, first, last

    def add_error(self, path: Optional[str], alias: Optional[str], domain: Optional[str], edge: Optional[str],
                  viewer: Optional[str]) -> None:
        """Count where one failed request went, came through and came from (call in log order)."""
        self.paths.add(path or "-")
        self.hosts.add(_host_label(alias, domain))
        self.edges[edge or "-"] += 1
        self.viewers.add(viewer or "-")

    def summary(self, stats: Optional[ParseStats] = None, top: int = TOP) -> LogSummary:
        """The LogSummary of everything added, with the parse's counts and notes when given."""
        summary = LogSummary(
            kind="cloudfront", records=self.n, first_time=self.first, last_time=self.last,
            by_status=_keyed(self.by_status), errors=self.errors, top_error_paths=top_counts(self.paths, top),
            top_error_hosts=top_counts(self.hosts, top),
            approximate=self.paths.pruned or self.hosts.pruned or self.viewers.pruned,
            by_result_type=_keyed(self.by_rt), by_detailed_result_type=_keyed(self.by_drt),
            origin_errors=self.origin_errors, near_timeout=self.near, near_timeout_waits=dict(self.waits),
            slowest_s=self.slowest, error_edges=top_counts(self.edges, top), error_edge_count=len(self.edges),
            error_viewers=top_counts(self.viewers, top), error_viewer_count=len(self.viewers),
        )
        _apply_stats(summary, stats)
        return summary


def timeout_bucket(seconds: float) -> str:
    """The connect-timeout multiple ("10", "20", "30" s) a near-timeout request took."""
    return str(int(seconds / CONNECT_TIMEOUT_S + 0.5) * int(CONNECT_TIMEOUT_S))


def _iso_seconds(start: Optional[str], end: Optional[str]) -> Optional[float]:
    if not start or not end:
        return None
    try:
        a = datetime.datetime.fromisoformat(start.replace("Z", "+00:00"))
        b = datetime.datetime.fromisoformat(end.replace("Z", "+00:00"))
        return (b - a).total_seconds()
    except (ValueError, TypeError, OverflowError):  # TypeError: one time with a zone, one without
        return None


def _url_parts(url: Optional[str]) -> Tuple[str, str]:
    """(host, path) of an ALB request URL such as http://www.example.com:80/a?b=c."""
    if not url:
        return "-", "-"
    rest = url.split("://", 1)[1] if "://" in url else url
    slash = rest.find("/")
    netloc, path = (rest, "/") if slash < 0 else (rest[:slash], rest[slash:])
    host = netloc.rsplit(":", 1)[0] if netloc.count(":") == 1 else netloc
    return host or "-", path.split("?", 1)[0] or "/"


def triage_alb(records: Iterable[Mapping[str, Optional[str]]], stats: Optional[ParseStats] = None,
               top: int = TOP) -> LogSummary:
    """Summarise ALB records (dicts from parse_alb).

    Counts by elb_status_code; 504s whose target_status_code is `-` (no response from a target),
    by the target they tried and how many took ≥ NEAR_TIMEOUT_S (the ALB's connect timeout);
    entries with `-1` processing times; error_reason values when the field is present; 5xx by
    target, path and host; the time range.
    """
    by_status: Counter = Counter()
    reasons: Counter = Counter()
    no_target_by: Counter = Counter()
    targets = _BoundedCounter()
    paths = _BoundedCounter()
    hosts = _BoundedCounter()
    n = errors = no_target = no_target_slow = unreachable = 0
    first = last = None
    for r in records:
        n += 1
        status = r.get("elb_status_code")
        by_status[status] += 1
        t = r.get("time")
        if t is not None:
            if first is None or t < first:
                first = t
            if last is None or t > last:
                last = t
        if "-1" in (r.get("request_processing_time"), r.get("target_processing_time"),
                    r.get("response_processing_time")):
            unreachable += 1
        reason = r.get("error_reason")
        if reason is not None:
            reasons[reason] += 1
        if status is None or status[:1] != "5":
            continue
        errors += 1
        target = r.get("target:port") or "-"
        targets.add(target)
        host, path = _url_parts(r.get("request_url"))
        paths.add(path)
        hosts.add(host)
        if status == "504" and r.get("target_status_code") is None:
            no_target += 1
            no_target_by[target] += 1
            took = _iso_seconds(r.get("request_creation_time"), t)
            if took is not None and took >= NEAR_TIMEOUT_S:
                no_target_slow += 1
    summary = LogSummary(
        kind="alb", records=n, first_time=first, last_time=last, by_status=_keyed(by_status), errors=errors,
        top_error_paths=top_counts(paths, top), top_error_hosts=top_counts(hosts, top),
        approximate=paths.pruned or hosts.pruned or targets.pruned,
        no_target_504=no_target, no_target_504_by_target=top_counts(no_target_by, top),
        no_target_504_near_timeout=no_target_slow, unreachable_target=unreachable,
        error_reasons=_keyed(reasons), error_targets=top_counts(targets, top),
    )
    _apply_stats(summary, _stats_of(records, stats))
    return summary


def detect_kind(line: str) -> Optional[str]:
    """"cloudfront" or "alb" from one log line (a header or an entry), None when neither fits."""
    if line.startswith("#Version") or line.startswith("#Fields"):
        return "cloudfront"
    if "\t" in line:
        return "cloudfront"
    first = line.split(" ", 1)[0]
    if first in ("http", "https", "h2", "grpcs", "ws", "wss"):
        return "alb"
    return None


def triage_lines(lines: Iterable[str], kind: Optional[str] = None) -> LogSummary:
    """Parse and triage log lines; the kind (cloudfront / alb) is read from the first line when not given."""
    it = iter(lines)
    head: List[str] = []
    if kind is None:
        for line in it:
            head.append(line)
            if line.strip():
                kind = detect_kind(line.lstrip())
                break
    chained = _chain(head, it)
    if kind == "alb":
        summary = triage_alb(parse_alb(chained))
    else:
        summary = triage_cloudfront(parse_cloudfront(chained))
        if kind is None and head:
            summary.notes.append("The log format was not recognised; it was read as a CloudFront log.")
    summary.notes.extend(getattr(lines, "notes", ()) or ())
    return summary


def _chain(head: List[str], rest: Iterator[str]) -> Iterator[str]:
    yield from head
    yield from rest

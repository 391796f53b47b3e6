"""Provides the summary of a set of access log records and how it is said: the counts a person acts on,
a one-line headline, the evidence lines (with the c-ip warning every time) and the `logs.origin-errors`
hit. log_triage fills it; this module only words it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Dict, List, Mapping, Optional, Tuple

from ...model import Hit

FINDING_ID = "logs.origin-errors"

# CloudFront waits at most 10 seconds to connect to an origin (ConnectionTimeout: 1-10 s, default 10;
# up to 3 attempts), and an ALB gives up connecting to a target after 10 seconds and answers 504
# (ALB troubleshooting, "HTTP 504"). Either way a failed connect shows as time-taken of about 10 s
# (or 20 / 30 s after retries). time-taken is measured on the edge from request received to last
# byte queued, so it lands a little either side of the timeout: 9.5 s keeps those and leaves out
# ordinary slow responses, which rarely sit right under a round 10 s.
CONNECT_TIMEOUT_S = 10.0
NEAR_TIMEOUT_S = 9.5

TOP = 5
_SHOW = 120

_NOT_AN_EDGE = ("c-ip is the viewer's address (or the viewer's proxy), not a CloudFront edge: do not "
                "add these addresses to a security group. To let CloudFront reach an origin, allow the "
                "managed prefix list com.amazonaws.global.cloudfront.origin-facing.")


def clean(text: object, limit: int = _SHOW) -> str:
    """Log text made safe to show: control characters escaped, long values cut."""
    s = str(text)
    if not s.isprintable():
        s = "".join(c if c.isprintable() else repr(c)[1:-1] for c in s)
    return s if len(s) <= limit else s[: limit - 1] + "…"


def top_counts(counter: Mapping, n: int = TOP) -> List[Tuple[str, int]]:
    """The `n` most common keys of a counter, as (text, count), most common first."""
    return [(str(k), v) for k, v in Counter(counter).most_common(n)]


def _fmt_counts(counter: Mapping, n: int = 6) -> str:
    return ", ".join(f"{clean(k, 60)} ×{v:,}" for k, v in top_counts(counter, n)) or "none"


def _pct(part: int, whole: int) -> str:
    return f"{100.0 * part / whole:.1f}%" if whole else "0%"


@dataclass
class LogSummary:
    """What a set of access log records shows, with the counts a person needs to act on it."""

    kind: str  # "cloudfront" or "alb"
    records: int = 0
    lines_read: int = 0
    malformed: int = 0
    notes: List[str] = field(default_factory=list)
    first_time: Optional[str] = None
    last_time: Optional[str] = None
    by_status: Dict[str, int] = field(default_factory=dict)
    errors: int = 0  # 5xx, plus CloudFront Origin* result types
    top_error_paths: List[Tuple[str, int]] = field(default_factory=list)
    top_error_hosts: List[Tuple[str, int]] = field(default_factory=list)
    approximate: bool = False
    # CloudFront
    by_result_type: Dict[str, int] = field(default_factory=dict)
    by_detailed_result_type: Dict[str, int] = field(default_factory=dict)
    origin_errors: int = 0
    near_timeout: int = 0
    near_timeout_waits: Dict[str, int] = field(default_factory=dict)  # "10" / "20" / "30" s: count
    slowest_s: Optional[float] = None
    error_edges: List[Tuple[str, int]] = field(default_factory=list)
    error_edge_count: int = 0
    error_viewers: List[Tuple[str, int]] = field(default_factory=list)
    error_viewer_count: int = 0
    # ALB
    no_target_504: int = 0
    no_target_504_by_target: List[Tuple[str, int]] = field(default_factory=list)
    no_target_504_near_timeout: int = 0
    unreachable_target: int = 0  # processing times of -1
    error_reasons: Dict[str, int] = field(default_factory=dict)
    error_targets: List[Tuple[str, int]] = field(default_factory=list)

    # -- reading ------------------------------------------------------------------------------

    @property
    def status_5xx(self) -> int:
        """Responses with a 5xx status (elb_status_code for ALB, sc-status for CloudFront)."""
        return sum(v for k, v in self.by_status.items() if str(k).startswith("5"))

    def headline(self) -> str:
        """One line for the finding's title."""
        where = "CloudFront" if self.kind == "cloudfront" else "ALB"
        if not self.records:
            return f"no {where} log records could be read"
        if self.kind == "cloudfront":
            text = (f"{self.origin_errors:,} of {self.records:,} CloudFront requests ended in an origin error "
                    f"({_pct(self.origin_errors, self.records)})")
            if self.near_timeout:
                text += f", {self.near_timeout:,} took ≥ {NEAR_TIMEOUT_S:g} s"
            return text
        text = f"{self.status_5xx:,} of {self.records:,} ALB requests answered 5xx"
        if self.no_target_504:
            text += f"; {self.no_target_504:,} were 504s that never got a target response"
        return text

    def evidence(self) -> List[str]:
        """The facts, one per line, as a finding's evidence."""
        out: List[str] = []
        if not self.records:
            if self.malformed:
                out.append(f"{self.malformed:,} line(s) could not be read and were skipped.")
            return out + list(self.notes)
        if self.first_time:
            out.append(f"Time range: {clean(self.first_time, 40)} to {clean(self.last_time, 40)} (UTC), "
                       f"{self.records:,} requests.")
        if self.by_status:
            out.append(f"Status codes: {_fmt_counts(self.by_status)}.")
        if self.kind == "cloudfront":
            out.extend(self._cloudfront_evidence())
        else:
            out.extend(self._alb_evidence())
        if self.top_error_paths:
            out.append("Failing paths: " + ", ".join(f"{clean(p, 80)} ×{n:,}" for p, n in self.top_error_paths) + ".")
        if self.top_error_hosts:
            out.append("Failing hosts: " + ", ".join(f"{clean(h, 80)} ×{n:,}" for h, n in self.top_error_hosts) + ".")
        if self.approximate:
            out.append("Some counts are approximate: the log had too many distinct values to keep them all.")
        if self.malformed:
            out.append(f"{self.malformed:,} line(s) could not be read and were skipped.")
        out.extend(self.notes)
        return out

    def _cloudfront_evidence(self) -> List[str]:
        out: List[str] = []
        if self.by_detailed_result_type:
            out.append(f"x-edge-detailed-result-type: {_fmt_counts(self.by_detailed_result_type)}.")
        elif self.by_result_type:
            out.append(f"x-edge-result-type: {_fmt_counts(self.by_result_type)}.")
        if self.origin_errors:
            out.append(f"{self.origin_errors:,} request(s) ({_pct(self.origin_errors, self.records)}) got no good "
                       "answer from the origin (x-edge-detailed-result-type Origin*): the fault is at the origin "
                       "or between CloudFront and it, not in the viewer's request.")
        if self.near_timeout:
            waits = ", ".join(f"≈{k} s ×{v:,}" for k, v in sorted(self.near_timeout_waits.items(), key=lambda kv: int(kv[0])))
            out.append(
                f"{self.near_timeout:,} request(s) took ≥ {NEAR_TIMEOUT_S:g} s (time-taken: {waits}; slowest "
                f"{self.slowest_s:.1f} s). Each {CONNECT_TIMEOUT_S:g} s is one connect timeout: with the origin's "
                "own 504 (OriginError) it is the ALB's connect timeout to its target; 20 or 30 s is CloudFront "
                "retrying its own connection to the origin (up to 3 attempts of 10 s)."
            )
        if self.error_edge_count:
            edges = ", ".join(clean(e, 20) for e, _ in self.error_edges)
            text = f"The errors came through {self.error_edge_count:,} edge location(s) ({edges})"
            if self.error_edge_count > 1:
                text += ": a fault seen at many edges is behind CloudFront, not at one edge"
            out.append(text + ".")
        if self.error_viewer_count:
            sample = ", ".join(clean(ip, 45) for ip, _ in self.error_viewers[:3])
            out.append(f"{self.error_viewer_count:,} distinct viewer address(es) got errors (c-ip, e.g. {sample}). "
                       + _NOT_AN_EDGE)
        else:
            out.append(_NOT_AN_EDGE)
        return out

    def _alb_evidence(self) -> List[str]:
        out: List[str] = []
        if self.no_target_504:
            targets = ", ".join(f"{clean(t, 60)} ×{n:,}" for t, n in self.no_target_504_by_target) or "none named"
            out.append(
                f"{self.no_target_504:,} 504(s) with target_status_code '-': the ALB got no response from a "
                f"target (targets tried: {targets})."
            )
        if self.no_target_504_near_timeout:
            out.append(f"{self.no_target_504_near_timeout:,} of those 504s took ≥ {NEAR_TIMEOUT_S:g} s from request "
                       f"to answer: the ALB's {CONNECT_TIMEOUT_S:g}-second connect timeout to the target. A connect "
                       "that is never answered usually means the target's security group (or a network ACL) "
                       "drops the ALB's traffic, or the target is gone.")
        if self.unreachable_target:
            out.append(f"{self.unreachable_target:,} request(s) logged -1 processing times: the ALB could not "
                       "dispatch them to a target, or the target did not answer in time.")
        if self.error_reasons:
            out.append(f"error_reason: {_fmt_counts(self.error_reasons)}.")
        if self.error_targets:
            out.append("5xx by target: " + ", ".join(f"{clean(t, 60)} ×{n:,}" for t, n in self.error_targets) + ".")
        out.append("client:port in ALB logs is whoever opened the connection to the ALB: behind CloudFront "
                   "that is a CloudFront origin-facing server, not the viewer.")
        return out

    def lines(self) -> List[str]:
        """The summary as sentences for a person: the headline, then the evidence."""
        head = self.headline()
        return [head[:1].upper() + head[1:] + "."] + self.evidence()

    def hits(self, athena: Optional[str] = None) -> List[Hit]:
        """`logs.origin-errors` (info) with this summary as evidence; none when nothing was read."""
        if not self.records:
            return []
        params = {"summary": self.headline()}
        if athena:
            params["athena"] = athena
        return [Hit(FINDING_ID, tuple(self.evidence()), params, "info")]

    def as_dict(self) -> Dict[str, object]:
        """JSON-safe view for probe data and the report."""
        out = dict(vars(self))
        for key, value in list(out.items()):
            if isinstance(value, list) and value and isinstance(value[0], tuple):
                out[key] = [list(v) for v in value]
        out["headline"] = self.headline()
        return out


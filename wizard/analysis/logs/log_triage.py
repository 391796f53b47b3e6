"""Provides the triage of CloudFront and ALB access logs: what they say about a 5xx, said plainly.

The 504 story (seed 003): CloudFront logs show `504` with `x-edge-detailed-result-type` OriginError,
each taking about 10 seconds; the ALB's own logs show `504` with `target_status_code` `-` and `-1`
processing times: the ALB could not connect to its targets. On the way, engineers read the `c-ip`
column as CloudFront edge addresses and tried to allow them in a security group; they are the
viewers' addresses. The summary says so every time.

Also here: reading log lines from a local file, a `.gz`, or a directory of them, streaming.
"""

from __future__ import annotations

import datetime
import gzip
import io
import os
import stat
from collections import Counter
from dataclasses import dataclass, field
from typing import BinaryIO, Dict, Iterable, Iterator, List, Mapping, Optional, Tuple

from ...model import Hit
from .cloudfront_logs import ParseStats, parse_cloudfront
from .alb_logs import parse_alb

FINDING_ID = "logs.origin-errors"

# CloudFront waits at most 10 seconds to connect to an origin (ConnectionTimeout: 1-10 s, default 10;
# up to 3 attempts), and an ALB gives up connecting to a target after 10 seconds and answers 504
# (ALB troubleshooting, "HTTP 504"). Either way a failed connect shows as time-taken of about 10 s
# (or 20 / 30 s after retries). time-taken is measured on the edge from request received to last
# byte queued, so it lands a little either side of the timeout: 9.5 s keeps those and leaves out
# ordinary slow responses, which rarely sit right under a round 10 s.
CONNECT_TIMEOUT_S = 10.0
NEAR_TIMEOUT_S = 9.5

_TOP = 5
_COUNTER_CAP = 20_000
_DISTINCT_CAP = 100_000
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


def _top(counter: Mapping, n: int = _TOP) -> List[Tuple[str, int]]:
    return [(str(k), v) for k, v in Counter(counter).most_common(n)]


def _fmt_counts(counter: Mapping, n: int = 6) -> str:
    return ", ".join(f"{clean(k, 60)} ×{v:,}" for k, v in _top(counter, n)) or "none"


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


# -- triage -------------------------------------------------------------------------------------


def _stats_of(records: object, stats: Optional[ParseStats]) -> Optional[ParseStats]:
    return stats if stats is not None else getattr(records, "stats", None)


def _apply_stats(summary: LogSummary, stats: Optional[ParseStats]) -> None:
    if stats is None:
        return
    summary.lines_read = stats.lines
    summary.malformed = stats.malformed
    summary.notes.extend(stats.notes)


def _float(value: Optional[str]) -> Optional[float]:
    if value is None:
        return None
    try:
        return float(value)
    except ValueError:
        return None


def _host_label(alias: Optional[str], domain: Optional[str]) -> str:
    if alias and domain and alias != domain:
        return f"{alias} ({domain})"
    return alias or domain or "-"


def _keyed(counter: Mapping) -> Dict[str, int]:
    return {("-" if k is None else str(k)): v for k, v in Counter(counter).most_common()}


def triage_cloudfront(records: Iterable[Mapping[str, Optional[str]]], stats: Optional[ParseStats] = None,
                      top: int = _TOP) -> LogSummary:
    """Summarise CloudFront records (dicts from parse_cloudfront).

    Counts by sc-status, x-edge-result-type and x-edge-detailed-result-type; origin errors (any
    detailed type naming the origin: OriginError, OriginConnectError, OriginCommError, ...);
    requests with time-taken ≥ NEAR_TIMEOUT_S; the failing paths, hosts, edges and viewers; the
    time range. Memory stays flat however long the log. When `records` is a ParsedLog its parse
    counts (malformed lines, notes) are included.
    """
    by_status: Counter = Counter()
    by_rt: Counter = Counter()
    by_drt: Counter = Counter()
    paths = _BoundedCounter()
    hosts = _BoundedCounter()
    viewers = _BoundedCounter(_DISTINCT_CAP)
    edges: Counter = Counter()
    waits: Counter = Counter()
    n = errors = origin_errors = near = 0
    slowest: Optional[float] = None
    first = last = None
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
                waits[str(int(seconds / CONNECT_TIMEOUT_S + 0.5) * int(CONNECT_TIMEOUT_S))] += 1
                if slowest is None or seconds > slowest:
                    slowest = seconds
        origin = drt is not None and "Origin" in drt
        if origin:
            origin_errors += 1
        if origin or (status is not None and status[:1] == "5"):
            errors += 1
            paths.add(r.get("cs-uri-stem") or "-")
            hosts.add(_host_label(r.get("x-host-header"), r.get("cs(Host)")))
            edges[r.get("x-edge-location") or "-"] += 1
            viewers.add(r.get("c-ip") or "-")
    summary = LogSummary(
        kind="cloudfront", records=n, first_time=first, last_time=last, by_status=_keyed(by_status),
        errors=errors, top_error_paths=_top(paths, top), top_error_hosts=_top(hosts, top),
        approximate=paths.pruned or hosts.pruned or viewers.pruned,
        by_result_type=_keyed(by_rt), by_detailed_result_type=_keyed(by_drt), origin_errors=origin_errors,
        near_timeout=near, near_timeout_waits=dict(waits), slowest_s=slowest, error_edges=_top(edges, top), error_edge_count=len(edges),
        error_viewers=_top(viewers, top), error_viewer_count=len(viewers),
    )
    _apply_stats(summary, _stats_of(records, stats))
    return summary


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
               top: int = _TOP) -> LogSummary:
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
        top_error_paths=_top(paths, top), top_error_hosts=_top(hosts, top),
        approximate=paths.pruned or hosts.pruned or targets.pruned,
        no_target_504=no_target, no_target_504_by_target=_top(no_target_by, top),
        no_target_504_near_timeout=no_target_slow, unreachable_target=unreachable,
        error_reasons=_keyed(reasons), error_targets=_top(targets, top),
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


# -- reading lines -----------------------------------------------------------------------------

_GZIP_MAGIC = b"\x1f\x8b"
_MAX_LINE = 1 << 20  # one log line is never near 1 MiB; a file without newlines must not fill memory


class _Raw(io.RawIOBase):
    """A read-only raw stream over anything with read(n) (a file, a botocore StreamingBody),
    optionally stopping after `limit` bytes."""

    def __init__(self, source, limit: Optional[int] = None) -> None:
        super().__init__()
        self._source = source
        self._left = limit
        self.read_bytes = 0
        self.hit_limit = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        want = len(buffer)
        if self._left is not None:
            if self._left <= 0:
                self.hit_limit = True
                return 0
            want = min(want, self._left)
        data = self._source.read(want)
        if not data:
            return 0
        n = len(data)
        buffer[:n] = data
        self.read_bytes += n
        if self._left is not None:
            self._left -= n
        return n


@dataclass
class ReadReport:
    """How much of a stream was read, and whether it was cut short (by a byte budget or damage)."""

    bytes_read: int = 0
    cut: bool = False
    notes: List[str] = field(default_factory=list)


def binary_lines(stream, limit: Optional[int] = None, report: Optional[ReadReport] = None,
                 name: str = "stream") -> Iterator[str]:
    """Text lines from a binary stream, gunzipped when it starts with the gzip magic, decoded as
    UTF-8 (bad bytes replaced). Streaming: memory does not grow with the stream's size.

    With `limit`, at most that many (raw, compressed) bytes are read and the partial last line is
    dropped. A damaged gzip stream ends the lines with a note in `report`, never an exception.
    """
    report = report if report is not None else ReadReport()
    raw = _Raw(stream, limit)
    buffered = io.BufferedReader(raw, 1 << 16)
    source: BinaryIO = buffered
    try:
        if buffered.peek(2)[:2] == _GZIP_MAGIC:
            source = gzip.GzipFile(fileobj=buffered, mode="rb")  # type: ignore[assignment]
        while True:
            line = source.readline(_MAX_LINE)
            if not line:
                break
            if line[-1:] != b"\n" and raw.hit_limit:
                report.cut = True
                break
            yield line.decode("utf-8", "replace")
    except (EOFError, OSError, ValueError) as exc:
        if raw.hit_limit:
            report.cut = True
        else:
            report.notes.append(f"{clean(name)}: stopped reading, the data is damaged ({clean(exc)}).")
    finally:
        report.bytes_read += raw.read_bytes
        if raw.hit_limit:
            report.cut = True


class NotALogFile(ValueError):
    """A path that is neither a regular file nor a directory (a FIFO, /dev/zero, a socket): reading
    it might never end, so it is refused."""


def _is_dir_or_file(path: str) -> bool:
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return True  # missing or unreadable: opening it says so, as a note
    return stat.S_ISDIR(mode) or stat.S_ISREG(mode)


def _open_regular(path: str) -> Tuple[Optional[BinaryIO], int, str]:
    """(handle, size, why not) for a regular file; a FIFO or device gives (None, 0, reason).

    O_NONBLOCK so that opening a FIFO does not wait for a writer; the type is checked on the open
    descriptor, so the file cannot be swapped between the check and the read.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        return None, 0, f"could not be opened ({exc.strerror or exc})"
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        return None, 0, "skipped: not a regular file (a FIFO or device)"
    return os.fdopen(fd, "rb"), info.st_size, ""


class LineSource:
    """Text lines from a local log file, a .gz, or a directory of them (walked in name order).

    Only regular files are read, each at most to the size it had when opened (a log still being
    written does not keep the triage going). A path that is a FIFO or a device raises NotALogFile.
    Iterate it once; afterwards `files`, `bytes_read` and `notes` say what was read.
    """

    def __init__(self, path: str) -> None:
        if not _is_dir_or_file(path):
            raise NotALogFile(f"{clean(path)} is not a regular file or a directory (a FIFO or a device "
                              "could be read forever): save the logs to a file and give its path")
        self.path = path
        self.files = 0
        self.bytes_read = 0
        self.notes: List[str] = []

    def _paths(self) -> Iterator[str]:
        if os.path.isdir(self.path):
            for root, dirs, names in os.walk(self.path):
                dirs.sort()
                for name in sorted(names):
                    if not name.startswith("."):
                        yield os.path.join(root, name)
        else:
            yield self.path

    def __iter__(self) -> Iterator[str]:
        for path in self._paths():
            report = ReadReport()
            handle, size, why_not = _open_regular(path)
            if handle is None:
                self.notes.append(f"{clean(path)}: {why_not}.")
                continue
            with handle:
                self.files += 1
                # size + 1: a file that stays as it was is read to its end (not "cut").
                yield from binary_lines(handle, limit=size + 1, report=report, name=path)
            self.bytes_read += report.bytes_read
            self.notes.extend(report.notes)


def open_lines(path: str) -> LineSource:
    """Lines of a local log file, .gz, or directory of them; see LineSource."""
    return LineSource(path)


def triage_path(path: str, kind: Optional[str] = None) -> LogSummary:
    """Triage a local log file or directory (CloudFront or ALB, detected from the first line)."""
    return triage_lines(open_lines(path), kind)

"""Provides the fast CloudFront triage: the same LogSummary as parse_cloudfront + triage_cloudfront,
counted a block of lines at a time instead of a record at a time.

Why this shape: the per-line parser builds a dict of 33 decoded values for every request, and that
costs ~9 µs a line, five times what `zcat | awk` spends. Almost every line of a real log is plain
ASCII with exactly the header's number of fields, so a block of such lines can be split on tabs in
one C call, each column taken as a slice, and counted with Counter: only the distinct values are
decoded, and only failed requests (a few percent) are looked at one by one, in log order, so the
capped top lists keep and drop exactly what the per-line path would. A block that is anything but
plain (a comment or header line, a torn or merged line, a bad date, a `%` or `-` where it would
change the time range, non-ASCII bytes, a carriage return) goes through the per-line parser
instead, with the same header state: both paths give the same summary for the same bytes
(tests/analysis/test_cloudfront_fast.py compares them).

Pure: blocks come from wizard.logsource.binary_blocks / LineSource.blocks.
"""

from __future__ import annotations

from collections import Counter
from itertools import compress, repeat
from operator import add, contains, or_
from typing import Iterable, List, Optional, Sequence
from urllib.parse import unquote

from .cloudfront_logs import DEFAULT_FIELDS, HeaderState, ParseStats, finish_stats, parse_lines
from .log_triage import CloudFrontTally, timeout_bucket
from .summary import NEAR_TIMEOUT_S, TOP, LogSummary

# The columns triage reads besides the date (which must be the first column for the bulk path).
_COLUMNS = ("time", "x-edge-location", "c-ip", "cs(Host)", "cs-uri-stem", "sc-status", "x-edge-result-type",
            "x-host-header", "time-taken", "x-edge-detailed-result-type")


def _value(raw: bytes) -> Optional[str]:
    """What the per-line parser makes of one ASCII field: `-` is None, `%xx` is decoded."""
    text = raw.decode("ascii")
    if text == "-":
        return None
    return unquote(text) if "%" in text else text


def lines_of(block: bytes) -> Iterable[str]:
    """The text lines of a block from logsource.binary_blocks, exactly as binary_lines would have
    yielded them (here, in the pure layer, so the file-reading side imports it and not the reverse)."""
    parts = block.split(b"\n")
    last = parts.pop()
    for part in parts:
        yield (part + b"\n").decode("utf-8", "replace")
    if last:
        yield last.decode("utf-8", "replace")


class _Layout:
    """Where the bulk path finds its columns under one header, or None when it cannot be used."""

    def __init__(self, names: Sequence[str]) -> None:
        where = {name: i for i, name in enumerate(names)}  # the last of a repeated name wins, as in dict(zip())
        self.width = len(names)
        self.index = {}
        usable = self.width >= 3 and where.get("date") == 0 and list(names).index("date") == 0
        for name in _COLUMNS:
            i = where.get(name)
            if i is None or not 1 <= i <= self.width - 2:
                usable = False
                break
            self.index[name] = i
        self.usable = usable


class FastCloudFrontTriage:
    """Counts CloudFront log blocks; summary() gives what parse_cloudfront + triage_cloudfront would."""

    def __init__(self, default_fields: Sequence[str] = DEFAULT_FIELDS) -> None:
        self.stats = ParseStats()
        self.state = HeaderState(default_fields)
        self.tally = CloudFrontTally()
        self.bulk_lines = 0  # how many lines went the fast way (for the bench)

    def add_block(self, block: bytes) -> None:
        """Count one block from binary_blocks (whole lines, or one line piece without a newline)."""
        scan = scan_block(block, self.state.names)
        if scan is not None:
            self._apply(scan)
            return
        if block[-1:] != b"\n" or not block.isascii() or b"\r" in block:
            self._slow(block)
            return
        # Comment lines (headers) go one by one through the parser: they change the columns.
        pos, size = 0, len(block)
        while pos < size:
            if block[pos:pos + 1] == b"#":
                at = pos
            else:
                at = block.find(b"\n#", pos)
                if at < 0:
                    self._either(block[pos:])
                    return
                at += 1
                self._either(block[pos:at])
            end = block.find(b"\n", at) + 1
            self._slow(block[at:end])
            pos = end

    def summary(self, top: int = TOP) -> LogSummary:
        """The LogSummary of every block added so far (call once, at the end)."""
        finish_stats(self.stats, self.state)
        return self.tally.summary(self.stats, top)

    # -- the two paths ---------------------------------------------------------------------------

    def _slow(self, block: bytes) -> None:
        self.tally.add(parse_lines(lines_of(block), self.stats, self.state))

    def _either(self, block: bytes) -> None:
        scan = scan_block(block, self.state.names)
        if scan is None:
            self._slow(block)
        else:
            self._apply(scan)

    def _apply(self, scan: "BlockScan") -> None:
        tally, stats, lines = self.tally, self.stats, scan.lines
        stats.lines += lines
        stats.records += lines
        if self.state.fields is None:
            stats.headerless += lines
        self.bulk_lines += lines
        tally.n += lines
        low, high = scan.low.decode("ascii"), scan.high.decode("ascii")
        if tally.first is None or low < tally.first:
            tally.first = low
        if tally.last is None or high > tally.last:
            tally.last = high
        for raw, count in scan.status.items():
            tally.by_status[_value(raw)] += count
        for raw, count in scan.result.items():
            tally.by_rt[_value(raw)] += count
        for raw, count in scan.detailed.items():
            value = _value(raw)
            if value is not None:
                tally.by_drt[value] += count
                if "Origin" in value:
                    tally.origin_errors += count
        for raw, count in scan.taken.items():
            value = _value(raw)
            if value is None:
                continue
            try:
                seconds = float(value)
            except ValueError:
                seconds = 0.0
            if NEAR_TIMEOUT_S <= seconds < 1e7:
                tally.near += count
                tally.waits[timeout_bucket(seconds)] += count
                if tally.slowest is None or seconds > tally.slowest:
                    tally.slowest = seconds
        tally.errors += len(scan.failed)
        for row in scan.failed:  # in log order: the capped counters depend on it
            tally.add_error(*map(_value, row))


class BlockScan:
    """What one block of plain lines holds for triage, counted by raw value. `failed`: (path,
    x-host-header, cs(Host), edge, c-ip) of each failed request, in log order."""

    __slots__ = ("lines", "low", "high", "status", "result", "detailed", "taken", "failed")

    def __init__(self, lines, low, high, status, result, detailed, taken, failed) -> None:
        self.lines, self.low, self.high = lines, low, high
        self.status, self.result, self.detailed, self.taken, self.failed = status, result, detailed, taken, failed


_LAYOUTS: dict = {}


def _layout_of(names: Sequence[str]) -> _Layout:
    key = tuple(names)
    layout = _LAYOUTS.get(key)
    if layout is None:
        if len(_LAYOUTS) > 16:
            _LAYOUTS.clear()
        layout = _LAYOUTS[key] = _Layout(names)
    return layout


def scan_block(block: bytes, names: Sequence[str]) -> Optional[BlockScan]:
    """Count a block of plain lines under the columns `names` in bulk (C calls, no per-line Python
    for lines that did not fail); None when the block is not plain (see the module docstring)."""
    layout = _layout_of(names)
    if not layout.usable or block[-1:] != b"\n" or not block.isascii() or b"\r" in block:
        return None
    lines = block.count(b"\n")
    step = layout.width - 1
    pieces = block.split(b"\t")
    if len(pieces) != step * lines + 1:
        return None
    # Each line's last and the next line's first value share a piece: when every such piece holds
    # a newline (and there are as many as lines), every line has exactly `width` values.
    joined = pieces[step::step]
    if not all(map(contains, joined, repeat(b"\n"))):
        return None
    halves = b"\n".join(joined).split(b"\n")
    dates = [pieces[0]] + halves[1:2 * lines - 1:2]
    distinct_dates = set(dates)
    for d in distinct_dates:
        # 45 is "-"; a line starting with "#" is a comment, whatever else it looks like.
        if len(d) != 10 or d[4] != 45 or d[7] != 45 or b"%" in d or d[0] == 35:
            return None
    index = layout.index
    times = pieces[index["time"]::step]
    if b"-" in times or b"%" in b"".join(times):
        return None  # the time range would see None or a decoded value: leave it to the parser
    if len(distinct_dates) == 1:  # the usual block: one day, so the time alone orders the stamps
        (day,) = distinct_dates
        low, high = day + b" " + min(times), day + b" " + max(times)
    else:
        stamps = list(map(add, map(add, dates, repeat(b" ")), times))
        low, high = min(stamps), max(stamps)
    status_column = pieces[index["sc-status"]::step]
    detailed_column = pieces[index["x-edge-detailed-result-type"]::step]
    status, detailed = Counter(status_column), Counter(detailed_column)
    failing = {raw for raw in status if (_value(raw) or "")[:1] == "5"}
    origin = {raw for raw in detailed if "Origin" in (_value(raw) or "-")}
    failed: List[tuple] = []
    if failing or origin:
        rows = compress(range(lines), map(or_, map(failing.__contains__, status_column),
                                          map(origin.__contains__, detailed_column)))
        columns = [pieces[index[name]::step] for name in ("cs-uri-stem", "x-host-header", "cs(Host)",
                                                          "x-edge-location", "c-ip")]
        failed = [tuple(column[i] for column in columns) for i in rows]
    return BlockScan(lines, low, high, status, Counter(pieces[index["x-edge-result-type"]::step]),
                     detailed, Counter(pieces[index["time-taken"]::step]), failed)


def triage_cloudfront_blocks(blocks: Iterable[bytes], default_fields: Sequence[str] = DEFAULT_FIELDS,
                             top: int = TOP) -> LogSummary:
    """parse_cloudfront + triage_cloudfront over the blocks of binary_blocks, counted in bulk."""
    fast = FastCloudFrontTriage(default_fields)
    for block in blocks:
        fast.add_block(block)
    return fast.summary(top)

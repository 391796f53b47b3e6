"""Provides the CloudFront standard (access) log parser: W3C lines read by their `#Fields` header.

Format (AWS CloudFront Developer Guide, "Standard logging reference" / "Log file fields"): tab-separated
values, a `#Version` line and a `#Fields` line naming the columns, values URL-encoded (RFC 1738, so a
tab inside a value arrives as `%09`), and `-` for an empty value. AWS has added fields over the years
(older Athena tables for these logs stop at 26 columns; the format now has 33), so the `#Fields`
header decides the columns, never a fixed count. Records come out as dicts keyed by the header's field names (`cs(Host)`, `time-taken`,
...), values decoded, `-` as None. Lines that cannot be read are counted and skipped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, Iterable, Iterator, List, Optional, Sequence
from urllib.parse import unquote

# The documented order of the 33 legacy standard-log fields ("Log file fields", and the sample log's
# own #Fields line). Used only for lines that arrive before any #Fields header.
DEFAULT_FIELDS: Sequence[str] = (
    "date", "time", "x-edge-location", "sc-bytes", "c-ip", "cs-method", "cs(Host)", "cs-uri-stem",
    "sc-status", "cs(Referer)", "cs(User-Agent)", "cs-uri-query", "cs(Cookie)", "x-edge-result-type",
    "x-edge-request-id", "x-host-header", "cs-protocol", "cs-bytes", "time-taken", "x-forwarded-for",
    "ssl-protocol", "ssl-cipher", "x-edge-response-result-type", "cs-protocol-version", "fle-status",
    "fle-encrypted-fields", "c-port", "time-to-first-byte", "x-edge-detailed-result-type",
    "sc-content-type", "sc-content-len", "sc-range-start", "sc-range-end",
)

# Without a header, a line may come from an older log with fewer columns; it must at least reach
# time-taken (field 19), which the triage needs and every documented version has.
_MIN_HEADERLESS_FIELDS = DEFAULT_FIELDS.index("time-taken") + 1

_DECODE_CACHE_MAX = 50_000


@dataclass
class ParseStats:
    """What a parse saw besides records: counts, the header it used, and notes worth telling."""

    lines: int = 0
    records: int = 0
    malformed: int = 0
    comments: int = 0
    headerless: int = 0
    extra_values: int = 0
    fields: List[str] = field(default_factory=list)
    notes: List[str] = field(default_factory=list)
    malformed_examples: List[str] = field(default_factory=list)

    def note_malformed(self, line: str) -> None:
        """Count a skipped line and keep the first few (cut to 200 characters) as examples."""
        self.malformed += 1
        if len(self.malformed_examples) < 3:
            self.malformed_examples.append(line[:200])


class ParsedLog:
    """An iterable of records that also carries the parse's ParseStats (filled as it is consumed)."""

    def __init__(self, records: Iterator[Dict[str, Optional[str]]], stats: ParseStats) -> None:
        self._records = records
        self.stats = stats

    def __iter__(self) -> Iterator[Dict[str, Optional[str]]]:
        return self._records


class _Decoder(dict):
    """URL-decodes values once: user agents, paths and referrers repeat line after line."""

    def __init__(self) -> None:
        super().__init__()
        self["-"] = None  # type: ignore[assignment]

    def __missing__(self, raw: str) -> Optional[str]:
        if len(self) >= _DECODE_CACHE_MAX:
            self.clear()
            self["-"] = None  # type: ignore[assignment]
        value = self[raw] = unquote(raw)
        return value


def parse_fields_header(line: str) -> Optional[List[str]]:
    """The field names of a `#Fields:` line, or None when the line is not one."""
    if not line.startswith("#Fields:"):
        return None
    return line[len("#Fields:"):].split()


def parse_cloudfront(lines: Iterable[str], default_fields: Sequence[str] = DEFAULT_FIELDS) -> ParsedLog:
    """Parse CloudFront standard log lines (str, with or without line ends) into records.

    Each `#Fields` line sets the columns for the lines after it (concatenated files may carry
    several); a field the header names but this module has never heard of is kept like any other.
    Lines before any `#Fields` header are read with AWS's documented default order and a note says
    so. Under a header, a line with fewer values than names is torn, and one with extra non-empty
    values is two lines run together: both are counted as malformed. An empty value after a
    trailing tab (AWS's own sample has one) is ignored. Never raises on content.
    """
    stats = ParseStats()
    return ParsedLog(_parse(lines, stats, list(default_fields)), stats)


class HeaderState:
    """Which columns the next line has: the last `#Fields` header seen (None before any), and the
    names in use (the header's, or the documented default order)."""

    def __init__(self, default_fields: Sequence[str]) -> None:
        self.default_fields = list(default_fields)
        self.fields: Optional[List[str]] = None
        self.names: List[str] = self.default_fields


def _parse(lines: Iterable[str], stats: ParseStats, default_fields: List[str]) -> Iterator[Dict[str, Optional[str]]]:
    state = HeaderState(default_fields)
    try:
        yield from parse_lines(lines, stats, state)
    finally:
        finish_stats(stats, state)


def parse_lines(lines: Iterable[str], stats: ParseStats, state: HeaderState) -> Iterator[Dict[str, Optional[str]]]:
    """Records of `lines`, starting with the columns `state` names and leaving it at the last header
    seen; counts go into `stats` (call finish_stats once after the last piece). The fast triage
    (cloudfront_fast) sends the pieces it cannot count in bulk through here, so both read alike."""
    decode = _Decoder()
    fields = state.fields
    names = state.names
    want = len(names)
    minimum = want if fields is not None else _MIN_HEADERLESS_FIELDS
    date_index = names.index("date") if "date" in names else -1
    nlines = records = headerless = 0
    try:
        for line in lines:
            nlines += 1
            if line[-1:] == "\n":
                line = line[:-1]
                if line[-1:] == "\r":
                    line = line[:-1]
            if not line:
                continue
            if line[0] == "#":
                stats.comments += 1
                header = parse_fields_header(line)
                if header:
                    fields = names = header
                    want = minimum = len(names)
                    date_index = names.index("date") if "date" in names else -1
                    stats.fields = list(names)
                continue
            parts = line.split("\t")
            n = len(parts)
            if n != want:
                if n < minimum:
                    stats.note_malformed(line)
                    continue
                if n > want:
                    if any(parts[want:]):
                        # Under a header, values past its names mean a line merged with another;
                        # without one, they are fields AWS added after our default list.
                        if fields is not None:
                            stats.note_malformed(line)
                            continue
                        stats.extra_values += 1
                    del parts[want:]
                else:
                    parts.extend(["-"] * (want - n))
            if date_index >= 0:
                d = parts[date_index]
                if len(d) != 10 or d[4] != "-" or d[7] != "-":
                    stats.note_malformed(line)
                    continue
            if fields is None:
                headerless += 1
            # One pass does both jobs: `-` becomes None, and only values with a `%` pay for decoding.
            records += 1
            yield dict(zip(names, [decode[v] if ("%" in v or v == "-") else v for v in parts]))
    finally:
        stats.lines += nlines
        stats.records += records
        stats.headerless += headerless
        state.fields = fields
        state.names = names


def finish_stats(stats: ParseStats, state: HeaderState) -> None:
    """The notes a whole parse earns (no header, extra values) and the field list, said once at its end."""
    default_fields = state.default_fields
    if stats.headerless and not any(n.startswith("No #Fields header") for n in stats.notes):
        stats.notes.append(
            f"No #Fields header came before {stats.headerless:,} line(s): they were read with AWS's "
            f"documented default field order ({len(default_fields)} fields, CloudFront 'Log file fields')."
        )
    if stats.extra_values and not any(n.startswith("Ignored values") for n in stats.notes):
        stats.notes.append(
            f"Ignored values past the {len(default_fields)} documented fields on {stats.extra_values:,} "
            "header-less line(s): AWS may have added fields; a #Fields header would name them."
        )
    if not stats.fields:
        stats.fields = list(state.names)

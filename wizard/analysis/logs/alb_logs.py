"""Provides the Application Load Balancer access log parser: space-separated entries with quoted fields.

Format (Elastic Load Balancing, "Access logs for your Application Load Balancer" / "Access log
entries"): one entry per line, fields separated by spaces, the ones that may hold spaces (request,
user agent, trace id, ...) in double quotes, `-` when there is no value. AWS appends new fields at
the end over time (error_reason, the target lists, classification, conn_trace_id, the transform
fields...), so only the leading fields are required; unknown trailing ones are kept as `field_N`.

What matters for a 504: `target_status_code` is `-` when no connection was made to the target or it
sent no response, and the processing times are `-1` when the load balancer could not dispatch the
request to a target. A 504 with both means the ALB could not reach its target (ALB troubleshooting,
"HTTP 504: Gateway timeout": "failed to establish a connection to the target before the connection
timeout expired (10 seconds)").
"""

from __future__ import annotations

from typing import Dict, Iterable, Iterator, List, Optional, Sequence

from .cloudfront_logs import ParsedLog, ParseStats

# "Access log entries", in order. Names with `:` are the documented ones (`client:port`).
FIELDS: Sequence[str] = (
    "type", "time", "elb", "client:port", "target:port", "request_processing_time",
    "target_processing_time", "response_processing_time", "elb_status_code", "target_status_code",
    "received_bytes", "sent_bytes", "request", "user_agent", "ssl_cipher", "ssl_protocol",
    "target_group_arn", "trace_id", "domain_name", "chosen_cert_arn", "matched_rule_priority",
    "request_creation_time", "actions_executed", "redirect_url", "error_reason", "target:port_list",
    "target_status_code_list", "classification", "classification_reason", "conn_trace_id",
    "transformed_host", "transformed_uri", "request_transform_status",
)

# Every ALB log ever written has at least the fields up to and including the request line.
_MIN_FIELDS = FIELDS.index("request") + 1


def tokenize(line: str) -> Optional[List[str]]:
    """Split an entry on spaces, keeping double-quoted fields whole (quotes removed).

    Splitting on `"` first makes the odd pieces the quoted values and the even pieces runs of
    unquoted tokens, which is much faster than a character loop. A quoted piece that ends in a
    backslash had an escaped quote, so it is joined with the next one. Returns None when the quotes
    do not balance (a torn line).
    """
    if '"' not in line:
        return line.split()
    pieces = line.split('"')
    out: List[str] = []
    i, n = 0, len(pieces)
    while i < n:
        out.extend(pieces[i].split())
        i += 1
        if i >= n:
            break
        quoted = pieces[i]
        while quoted.endswith("\\") and i + 2 < n:
            quoted = quoted[:-1] + '"' + pieces[i + 1]
            i += 1
        if i + 1 >= n:
            return None  # an opening quote that never closes
        out.append(quoted)
        i += 1
        # A quoted value must be followed by a separator (or the end), never glued to the next token.
        if i < n and pieces[i] and not pieces[i][0].isspace():
            return None
    return out


def _split_host_port(value: Optional[str]):
    if not value:
        return None, None
    host, sep, port = value.rpartition(":")
    if not sep or not port.isdigit():
        return value, None
    return host.strip("[]"), port


def _valid(tokens: List[str]) -> bool:
    t = tokens[1]
    if len(t) < 19 or t[4] != "-" or t[10] != "T" or not t[:4].isdigit():
        return False
    status = tokens[8]
    return status == "-" or status.isdigit()


def parse_alb(lines: Iterable[str]) -> ParsedLog:
    """Parse ALB access log lines into records keyed by the documented field names.

    `-` becomes None. Convenience keys are added: `client_ip`, `client_port`, `target_ip`,
    `target_port`, `request_method`, `request_url`, `request_protocol`. Fields past the documented
    list are kept as `field_34`, `field_35`, ... (1-based positions). Malformed lines (unbalanced
    quotes, too few fields, a time or status that is not one) are counted and skipped.
    """
    stats = ParseStats(fields=list(FIELDS))
    return ParsedLog(_records(lines, stats), stats)


def _records(lines: Iterable[str], stats: ParseStats) -> Iterator[Dict[str, Optional[str]]]:
    known = len(FIELDS)
    nlines = records = extra = 0
    try:
        for line in lines:
            nlines += 1
            line = line.strip()
            if not line:
                continue
            tokens = tokenize(line)
            if tokens is None or len(tokens) < _MIN_FIELDS or not _valid(tokens):
                stats.note_malformed(line)
                continue
            values = [None if t == "-" else t for t in tokens]
            record: Dict[str, Optional[str]] = dict(zip(FIELDS, values))
            if len(values) > known:
                extra += 1
                for pos in range(known, len(values)):
                    record[f"field_{pos + 1}"] = values[pos]
            record["client_ip"], record["client_port"] = _split_host_port(record.get("client:port"))
            record["target_ip"], record["target_port"] = _split_host_port(record.get("target:port"))
            method = url = proto = None
            request = record.get("request")
            if request:
                parts = request.split(" ")
                if len(parts) >= 3:
                    method, url, proto = parts[0], " ".join(parts[1:-1]), parts[-1]
                else:
                    url = request
            record["request_method"] = None if method == "-" else method
            record["request_url"] = None if url == "-" else url
            record["request_protocol"] = None if proto == "-" else proto
            records += 1
            yield record
    finally:
        stats.lines += nlines
        stats.records += records
        stats.extra_values += extra
        if extra and not any(n.startswith("Kept") for n in stats.notes):
            stats.notes.append(
                f"Kept {extra:,} entr(y/ies) with fields past the {known} documented ones as field_N: "
                "AWS appends new ALB log fields at the end."
            )

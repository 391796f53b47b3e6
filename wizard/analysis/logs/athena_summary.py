"""Provides the Athena queries `edgewiz logs --athena-run` runs and the LogSummary built from their
result rows: the same triage (headline, status codes, Origin* errors, ≈10 s waits, failing paths and
hosts, edges and viewers; for ALB the target-less 504s) that a local file gives, counted by Athena.

Pure: SQL text in, result rows (lists of strings, as GetQueryResults gives them) out. The SQL is
built from athena_queries' checked names and windows, so nothing from the user reaches SQL raw.
"""

from __future__ import annotations

from typing import Dict, List, Mapping, Optional, Sequence, Tuple

from . import athena_queries as aq
from .summary import NEAR_TIMEOUT_S, TOP, LogSummary

Rows = Sequence[Sequence[Optional[str]]]


def _cloudfront_queries(name: str, where: str) -> List[aq.NamedQuery]:
    failed = "(sc_status >= 500 OR x_edge_detailed_result_type LIKE '%Origin%')"
    totals = (
        "SELECT cast(sc_status AS varchar) AS sc_status, x_edge_result_type, x_edge_detailed_result_type,\n"
        "       count(*) AS requests,\n"
        "       min(concat(cast(\"date\" AS varchar), ' ', time)) AS first_seen,\n"
        "       max(concat(cast(\"date\" AS varchar), ' ', time)) AS last_seen\n"
        f"FROM {name}\nWHERE {where}\nGROUP BY 1, 2, 3"
    )
    waits = (
        "SELECT cast(cast(floor(time_taken / 10.0 + 0.5) * 10 AS integer) AS varchar) AS wait_s,\n"
        "       count(*) AS requests, max(time_taken) AS slowest\n"
        f"FROM {name}\nWHERE {where}\n  AND time_taken >= {NEAR_TIMEOUT_S} AND time_taken < 1e7\nGROUP BY 1"
    )
    host = ("CASE WHEN x_host_header <> cs_host THEN concat(x_host_header, ' (', cs_host, ')') "
            "ELSE coalesce(x_host_header, cs_host) END")
    parts = []
    for dim, expr in (("path", "cs_uri_stem"), ("host", host), ("edge", "x_edge_location"), ("viewer", "c_ip")):
        parts.append(f"(SELECT '{dim}' AS dim, {expr} AS value, count(*) AS requests\n"
                     f" FROM {name}\n WHERE {where}\n   AND {failed}\n"
                     f" GROUP BY 2 ORDER BY 3 DESC LIMIT {TOP})")
    for dim, expr in (("edges", "x_edge_location"), ("viewers", "c_ip")):
        parts.append(f"(SELECT '{dim}' AS dim, NULL AS value, count(DISTINCT {expr}) AS requests\n"
                     f" FROM {name}\n WHERE {where}\n   AND {failed})")
    return [aq.NamedQuery("totals", "Requests by status and result type.", totals),
            aq.NamedQuery("near_timeouts", f"Requests that took ≥ {NEAR_TIMEOUT_S:g} s, by timeout multiple.", waits),
            aq.NamedQuery("failed_by", "Failed requests by path, host, edge and viewer.",
                          "\nUNION ALL\n".join(parts))]


def _alb_queries(name: str, where: str) -> List[aq.NamedQuery]:
    took = "date_diff('millisecond', from_iso8601_timestamp(request_creation_time), from_iso8601_timestamp(time))"
    totals = (
        "SELECT cast(elb_status_code AS varchar) AS elb_status_code, target_status_code, count(*) AS requests,\n"
        "       min(time) AS first_seen, max(time) AS last_seen,\n"
        "       count_if(request_processing_time = -1 OR target_processing_time = -1\n"
        "                OR response_processing_time = -1) AS unreachable,\n"
        f"       count_if(elb_status_code = 504 AND target_status_code = '-' AND {took} >= {int(NEAR_TIMEOUT_S * 1000)})"
        " AS slow_no_target\n"
        f"FROM {name}\nWHERE {where}\nGROUP BY 1, 2"
    )
    target = "concat(target_ip, ':', cast(target_port AS varchar))"
    parts = []
    for dim, expr, extra in (("target", target, ""), ("path", "url_extract_path(request_url)", ""),
                             ("host", "url_extract_host(request_url)", ""),
                             ("no_target", target, " AND elb_status_code = 504 AND target_status_code = '-'")):
        parts.append(f"(SELECT '{dim}' AS dim, coalesce({expr}, '-') AS value, count(*) AS requests\n"
                     f" FROM {name}\n WHERE {where}\n   AND elb_status_code >= 500{extra}\n"
                     f" GROUP BY 2 ORDER BY 3 DESC LIMIT {TOP})")
    return [aq.NamedQuery("totals", "Requests by ELB and target status.", totals),
            aq.NamedQuery("failed_by", "5xx by target, path and host; target-less 504s by target.",
                          "\nUNION ALL\n".join(parts))]


def summary_plan(kind: str, bucket: str, prefix: str, start: aq.DateLike, end: aq.DateLike,
                 table: Optional[str], database: str) -> aq.AthenaPlan:
    """The table DDL and the queries whose rows summary_from_rows() reads (ValueError on unsafe names)."""
    if kind == "alb":
        table = table or aq.ALB_TABLE
        ddl = aq.alb_table_ddl(bucket, prefix, start, table, database)
        return aq.AthenaPlan(ddl, _alb_queries(f"{aq.ident(database)}.{aq.ident(table)}", aq._alb_window(start, end)))
    table = table or aq.CLOUDFRONT_TABLE
    ddl = aq.cloudfront_table_ddl(bucket, prefix, table, database)
    return aq.AthenaPlan(ddl, _cloudfront_queries(f"{aq.ident(database)}.{aq.ident(table)}",
                                                  aq._cloudfront_window(start, end)))


def _records(rows: Rows) -> List[Dict[str, Optional[str]]]:
    """Result rows as dicts keyed by the header row (GetQueryResults' first row names the columns)."""
    if not rows:
        return []
    head = [str(h) for h in rows[0]]
    return [dict(zip(head, row)) for row in rows[1:]]


def _int(value: Optional[str]) -> int:
    try:
        return int(float(value or 0))
    except ValueError:
        return 0


def _float(value: Optional[str]) -> Optional[float]:
    try:
        return float(value) if value not in (None, "") else None
    except ValueError:
        return None


def _add(counts: Dict[str, int], key: Optional[str], n: int) -> None:
    key = "-" if key in (None, "") else str(key)
    counts[key] = counts.get(key, 0) + n


def _sorted(counts: Dict[str, int]) -> Dict[str, int]:
    return dict(sorted(counts.items(), key=lambda kv: -kv[1]))


def _by_dim(rows: Rows) -> Tuple[Dict[str, List[Tuple[str, int]]], Dict[str, int]]:
    tops: Dict[str, List[Tuple[str, int]]] = {}
    counts: Dict[str, int] = {}
    for r in _records(rows):
        dim, n = r.get("dim") or "", _int(r.get("requests"))
        if r.get("value") is None and dim in ("edges", "viewers"):
            counts[dim] = n
        else:
            tops.setdefault(dim, []).append((r.get("value") or "-", n))
    return {k: sorted(v, key=lambda kv: -kv[1])[:TOP] for k, v in tops.items()}, counts


def _times(records: List[Mapping[str, Optional[str]]]) -> Tuple[Optional[str], Optional[str]]:
    firsts = [r["first_seen"] for r in records if r.get("first_seen")]
    lasts = [r["last_seen"] for r in records if r.get("last_seen")]
    return (min(firsts) if firsts else None), (max(lasts) if lasts else None)


def summary_from_rows(kind: str, results: Mapping[str, Rows]) -> LogSummary:
    """The LogSummary the queries' result rows (by query name, header row first) add up to."""
    totals = _records(results.get("totals", ()))
    tops, distinct = _by_dim(results.get("failed_by", ()))
    first, last = _times(totals)
    summary = LogSummary(kind=kind, first_time=first, last_time=last,
                         top_error_paths=tops.get("path", []), top_error_hosts=tops.get("host", []))
    by_status: Dict[str, int] = {}
    if kind == "alb":
        for r in totals:
            n, status = _int(r.get("requests")), r.get("elb_status_code") or "-"
            summary.records += n
            _add(by_status, status, n)
            summary.unreachable_target += _int(r.get("unreachable"))
            if status.startswith("5"):
                summary.errors += n
                if status == "504" and r.get("target_status_code") in ("-", None, ""):
                    summary.no_target_504 += n
                    summary.no_target_504_near_timeout += _int(r.get("slow_no_target"))
        summary.no_target_504_by_target = tops.get("no_target", [])
        summary.error_targets = tops.get("target", [])
    else:
        by_rt: Dict[str, int] = {}
        by_drt: Dict[str, int] = {}
        for r in totals:
            n, status, drt = _int(r.get("requests")), r.get("sc_status") or "-", r.get("x_edge_detailed_result_type")
            summary.records += n
            _add(by_status, status, n)
            _add(by_rt, r.get("x_edge_result_type"), n)
            if drt not in (None, ""):
                _add(by_drt, drt, n)
            origin = drt is not None and "Origin" in drt
            summary.origin_errors += n if origin else 0
            summary.errors += n if origin or status.startswith("5") else 0
        summary.by_result_type, summary.by_detailed_result_type = _sorted(by_rt), _sorted(by_drt)
        for r in _records(results.get("near_timeouts", ())):
            n, slowest = _int(r.get("requests")), _float(r.get("slowest"))
            summary.near_timeout += n
            _add(summary.near_timeout_waits, r.get("wait_s"), n)
            if slowest is not None and (summary.slowest_s is None or slowest > summary.slowest_s):
                summary.slowest_s = slowest
        summary.error_edges, summary.error_viewers = tops.get("edge", []), tops.get("viewer", [])
        summary.error_edge_count = distinct.get("edges", len(summary.error_edges))
        summary.error_viewer_count = distinct.get("viewers", len(summary.error_viewers))
    summary.by_status = _sorted(by_status)
    summary.lines_read = summary.records
    return summary

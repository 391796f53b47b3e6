"""Provides the one AWS call sequence edgewiz sends that is not a read, and only when the user asks
for it (`edgewiz logs --athena-run --athena-output s3://...`): Athena StartQueryExecution for each
statement, GetQueryExecution polling with a progress line, then GetQueryResults.

Athena writes each statement's results to the S3 output location the user names, and the table's
CREATE EXTERNAL TABLE IF NOT EXISTS adds the table to the Glue catalog once. The client comes from
AwsAccess.client(..., opt_in="athena-run"): only that client's guard lets the three operations
through; every other client still refuses them.
"""

from __future__ import annotations

import time
from typing import Callable, Dict, List, Optional, Sequence

from botocore.exceptions import BotoCoreError, ClientError

from .errors import DENIED_CODES

OPT_IN = "athena-run"
_MAX_ROWS = 10_000  # the triage queries return a few dozen rows; this only bounds a surprise


class AthenaRunFailed(Exception):
    """A statement failed, was denied or did not finish: the message is one line that says what to do."""


def _error_line(exc: Exception, what: str) -> str:
    if isinstance(exc, ClientError):
        error = exc.response.get("Error", {})
        code, message = error.get("Code", ""), error.get("Message", "")
        if code in DENIED_CODES or "not authorized" in message.lower() or "access denied" in message.lower():
            return (f"Athena refused {what} ({code}): the role needs the actions `edgewiz iam-policy "
                    "--with-athena` lists (Athena, Glue, and s3:PutObject on the --athena-output location)")
        return (f"Athena could not {what} ({code}: {' '.join(message.split())[:200]}); check --workgroup, "
                "--database and --athena-output, then run again")
    return f"Athena could not {what} ({exc}); check the network and the region, then run again"


def _cell(datum: Dict[str, object]) -> Optional[str]:
    value = datum.get("VarCharValue")
    return None if value is None else str(value)


def run_statements(access, statements: Sequence[tuple], database: str, output_location: str,
                   workgroup: Optional[str] = None, progress: Callable[[str], None] = lambda _m: None,
                   timeout_s: float = 600.0, poll_s: float = 0.5) -> Dict[str, List[List[Optional[str]]]]:
    """Run (name, sql) statements one after another; their result rows (header row first) by name."""
    client = access.client("athena", opt_in=OPT_IN)
    results: Dict[str, List[List[Optional[str]]]] = {}
    for i, (name, sql) in enumerate(statements, start=1):
        label = f"statement {i}/{len(statements)} ({name})"
        kwargs = {"QueryString": sql, "QueryExecutionContext": {"Database": database},
                  "ResultConfiguration": {"OutputLocation": output_location}}
        if workgroup:
            kwargs["WorkGroup"] = workgroup
        try:
            query_id = client.start_query_execution(**kwargs)["QueryExecutionId"]
        except (ClientError, BotoCoreError) as exc:
            raise AthenaRunFailed(_error_line(exc, f"start {label}")) from None
        _wait(client, query_id, label, progress, timeout_s, poll_s)
        results[name] = _rows(client, query_id, label)
    return results


def _wait(client, query_id: str, label: str, progress, timeout_s: float, poll_s: float) -> None:
    started = time.monotonic()
    delay = poll_s
    while True:
        try:
            status = client.get_query_execution(QueryExecutionId=query_id)["QueryExecution"]["Status"]
        except (ClientError, BotoCoreError) as exc:
            raise AthenaRunFailed(_error_line(exc, f"report on {label}")) from None
        state = status.get("State", "")
        waited = time.monotonic() - started
        progress(f"athena {label}: {state.lower() or 'unknown'} ({waited:.0f} s)")
        if state == "SUCCEEDED":
            return
        if state in ("FAILED", "CANCELLED"):
            reason = " ".join(str(status.get("StateChangeReason") or state.lower()).split())
            raise AthenaRunFailed(f"Athena {label} {state.lower()}: {reason[:300]} (query id {query_id}; "
                                  "check the table's S3 location, the --database and the role's Athena, Glue "
                                  "and S3 permissions: edgewiz iam-policy --with-athena)")
        if waited >= timeout_s:
            raise AthenaRunFailed(f"Athena {label} still {state.lower()} after {timeout_s:.0f} s (query id "
                                  f"{query_id}); read it later with aws athena get-query-results")
        time.sleep(delay)
        delay = min(delay * 1.5, 5.0)  # short queries answer at once; long ones need not be asked often


def _rows(client, query_id: str, label: str) -> List[List[Optional[str]]]:
    rows: List[List[Optional[str]]] = []
    token = None
    try:
        while len(rows) < _MAX_ROWS:
            kwargs = {"QueryExecutionId": query_id}
            if token:
                kwargs["NextToken"] = token
            page = client.get_query_results(**kwargs)
            for row in page.get("ResultSet", {}).get("Rows", []):
                rows.append([_cell(d) for d in row.get("Data", [])])
            token = page.get("NextToken")
            if not token:
                break
    except (ClientError, BotoCoreError) as exc:
        raise AthenaRunFailed(_error_line(exc, f"read the results of {label}")) from None
    return rows

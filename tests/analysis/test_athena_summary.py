"""The triage built from Athena's result rows says what the local triage of the same log says, and
`edgewiz iam-policy --with-athena` (only with the flag) names the actions --athena-run needs."""

from __future__ import annotations

import json
import subprocess
import sys

from wizard.analysis.logs.athena_summary import summary_from_rows, summary_plan
from wizard.analysis.logs.log_triage import triage_lines
from wizard.lab.edge import access_log

LOG = "#Version: 1.0\n#Fields: " + access_log.FIELDS + "\n" + "".join(access_log.line(e) + "\n" for e in [
    {"date": "2025-08-28", "time": "05:49:25", "x-edge-location": "NRT20-P2", "c-ip": "54.249.34.116",
     "cs-method": "GET", "cs(Host)": "d111111abcdef8.cloudfront.net", "cs-uri-stem": "/company/30", "sc-status": 504,
     "x-edge-result-type": "Error", "time-taken": "10.021", "x-edge-detailed-result-type": "OriginError",
     "x-host-header": "www.example.com"},
    {"date": "2025-08-28", "time": "05:49:31", "x-edge-location": "NRT20-P2", "c-ip": "157.55.39.7",
     "cs-method": "GET", "cs(Host)": "d111111abcdef8.cloudfront.net", "cs-uri-stem": "/job/557", "sc-status": 504,
     "x-edge-result-type": "Error", "time-taken": "10.004", "x-edge-detailed-result-type": "OriginError",
     "x-host-header": "www.example.com"},
    {"date": "2025-08-28", "time": "05:49:20", "x-edge-location": "NRT20-P2", "c-ip": "54.249.34.116",
     "cs-method": "GET", "cs(Host)": "d111111abcdef8.cloudfront.net", "cs-uri-stem": "/company/30", "sc-status": 200,
     "x-edge-result-type": "Miss", "time-taken": "0.120", "x-edge-detailed-result-type": "Miss",
     "x-host-header": "www.example.com"}])

# What Athena answers for LOG with the summary_plan queries (header row first, as GetQueryResults gives it).
ROWS = {
    "totals": [["sc_status", "x_edge_result_type", "x_edge_detailed_result_type", "requests", "first_seen", "last_seen"],
               ["504", "Error", "OriginError", "2", "2025-08-28 05:49:25", "2025-08-28 05:49:31"],
               ["200", "Miss", "Miss", "1", "2025-08-28 05:49:20", "2025-08-28 05:49:20"]],
    "near_timeouts": [["wait_s", "requests", "slowest"], ["10", "2", "10.021"]],
    "failed_by": [["dim", "value", "requests"], ["path", "/company/30", "1"], ["path", "/job/557", "1"],
                  ["host", "www.example.com (d111111abcdef8.cloudfront.net)", "2"], ["edge", "NRT20-P2", "2"],
                  ["viewer", "54.249.34.116", "1"], ["viewer", "157.55.39.7", "1"],
                  ["edges", None, "1"], ["viewers", None, "2"]],
}


def test_athena_rows_give_the_same_lines_as_the_local_triage():
    local = triage_lines(LOG.splitlines(), "cloudfront")
    athena = summary_from_rows("cloudfront", ROWS)
    assert athena.lines() == local.lines()


def test_the_plan_runs_the_ddl_first_and_checks_names():
    plan = summary_plan("cloudfront", "web-edge-logs", "cf/", "2025-08-28", "2025-08-28", None, "default")
    assert plan.ddl.startswith("CREATE EXTERNAL TABLE IF NOT EXISTS default.cloudfront_standard_logs")
    assert [q.name for q in plan.queries] == ["totals", "near_timeouts", "failed_by"]
    alb = summary_plan("alb", "web-edge-logs", "AWSLogs/123456789012/elasticloadbalancing/us-east-1/",
                       "2025-08-28", "2025-08-28", None, "default")
    assert "target_status_code = '-'" in alb.queries[1].sql
    try:
        summary_plan("cloudfront", "web-edge-logs", "cf/", "2025-08-28", "2025-08-28", "x; DROP", "default")
    except ValueError:
        pass
    else:
        raise AssertionError("an unsafe table name reached SQL")


def test_alb_rows_count_targetless_504s():
    rows = {"totals": [["elb_status_code", "target_status_code", "requests", "first_seen", "last_seen", "unreachable",
                        "slow_no_target"],
                       ["504", "-", "3", "2025-08-28T05:49:35Z", "2025-08-28T05:59:35Z", "3", "2"],
                       ["200", "200", "7", "2025-08-28T05:40:00Z", "2025-08-28T05:50:00Z", "0", "0"]],
            "failed_by": [["dim", "value", "requests"], ["no_target", "10.0.12.34:80", "3"], ["target", "10.0.12.34:80", "3"]]}
    summary = summary_from_rows("alb", rows)
    assert summary.headline() == "3 of 10 ALB requests answered 5xx; 3 were 504s that never got a target response"
    assert summary.no_target_504_near_timeout == 2 and summary.no_target_504_by_target == [("10.0.12.34:80", 3)]


def _policy(*args):
    out = subprocess.run([sys.executable, "-m", "wizard", "iam-policy", *args], capture_output=True, text=True,
                         timeout=60)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def _actions(policy):
    return {a for s in policy["Statement"] for a in s["Action"]}


def test_iam_policy_names_athena_only_with_the_flag():
    plain = _actions(_policy())
    assert not any(a.startswith(("athena:", "glue:")) for a in plain) and "s3:PutObject" not in plain
    policy = _policy("--with-athena", "s3://athena-results/edgewiz/")
    assert {"athena:StartQueryExecution", "athena:GetQueryExecution", "athena:GetQueryResults", "glue:GetTable",
            "s3:PutObject"} <= _actions(policy)
    put = next(s for s in policy["Statement"] if "s3:PutObject" in s["Action"])
    assert put["Resource"] == ["arn:aws:s3:::athena-results", "arn:aws:s3:::athena-results/edgewiz/*"]

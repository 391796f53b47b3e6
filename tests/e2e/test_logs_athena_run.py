"""`edgewiz logs --athena-run` against the lab's AWS server: the opt-in runs the DDL and the triage
queries through Athena and prints the same triage a local file gives; without the opt-in the guard
refuses Athena; a failed query or a missing --athena-output is one line, exit 2.

moto runs no SQL: the lab queues the rows Athena would have counted (LabAwsServer.queue_athena_results),
one result per StartQueryExecution, in the order edgewiz sends them (the DDL first).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Dict

import pytest

from tests.shared_lab import shared_aws_server

pytestmark = pytest.mark.lab

CF_TOTALS = [["sc_status", "x_edge_result_type", "x_edge_detailed_result_type", "requests", "first_seen", "last_seen"],
             ["504", "Error", "OriginError", "2", "2025-08-28 05:49:25", "2025-08-28 05:49:31"],
             ["200", "Miss", "Miss", "1", "2025-08-28 05:49:20", "2025-08-28 05:49:20"]]
CF_WAITS = [["wait_s", "requests", "slowest"], ["10", "2", "10.021"]]
CF_FAILED = [["dim", "value", "requests"], ["path", "/company/30", "1"], ["path", "/job/557", "1"],
             ["host", "www.example.com (d111111abcdef8.cloudfront.net)", "2"], ["edge", "NRT20-P2", "2"],
             ["viewer", "54.249.34.116", "1"], ["viewer", "157.55.39.7", "1"],
             ["edges", None, "1"], ["viewers", None, "2"]]
DDL_RESULT = []  # CREATE TABLE answers no rows


def edgewiz(*args: str, env: Dict[str, str]) -> subprocess.CompletedProcess:
    base = {"PATH": "/usr/bin:/bin", "HOME": str(Path.home()), "EDGEWIZ_QUIET": "1"}
    return subprocess.run([sys.executable, "-m", "wizard", *args], capture_output=True, text=True, timeout=60,
                          env=dict(base, **env))


@pytest.fixture
def lab_env():
    server = shared_aws_server()
    server.reset()
    server.client("s3").create_bucket(Bucket="athena-results")
    return server, {"AWS_ENDPOINT_URL": server.endpoint, "AWS_DEFAULT_REGION": "us-east-1",
                    "AWS_ACCESS_KEY_ID": server.access_key,
                    "AWS_SECRET_ACCESS_KEY": server.credentials()["aws_secret_access_key"]}


def test_athena_run_prints_the_triage_from_athenas_results(lab_env):
    """The opt-in runs the four statements and says what a local triage of the same log says."""
    server, env = lab_env
    server.queue_athena_results([DDL_RESULT, CF_TOTALS, CF_WAITS, CF_FAILED])
    out = edgewiz("logs", "s3://web-edge-logs/cloudfront/", "--athena-run",
                  "--athena-output", "s3://athena-results/edgewiz/", env=env)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("CloudFront access logs: 2 of 3 CloudFront requests ended in an origin error "
                                 "(66.7%), 2 took ≥ 9.5 s")
    assert "Failing paths: /company/30 ×1, /job/557 ×1." in out.stdout
    assert "≈10 s ×2" in out.stdout and "c-ip is the viewer's address" in out.stdout
    assert "written to s3://athena-results/edgewiz/" in out.stdout
    athena = server.client("athena")
    sent = [athena.get_query_execution(QueryExecutionId=i)["QueryExecution"]["Query"]
            for i in athena.list_query_executions()["QueryExecutionIds"]]
    assert any(q.startswith("CREATE EXTERNAL TABLE IF NOT EXISTS default.cloudfront_standard_logs") for q in sent)
    assert len(sent) == 4


def test_athena_run_json_has_the_same_counts(lab_env):
    server, env = lab_env
    server.queue_athena_results([DDL_RESULT, CF_TOTALS, CF_WAITS, CF_FAILED])
    out = edgewiz("logs", "s3://web-edge-logs/cloudfront/", "--athena-run", "--json",
                  "--athena-output", "s3://athena-results/edgewiz/", env=env)
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    assert (report["records"], report["origin_errors"], report["near_timeout"]) == (3, 2, 2)
    assert report["error_viewer_count"] == 2 and report["athena_output"] == "s3://athena-results/edgewiz/"


def test_athena_run_needs_an_output_location(lab_env):
    _server, env = lab_env
    out = edgewiz("logs", "s3://web-edge-logs/cloudfront/", "--athena-run", env=env)
    assert out.returncode == 2 and "--athena-output" in out.stderr
    assert "Traceback" not in out.stderr and len(out.stderr.strip().splitlines()) == 1


def test_a_failed_query_is_one_line_that_says_what_to_do(lab_env):
    """Athena refusing the workgroup (here: one that does not exist) is one line naming the next step."""
    _server, env = lab_env
    out = edgewiz("logs", "s3://web-edge-logs/cloudfront/", "--athena-run", "--workgroup", "no-such-group",
                  "--athena-output", "s3://athena-results/edgewiz/", env=env)
    assert out.returncode == 2, out.stdout
    assert "Traceback" not in out.stderr and len(out.stderr.strip().splitlines()) == 1
    assert "Athena" in out.stderr


def test_without_the_opt_in_the_guard_refuses_athena(lab_env):
    """A normal guarded client cannot start a query; the opt-in client of another access can."""
    from wizard.aws.guard import WriteRefused
    from wizard.aws.session import AwsAccess

    server, _env = lab_env
    access = AwsAccess(region="us-east-1", endpoint_url=server.endpoint, credentials=server.credentials())
    with pytest.raises(WriteRefused):
        access.client("athena").start_query_execution(QueryString="SELECT 1",
                                                      ResultConfiguration={"OutputLocation": "s3://athena-results/"})
    assert access.calls == []
    opted = access.client("athena", opt_in="athena-run")
    assert opted.start_query_execution(QueryString="SELECT 1",
                                       ResultConfiguration={"OutputLocation": "s3://athena-results/"})["QueryExecutionId"]
    with pytest.raises(WriteRefused):  # the opt-in widened that one client only
        access.client("athena").start_query_execution(QueryString="SELECT 1",
                                                      ResultConfiguration={"OutputLocation": "s3://athena-results/"})


def test_a_denied_query_names_the_policy_to_attach(lab_env):
    """Credentials Athena refuses (the lab's gate answers 403 for a key it does not know): one line that
    points at `edgewiz iam-policy --with-athena`, no traceback."""
    _server, env = lab_env
    out = edgewiz("logs", "s3://web-edge-logs/cloudfront/", "--athena-run",
                  "--athena-output", "s3://athena-results/edgewiz/", env=dict(env, AWS_ACCESS_KEY_ID="AKIAEXAMPLEWRONG1234"))
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1
    assert "Athena refused" in out.stderr and "edgewiz iam-policy --with-athena" in out.stderr

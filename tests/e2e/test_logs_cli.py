"""`edgewiz logs` as a user meets it: a CloudFront log file, a .gz, a directory, an ALB log, the logging
bucket, and the Athena SQL it prints (and never runs)."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from pathlib import Path
from typing import Dict, List

import pytest

from wizard.lab.edge import access_log

ALB_504 = ('https 2025-08-28T05:49:35.130000Z app/web-alb/50dc6c495c0c9188 130.176.98.71:41234 10.0.12.34:80 '
           '0.000 -1 -1 504 - 210 622 "GET https://www.example.com:443/company/30 HTTP/1.1" "Mozilla/5.0" '
           'ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 '
           'arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:targetgroup/web/73e2d6bc24d8a067 '
           '"Root=1-58337262-36d228ad5d99923122bbe354" "www.example.com" "-" 0 2025-08-28T05:49:25.120000Z '
           '"forward" "-" "-" "10.0.12.34:80" "-" "-" "-" TID_1')
ALB_200 = ALB_504.replace(" 0.000 -1 -1 504 - ", " 0.001 0.004 0.000 200 200 ").replace('"10.0.12.34:80" "-"',
                                                                                         '"10.0.12.34:80" "200"')


def edgewiz(*args: str, env: Dict[str, str] = None) -> subprocess.CompletedProcess:
    base = {"PATH": "/usr/bin:/bin", "HOME": str(Path.home()), "EDGEWIZ_QUIET": "1"}
    return subprocess.run([sys.executable, "-m", "wizard", *args], capture_output=True, text=True, timeout=60,
                          env=dict(base, **(env or {})))


def cloudfront_log(entries: List[Dict[str, object]]) -> str:
    """A CloudFront standard log file (with its #Fields header) written the way the lab's edge writes one."""
    return "#Version: 1.0\n#Fields: " + access_log.FIELDS + "\n" + "".join(access_log.line(e) + "\n" for e in entries)


def entry(status: int, detailed: str, taken: float, ip: str, path: str = "/company/30") -> Dict[str, object]:
    return {"date": "2025-08-28", "time": "05:49:25", "x-edge-location": "NRT20-P2", "c-ip": ip, "cs-method": "GET",
            "cs(Host)": "d111111abcdef8.cloudfront.net", "cs-uri-stem": path, "sc-status": status,
            "x-edge-result-type": "Error" if status >= 400 else "Miss", "time-taken": f"{taken:.3f}",
            "x-edge-detailed-result-type": detailed, "x-host-header": "www.example.com"}


SEED_003 = cloudfront_log([entry(504, "OriginError", 10.021, "54.249.34.116"),
                           entry(504, "OriginError", 10.004, "157.55.39.7", "/job/557"),
                           entry(200, "Miss", 0.120, "54.249.34.116")])


def test_cloudfront_file_counts_origin_errors_and_says_cip_is_the_viewer(tmp_path):
    """Seed 003's log: 2 of 3 requests are OriginError near 10 s, and c-ip is called the viewer, not an edge."""
    log = tmp_path / "E2EXAMPLE.2025-08-28-05.abcd1234"
    log.write_text(SEED_003)
    out = edgewiz("logs", str(log))
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("CloudFront access logs: 2 of 3 CloudFront requests ended in an origin error")
    assert "OriginError ×2" in out.stdout and "≈10 s ×2" in out.stdout
    assert "c-ip is the viewer's address" in out.stdout and "not a CloudFront edge" in out.stdout


def test_gz_files_in_a_directory_are_read_together(tmp_path):
    """A folder of gzipped log files (as CloudFront delivers them) is triaged as one log."""
    for i, part in enumerate((SEED_003, SEED_003)):
        (tmp_path / f"E2EXAMPLE.2025-08-28-0{i}.gz").write_bytes(gzip.compress(part.encode()))
    report = json.loads(edgewiz("logs", str(tmp_path), "--json").stdout)
    assert (report["kind"], report["records"], report["origin_errors"]) == ("cloudfront", 6, 4)


def test_alb_log_is_recognised_and_its_targetless_504s_counted(tmp_path):
    """An ALB log needs no --kind: a 504 with target_status_code '-' after 10 s is called out."""
    log = tmp_path / "alb.log"
    log.write_text(ALB_504 + "\n" + ALB_200 + "\n")
    out = edgewiz("logs", str(log))
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("ALB access logs: 1 of 2 ALB requests answered 5xx; 1 were 504s that never got")
    assert "10.0.12.34:80" in out.stdout


def test_athena_prints_the_sql_and_the_commands_without_running_them(tmp_path):
    """--athena with the logs' S3 location prints the DDL, the queries and start-query-execution commands."""
    log = tmp_path / "cf.log"
    log.write_text(SEED_003)
    out = edgewiz("logs", str(log), "--athena", "--location", "s3://web-edge-logs/cloudfront/",
                  "--database", "edge", "--table", "cf_logs")
    assert out.returncode == 0, out.stderr
    assert "CREATE EXTERNAL TABLE IF NOT EXISTS edge.cf_logs" in out.stdout
    assert "LOCATION 's3://web-edge-logs/cloudfront/'" in out.stdout
    assert "-- Not run" in out.stdout and out.stdout.count("aws athena start-query-execution") == 4
    assert "--query-execution-context Database=edge" in out.stdout


def test_athena_without_an_s3_location_is_one_clear_line(tmp_path):
    """A local file has no S3 location for the table: --athena asks for --location, exit 2."""
    log = tmp_path / "cf.log"
    log.write_text(SEED_003)
    out = edgewiz("logs", str(log), "--athena")
    assert out.returncode == 2 and "Traceback" not in out.stderr and "--location s3://" in out.stderr


def test_unsafe_athena_names_are_refused(tmp_path):
    """A table name that is not a plain Athena identifier never reaches the SQL."""
    log = tmp_path / "cf.log"
    log.write_text(SEED_003)
    out = edgewiz("logs", str(log), "--athena", "--location", "s3://web-edge-logs/cf/", "--table", "x; DROP")
    assert out.returncode == 2 and "cannot write the Athena SQL" in out.stderr


def test_a_missing_path_is_one_clear_line(tmp_path):
    """A path that does not exist is reported plainly, with the S3 form suggested."""
    out = edgewiz("logs", str(tmp_path / "nope.log"))
    assert out.returncode == 2 and "no such file or directory" in out.stderr and "s3://" in out.stderr


@pytest.fixture(scope="module")
def log_bucket():
    """A lab AWS server with CloudFront logs in a bucket, and the environment that points the CLI at it."""
    from tests.shared_lab import shared_aws_server

    server = shared_aws_server()  # the session's server: a server of its own cost a start and a warm-up
    server.reset()
    s3 = server.client("s3")
    s3.create_bucket(Bucket="web-edge-logs")
    s3.put_object(Bucket="web-edge-logs", Key="cloudfront/E2EXAMPLE.2025-08-28-05.abcd1234.gz",
                  Body=gzip.compress(SEED_003.encode()))
    return {"AWS_ENDPOINT_URL": server.endpoint, "AWS_DEFAULT_REGION": "us-east-1",
            "AWS_ACCESS_KEY_ID": server.access_key,  # the lab refuses any other key
            "AWS_SECRET_ACCESS_KEY": server.credentials()["aws_secret_access_key"]}


@pytest.mark.lab
def test_logging_bucket_is_read_and_triaged(log_bucket):
    """s3://bucket/prefix reads the newest log objects (read-only) and gives the same triage as a local file."""
    out = edgewiz("logs", "s3://web-edge-logs/cloudfront/", "--json", env=log_bucket)
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    assert (report["records"], report["origin_errors"], report["near_timeout"]) == (3, 2, 2)
    assert any("s3://web-edge-logs/cloudfront/" in note for note in report["notes"])

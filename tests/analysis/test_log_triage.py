"""Log triage for the 504 story (seed 003): what CloudFront and ALB logs say, from files, .gz and S3."""

from __future__ import annotations

import datetime
import gzip
import io
import time

import pytest

from wizard.analysis.logs.alb_logs import parse_alb
from wizard.analysis.logs.cloudfront_logs import DEFAULT_FIELDS, parse_cloudfront
from wizard.analysis.logs.log_triage import triage_alb, triage_cloudfront, triage_lines
from wizard.analysis.logs.summary import FINDING_ID
from wizard.logsource import ReadReport, binary_lines, open_lines

HEADER = ["#Version: 1.0", "#Fields: " + " ".join(DEFAULT_FIELDS)]


def _cf(time_, edge, ip, path, status, result, detailed, taken, date="2025-08-28"):
    values = {f: "-" for f in DEFAULT_FIELDS}
    values.update({
        "date": date, "time": time_, "x-edge-location": edge, "sc-bytes": "900", "c-ip": ip,
        "cs-method": "GET", "cs(Host)": "d111111abcdef8.cloudfront.net", "cs-uri-stem": path,
        "sc-status": status, "cs(User-Agent)": "Mozilla/5.0%20(Macintosh)", "x-edge-result-type": result,
        "x-edge-request-id": "req==", "x-host-header": "www.example.com", "cs-protocol": "https",
        "cs-bytes": "300", "time-taken": taken, "x-edge-response-result-type": result,
        "cs-protocol-version": "HTTP/2.0", "c-port": "50000", "time-to-first-byte": taken,
        "x-edge-detailed-result-type": detailed,
    })
    return "\t".join(values[f] for f in DEFAULT_FIELDS)


def seed003_cloudfront_log():
    """CloudFront → ALB → ECS after SG1 was detached: cached assets still 200, pages 504 after 10 s."""
    lines = list(HEADER)
    # The two lines the seed article quotes (its engineers read these c-ip values as edge addresses).
    lines.append(_cf("05:49:25", "NRT20-P2", "54.249.34.116", "/company/30", "504", "Error", "OriginError", "10.012"))
    lines.append(_cf("05:49:34", "SEA19-C2", "157.55.39.7", "/job/557", "504", "Error", "OriginError", "10.006"))
    for i in range(10):
        lines.append(_cf(f"05:50:{i:02d}", "NRT57-C1", f"203.0.113.{i + 1}", "/assets/app.css", "200", "Hit", "Hit", "0.002"))
    for i in range(6):
        lines.append(_cf(f"05:51:{i:02d}", "NRT20-P2", f"198.51.100.{i + 1}", "/company/30", "504", "Error",
                         "OriginError", "10.003"))
    lines.append(_cf("05:52:00", "KIX56-P1", "192.0.2.7", "/", "504", "Error", "OriginError", "9.998"))
    return lines


def seed003_alb_log():
    """The ALB side of the same minutes: 504s with no target response, 10 s after each request."""
    out = []
    for i, path in enumerate(["/company/30", "/job/557", "/company/30"]):
        out.append(
            f'https 2025-08-28T05:49:{25 + i}.120000Z app/web-alb/50dc6c495c0c9188 130.176.98.{71 + i}:41234 '
            f'10.0.12.34:80 -1 -1 -1 504 - 512 613 "GET https://www.example.com:443{path} HTTP/1.1" '
            '"Amazon CloudFront" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 '
            'arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:targetgroup/web/73e2d6bc24d8a067 '
            f'"Root=1-68afee05-1d84f3d73c47ec4e5857725{i}" "www.example.com" "session-reused" 0 '
            f'2025-08-28T05:49:{15 + i}.110000Z "forward" "-" "-" "10.0.12.34:80" "-" "-" "-" TID_abc'
        )
    out.append(
        'https 2025-08-28T05:48:00.000000Z app/web-alb/50dc6c495c0c9188 130.176.98.80:41000 10.0.12.35:80 '
        '0.001 0.020 0.000 200 200 400 5000 "GET https://www.example.com:443/healthz HTTP/1.1" "ELB-HealthChecker/2.0" '
        'ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:targetgroup/web/73e '
        '"Root=1-1" "www.example.com" "session-reused" 0 2025-08-28T05:47:59.980000Z "forward" "-" "-" '
        '"10.0.12.35:80" "200" "-" "-" TID_def'
    )
    return out


# -- CloudFront ---------------------------------------------------------------------------------


def test_seed003_counts_origin_errors():
    """Nine of the nineteen requests ended in OriginError, and the summary says so."""
    summary = triage_cloudfront(parse_cloudfront(seed003_cloudfront_log()))
    assert summary.records == 19
    assert summary.origin_errors == 9
    assert summary.by_detailed_result_type["OriginError"] == 9
    assert summary.by_status == {"200": 10, "504": 9}
    assert "9 of 19 CloudFront requests ended in an origin error" in summary.headline()


def test_seed003_flags_the_ten_second_wait():
    """Every 504 took about 10 s (time-taken ≥ 9.5 s): a connect timeout, said in the evidence."""
    summary = triage_cloudfront(parse_cloudfront(seed003_cloudfront_log()))
    assert summary.near_timeout == 9
    assert summary.near_timeout_waits == {"10": 9}
    assert any("connect timeout" in line for line in summary.lines())


def test_seed003_says_c_ip_is_the_viewer_not_an_edge():
    """The text names the seed's c-ip values as viewers and says plainly they are not CloudFront edges."""
    text = "\n".join(triage_cloudfront(parse_cloudfront(seed003_cloudfront_log())).lines())
    assert "c-ip is the viewer's address" in text
    assert "not a CloudFront edge" in text
    assert "54.249.34.116" in text or "198.51.100.1" in text
    assert "origin-facing" in text


def test_seed003_names_the_failing_paths_and_edges():
    """The failing paths come out most frequent first, with the host, and the edges involved are named."""
    summary = triage_cloudfront(parse_cloudfront(seed003_cloudfront_log()))
    assert summary.top_error_paths[0] == ("/company/30", 7)
    assert ("/job/557", 1) in summary.top_error_paths
    assert summary.top_error_hosts[0] == ("www.example.com (d111111abcdef8.cloudfront.net)", 9)
    assert summary.error_edge_count == 3
    assert "/assets/app.css" not in dict(summary.top_error_paths)


def test_seed003_time_range():
    """The summary gives the first and last request times it saw."""
    summary = triage_cloudfront(parse_cloudfront(seed003_cloudfront_log()))
    assert (summary.first_time, summary.last_time) == ("2025-08-28 05:49:25", "2025-08-28 05:52:00")


def test_hit_is_the_info_finding_with_evidence():
    """hits() raises logs.origin-errors as info, with the summary and evidence filled in."""
    summary = triage_cloudfront(parse_cloudfront(seed003_cloudfront_log()))
    (hit,) = summary.hits(athena="SELECT 1")
    assert hit.id == FINDING_ID == "logs.origin-errors"
    assert hit.severity == "info"
    assert hit.params["summary"] == summary.headline()
    assert hit.params["athena"] == "SELECT 1"
    assert any("OriginError ×9" in e for e in hit.evidence)


def test_no_records_no_hit():
    """An empty log raises no finding."""
    assert triage_cloudfront(parse_cloudfront(HEADER)).hits() == []


def test_malformed_lines_reach_the_summary():
    """Lines the parser skipped are counted in the summary and its evidence."""
    summary = triage_cloudfront(parse_cloudfront(seed003_cloudfront_log() + ["junk", "more\tjunk"]))
    assert summary.malformed == 2
    assert any("2 line(s) could not be read" in e for e in summary.evidence())


def test_control_characters_from_logs_are_escaped_in_evidence():
    """A path that decodes to a newline or escape sequence is shown escaped, never raw."""
    lines = HEADER + [_cf("05:49:25", "NRT20-P2", "192.0.2.1", "/x%0A%1B[31mred", "504", "Error", "OriginError", "1")]
    evidence = triage_cloudfront(parse_cloudfront(lines)).evidence()
    paths = next(e for e in evidence if e.startswith("Failing paths"))
    assert "\n" not in paths and "\x1b" not in paths
    assert "\\n" in paths


def test_absurd_time_taken_values_are_not_timeouts():
    """time-taken of "inf" or "nan" neither crashes the triage nor counts as a connect timeout."""
    lines = HEADER + [_cf("05:49:25", "NRT20-P2", "192.0.2.1", "/x", "504", "Error", "OriginError", v)
                      for v in ("inf", "nan", "1e400", "abc")]
    summary = triage_cloudfront(parse_cloudfront(lines))
    assert summary.origin_errors == 4
    assert summary.near_timeout == 0


def test_many_distinct_paths_keep_memory_bounded():
    """A log with more distinct failing paths than the counter keeps is summarised and marked approximate."""
    lines = HEADER + [_cf("05:49:25", "NRT20-P2", "192.0.2.1", f"/p/{i}", "502", "Error", "OriginError", "1")
                      for i in range(25_000)]
    summary = triage_cloudfront(parse_cloudfront(lines))
    assert summary.origin_errors == 25_000
    assert summary.approximate is True
    assert any("approximate" in e for e in summary.evidence())


# -- ALB ----------------------------------------------------------------------------------------


def test_seed003_alb_504_without_target():
    """Three 504s with target_status_code '-', all at the same ECS task address."""
    summary = triage_alb(parse_alb(seed003_alb_log()))
    assert summary.no_target_504 == 3
    assert summary.no_target_504_by_target == [("10.0.12.34:80", 3)]
    assert summary.unreachable_target == 3
    assert "3 were 504s that never got a target response" in summary.headline()


def test_seed003_alb_504s_waited_ten_seconds():
    """Each no-target 504 came 10 s after the request: the ALB's connect timeout, named as such."""
    summary = triage_alb(parse_alb(seed003_alb_log()))
    assert summary.no_target_504_near_timeout == 3
    assert any("connect timeout to the target" in line for line in summary.lines())


def test_alb_error_reason_is_counted():
    """error_reason values (here a Lambda failure) are counted when the field is present."""
    line = ('http 2018-11-30T22:23:00.186641Z app/my-loadbalancer/50dc6c495c0c9188 192.168.131.39:2817 - 0.000 0.001 '
            '0.000 502 - 34 366 "GET http://www.example.com:80/ HTTP/1.1" "curl/7.46.0" - - '
            'arn:aws:elasticloadbalancing:us-east-2:123456789012:targetgroup/my-targets/73e2d6bc24d8a067 '
            '"Root=1-58337364-23a8c76965a2ef7629b185e3" "-" "-" 0 2018-11-30T22:22:48.364000Z "forward" "-" '
            '"LambdaInvalidResponse" "-" "-" "-" "-"')
    summary = triage_alb(parse_alb([line]))
    assert summary.error_reasons == {"LambdaInvalidResponse": 1}
    assert summary.no_target_504 == 0


def test_alb_summary_does_not_call_client_a_viewer():
    """ALB evidence says client:port behind CloudFront is a CloudFront server, not the viewer."""
    text = "\n".join(triage_alb(parse_alb(seed003_alb_log())).lines())
    assert "origin-facing server, not the viewer" in text


# -- reading files and streams ------------------------------------------------------------------


def test_gz_file_is_read(tmp_path):
    """A gzip log file is unpacked on the fly and triaged like plain text."""
    path = tmp_path / "E2EXAMPLE.2025-08-28-05.abcd1234.gz"
    path.write_bytes(gzip.compress(("\n".join(seed003_cloudfront_log()) + "\n").encode()))
    summary = triage_lines(open_lines(str(path)))
    assert summary.kind == "cloudfront"
    assert summary.origin_errors == 9


def test_directory_of_plain_and_gz_files(tmp_path):
    """A directory mixing .gz and plain files (nested, as ALB writes them) is read file by file."""
    day = tmp_path / "2025" / "08" / "28"
    day.mkdir(parents=True)
    log = seed003_alb_log()
    (day / "a.log.gz").write_bytes(gzip.compress(("\n".join(log[:2]) + "\n").encode()))
    (day / "b.log").write_text("\n".join(log[2:]) + "\n")
    source = open_lines(str(tmp_path))
    summary = triage_lines(source)
    assert summary.kind == "alb"
    assert summary.records == 4 and summary.no_target_504 == 3
    assert source.files == 2


def test_damaged_gz_is_noted_not_fatal(tmp_path):
    """A gzip file cut short yields the lines before the damage and a note, not an exception."""
    data = gzip.compress(("\n".join(seed003_cloudfront_log()) + "\n").encode() * 50)
    (tmp_path / "torn.gz").write_bytes(data[: len(data) // 2])
    source = open_lines(str(tmp_path / "torn.gz"))
    summary = triage_lines(source)
    assert summary.records > 0
    assert any("damaged" in note for note in summary.notes)


def test_byte_limit_drops_the_partial_last_line():
    """Reading with a byte budget stops there and never yields half a line."""
    text = b"".join(f"line {i:04d} {'x' * 40}\n".encode() for i in range(100))
    report = ReadReport()
    lines = list(binary_lines(io.BytesIO(text), limit=1000, report=report))
    assert report.cut is True
    assert lines and all(line.endswith("\n") for line in lines)
    assert len(lines) == 1000 // 51


# -- the logging bucket (moto stands in for S3) -------------------------------------------------


@pytest.fixture
def s3_logs(monkeypatch):
    """A moto S3 with a CloudFront logging bucket, plus a guarded AwsAccess against it."""
    moto = pytest.importorskip("moto")
    import boto3

    from wizard.aws.session import AwsAccess

    for var, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                       "AWS_SESSION_TOKEN": "testing", "AWS_DEFAULT_REGION": "us-east-1"}.items():
        monkeypatch.setenv(var, value)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    with moto.mock_aws():
        raw = boto3.client("s3", region_name="us-east-1")
        raw.create_bucket(Bucket="edge-logs-bucket")
        yield raw, AwsAccess(region="us-east-1")


def _put_log(raw, key, lines):
    raw.put_object(Bucket="edge-logs-bucket", Key=key, Body=gzip.compress(("\n".join(lines) + "\n").encode()))


def test_bucket_lines_newest_first_within_budget(s3_logs):
    """Objects are read newest first (by LastModified); past the byte budget the rest are skipped and counted."""
    from wizard.aws.log_bucket import iter_log_lines

    raw, access = s3_logs
    _put_log(raw, "cf/E2EXAMPLE.2025-08-28-06.b.gz", HEADER + [_cf("06:00:00", "NRT20-P2", "192.0.2.1", "/b", "200", "Hit", "Hit", "0.1")])
    _put_log(raw, "cf/E2EXAMPLE.2025-08-28-07.c.gz", HEADER + [_cf("07:00:00", "NRT20-P2", "192.0.2.1", "/c", "200", "Hit", "Hit", "0.1")])
    time.sleep(1.05)  # S3 LastModified has one-second resolution
    _put_log(raw, "cf/E2EXAMPLE.2025-08-28-05.a.gz", HEADER + [_cf("05:00:00", "NRT20-P2", "192.0.2.1", "/a", "200", "Hit", "Hit", "0.1")])
    size = raw.head_object(Bucket="edge-logs-bucket", Key="cf/E2EXAMPLE.2025-08-28-05.a.gz")["ContentLength"]
    lines = iter_log_lines(access, "edge-logs-bucket", "cf/", max_bytes=size)
    records = list(parse_cloudfront(lines))
    assert [r["cs-uri-stem"] for r in records] == ["/a"]
    assert (lines.read, lines.skipped) == (1, 2)
    assert any("Skipped 2 older object(s)" in note for note in lines.notes)
    assert set(access.calls) <= {("s3", "ListObjectsV2"), ("s3", "GetObject")}


def test_recent_cloudfront_triage_from_the_bucket(s3_logs):
    """The probe helper reads the distribution's recent files (by its Logging.Bucket domain) and triages them."""
    from wizard.aws.log_bucket import recent_cloudfront_triage

    raw, access = s3_logs
    now = datetime.datetime.now(datetime.timezone.utc)
    _put_log(raw, f"cf/E2EXAMPLE.{now:%Y-%m-%d-%H}.a.gz", seed003_cloudfront_log())
    _put_log(raw, f"cf/EOTHERDIST.{now:%Y-%m-%d-%H}.a.gz", HEADER + [_cf("05:00:00", "X", "192.0.2.1", "/other", "502", "Error", "OriginError", "1")])
    data = recent_cloudfront_triage(access, "edge-logs-bucket.s3.amazonaws.com", "cf/", distribution_id="E2EXAMPLE")
    assert data["summary"].startswith("9 of 19 CloudFront requests ended in an origin error")
    assert data["read"]["read"] == 1
    assert data["athena"] is None
    assert any("not a CloudFront edge" in e for e in data["evidence"])


def test_recent_cloudfront_triage_offers_athena_when_logs_were_left_unread(s3_logs):
    """When the budget leaves files unread, the result carries the Athena script for the whole range."""
    from wizard.aws.log_bucket import recent_cloudfront_triage

    raw, access = s3_logs
    now = datetime.datetime.now(datetime.timezone.utc)
    for suffix in "abc":
        _put_log(raw, f"cf/E2EXAMPLE.{now:%Y-%m-%d-%H}.{suffix}.gz", seed003_cloudfront_log())
    data = recent_cloudfront_triage(access, "edge-logs-bucket", "cf/", distribution_id="E2EXAMPLE", max_bytes=10)
    assert data["read"]["skipped"] + data["read"]["partial"] >= 2
    assert "CREATE EXTERNAL TABLE IF NOT EXISTS default.cloudfront_standard_logs" in data["athena"]
    assert "LOCATION 's3://edge-logs-bucket/cf/'" in data["athena"]


def test_recent_cloudfront_triage_with_no_logs_says_so(s3_logs):
    """An empty logging prefix gives a plain sentence, not an error."""
    from wizard.aws.log_bucket import recent_cloudfront_triage

    _raw, access = s3_logs
    data = recent_cloudfront_triage(access, "edge-logs-bucket", "cf/", distribution_id="E2EXAMPLE")
    assert data["summary"].startswith("No log objects newer than")

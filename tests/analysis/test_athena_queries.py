"""Athena SQL for big logs: AWS's documented tables with our names filled in, and no way to inject."""

from __future__ import annotations

import datetime
import re

import pytest

from wizard.analysis.logs import athena_queries as aq
from wizard.analysis.logs.cloudfront_logs import DEFAULT_FIELDS

ALB_PREFIX = "alb/AWSLogs/123456789012/elasticloadbalancing/ap-northeast-1/"


def _hive_unescape(literal: str) -> str:
    """What Hive makes of a single-quoted DDL string: `\\x` becomes `x`."""
    assert literal[0] == literal[-1] == "'"
    return re.sub(r"\\(.)", lambda m: m.group(1), literal[1:-1])


def test_cloudfront_ddl_columns_follow_the_log_fields():
    """The CloudFront table has one column per documented log field, in the same order."""
    ddl = aq.cloudfront_table_ddl("edge-logs-bucket", "cf/")
    body = ddl[ddl.index("(") + 1: ddl.index("\n)")]
    columns = [line.split()[0].strip("`") for line in body.strip().splitlines()]
    assert len(columns) == len(DEFAULT_FIELDS) == 33
    assert columns[:5] == ["date", "time", "x_edge_location", "sc_bytes", "c_ip"]
    assert columns[28] == "x_edge_detailed_result_type"


def test_cloudfront_ddl_fills_location_and_skips_the_two_header_lines():
    """The LOCATION is the bucket and prefix given, and the two #Version/#Fields lines are skipped."""
    ddl = aq.cloudfront_table_ddl("edge-logs-bucket", "cf", table="cf_logs", database="edgewiz")
    assert ddl.startswith("CREATE EXTERNAL TABLE IF NOT EXISTS edgewiz.cf_logs (")
    assert "LOCATION 's3://edge-logs-bucket/cf/'" in ddl
    assert "FIELDS TERMINATED BY '\\t'" in ddl
    assert "'skip.header.line.count'='2'" in ddl


def test_alb_ddl_uses_partition_projection_from_the_start_day():
    """The ALB table projects `day` from the range's first day over the given folder."""
    ddl = aq.alb_table_ddl("edge-logs-bucket", ALB_PREFIX, datetime.date(2025, 8, 28))
    assert '"projection.day.range" = "2025/08/28,NOW"' in ddl
    assert f"LOCATION 's3://edge-logs-bucket/{ALB_PREFIX}'" in ddl
    assert f'"storage.location.template" = "s3://edge-logs-bucket/{ALB_PREFIX}${{day}}"' in ddl


def test_alb_documented_regex_reads_a_current_log_entry():
    """AWS's regex (as Hive reads it) matches a current ALB entry and puts each value in its column."""
    regex = re.compile(_hive_unescape(aq._ALB_REGEX))
    columns = [line.split()[0] for line in aq._ALB_COLUMNS.strip().splitlines()]
    entry = (
        'https 2025-08-28T05:49:25.120000Z app/web-alb/50dc6c495c0c9188 130.176.98.71:41234 10.0.12.34:80 '
        '-1 -1 -1 504 - 512 613 "GET https://www.example.com:443/company/30 HTTP/1.1" "Amazon CloudFront" '
        'ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 '
        'arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:targetgroup/web/73e2d6bc24d8a067 '
        '"Root=1-68afee05-1d84f3d73c47ec4e58577259" "www.example.com" "session-reused" 0 '
        '2025-08-28T05:49:15.110000Z "forward" "-" "-" "10.0.12.34:80" "-" "-" "-" TID_abc "-" "-" "-"'
    )
    match = regex.match(entry)
    assert match is not None
    row = dict(zip(columns, match.groups()))
    assert row["elb_status_code"] == "504"
    assert row["target_status_code"] == "-"  # what the no-target query filters on
    assert row["target_ip"] == "10.0.12.34" and row["target_port"] == "80"
    assert row["conn_trace_id"] == "TID_abc"


def test_cloudfront_plan_fills_the_date_range():
    """The triage queries cover the whole days asked for, on the table named."""
    plan = aq.cloudfront_plan("edge-logs-bucket", "cf/", datetime.date(2025, 8, 28), "2025-08-29", table="cf_logs")
    names = [q.name for q in plan.queries]
    assert names == ["origin_errors_by_hour", "error_paths", "slowest"]
    for q in plan.queries:
        assert "FROM default.cf_logs" in q.sql
        assert "\"date\" BETWEEN DATE '2025-08-28' AND DATE '2025-08-29'" in q.sql
        assert "'2025-08-28 00:00:00' AND '2025-08-29 23:59:59'" in q.sql
    assert "LIKE '%Origin%'" in plan.queries[0].sql
    assert "ORDER BY time_taken DESC" in plan.queries[2].sql


def test_alb_plan_queries_504s_without_a_target_by_target():
    """The ALB plan counts 504s whose target_status_code is '-' per target, within the projected days."""
    start = datetime.datetime(2025, 8, 28, 5, 0, tzinfo=datetime.timezone.utc)
    end = datetime.datetime(2025, 8, 28, 6, 0, tzinfo=datetime.timezone.utc)
    plan = aq.alb_plan("edge-logs-bucket", ALB_PREFIX, start, end)
    no_target = plan.queries[0].sql
    assert "elb_status_code = 504 AND target_status_code = '-'" in no_target
    assert "GROUP BY 1, 2" in no_target and "target_ip, target_port" in no_target
    assert "day BETWEEN '2025/08/28' AND '2025/08/28'" in no_target
    assert "time BETWEEN '2025-08-28T05:00:00' AND '2025-08-28T06:00:00.999999Z'" in no_target


def test_plan_text_is_one_pasteable_script():
    """text() gives the DDL first, then each query, every statement ended with a semicolon."""
    text = aq.cloudfront_plan("edge-logs-bucket", "", "2025-08-28", "2025-08-28").text()
    assert text.index("CREATE EXTERNAL TABLE") < text.index("SELECT")
    assert text.count(";") == 4


@pytest.mark.parametrize("table", ["logs; DROP TABLE x", "Logs", "a-b", "x`y", "", "1abc"])
def test_unsafe_table_names_are_refused(table):
    """A table name that is not a plain Athena name raises instead of reaching SQL."""
    with pytest.raises(ValueError):
        aq.cloudfront_plan("edge-logs-bucket", "cf/", "2025-08-28", "2025-08-28", table=table)


@pytest.mark.parametrize("bucket", ["edge-logs'bucket", "Edge-Logs", "b", "a..b", "x/y"])
def test_unsafe_bucket_names_are_refused(bucket):
    """A bucket name outside S3's rules raises."""
    with pytest.raises(ValueError):
        aq.cloudfront_table_ddl(bucket, "cf/")


@pytest.mark.parametrize("prefix", ["cf'/", "cf/\\", "cf/ x", "cf/../x", "cf/\n"])
def test_unsafe_prefixes_are_refused(prefix):
    """A prefix with a quote, backslash, space, `..` segment or control character raises."""
    with pytest.raises(ValueError):
        aq.cloudfront_table_ddl("edge-logs-bucket", prefix)


@pytest.mark.parametrize("day", ["2025-08-28' OR '1'='1", "yesterday", 20250828])
def test_dates_must_be_dates(day):
    """A date that is not an ISO date or a date object raises; it is never pasted into SQL."""
    with pytest.raises((ValueError, TypeError)):
        aq.cloudfront_plan("edge-logs-bucket", "cf/", day, "2025-08-28")


def test_range_ending_before_it_starts_is_refused():
    """An end before the start raises."""
    with pytest.raises(ValueError):
        aq.alb_plan("edge-logs-bucket", ALB_PREFIX, "2025-08-29", "2025-08-28")


def test_sql_string_doubles_quotes_and_refuses_control_characters():
    """String literals escape quotes; newlines and other control characters are refused."""
    assert aq.sql_string("O'Brien") == "'O''Brien'"
    with pytest.raises(ValueError):
        aq.sql_string("a\nb")


def test_alb_log_prefix_builds_the_awslogs_folder():
    """alb_log_prefix gives the folder ALB writes under; a bad account id raises."""
    assert aq.alb_log_prefix("alb", "123456789012", "ap-northeast-1") == ALB_PREFIX
    assert aq.alb_log_prefix("", "123456789012", "us-east-1") == "AWSLogs/123456789012/elasticloadbalancing/us-east-1/"
    with pytest.raises(ValueError):
        aq.alb_log_prefix("alb", "12345' --", "us-east-1")

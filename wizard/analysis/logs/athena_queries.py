"""Provides Amazon Athena SQL for logs too large to pull onto a laptop or bastion: the tables and
the triage queries, with names and dates filled in and every value checked or quoted.

The DDL is AWS's documented DDL: "Create a table for CloudFront standard logs (legacy)" and
"Create the table for ALB access logs in Athena using partition projection" (Amazon Athena User
Guide). Only the table name, database and S3 location (and, for ALB, the projection start date)
change. This module only writes SQL; running it is the caller's business, with the user's consent.

Safety: identifiers must be plain Athena names ([a-z0-9_]); bucket names must follow S3's naming
rules; prefixes may use only S3's "safe" key characters (no quote, no backslash); dates are
date/datetime objects formatted here. Anything else raises ValueError instead of reaching SQL.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from typing import List, Optional, Union

DateLike = Union[datetime.date, datetime.datetime, str]

_IDENT = re.compile(r"^[a-z_][a-z0-9_]{0,127}$")
_BUCKET = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
# S3 "Object key naming guidelines": safe characters, minus the single quote, which would end a literal.
_PREFIX = re.compile(r"^[A-Za-z0-9!_.*()/=-]*$")
_ACCOUNT = re.compile(r"^[0-9]{12}$")
_REGION = re.compile(r"^[a-z]{2}(-[a-z]+)+-[0-9]$")

CLOUDFRONT_TABLE = "cloudfront_standard_logs"
ALB_TABLE = "alb_access_logs"

# Columns of AWS's documented table, in the 33-field log order (CloudFront "Log file fields").
_CLOUDFRONT_COLUMNS = """     `date` DATE,
     time STRING,
     x_edge_location STRING,
     sc_bytes BIGINT,
     c_ip STRING,
     cs_method STRING,
     cs_host STRING,
     cs_uri_stem STRING,
     sc_status INT,
     cs_referrer STRING,
     cs_user_agent STRING,
     cs_uri_query STRING,
     cs_cookie STRING,
     x_edge_result_type STRING,
     x_edge_request_id STRING,
     x_host_header STRING,
     cs_protocol STRING,
     cs_bytes BIGINT,
     time_taken FLOAT,
     x_forwarded_for STRING,
     ssl_protocol STRING,
     ssl_cipher STRING,
     x_edge_response_result_type STRING,
     cs_protocol_version STRING,
     fle_status STRING,
     fle_encrypted_fields INT,
     c_port INT,
     time_to_first_byte FLOAT,
     x_edge_detailed_result_type STRING,
     sc_content_type STRING,
     sc_content_len BIGINT,
     sc_range_start BIGINT,
     sc_range_end BIGINT"""

_ALB_COLUMNS = """            type string,
            time string,
            elb string,
            client_ip string,
            client_port int,
            target_ip string,
            target_port int,
            request_processing_time double,
            target_processing_time double,
            response_processing_time double,
            elb_status_code int,
            target_status_code string,
            received_bytes bigint,
            sent_bytes bigint,
            request_verb string,
            request_url string,
            request_proto string,
            user_agent string,
            ssl_cipher string,
            ssl_protocol string,
            target_group_arn string,
            trace_id string,
            domain_name string,
            chosen_cert_arn string,
            matched_rule_priority string,
            request_creation_time string,
            actions_executed string,
            redirect_url string,
            lambda_error_reason string,
            target_port_list string,
            target_status_code_list string,
            classification string,
            classification_reason string,
            conn_trace_id string"""

# AWS's documented input.regex, verbatim (Hive string-literal escaping included: `\"` is a quote,
# `\\s` a regex \s). The trailing `?( .*)?` swallows fields AWS adds later; AWS asks that it stay.
_ALB_REGEX = (
    r"""'([^ ]*) ([^ ]*) ([^ ]*) ([^ ]*):([0-9]*) ([^ ]*)[:-]([0-9]*) ([-.0-9]*) ([-.0-9]*) ([-.0-9]*) """
    r"""(|[-0-9]*) (-|[-0-9]*) ([-0-9]*) ([-0-9]*) \"([^ ]*) (.*) (- |[^ ]*)\" \"([^\"]*)\" ([A-Z0-9-_]+) """
    r"""([A-Za-z0-9.-]*) ([^ ]*) \"([^\"]*)\" \"([^\"]*)\" \"([^\"]*)\" ([-.0-9]*) ([^ ]*) \"([^\"]*)\" """
    r"""\"([^\"]*)\" \"([^ ]*)\" \"([^\\s]+?)\" \"([^\\s]+)\" \"([^ ]*)\" \"([^ ]*)\" ?([^ ]*)? ?( .*)?'"""
)


def ident(name: str) -> str:
    """An Athena table or database name, checked: lowercase letters, digits, underscores."""
    if not isinstance(name, str) or not _IDENT.fullmatch(name):
        raise ValueError(f"not a safe Athena name: {name!r} (use lowercase letters, digits and _)")
    return name


def bucket_name(name: str) -> str:
    """An S3 bucket name, checked against S3's naming rules."""
    if not isinstance(name, str) or not _BUCKET.fullmatch(name) or ".." in name:
        raise ValueError(f"not a valid S3 bucket name: {name!r}")
    return name


def key_prefix(prefix: Optional[str]) -> str:
    """An S3 key prefix made of S3's safe characters only, without a leading slash."""
    prefix = (prefix or "").lstrip("/")
    if not _PREFIX.fullmatch(prefix) or ".." in prefix.split("/"):
        raise ValueError(f"prefix {prefix!r} has characters edgewiz will not put into SQL; "
                         "use letters, digits and ! _ . * ( ) / = -")
    return prefix


def sql_string(value: str) -> str:
    """A Trino/Athena string literal: single quotes doubled; control characters refused."""
    if not isinstance(value, str) or any(ord(c) < 32 or ord(c) == 127 for c in value):
        raise ValueError(f"refusing to put {value!r} into SQL")
    return "'" + value.replace("'", "''") + "'"


def _as_datetime(value: DateLike, end: bool = False) -> datetime.datetime:
    if isinstance(value, str):
        # Parsed, never pasted: anything that is not an ISO date or date-time raises ValueError.
        value = datetime.date.fromisoformat(value) if len(value) == 10 else datetime.datetime.fromisoformat(value)
    if isinstance(value, datetime.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(datetime.timezone.utc).replace(tzinfo=None)
        return value
    if isinstance(value, datetime.date):
        base = datetime.datetime(value.year, value.month, value.day)
        return base + datetime.timedelta(days=1) - datetime.timedelta(seconds=1) if end else base
    raise ValueError(f"not a date: {value!r}")


def _location(bucket: str, prefix: str) -> str:
    prefix = key_prefix(prefix)
    if prefix and not prefix.endswith("/"):
        prefix += "/"
    return f"s3://{bucket_name(bucket)}/{prefix}"


def alb_log_prefix(prefix: Optional[str], account_id: str, region: str) -> str:
    """The folder ALB writes under: `prefix/AWSLogs/ACCOUNT/elasticloadbalancing/REGION/`."""
    if not _ACCOUNT.fullmatch(account_id or "") or not _REGION.fullmatch(region or ""):
        raise ValueError(f"not an account id and region: {account_id!r}, {region!r}")
    base = key_prefix(prefix)
    base = base + "/" if base and not base.endswith("/") else base
    return f"{base}AWSLogs/{account_id}/elasticloadbalancing/{region}/"


@dataclass(frozen=True)
class NamedQuery:
    """One query: a short name, what it answers, and the SQL."""

    name: str
    title: str
    sql: str


@dataclass
class AthenaPlan:
    """The table DDL and the triage queries for one log location and time range."""

    ddl: str
    queries: List[NamedQuery] = field(default_factory=list)

    def text(self) -> str:
        """Everything as one SQL script with comments, ready to paste into the Athena console."""
        parts = ["-- 1. Create the table (once).", self.ddl.strip() + ";"]
        for i, q in enumerate(self.queries, start=2):
            parts.append(f"-- {i}. {q.title}")
            parts.append(q.sql.strip() + ";")
        return "\n\n".join(parts) + "\n"


def cloudfront_table_ddl(bucket: str, prefix: Optional[str] = "", table: str = CLOUDFRONT_TABLE,
                         database: str = "default") -> str:
    """AWS's documented CREATE EXTERNAL TABLE for CloudFront standard (legacy) logs."""
    return (
        f"CREATE EXTERNAL TABLE IF NOT EXISTS {ident(database)}.{ident(table)} (\n"
        f"{_CLOUDFRONT_COLUMNS}\n)\n"
        "ROW FORMAT DELIMITED\n"
        "FIELDS TERMINATED BY '\\t'\n"
        f"LOCATION '{_location(bucket, prefix or '')}'\n"
        "TBLPROPERTIES ( 'skip.header.line.count'='2' )"
    )


def alb_table_ddl(bucket: str, prefix: str, projection_start: DateLike, table: str = ALB_TABLE,
                  database: str = "default") -> str:
    """AWS's documented CREATE EXTERNAL TABLE for ALB access logs, with partition projection on `day`.

    `prefix` is the folder that holds the yyyy/mm/dd folders (see alb_log_prefix). Projection means
    no ALTER TABLE ADD PARTITION, and a `day` filter reads only those days' files.
    """
    location = _location(bucket, prefix)
    start = _as_datetime(projection_start).strftime("%Y/%m/%d")
    return (
        f"CREATE EXTERNAL TABLE IF NOT EXISTS {ident(database)}.{ident(table)} (\n"
        f"{_ALB_COLUMNS}\n            )\n"
        "            PARTITIONED BY\n            (\n             day STRING\n            )\n"
        "            ROW FORMAT SERDE 'org.apache.hadoop.hive.serde2.RegexSerDe'\n"
        "            WITH SERDEPROPERTIES (\n"
        "            'serialization.format' = '1',\n"
        "            'input.regex' =\n"
        f"        {_ALB_REGEX}\n"
        "            )\n"
        f"            LOCATION '{location}'\n"
        "            TBLPROPERTIES\n            (\n"
        '             "projection.enabled" = "true",\n'
        '             "projection.day.type" = "date",\n'
        f'             "projection.day.range" = "{start},NOW",\n'
        '             "projection.day.format" = "yyyy/MM/dd",\n'
        '             "projection.day.interval" = "1",\n'
        '             "projection.day.interval.unit" = "DAYS",\n'
        f'             "storage.location.template" = "{location}${{day}}"\n'
        "            )"
    )


def _cloudfront_window(start: DateLike, end: DateLike) -> str:
    a, b = _as_datetime(start), _as_datetime(end, end=True)
    if b < a:
        raise ValueError("the time range ends before it starts")
    # The date test lets Athena skip rows cheaply; the timestamp test makes the window exact.
    return (
        f"\"date\" BETWEEN DATE '{a:%Y-%m-%d}' AND DATE '{b:%Y-%m-%d}'\n"
        f"  AND concat(cast(\"date\" AS varchar), ' ', time) BETWEEN '{a:%Y-%m-%d %H:%M:%S}' AND '{b:%Y-%m-%d %H:%M:%S}'"
    )


def cloudfront_plan(bucket: str, prefix: Optional[str], start: DateLike, end: DateLike,
                    table: str = CLOUDFRONT_TABLE, database: str = "default", limit: int = 50) -> AthenaPlan:
    """The CloudFront table and the triage queries for [start, end] (UTC; a date covers its whole day)."""
    name = f"{ident(database)}.{ident(table)}"
    where = _cloudfront_window(start, end)
    limit = int(limit)
    by_hour = (
        "SELECT \"date\", substr(time, 1, 2) AS hour, sc_status, x_edge_detailed_result_type,\n"
        "       count(*) AS requests, count_if(time_taken >= 9.5) AS near_10s_timeout\n"
        f"FROM {name}\n"
        f"WHERE {where}\n"
        "  AND x_edge_detailed_result_type LIKE '%Origin%'\n"
        "GROUP BY 1, 2, 3, 4\n"
        "ORDER BY 1, 2, requests DESC"
    )
    paths = (
        "SELECT cs_uri_stem, x_host_header, sc_status, x_edge_detailed_result_type, count(*) AS requests\n"
        f"FROM {name}\n"
        f"WHERE {where}\n"
        "  AND (sc_status >= 500 OR x_edge_detailed_result_type LIKE '%Origin%')\n"
        "GROUP BY 1, 2, 3, 4\n"
        "ORDER BY requests DESC\n"
        f"LIMIT {limit}"
    )
    slowest = (
        "SELECT \"date\", time, x_edge_location, c_ip, cs_method, x_host_header, cs_uri_stem, sc_status,\n"
        "       x_edge_detailed_result_type, time_taken, time_to_first_byte\n"
        f"FROM {name}\n"
        f"WHERE {where}\n"
        "ORDER BY time_taken DESC\n"
        f"LIMIT {limit}"
    )
    return AthenaPlan(cloudfront_table_ddl(bucket, prefix, table, database), [
        NamedQuery("origin_errors_by_hour", "Origin errors by hour (OriginError, OriginConnectError, ...).", by_hour),
        NamedQuery("error_paths", "Which paths and hosts fail.", paths),
        NamedQuery("slowest", "The slowest requests (≈10 s is a connect timeout, and c_ip is the viewer, not an edge).",
                   slowest),
    ])


def _alb_window(start: DateLike, end: DateLike) -> str:
    a, b = _as_datetime(start), _as_datetime(end, end=True)
    if b < a:
        raise ValueError("the time range ends before it starts")
    return (
        f"day BETWEEN '{a:%Y/%m/%d}' AND '{b:%Y/%m/%d}'\n"
        f"  AND time BETWEEN '{a:%Y-%m-%dT%H:%M:%S}' AND '{b:%Y-%m-%dT%H:%M:%S}.999999Z'"
    )


def alb_plan(bucket: str, prefix: str, start: DateLike, end: DateLike, table: str = ALB_TABLE,
             database: str = "default", limit: int = 50) -> AthenaPlan:
    """The ALB table (projected from `start`'s day) and the triage queries for [start, end] (UTC)."""
    name = f"{ident(database)}.{ident(table)}"
    where = _alb_window(start, end)
    limit = int(limit)
    no_target = (
        "SELECT target_ip, target_port, count(*) AS requests,\n"
        "       min(time) AS first_seen, max(time) AS last_seen\n"
        f"FROM {name}\n"
        f"WHERE {where}\n"
        "  AND elb_status_code = 504 AND target_status_code = '-'\n"
        "GROUP BY 1, 2\n"
        "ORDER BY requests DESC"
    )
    by_hour = (
        "SELECT substr(time, 1, 13) AS hour, elb_status_code, target_status_code, count(*) AS requests\n"
        f"FROM {name}\n"
        f"WHERE {where}\n"
        "  AND elb_status_code >= 500\n"
        "GROUP BY 1, 2, 3\n"
        "ORDER BY 1, requests DESC"
    )
    slowest = (
        "SELECT time, request_creation_time, client_ip, target_ip, target_port, elb_status_code,\n"
        "       target_status_code, request_verb, request_url, request_processing_time,\n"
        "       target_processing_time, response_processing_time, lambda_error_reason\n"
        f"FROM {name}\n"
        f"WHERE {where}\n"
        "ORDER BY date_diff('millisecond', from_iso8601_timestamp(request_creation_time),\n"
        "                   from_iso8601_timestamp(time)) DESC\n"
        f"LIMIT {limit}"
    )
    return AthenaPlan(alb_table_ddl(bucket, prefix, start, table, database), [
        NamedQuery("no_target_504_by_target",
                   "504s with target_status_code '-' (no answer from a target), by target.", no_target),
        NamedQuery("errors_by_hour", "5xx by hour.", by_hour),
        NamedQuery("slowest", "The slowest requests, from request received to answer (≈10 s: connect timeout).",
                   slowest),
    ])

"""The CloudFront log reading on a busy distribution: more keys in older hours than the listing cap,
and the incident's errors in the newest hour. Listing hour by hour, newest first, reads them."""

from __future__ import annotations

import datetime
import gzip

import boto3

from wizard.aws.log_bucket import recent_cloudfront_triage
from wizard.aws.session import AwsAccess
from wizard.lab.edge.access_log import FIELDS, line

DIST = "E2QWRUHAPOMQZL"


def _put(s3, bucket: str, when: datetime.datetime, n: int, status: int) -> None:
    entry = {"date": f"{when:%Y-%m-%d}", "time": f"{when:%H:%M:%S}", "x-edge-location": "NRT57-P3",
             "sc-bytes": 100, "c-ip": "203.0.113.10", "cs-method": "GET", "cs(Host)": "d1.cloudfront.net",
             "cs-uri-stem": "/app.js", "sc-status": status, "x-edge-result-type": "Error" if status >= 500 else "Miss",
             "x-edge-detailed-result-type": "OriginError" if status >= 500 else "Miss", "time-taken": "0.010",
             "cs-protocol": "https", "cs-protocol-version": "HTTP/2.0"}
    text = f"#Version: 1.0\n#Fields: {FIELDS}\n{line(entry)}\n"
    s3.put_object(Bucket=bucket, Key=f"cf/{DIST}.{when:%Y-%m-%d-%H}.{n:08x}.gz", Body=gzip.compress(text.encode()))


def test_newest_hour_is_read_when_older_hours_exceed_the_key_cap(fresh_aws):
    s3 = boto3.client("s3", endpoint_url=fresh_aws.endpoint, region_name="us-east-1", **fresh_aws.credentials())
    s3.create_bucket(Bucket="cf-logs-busy")
    now = datetime.datetime.now(datetime.timezone.utc)
    cap = 40
    for i in range(cap + 5):  # a busy distribution: more keys in hours 3-5 ago than the cap
        _put(s3, "cf-logs-busy", now - datetime.timedelta(hours=3 + i % 3), i, 200)
    for i in range(3):  # the incident: three origin errors in the newest hour
        _put(s3, "cf-logs-busy", now, 1000 + i, 502)
    access = AwsAccess(region="us-east-1", endpoint_url=fresh_aws.endpoint, credentials=fresh_aws.credentials())

    result = recent_cloudfront_triage(access, "cf-logs-busy.s3.amazonaws.com", "cf/", DIST, now=now, max_keys=cap)

    assert result["triage"]["by_status"].get("502") == 3, result["triage"]["by_status"]
    assert result["read"]["listing_truncated"] is True
    assert any("older hours were not listed" in note for note in result["read"]["notes"])


def test_a_days_logs_that_fit_one_page_are_listed_in_one_request(fresh_aws):
    """The usual distribution: one ListObjectsV2 instead of one per hour (25 round trips, 4 deep), and
    the same files: the last day's, this distribution's only."""
    s3 = boto3.client("s3", endpoint_url=fresh_aws.endpoint, region_name="us-east-1", **fresh_aws.credentials())
    s3.create_bucket(Bucket="cf-logs-quiet")
    now = datetime.datetime.now(datetime.timezone.utc)
    for i, hours_ago in enumerate((0, 2, 5, 23)):
        _put(s3, "cf-logs-quiet", now - datetime.timedelta(hours=hours_ago), i, 502)
    _put(s3, "cf-logs-quiet", now - datetime.timedelta(hours=30), 99, 200)  # older than the day asked
    s3.put_object(Bucket="cf-logs-quiet", Key=f"cf/EOTHERDIST.{now:%Y-%m-%d-%H}.00000001.gz", Body=b"x")
    access = AwsAccess(region="us-east-1", endpoint_url=fresh_aws.endpoint, credentials=fresh_aws.credentials())

    result = recent_cloudfront_triage(access, "cf-logs-quiet.s3.amazonaws.com", "cf/", DIST, now=now)

    assert result["triage"]["by_status"] == {"502": 4}, result["triage"]["by_status"]
    assert [op for _, op in access.calls].count("ListObjectsV2") == 1
    assert result["read"]["listing_truncated"] is False

"""Provides CloudFront standard log lines for the simulator, written to the distribution's logging
bucket (one gzipped object per request, named as CloudFront names them)."""

from __future__ import annotations

import gzip
import os
import time
from typing import Mapping
from urllib.parse import quote

FIELDS = ("date time x-edge-location sc-bytes c-ip cs-method cs(Host) cs-uri-stem sc-status cs(Referer) "
          "cs(User-Agent) cs-uri-query cs(Cookie) x-edge-result-type x-edge-request-id x-host-header cs-protocol "
          "cs-bytes time-taken x-forwarded-for ssl-protocol ssl-cipher x-edge-response-result-type "
          "cs-protocol-version fle-status fle-encrypted-fields c-port time-to-first-byte "
          "x-edge-detailed-result-type sc-content-type sc-content-len sc-range-start sc-range-end")


def line(entry: Mapping[str, object]) -> str:
    """One tab-separated log line in the order of FIELDS ("-" for empty values)."""
    values = []
    for name in FIELDS.split():
        value = entry.get(name, "-")
        text = "-" if value in (None, "") else str(value)
        values.append(quote(text, safe="/:.-_~=&%;,()") if name.startswith("cs(") or name == "cs-uri-query" else text)
    return "\t".join(values)


def write(s3_client, bucket_domain: str, prefix: str, dist_id: str, entry: Mapping[str, object]) -> None:
    """Put one log object into the logging bucket (Logging.Bucket is `name.s3.amazonaws.com`)."""
    bucket = bucket_domain.split(".s3", 1)[0]
    stamp = time.strftime("%Y-%m-%d-%H", time.gmtime())
    key = f"{prefix}{dist_id}.{stamp}.{os.urandom(4).hex()}.gz"
    text = f"#Version: 1.0\n#Fields: {FIELDS}\n{line(entry)}\n"
    s3_client.put_object(Bucket=bucket, Key=key, Body=gzip.compress(text.encode()))

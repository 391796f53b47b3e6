"""Provides the reads of access logs from their S3 logging bucket: list, newest first, and stream.

Only `ListObjectsV2` and `GetObject` are sent. Objects are streamed line by line (gunzipped when
they are gzip, as CloudFront and ALB deliver them), so memory stays flat; a byte budget stops the
reading and the result says how much was left unread, so nobody mistakes a sample for the whole.
"""

from __future__ import annotations

import datetime
import re
from typing import Any, Callable, Dict, Iterator, List, Optional, Tuple

from botocore.exceptions import ClientError

from ..analysis.logs import athena_queries
from ..analysis.logs.cloudfront_logs import parse_cloudfront
from ..analysis.logs.log_triage import triage_cloudfront
from ..analysis.logs.summary import clean
from ..logsource import ReadReport, binary_lines
from .session import AwsAccess
from .together import begin, together

DEFAULT_MAX_BYTES = 64 * 1024 * 1024
DEFAULT_MAX_KEYS = 20_000
DEFAULT_HOURS = 24
_LISTINGS_AT_ONCE = 8  # hour prefixes listed concurrently: 25 round trips in a row cost seconds
_OBJECTS_AT_ONCE = 4  # log objects asked for at once (their bodies are still read one by one, in order)

# DistributionConfig.Logging.Bucket is the bucket's domain name ("amzn-s3-demo-bucket.s3.amazonaws.com",
# CloudFront API reference, LoggingConfig); S3 calls need the bare name.
_BUCKET_DOMAIN = re.compile(r"\.s3(?:[.-][a-z0-9-]+)?\.amazonaws\.com(?:\.cn)?\.?$")


def bucket_from_logging(value: str) -> str:
    """The bucket name from CloudFront's Logging.Bucket value (a domain name) or a bare name."""
    return _BUCKET_DOMAIN.sub("", (value or "").strip().lower())


def _mib(n: int) -> str:
    if n < 1024 * 1024:
        return f"{n / 1024:.1f} KiB"
    return f"{n / (1024 * 1024):.1f} MiB"


class LogObjectLines:
    """The lines of the newest log objects under a prefix, within a byte budget.

    Iterate it once. Afterwards the counters say what happened: `listed` keys, `considered` (after
    the `since` and key filters), `read` objects and `bytes_read`, `skipped` objects and
    `bytes_skipped` (past the budget), `partial` (an object cut at the budget), `failed` objects,
    and `notes`, which say all of it in words.
    """

    def __init__(self, access: AwsAccess, bucket: str, prefix: str, max_bytes: int,
                 since: Optional[datetime.datetime], start_after: Optional[str], max_keys: int,
                 key_filter: Optional[Callable[[str], bool]],
                 listing_prefixes: Optional[List[str]] = None) -> None:
        self.bucket = bucket
        self.prefix = prefix
        # Listed one after the other, sharing the key cap: newest hour first, so a cap cuts old hours.
        self._listing_prefixes = list(listing_prefixes) if listing_prefixes else None
        self.max_bytes = max(0, int(max_bytes))
        self.since = _aware(since)
        self._access = access
        self._start_after = start_after
        self._max_keys = max_keys
        self._key_filter = key_filter
        self.listed = 0
        self.considered = 0
        self.older = 0
        self.listing_truncated = False
        self.read = 0
        self.partial = 0
        self.skipped = 0
        self.failed = 0
        self.bytes_read = 0
        self.bytes_skipped = 0
        self.newest: Optional[str] = None
        self.oldest_read: Optional[str] = None
        self.notes: List[str] = []

    # -- listing -------------------------------------------------------------------------------

    def _candidates(self) -> List[Dict[str, Any]]:
        # Keys come back in name order, not time order: keep every candidate (bounded by
        # max_keys) and sort by LastModified, newest first.
        found: List[Tuple[datetime.datetime, str, int]] = []
        if self._listing_prefixes and self._in_one_listing(found):
            found.sort(reverse=True)
            self.considered = len(found)
            return [{"Key": k, "Size": s, "LastModified": m} for m, k, s in found]
        truncated = False
        prefixes = self._listing_prefixes or [self.prefix]
        for at in range(0, len(prefixes), _LISTINGS_AT_ONCE):
            batch = prefixes[at:at + _LISTINGS_AT_ONCE]
            if self.listed >= self._max_keys:
                truncated = True
                break
            # A batch is listed at once, each with the budget left before it; taken in order (newest
            # hour first) and cut to the budget each would have had one after the other, so the
            # result is the same as listing them in turn.
            listings = self._list_many(batch, self._max_keys - self.listed)
            for contents, more in listings:
                budget = self._max_keys - self.listed
                if budget <= 0:
                    truncated = True
                    break
                self._keep(found, contents[:budget])
                truncated = more or len(contents) > budget
        self.listing_truncated = truncated and self.listed >= self._max_keys
        found.sort(reverse=True)
        self.considered = len(found)
        return [{"Key": k, "Size": s, "LastModified": m} for m, k, s in found]

    def _in_one_listing(self, found: List[Tuple[datetime.datetime, str, int]]) -> bool:
        """One ListObjectsV2 for every hour at once, when one page holds them all (most distributions):
        the hour prefixes share their start and sort in time order, so listing after the oldest hour
        returns exactly their keys (and any newer hour's, left out here). False, having kept nothing,
        when the page is full: then hour by hour, newest first, as before."""
        hours = self._listing_prefixes or []
        width = len(hours[0])
        if any(len(h) != width or h[:-14] != hours[0][:-14] for h in hours):
            return False  # not the one shape `<prefix><id>.YYYY-MM-DD-HH.` this relies on
        wanted = set(hours)
        page = self._access.client("s3").list_objects_v2(
            Bucket=self.bucket, Prefix=hours[0][:-14], StartAfter=min(hours)[:-1],
            MaxKeys=max(1, min(1000, self._max_keys)))
        if page.get("IsTruncated"):
            return False
        self._keep(found, [obj for obj in page.get("Contents") or [] if str(obj.get("Key", ""))[:width] in wanted])
        return True

    def _list_many(self, prefixes: List[str], budget: int) -> List[Tuple[List[Dict[str, Any]], bool]]:
        # together(): at once, each in a copy of the caller's context (the calls count for the probe
        # that asked), answers in the order asked, the first failure in that order raised.
        return together(*[(lambda p=p: self._list(p, budget)) for p in prefixes])

    def _list(self, prefix: str, budget: int) -> Tuple[List[Dict[str, Any]], bool]:
        """The keys under `prefix` (at most `budget`), and True when more were left."""
        s3 = self._access.client("s3")
        kwargs: Dict[str, Any] = {"Bucket": self.bucket, "Prefix": prefix, "PaginationConfig": {"MaxItems": budget}}
        if self._start_after and self._listing_prefixes is None:
            kwargs["StartAfter"] = self._start_after
        contents: List[Dict[str, Any]] = []
        truncated = False
        for page in s3.get_paginator("list_objects_v2").paginate(**kwargs):
            contents.extend(page.get("Contents") or [])
            truncated = bool(page.get("IsTruncated"))
        return contents, truncated

    def _keep(self, found: List[Tuple[datetime.datetime, str, int]], contents: List[Dict[str, Any]]) -> None:
        for obj in contents:
            self.listed += 1
            key, size = obj["Key"], int(obj.get("Size") or 0)
            modified = _aware(obj.get("LastModified")) or datetime.datetime.min.replace(tzinfo=datetime.timezone.utc)
            if key.endswith("/") or size == 0:
                continue
            if self._key_filter is not None and not self._key_filter(key):
                continue
            if self.since is not None and modified < self.since:
                self.older += 1
                continue
            found.append((modified, key, size))

    # -- reading -------------------------------------------------------------------------------

    def __iter__(self) -> Iterator[str]:
        first_error: Optional[ClientError] = None
        candidates = self._candidates()
        if candidates:
            self.newest = candidates[0]["LastModified"].isoformat()
        objects = _OpenAhead(self._access.client("s3"), self.bucket, candidates, self.max_bytes)
        used = 0
        try:
            for index, obj in enumerate(candidates):
                size = obj["Size"]
                if used >= self.max_bytes:
                    self.skipped += 1
                    self.bytes_skipped += size
                    continue
                limit = None if used + size <= self.max_bytes else self.max_bytes - used
                try:
                    body = objects.open(index)["Body"]
                except ClientError as exc:
                    self.failed += 1
                    first_error = first_error or exc
                    if self.failed <= 3:
                        code = exc.response.get("Error", {}).get("Code", "error")
                        self.notes.append(f"s3://{self.bucket}/{clean(obj['Key'])} could not be read ({clean(code)}).")
                    continue
                report = ReadReport()
                try:
                    yield from binary_lines(body, limit=limit, report=report, name=obj["Key"])
                finally:
                    body.close()
                    used += report.bytes_read
                    self.bytes_read += report.bytes_read
                self.read += 1
                self.oldest_read = obj["LastModified"].isoformat()
                self.notes.extend(report.notes)
                if report.cut:
                    self.partial += 1
                    self.bytes_skipped += max(0, size - report.bytes_read)
        finally:
            objects.close()
        if self.read == 0 and first_error is not None:
            # Nothing readable at all: let the caller see the denial (and the IAM action it names).
            raise first_error
        self.notes.extend(self._summary_notes())

    def _summary_notes(self) -> List[str]:
        where = f"s3://{self.bucket}/{self.prefix}"
        out: List[str] = []
        if not self.considered:
            since = f" newer than {self.since:%Y-%m-%d %H:%M} UTC" if self.since else ""
            out.append(f"No log objects{since} under {clean(where)} ({self.listed:,} key(s) listed). "
                       "CloudFront usually delivers a log file within an hour of the requests in it.")
            return out
        out.append(f"Read {self.read:,} of {self.considered:,} log object(s) under {clean(where)}, newest first "
                   f"({_mib(self.bytes_read)}).")
        if self.skipped or self.partial:
            out.append(f"Skipped {self.skipped:,} older object(s) ({_mib(self.bytes_skipped)} unread"
                       + (", one object cut short" if self.partial else "")
                       + f") to stay within {_mib(self.max_bytes)}: the counts cover only the newest logs. "
                       "Use the Athena queries for the whole range.")
        if self.older:
            out.append(f"Left out {self.older:,} object(s) older than {self.since:%Y-%m-%d %H:%M} UTC.")
        if self.listing_truncated and self._listing_prefixes:
            out.append(f"Stopped listing after {self._max_keys:,} keys, newest hour first: older hours were "
                       "not listed.")
        elif self.listing_truncated:
            out.append(f"Stopped listing after {self._max_keys:,} keys: newer objects may exist beyond them.")
        if self.failed:
            out.append(f"{self.failed:,} object(s) could not be read.")
        return out

    def as_dict(self) -> Dict[str, Any]:
        """The counters, JSON-safe."""
        return {
            "bucket": self.bucket, "prefix": self.prefix, "max_bytes": self.max_bytes,
            "since": self.since.isoformat() if self.since else None, "listed": self.listed,
            "considered": self.considered, "older": self.older, "read": self.read, "partial": self.partial,
            "skipped": self.skipped, "failed": self.failed, "bytes_read": self.bytes_read,
            "bytes_skipped": self.bytes_skipped, "listing_truncated": self.listing_truncated,
            "newest": self.newest, "oldest_read": self.oldest_read, "notes": list(self.notes),
        }


class _OpenAhead:
    """GetObject for the log objects, asked a few at once ahead of the reading (a round trip each is
    50-200 ms from a bastion); the bodies are still read one at a time, in order, by the caller.

    Only objects the reading certainly reaches are asked early: those before which the listed sizes
    stay under the byte budget. The reading stops at the budget and counts the bytes it read, which
    are at most the listed size, and a failed object counts none, so it gets at least that far; any
    object after is asked when the reading reaches it, as before. The objects asked are those the
    reading one after another asks (barring an object rewritten larger since it was listed).
    """

    def __init__(self, s3, bucket: str, candidates: List[Dict[str, Any]], max_bytes: int,
                 at_once: int = _OBJECTS_AT_ONCE) -> None:
        self._ask = lambda key: s3.get_object(Bucket=bucket, Key=key)
        self._keys = [str(obj["Key"]) for obj in candidates]
        self._at_once = max(1, at_once)
        self._certain = 0  # how many of the first candidates the reading certainly asks for
        listed = 0
        for obj in candidates:
            if listed >= max_bytes:
                break
            self._certain += 1
            listed += int(obj["Size"])
        self._asked: Dict[int, Any] = {}  # index: Future of its GetObject answer

    def open(self, index: int) -> Dict[str, Any]:
        """The GetObject answer for candidate `index` (its ClientError raised), asking the next few."""
        for ahead in range(index, min(index + self._at_once, self._certain)):
            if ahead not in self._asked:
                self._asked[ahead] = begin(lambda key=self._keys[ahead]: self._ask(key))
        asked = self._asked.pop(index, None)
        return asked.result() if asked is not None else self._ask(self._keys[index])

    def close(self) -> None:
        """Objects asked for but not read (the reading stopped early): their bodies are closed."""
        for asked in self._asked.values():
            asked.add_done_callback(_close_body)
        self._asked.clear()


def _close_body(asked) -> None:
    if not asked.cancelled() and asked.exception() is None:
        asked.result()["Body"].close()


def _aware(value: Optional[datetime.datetime]) -> Optional[datetime.datetime]:
    if value is None:
        return None
    if value.tzinfo is None:
        return value.replace(tzinfo=datetime.timezone.utc)
    return value


def iter_log_lines(access: AwsAccess, bucket: str, prefix: str, max_bytes: int = DEFAULT_MAX_BYTES,
                   since: Optional[datetime.datetime] = None, *, start_after: Optional[str] = None,
                   max_keys: int = DEFAULT_MAX_KEYS,
                   key_filter: Optional[Callable[[str], bool]] = None,
                   listing_prefixes: Optional[List[str]] = None) -> LogObjectLines:
    """Lines of the log objects under `s3://bucket/prefix`, newest first, up to `max_bytes` read.

    `since` (UTC if naive) leaves out objects last modified before it; `start_after` skips keys
    that sort before it (cheap for date-stamped names); `key_filter` keeps only matching keys.
    The budget counts bytes downloaded (gzip-compressed, as S3 lists them). Read-only: the S3
    calls are ListObjectsV2 and GetObject. See LogObjectLines for what it reports afterwards.

    S3 lists keys in name order and at most `max_keys` are looked at, so for layouts with date
    folders (ALB: `.../elasticloadbalancing/REGION/yyyy/mm/dd/`) pass a prefix down to the day, or a
    `start_after`, so that the newest keys fall inside the listing; a note says when it was cut.
    `listing_prefixes` (newest first) replaces the one listing by one per prefix, sharing `max_keys`,
    so the cap falls on the oldest prefixes.
    """
    return LogObjectLines(access, bucket_from_logging(bucket), prefix or "", max_bytes, since, start_after,
                          max_keys, key_filter, listing_prefixes)


def cloudfront_hour_prefixes(prefix: str, distribution_id: str, since: datetime.datetime,
                             now: datetime.datetime) -> List[str]:
    """The key prefixes of a distribution's standard log files, one per UTC hour, newest first.

    CloudFront names its files PREFIX/DISTRIBUTIONID.YYYY-MM-DD-HH.UNIQUEID.gz (Developer Guide,
    "File name format"), HH being the UTC hour of the requests in it; files arrive up to about an
    hour late, so the hour before `since` is included.
    """
    hour = now.replace(minute=0, second=0, microsecond=0)
    stop = since - datetime.timedelta(hours=1)
    out: List[str] = []
    while hour >= stop.replace(minute=0, second=0, microsecond=0):
        out.append(f"{prefix}{distribution_id}.{hour:%Y-%m-%d-%H}.")
        hour -= datetime.timedelta(hours=1)
    return out


def _recent_lines(access: AwsAccess, name: str, prefix: str, distribution_id: Optional[str],
                  since: datetime.datetime, now: datetime.datetime, max_bytes: int, max_keys: int) -> LogObjectLines:
    """The lines of a distribution's log files since `since`, listed as recent_cloudfront_triage says."""
    key_filter = hour_prefixes = None
    if distribution_id:
        marker = f"{distribution_id}."
        key_filter = lambda key: key.rsplit("/", 1)[-1].startswith(marker)  # noqa: E731
        # "If your prefix doesn't end with a forward slash, CloudFront appends one": only when the
        # prefix is empty or already ends in one is the key's exact shape known.
        if not prefix or prefix.endswith("/"):
            hour_prefixes = cloudfront_hour_prefixes(prefix, distribution_id, since, now)
    return iter_log_lines(access, name, prefix, max_bytes, since, key_filter=key_filter, max_keys=max_keys,
                          listing_prefixes=hour_prefixes)


def list_recent_cloudfront_logs(access: AwsAccess, bucket: str, prefix: str = "",
                                distribution_id: Optional[str] = None, hours: int = DEFAULT_HOURS,
                                max_keys: int = DEFAULT_MAX_KEYS) -> int:
    """Only the listing recent_cloudfront_triage sends first, with the same reads (the walk's
    read-ahead warms the read cache with it; the objects are streamed, so not read here). The number
    of log objects it would consider."""
    now = datetime.datetime.now(datetime.timezone.utc)
    since = now - datetime.timedelta(hours=hours)
    lines = _recent_lines(access, bucket_from_logging(bucket), prefix, distribution_id, since, now,
                          DEFAULT_MAX_BYTES, max_keys)
    return len(lines._candidates())


def recent_cloudfront_triage(access: AwsAccess, bucket: str, prefix: str = "", distribution_id: Optional[str] = None,
                             hours: int = DEFAULT_HOURS, max_bytes: int = DEFAULT_MAX_BYTES,
                             now: Optional[datetime.datetime] = None,
                             max_keys: int = DEFAULT_MAX_KEYS) -> Dict[str, Any]:
    """Triage the last `hours` of a distribution's standard logs from its logging bucket.

    Returns probe data: `summary` (one line), `evidence`, `athena` (the Athena script when the
    budget left logs unread, else None), `read` (what was read and skipped) and `triage` (the full
    LogSummary as a dict). CloudFront names its files `<prefix><distribution ID>.YYYY-MM-DD-HH.<id>.gz`
    (Developer Guide, "File name format"); with the distribution ID only its files are read, and they
    are listed hour by hour, newest hour first, so on a busy distribution the key cap (`max_keys`)
    falls on the oldest hours, never on the incident's.
    """
    name = bucket_from_logging(bucket)
    now = _aware(now) or datetime.datetime.now(datetime.timezone.utc)
    since = now - datetime.timedelta(hours=hours)
    lines = _recent_lines(access, name, prefix, distribution_id, since, now, max_bytes, max_keys)
    summary = triage_cloudfront(parse_cloudfront(lines))
    summary.notes.extend(lines.notes)
    athena = None
    if lines.skipped or lines.partial or lines.listing_truncated:
        try:
            athena = athena_queries.cloudfront_plan(name, prefix, since, now).text()
        except ValueError as exc:
            athena = f"(No Athena script: {exc})"
    headline = summary.headline()
    if not summary.records and not lines.considered and lines.notes:
        headline = lines.notes[0]
    return {
        "summary": headline,
        "evidence": summary.evidence(),
        "athena": athena,
        "read": lines.as_dict(),
        "triage": summary.as_dict(),
    }

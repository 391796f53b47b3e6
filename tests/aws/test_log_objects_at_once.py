"""The log objects of a logging bucket are asked for a few at once (a round trip is 50-200 ms from a
bastion), their lines still come newest object first, and the byte budget, the skipped and failed
counts and the notes read as when they were asked one after another; an object the budget would
never reach is not asked for.

"At once" is shown without timing: the first GetObject waits (up to a few seconds) for the second to
be asked, and records whether it was; asked one after another, it never is."""

from __future__ import annotations

import datetime
import io
import threading
from typing import Any, Dict, List

from botocore.exceptions import ClientError

from wizard.aws.log_bucket import iter_log_lines

_WAIT_S = 5.0  # a bound on waiting for the other read, not a measured time
_T0 = datetime.datetime(2026, 12, 3, 12, tzinfo=datetime.timezone.utc)


class _Body(io.BytesIO):
    def __init__(self, data: bytes, closed: List[str], key: str) -> None:
        super().__init__(data)
        self._closed, self._key = closed, key

    def close(self) -> None:
        self._closed.append(self._key)
        super().close()


class _S3:
    """A logging bucket: `objects` newest first (key, text); `refused` keys answer AccessDenied."""

    def __init__(self, objects: List[tuple], refused=()) -> None:
        self.objects = objects
        self.refused = set(refused)
        self.asked: List[str] = []
        self.closed: List[str] = []
        self.second_asked = threading.Event()
        self.overlapped = None
        self._lock = threading.Lock()

    def get_paginator(self, _method: str):
        s3 = self

        class _Pages:
            def paginate(self, **_kw):
                yield {"IsTruncated": False, "Contents": [
                    {"Key": key, "Size": len(text.encode()), "LastModified": _T0 - datetime.timedelta(hours=i)}
                    for i, (key, text) in enumerate(s3.objects)]}
        return _Pages()

    def get_object(self, Bucket: str, Key: str) -> Dict[str, Any]:
        with self._lock:
            self.asked.append(Key)
            position = len(self.asked)
        if position == 2:
            self.second_asked.set()
        if Key == self.objects[0][0]:  # the newest waits to see whether the next is asked meanwhile
            self.overlapped = self.second_asked.wait(_WAIT_S)
        if Key in self.refused:
            raise ClientError({"Error": {"Code": "AccessDenied", "Message": "denied"}}, "GetObject")
        text = dict(self.objects)[Key]
        return {"Body": _Body(text.encode(), self.closed, Key)}


class _Access:
    region = "us-east-1"

    def __init__(self, s3: _S3) -> None:
        self.s3 = s3

    def client(self, _service: str, region=None):
        return self.s3


def _objects(n: int) -> List[tuple]:
    return [(f"cf/E1.2026-12-03-{12 - i:02d}.x.gz", f"line {i}a\nline {i}b\n") for i in range(n)]


def test_log_objects_are_asked_for_at_once_and_read_newest_first():
    s3 = _S3(_objects(3))
    lines = iter_log_lines(_Access(s3), "logs", "cf/")
    assert list(lines) == ["line 0a\n", "line 0b\n", "line 1a\n", "line 1b\n", "line 2a\n", "line 2b\n"]
    assert s3.overlapped is True  # the second object was asked while the first was
    assert sorted(s3.asked) == sorted(key for key, _ in s3.objects)  # each once
    assert (lines.read, lines.skipped, lines.failed) == (3, 0, 0)
    assert sorted(s3.closed) == sorted(s3.asked)


def test_an_object_the_byte_budget_never_reaches_is_not_asked_for():
    objects = _objects(4)
    size = len(objects[0][1].encode())
    s3 = _S3(objects)
    lines = iter_log_lines(_Access(s3), "logs", "cf/", max_bytes=size + 3)  # the second is cut short
    assert list(lines) == ["line 0a\n", "line 0b\n"]  # the cut object's partial line is dropped
    assert sorted(s3.asked) == sorted(key for key, _ in objects[:2])
    assert (lines.read, lines.partial, lines.skipped) == (2, 1, 2)
    assert sorted(s3.closed) == sorted(s3.asked)


def test_a_refused_object_is_noted_and_the_later_ones_still_read_in_order():
    objects = _objects(4)
    s3 = _S3(objects, refused={objects[1][0]})
    lines = iter_log_lines(_Access(s3), "logs", "cf/")
    assert list(lines) == ["line 0a\n", "line 0b\n", "line 2a\n", "line 2b\n", "line 3a\n", "line 3b\n"]
    assert (lines.read, lines.failed) == (3, 1)
    assert lines.notes[0] == f"s3://logs/{objects[1][0]} could not be read (AccessDenied)."
    assert sorted(s3.asked) == sorted(key for key, _ in objects)


def test_objects_asked_ahead_are_closed_when_the_reading_stops_early():
    s3 = _S3(_objects(3))
    lines = iter(iter_log_lines(_Access(s3), "logs", "cf/"))
    assert next(lines) == "line 0a\n"
    lines.close()  # the caller stops reading (a deadline, a cancel)
    for _ in range(100):
        if sorted(s3.closed) == sorted(s3.asked):
            break
        threading.Event().wait(0.05)  # an answer still in flight closes when it arrives
    assert sorted(s3.closed) == sorted(s3.asked)

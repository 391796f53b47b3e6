"""Provides log lines from where logs live: a local file, a .gz, a directory of them, or a streamed
object body (an S3 GetObject), gunzipped and decoded, bounded in bytes and line length.

Kept out of the pure analyses: this module touches the filesystem and refuses what might never end
(a FIFO, /dev/zero, a socket); wizard.analysis.logs.log_triage only reads the lines it yields.
"""

from __future__ import annotations

import gzip
import io
import os
import stat
from dataclasses import dataclass, field
from typing import BinaryIO, Iterator, List, Optional, Tuple

from .analysis.logs.summary import clean

_GZIP_MAGIC = b"\x1f\x8b"
_MAX_LINE = 1 << 20  # one log line is never near 1 MiB; a file without newlines must not fill memory


class _Raw(io.RawIOBase):
    """A read-only raw stream over anything with read(n) (a file, a botocore StreamingBody),
    optionally stopping after `limit` bytes."""

    def __init__(self, source, limit: Optional[int] = None) -> None:
        super().__init__()
        self._source = source
        self._left = limit
        self.read_bytes = 0
        self.hit_limit = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        want = len(buffer)
        if self._left is not None:
            if self._left <= 0:
                self.hit_limit = True
                return 0
            want = min(want, self._left)
        data = self._source.read(want)
        if not data:
            return 0
        n = len(data)
        buffer[:n] = data
        self.read_bytes += n
        if self._left is not None:
            self._left -= n
        return n


@dataclass
class ReadReport:
    """How much of a stream was read, and whether it was cut short (by a byte budget or damage)."""

    bytes_read: int = 0
    cut: bool = False
    notes: List[str] = field(default_factory=list)


def binary_lines(stream, limit: Optional[int] = None, report: Optional[ReadReport] = None,
                 name: str = "stream") -> Iterator[str]:
    """Text lines from a binary stream, gunzipped when it starts with the gzip magic, decoded as
    UTF-8 (bad bytes replaced). Streaming: memory does not grow with the stream's size.

    With `limit`, at most that many (raw, compressed) bytes are read and the partial last line is
    dropped. A damaged gzip stream ends the lines with a note in `report`, never an exception.
    """
    report = report if report is not None else ReadReport()
    raw = _Raw(stream, limit)
    buffered = io.BufferedReader(raw, 1 << 16)
    source: BinaryIO = buffered
    try:
        if buffered.peek(2)[:2] == _GZIP_MAGIC:
            source = gzip.GzipFile(fileobj=buffered, mode="rb")  # type: ignore[assignment]
        while True:
            line = source.readline(_MAX_LINE)
            if not line:
                break
            if line[-1:] != b"\n" and raw.hit_limit:
                report.cut = True
                break
            yield line.decode("utf-8", "replace")
    except (EOFError, OSError, ValueError) as exc:
        if raw.hit_limit:
            report.cut = True
        else:
            report.notes.append(f"{clean(name)}: stopped reading, the data is damaged ({clean(exc)}).")
    finally:
        report.bytes_read += raw.read_bytes
        if raw.hit_limit:
            report.cut = True


def lines_of(block: bytes) -> Iterator[str]:
    """The text lines of a block from binary_blocks, exactly as binary_lines would have yielded them."""
    parts = block.split(b"\n")
    last = parts.pop()
    for part in parts:
        yield (part + b"\n").decode("utf-8", "replace")
    if last:
        yield last.decode("utf-8", "replace")


def binary_blocks(stream, limit: Optional[int] = None, report: Optional[ReadReport] = None,
                  name: str = "stream") -> Iterator[bytes]:
    """The bytes binary_lines reads, in blocks of whole lines (at most _MAX_LINE bytes each) for
    readers that count in bulk: lines_of(block) gives binary_lines' lines, to the same cut, drop and
    damage note. A block that does not end with a newline is one line on its own (a piece of an
    over-long line, or a last line without its newline). Streaming, like binary_lines."""
    report = report if report is not None else ReadReport()
    raw = _Raw(stream, limit)
    buffered = io.BufferedReader(raw, 1 << 16)
    source: BinaryIO = buffered
    buf = b""
    try:
        if buffered.peek(2)[:2] == _GZIP_MAGIC:
            source = gzip.GzipFile(fileobj=buffered, mode="rb")  # type: ignore[assignment]
        eof = False
        while not eof:
            parts, have = [buf], len(buf)
            try:
                while have < _MAX_LINE:
                    data = source.read1(_MAX_LINE)
                    if not data:
                        eof = True
                        break
                    parts.append(data)
                    have += len(data)
            finally:  # joined once: appending piece by piece would copy the block many times over
                buf = b"".join(parts)
            while len(buf) >= _MAX_LINE:
                block, buf = _take_block(buf)
                yield block
        while buf:
            block, buf = _take_block(buf)
            if block[-1:] != b"\n" and raw.hit_limit:
                report.cut = True
                break
            yield block
    except (EOFError, OSError, ValueError) as exc:
        # readline would still have given every whole line decoded before the damage: so do we.
        while b"\n" in buf or len(buf) >= _MAX_LINE:
            block, buf = _take_block(buf)
            if block[-1:] != b"\n" and len(block) < _MAX_LINE:
                break
            yield block
        if raw.hit_limit:
            report.cut = True
        else:
            report.notes.append(f"{clean(name)}: stopped reading, the data is damaged ({clean(exc)}).")
    finally:
        report.bytes_read += raw.read_bytes
        if raw.hit_limit:
            report.cut = True


def _take_block(buf: bytes) -> Tuple[bytes, bytes]:
    """(block, rest): the whole lines in the first _MAX_LINE bytes, or what readline(_MAX_LINE)
    returns when they hold no newline (a piece of a longer line, or the last line)."""
    cut = buf.rfind(b"\n", 0, _MAX_LINE) + 1 or min(len(buf), _MAX_LINE)
    return buf[:cut], buf[cut:]


class NotALogFile(ValueError):
    """A path that is neither a regular file nor a directory (a FIFO, /dev/zero, a socket): reading
    it might never end, so it is refused."""


def _is_dir_or_file(path: str) -> bool:
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return True  # missing or unreadable: opening it says so, as a note
    return stat.S_ISDIR(mode) or stat.S_ISREG(mode)


def _open_regular(path: str) -> Tuple[Optional[BinaryIO], int, str]:
    """(handle, size, why not) for a regular file; a FIFO or device gives (None, 0, reason).

    O_NONBLOCK so that opening a FIFO does not wait for a writer; the type is checked on the open
    descriptor, so the file cannot be swapped between the check and the read.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        return None, 0, f"could not be opened ({exc.strerror or exc})"
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        return None, 0, "skipped: not a regular file (a FIFO or device)"
    return os.fdopen(fd, "rb"), info.st_size, ""


class LineSource:
    """Text lines from a local log file, a .gz, or a directory of them (walked in name order).

    Only regular files are read, each at most to the size it had when opened (a log still being
    written does not keep the triage going). A path that is a FIFO or a device raises NotALogFile.
    Iterate it once; afterwards `files`, `bytes_read` and `notes` say what was read.
    """

    def __init__(self, path: str) -> None:
        if not _is_dir_or_file(path):
            raise NotALogFile(f"{clean(path)} is not a regular file or a directory (a FIFO or a device "
                              "could be read forever): save the logs to a file and give its path")
        self.path = path
        self.files = 0
        self.bytes_read = 0
        self.notes: List[str] = []

    def _paths(self) -> Iterator[str]:
        if os.path.isdir(self.path):
            for root, dirs, names in os.walk(self.path):
                dirs.sort()
                for name in sorted(names):
                    if not name.startswith("."):
                        yield os.path.join(root, name)
        else:
            yield self.path

    def __iter__(self) -> Iterator[str]:
        return self._read(binary_lines)

    def blocks(self) -> Iterator[bytes]:
        """The same data as blocks of whole lines (see binary_blocks), for counting in bulk."""
        return self._read(binary_blocks)

    def _read(self, reader) -> Iterator:
        for path in self._paths():
            report = ReadReport()
            handle, size, why_not = _open_regular(path)
            if handle is None:
                self.notes.append(f"{clean(path)}: {why_not}.")
                continue
            with handle:
                self.files += 1
                # size + 1: a file that stays as it was is read to its end (not "cut").
                yield from reader(handle, limit=size + 1, report=report, name=path)
            self.bytes_read += report.bytes_read
            self.notes.extend(report.notes)


def open_lines(path: str) -> LineSource:
    """Lines of a local log file, .gz, or directory of them; see LineSource."""
    return LineSource(path)

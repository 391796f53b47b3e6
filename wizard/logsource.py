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
from typing import BinaryIO, Callable, Iterator, List, Optional, Tuple

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


def _note_damage(report, raw, name: str, exc: BaseException) -> None:
    """A read that stopped early: the size limit (the report says cut) or damaged data (a note)."""
    if raw.hit_limit:
        report.cut = True
    else:
        report.notes.append(f"{clean(name)}: stopped reading, the data is damaged ({clean(exc)}).")


def _settle(report, raw) -> None:
    """What every read adds to its report when it ends, however it ends."""
    report.bytes_read += raw.read_bytes
    if raw.hit_limit:
        report.cut = True


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
        _note_damage(report, raw, name, exc)
    finally:
        _settle(report, raw)


def binary_blocks(stream, limit: Optional[int] = None, report: Optional[ReadReport] = None,
                  name: str = "stream") -> Iterator[bytes]:
    """The bytes binary_lines reads, in blocks of whole lines (at most _MAX_LINE bytes each) for
    readers that count in bulk: analysis.logs.cloudfront_fast.lines_of(block) gives binary_lines' lines, to the same cut, drop and
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
        _note_damage(report, raw, name, exc)
    finally:
        _settle(report, raw)


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

    def blocks(self, columnar: Optional[Callable[[CheckedStream], bool]] = None) -> Iterator[bytes]:
        """The same data as blocks of whole lines (see binary_blocks), for counting in bulk.

        With `columnar`, each file of at least COLUMNAR_MIN_BYTES is first offered to it as a
        CheckedStream; when it returns True it has counted the whole file, and no block of that
        file is yielded. When it returns False or raises (a damaged gzip), it must have counted
        nothing: the file is then read again, from its start, into blocks as usual.
        """
        return self._read(binary_blocks, columnar)

    def _read(self, reader, columnar=None) -> Iterator:
        for path in self._paths():
            report = ReadReport()
            handle, size, why_not = _open_regular(path)
            if handle is None:
                self.notes.append(f"{clean(path)}: {why_not}.")
                continue
            if columnar is not None and size >= COLUMNAR_MIN_BYTES:
                with handle:
                    if _offer(columnar, handle, size, report):
                        self.files += 1
                        self.bytes_read += report.bytes_read
                        continue
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


def _offer(columnar, handle: BinaryIO, size: int, report: ReadReport) -> bool:
    """Whether `columnar` counted the whole of one file (anything it raises means it did not)."""
    stream = None
    try:
        stream = CheckedStream(handle, size)
        if columnar(stream):  # it has checked stream.odd itself, before keeping any count
            report.bytes_read += stream.bytes_read
            return True
    except Exception:  # noqa: BLE001 - a damaged gzip, or a reader error: the ordinary path decides
        pass
    finally:
        if stream is not None:
            stream.close()
    return False


def open_lines(path: str) -> LineSource:
    """Lines of a local log file, .gz, or directory of them; see LineSource."""
    return LineSource(path)


# -- the columnar path (`pip install 'edgewiz[fast-logs]'`) --------------------------------------

COLUMNAR_MIN_BYTES = 4 << 20  # smaller files are over before a columnar reader has warmed up
_PIECE = 1 << 16


def _gunzip(stream: BinaryIO) -> BinaryIO:
    """The decompressed stream: isal when installed (~3.5x faster than zlib), in a thread of its
    own that does not hold the GIL, so gunzipping runs beside pyarrow's parsing; else gzip's."""
    try:
        from isal import igzip_threaded  # type: ignore[import-not-found]
    except ImportError:
        return gzip.GzipFile(fileobj=stream, mode="rb")  # type: ignore[return-value]
    return igzip_threaded.open(stream, "rb", threads=1)


class NotPlainLines(ValueError):
    """Raised by CheckedStream.read at the first bytes a columnar reader could read differently."""


class CheckedStream:
    """The decompressed bytes of one local file, for a columnar reader (read(n), like a file), that
    also notes whatever that reader could read differently from binary_lines: a byte that is not
    ASCII, a carriage return, a line longer than binary_lines' limit, the file growing while read.
    Read in pieces of 64 KiB, so every line longer than a piece crosses a piece boundary, where its
    length is checked. At the first such thing read() raises NotPlainLines (and `odd` says why), before
    handing out the piece that holds it. A damaged gzip raises as it would in gzip.GzipFile. Either
    way the caller then reads the file again the ordinary way."""

    def __init__(self, handle: BinaryIO, size: int) -> None:
        self._raw = _Raw(handle, size + 1)
        buffered = io.BufferedReader(self._raw, 1 << 16)
        self._source = buffered
        if buffered.peek(2)[:2] == _GZIP_MAGIC:
            self._source = _gunzip(buffered)
        self._tail = 0  # bytes since the last newline
        self._held = b""
        self.odd = ""
        self.closed = False

    @property
    def bytes_read(self) -> int:
        return self._raw.read_bytes

    def read(self, n: int = -1) -> bytes:
        parts, have = [self._held], len(self._held)
        self._held = b""
        want = n if n is not None and n >= 0 else 1 << 62
        while have < want:
            piece = self._source.read1(_PIECE)
            if not piece:
                if self._tail >= _MAX_LINE:
                    self.odd = self.odd or "a line longer than 1 MiB"
                if self._raw.hit_limit:
                    self.odd = self.odd or "the file grew while it was read"
                if self.odd:
                    raise NotPlainLines(self.odd)
                break
            self._check(piece)
            if self.odd:  # stop at once: the columnar reader never sees a byte it could misread
                raise NotPlainLines(self.odd)
            parts.append(piece)
            have += len(piece)
        data = b"".join(parts)
        if len(data) > want:
            data, self._held = data[:want], data[want:]
        return data

    def _check(self, piece: bytes) -> None:
        if not piece.isascii() or b"\r" in piece:
            self.odd = self.odd or "bytes that are not plain ASCII lines"
        first = piece.find(b"\n")
        if first < 0:
            self._tail += len(piece)
        else:
            if self._tail + first + 1 > _MAX_LINE:
                self.odd = self.odd or "a line longer than 1 MiB"
            self._tail = len(piece) - piece.rfind(b"\n") - 1
        if self._tail >= _MAX_LINE:
            self.odd = self.odd or "a line longer than 1 MiB"

    def unread(self, data: bytes) -> None:
        """Put bytes already read (and checked) back in front of the rest."""
        self._held = data + self._held

    # What pyarrow asks of a Python file object besides read().
    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return False

    def writable(self) -> bool:
        return False

    def close(self) -> None:
        self.closed = True
        if self._source is not self._raw and hasattr(self._source, "close"):
            self._source.close()  # stops isal's reading thread

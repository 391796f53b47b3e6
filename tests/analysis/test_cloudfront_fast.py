"""The fast CloudFront triage (`edgewiz logs` on a local file) says exactly what the per-line parser
says on the same bytes: comments and mid-file headers, `-` values, escaped characters, malformed and
torn lines, CRLF, non-UTF-8 bytes, an over-long line, several gzip members, a truncated gzip."""

from __future__ import annotations

import gzip
import random

from hypothesis import given, settings
from hypothesis import strategies as st

from wizard.analysis.logs.cloudfront_fast import FastCloudFrontTriage, lines_of
from wizard.analysis.logs.cloudfront_logs import DEFAULT_FIELDS
from wizard.analysis.logs.log_triage import triage_lines
from wizard.commands.logs_cmd import triage_local
from wizard.logsource import binary_blocks, binary_lines, open_lines

HEADER = "#Version: 1.0\n#Fields: " + " ".join(DEFAULT_FIELDS) + "\n"
SHORT_FIELDS = [f for f in DEFAULT_FIELDS if f not in ("cs(Cookie)", "fle-status", "fle-encrypted-fields")]


def _line(rng: random.Random, i: int, fields=DEFAULT_FIELDS) -> str:
    roll = rng.random()
    status, rt, drt, taken = "200", "Hit", "Hit", "%.3f" % (rng.random() / 10)
    if roll < 0.05:
        status, rt, drt, taken = "504", "Error", "OriginError", "%.3f" % (10 + rng.random())
    elif roll < 0.07:
        status, rt, drt, taken = "502", "Error", "OriginConnectError", "30.0%02d" % (i % 100)
    elif roll < 0.08:
        status, rt, drt, taken = "503", "Error", "-", "-"
    elif roll < 0.09:
        status, rt, drt, taken = "%35%30%34", "Error", "Origin%45rror", "9.5"  # escaped values
    values = {
        "date": "2025-08-%02d" % (27 + (i // 7000) % 2), "time": "%02d:%02d:%02d" % ((i // 3600) % 24, (i // 60) % 60, i % 60),
        "x-edge-location": rng.choice(["NRT20-P2", "SEA19-C2", "-", "FRA%2056"]),
        "c-ip": "198.51.100.%d" % (i % 300), "cs(Host)": "d111111abcdef8.cloudfront.net",
        "cs-uri-stem": rng.choice(["/a.js", "/b%09tab.js", "/c%20d/e", "-", "/p/%d" % (i % 30000)]),
        "sc-status": status, "x-edge-result-type": rt, "x-edge-detailed-result-type": drt, "time-taken": taken,
        "x-host-header": rng.choice(["www.example.com", "-", "d111111abcdef8.cloudfront.net"]),
    }
    return "\t".join(values.get(f, "%2D" if f == "cs-bytes" else "-") for f in fields) + "\n"


def _log(seed: int, lines: int) -> bytes:
    """A log that crosses many 1 MiB blocks, with every oddity the per-line parser treats specially."""
    rng = random.Random(seed)
    out = ["2025-08-27\t00:00:00\tHEADERLESS\n" + _line(rng, 0).replace("\n", "")[0:0]]  # torn, before any header
    out.append(_line(rng, 1))  # header-less, documented order
    out.append(HEADER)
    for i in range(lines):
        out.append(_line(rng, i))
        if i % 9000 == 4500:
            out.append("#Fields: " + " ".join(SHORT_FIELDS) + "\n")
        if i % 9000 == 8000:
            out.append(HEADER)
        if i % 2500 == 17:  # each oddity at least once, one every 2,500 lines
            out.append([
                "\n", "junk\n", "#Version: 1.0\n", "2025-08-2\tbad date\n", _line(rng, i).rstrip("\n") + "\r\n",
                _line(rng, i).rstrip("\n") + "\t" + _line(rng, i),  # two lines run together
                _line(rng, i)[:40] + "\n",  # torn
                "2025-08-28\t-\t" + _line(rng, i).split("\t", 2)[2],  # '-' time
                "#025-08-28\t" + _line(rng, i).split("\t", 1)[1],  # a comment that looks like a line
            ][(i // 2500) % 9])
    text = "".join(out).encode()
    return text[:5000] + "caf\u00e9 \xff".encode("latin-1") + b"\t" + text[5000:]  # bytes that are not UTF-8


def _reference(path: str):
    return triage_lines(open_lines(path))


def _same(path: str) -> FastCloudFrontTriage:
    fast = triage_local(path)
    slow = _reference(path)
    assert fast.as_dict() == slow.as_dict()
    assert fast.lines() == slow.lines()
    counted = FastCloudFrontTriage()
    for block in open_lines(path).blocks():
        counted.add_block(block)
    return counted


def test_fast_triage_equals_the_parser_on_a_gzip_log_with_every_oddity(tmp_path):
    """A 1.5 MiB+ gzip log with headers mid-file, '-' values, escapes, torn, merged and CRLF lines:
    the fast path counts most lines in bulk and still gives the per-line parser's summary."""
    path = tmp_path / "E2ABC.2025-08-28-05.1.gz"
    path.write_bytes(gzip.compress(_log(1, 30_000), compresslevel=1))
    counted = _same(str(path))
    assert counted.bulk_lines > 5_000  # the bulk path really ran (blocks with an oddity go line by line)
    assert counted.summary().malformed > 0 and counted.summary().origin_errors > 0


def test_fast_triage_equals_the_parser_on_a_truncated_gzip(tmp_path):
    """A gzip cut mid-stream: the lines before the cut count the same, the damage note is the same."""
    path = tmp_path / "cut.gz"
    data = gzip.compress(_log(2, 30_000), compresslevel=1)
    path.write_bytes(data[: len(data) * 2 // 3])
    _same(str(path))
    assert any("damaged" in note for note in _reference(str(path)).notes)


def test_fast_triage_equals_the_parser_on_members_plain_files_and_a_long_line(tmp_path):
    """A directory: a two-member gzip, a plain file whose last line has no newline, and a line longer
    than the 1 MiB a line may be (cut in pieces by both readers alike)."""
    (tmp_path / "a.gz").write_bytes(gzip.compress(_log(3, 8000)) + gzip.compress(_log(4, 8000)))
    long_line = _line(random.Random(5), 1).replace("/a.js", "/" + "x" * (1 << 21), 1)
    (tmp_path / "b.log").write_bytes(HEADER.encode() + long_line.encode() + _log(6, 3000) + b"2025-08-28\tno newline")
    _same(str(tmp_path))


def test_blocks_give_the_same_lines_as_the_line_reader(tmp_path):
    """lines_of(binary_blocks(...)) is binary_lines(...), line for line, on a truncated gzip."""
    data = gzip.compress(_log(7, 20_000) + b"\n" + b"y" * (3 << 20) + b"\nlast", compresslevel=1)
    for cut in (len(data), len(data) - 100, len(data) // 2):
        path = tmp_path / f"cut{cut}.gz"
        path.write_bytes(data[:cut])
        with open(path, "rb") as one, open(path, "rb") as two:
            assert [line for block in binary_blocks(one) for line in lines_of(block)] == list(binary_lines(two))


_value = st.sampled_from(["-", "", "%", "%2", "%2D", "%09", "5", "504", "Origin", "OriginError", "9.5", "10.0",
                          "inf", "nan", "2025-08-28", "#", "\u00e9", "\r"])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(
    st.lists(_value, min_size=len(DEFAULT_FIELDS) - 1, max_size=len(DEFAULT_FIELDS) + 1).map(
        lambda v: "2025-08-28\t" + "\t".join(v)),
    st.sampled_from(["#Fields: " + " ".join(SHORT_FIELDS), HEADER.strip(), "", "#x", "2025-08-28"]),
), max_size=40))
def test_fast_triage_equals_the_parser_on_arbitrary_lines(tmp_path_factory, lines):
    """Whatever the lines (values that decode, '-', '%', '\\r', headers, wrong counts), both agree."""
    path = tmp_path_factory.mktemp("h") / "log"
    path.write_bytes(("\n".join(lines) + "\n").encode())
    fast = FastCloudFrontTriage()
    for block in open_lines(str(path)).blocks():
        fast.add_block(block)
    assert fast.summary().as_dict() == triage_lines(open_lines(str(path)), "cloudfront").as_dict()


def test_a_comment_shaped_like_a_record_is_a_comment(tmp_path):
    """A line starting with '#' is a comment even with a date-shaped first value and every field:
    the bulk path leaves it out, as the parser does."""
    rng = random.Random(8)
    lines = [_line(rng, i) for i in range(200)]
    lines.insert(100, "#025-08-28\t" + _line(rng, 100).split("\t", 1)[1])
    path = tmp_path / "log"
    path.write_text("".join(lines))
    counted = _same(str(path))
    assert counted.summary().records == 200


# -- the columnar path (pyarrow, `pip install 'edgewiz[fast-logs]'`) -----------------------------

from wizard.analysis.logs import cloudfront_columnar  # noqa: E402
from wizard import logsource  # noqa: E402

import pytest  # noqa: E402

needs_pyarrow = pytest.mark.skipif(not cloudfront_columnar.available(),
                                   reason="pyarrow is not installed (pip install 'edgewiz[fast-logs]')")


def _clean_log(seed: int, lines: int, fields=DEFAULT_FIELDS) -> bytes:
    """A log as CloudFront writes it: a header repeated every 5,000 lines (concatenated files),
    escaped and '-' values, 5xx and Origin* errors, two days; nothing the bulk path refuses."""
    rng = random.Random(seed)
    header = "#Version: 1.0\n#Fields: " + " ".join(fields) + "\n"
    out = []
    for i in range(lines):
        if i % 5000 == 0:
            out.append(header)
        out.append(_line(rng, i, fields))
    return "".join(out).encode()


def _columnar(path: str):
    """(whether pyarrow counted the file, its summary): count_file on one file, as `edgewiz logs` would."""
    fast = FastCloudFrontTriage()
    with open(path, "rb") as handle:
        counted = cloudfront_columnar.count_file(fast, logsource.CheckedStream(handle, len(open(path, "rb").read())))
    return counted, fast.summary()


@needs_pyarrow
def test_columnar_counts_a_plain_gzip_log_as_the_parser_does(tmp_path):
    """pyarrow counts the whole file (repeated headers, escapes, '-', 5xx, two days) and says what
    the per-line parser says, top lists and their ties included."""
    path = tmp_path / "E2ABC.2025-08-28-05.1.gz"
    path.write_bytes(gzip.compress(_clean_log(11, 40_000), compresslevel=1))
    counted, summary = _columnar(str(path))
    assert counted
    assert summary.as_dict() == _reference(str(path)).as_dict()
    assert summary.lines() == _reference(str(path)).lines()
    assert summary.origin_errors > 0 and summary.records == 40_000


@needs_pyarrow
def test_columnar_counts_a_shorter_header_and_plain_text(tmp_path):
    """A header with fewer fields than the documented 33, in a plain (not gzip) file."""
    path = tmp_path / "short.log"
    path.write_bytes(_clean_log(12, 12_000, SHORT_FIELDS))
    counted, summary = _columnar(str(path))
    assert counted and summary.as_dict() == _reference(str(path)).as_dict()


@needs_pyarrow
@pytest.mark.parametrize("oddity", [
    "#Fields: " + " ".join(SHORT_FIELDS) + "\n", "\n", "junk\n", "2025-08-2\tbad date\n", "crlf", "merged", "torn",
    "dash-time", "comment-record", "non-ascii", "long", "no-header",
])
def test_columnar_refuses_any_line_the_bulk_path_would_not_count(tmp_path, oddity):
    """One odd line in 20,000: pyarrow leaves the file (nothing counted) and `edgewiz logs` reads it
    the ordinary way, to the same summary."""
    rng = random.Random(13)
    good = _clean_log(13, 20_000).decode()
    line = _line(rng, 7)
    odd = {
        "crlf": line.rstrip("\n") + "\r\n", "merged": line.rstrip("\n") + "\t" + line, "torn": line[:40] + "\n",
        "dash-time": "2025-08-28\t-\t" + line.split("\t", 2)[2],
        "comment-record": "#025-08-28\t" + line.split("\t", 1)[1],
        "non-ascii": "\t".join(v if i != 7 else "/caf\u00e9.js" for i, v in enumerate(line.split("\t"))),
        "long": line.replace("-", "y" * (1 << 21), 1), "no-header": "",
    }.get(oddity, oddity)
    at = len(good) // 2
    at = good.index("\n", at) + 1
    text = good[:at] + odd + good[at:]
    if oddity == "no-header":
        text = good.split("\n", 2)[2]
    path = tmp_path / "odd.log.gz"
    path.write_bytes(gzip.compress(text.encode("utf-8"), compresslevel=1))
    fast = FastCloudFrontTriage()
    before = fast.summary().as_dict()
    with open(path, "rb") as handle:
        assert not cloudfront_columnar.count_file(fast, logsource.CheckedStream(handle, path.stat().st_size))
    assert fast.summary().as_dict() == before  # rolled back: nothing of the file was kept
    _with_columnar_for_every_file(str(path))


def _with_columnar_for_every_file(path: str) -> None:
    """triage_local with the columnar path offered every file, whatever its size: the parser's summary."""
    saved = logsource.COLUMNAR_MIN_BYTES
    logsource.COLUMNAR_MIN_BYTES = 0
    try:
        fast = triage_local(path)
    finally:
        logsource.COLUMNAR_MIN_BYTES = saved
    slow = _reference(path)
    assert fast.as_dict() == slow.as_dict()
    assert fast.lines() == slow.lines()


@needs_pyarrow
@pytest.mark.parametrize("damage", ["cut", "flipped", "trailing-garbage", "two-members"])
def test_columnar_on_a_damaged_gzip_gives_the_parsers_summary(tmp_path, damage):
    """isal/pyarrow may stop elsewhere than Python's gzip on damage: the file is then read again the
    ordinary way, so the counts and the damage note are the parser's."""
    data = gzip.compress(_clean_log(14, 30_000), compresslevel=1)
    if damage == "cut":
        data = data[: len(data) * 2 // 3]
    elif damage == "flipped":
        data = data[: len(data) // 2] + bytes([data[len(data) // 2] ^ 0xFF]) + data[len(data) // 2 + 1:]
    elif damage == "trailing-garbage":
        data += b"not gzip at all"
    else:
        data += gzip.compress(_clean_log(15, 3000))
    path = tmp_path / "d.gz"
    path.write_bytes(data)
    _with_columnar_for_every_file(str(path))


@needs_pyarrow
def test_columnar_in_a_directory_next_to_files_it_refuses(tmp_path):
    """A folder of a plain gzip, an odd one and a small plain file: the same summary as the parser."""
    (tmp_path / "a.gz").write_bytes(gzip.compress(_clean_log(16, 10_000)))
    (tmp_path / "b.gz").write_bytes(gzip.compress(_log(17, 10_000)))
    (tmp_path / "c.log").write_bytes(_clean_log(18, 3000))
    _with_columnar_for_every_file(str(tmp_path))


@needs_pyarrow
@settings(max_examples=40, deadline=None)
@given(st.lists(st.one_of(
    st.lists(_value, min_size=len(DEFAULT_FIELDS) - 1, max_size=len(DEFAULT_FIELDS) + 1).map(
        lambda v: "2025-08-28\t" + "\t".join(v)),
    st.sampled_from(["#Fields: " + " ".join(SHORT_FIELDS), HEADER.strip(), "", "#x", "2025-08-28"]),
), max_size=40))
def test_columnar_equals_the_parser_on_arbitrary_lines(tmp_path_factory, lines):
    """Whatever the lines, with pyarrow offered the file: the parser's summary."""
    path = tmp_path_factory.mktemp("h") / "log"
    path.write_bytes((HEADER + "\n".join(lines) + "\n").encode())
    _with_columnar_for_every_file(str(path))

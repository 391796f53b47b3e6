"""Provides the columnar CloudFront triage for large local files: pyarrow's CSV reader parses the
file on every core and pyarrow.compute counts the columns, giving the counts FastCloudFrontTriage
would (optional: `pip install 'edgewiz[fast-logs]'`; without pyarrow, `available()` is False).

Why: the block counter still splits every line into 33 Python bytes objects, ~2.9 s of CPU per
million lines, while pyarrow parses in C++ threads and only the distinct values reach Python.

Same answers or none: the file is counted here only when every line is one the block counter
would count in bulk (the header's number of tab-separated values, a plain date, a time without
`-` or `%`) or a comment that repeats the header in force. Anything else — another #Fields
header, a torn, merged or empty line, non-ASCII bytes, a carriage return, an over-long line
(CheckedStream notes those), a damaged gzip — rolls every count of this file back and returns
False, and the caller reads the file again the ordinary way. tests/analysis/test_cloudfront_fast.py
compares the three paths.

Pure: the stream comes from wizard.logsource (CheckedStream).
"""

from __future__ import annotations

import copy
from collections import Counter
from typing import List, Optional

from .cloudfront_fast import BlockScan, FastCloudFrontTriage, _layout_of, _value
from .cloudfront_logs import parse_fields_header

_HEAD = 1 << 16
_GROUP = 16  # batches counted together: ~40,000 lines, the 11 columns triage reads of them
_BLOCK = 1 << 20  # pyarrow's parse unit: 1 MiB kept peak RSS flat (~118 MiB at 250k and 1M lines; 4 MiB grew)


def available() -> bool:
    """Whether pyarrow (with its CSV reader) is installed."""
    try:
        import pyarrow.csv  # noqa: F401
        import pyarrow.compute  # noqa: F401
    except ImportError:
        return False
    return True


class _NotPlain(Exception):
    """Something in the file the block counter would not count in bulk."""


def count_file(fast: FastCloudFrontTriage, stream) -> bool:
    """Count one whole file (a CheckedStream) into `fast`; False, with `fast` as it was, when the
    file holds anything only the ordinary path reads right."""
    saved = (copy.deepcopy(fast.stats), copy.deepcopy(fast.state), _copy_tally(fast.tally), fast.bulk_lines)
    try:
        _count(fast, stream)
        if stream.odd:
            raise _NotPlain(stream.odd)
        return True
    except Exception:  # noqa: BLE001 - _NotPlain, a damaged gzip, a pyarrow error: roll back, read again
        fast.stats, fast.state, fast.tally, fast.bulk_lines = saved
        return False


def _copy_tally(tally):
    """A copy of a CloudFrontTally to roll back to. Its counters are copied by hand: a capped
    counter's own copy (Counter.__reduce__) would pass its contents where its cap goes."""
    twin = copy.copy(tally)
    for name, value in vars(tally).items():
        if isinstance(value, dict):
            clone = dict.__new__(type(value))
            dict.update(clone, value)  # keeps the order keys first appeared in (it breaks ties)
            vars(clone).update(vars(value)) if hasattr(value, "__dict__") else None
            setattr(twin, name, clone)
    return twin


def _leading_comments(fast: FastCloudFrontTriage, stream) -> None:
    """The comment lines the file starts with (#Version, #Fields) go through the ordinary parser,
    so the header in force is known before the first data line."""
    head = stream.read(_HEAD)
    pos = 0
    while head[pos:pos + 1] == b"#":
        end = head.find(b"\n", pos)
        if end < 0:
            break
        fast._slow(head[pos:end + 1])
        pos = end + 1
    stream.unread(head[pos:])


def _count(fast: FastCloudFrontTriage, stream) -> None:
    import pyarrow as pa
    import pyarrow.csv as pacsv

    _leading_comments(fast, stream)
    if fast.state.fields is None:
        raise _NotPlain("no #Fields header before the first line")
    names = list(fast.state.names)
    layout = _layout_of(names)
    if not layout.usable:
        raise _NotPlain("the header lacks a column triage reads")
    index = dict(layout.index, date=0)
    column_names = [f"f{i}" for i in range(layout.width)]
    wanted = {column_names[i] for i in index.values()}
    odd_rows: List[str] = []

    def invalid(row) -> str:  # a line with another number of values: judged after the file
        odd_rows.append(row.text)
        return "skip"

    reader = pacsv.open_csv(
        stream,
        read_options=pacsv.ReadOptions(column_names=column_names, block_size=_BLOCK, use_threads=True),
        parse_options=pacsv.ParseOptions(delimiter="\t", quote_char=False, escape_char=False, double_quote=False,
                                         newlines_in_values=False, ignore_empty_lines=False,
                                         invalid_row_handler=invalid),
        convert_options=pacsv.ConvertOptions(include_columns=[c for c in column_names if c in wanted],
                                             column_types={c: pa.binary() for c in wanted},
                                             strings_can_be_null=False, null_values=[]),
    )
    columns = {name: column_names[i] for name, i in index.items()}
    group: list = []
    for batch in reader:  # counted _GROUP batches at a time: each compute call has a fixed cost
        if batch.num_rows:
            group.append(batch)
        if len(group) >= _GROUP:
            fast._apply(_scan(pa.Table.from_batches(group), columns))
            group = []
    if group:
        fast._apply(_scan(pa.Table.from_batches(group), columns))
    comments = 0
    for text in odd_rows:
        header = parse_fields_header(text) if text[:1] == "#" else None
        if text[:1] != "#" or (header and header != names):
            raise _NotPlain("a line the bulk path does not count")
        comments += 1
    fast.stats.lines += comments
    fast.stats.comments += comments


def _counts(column) -> Counter:
    """Counter of raw values, keys in the order they first appear (as Counter(list) would)."""
    import pyarrow.compute as pc

    found = pc.value_counts(column)
    return Counter(dict(zip(found.field("values").to_pylist(), found.field("counts").to_pylist())))


def _scan(batch, columns) -> BlockScan:
    """What scan_block gives for these lines, computed column-wise."""
    import pyarrow as pa
    import pyarrow.compute as pc

    col = {name: batch.column(c) for name, c in columns.items()}
    dates = pc.unique(col["date"]).to_pylist()
    for d in dates:
        if len(d) != 10 or d[4] != 45 or d[7] != 45 or b"%" in d or d[0] == 35:
            raise _NotPlain("a date the bulk path does not count")
    times = col["time"]
    if pc.any(pc.equal(times, pa.scalar(b"-", pa.binary()))).as_py() or \
            pc.any(pc.match_substring(times, "%")).as_py():
        raise _NotPlain("a time the parser would decode")
    if len(dates) == 1:
        span = pc.min_max(times)
        low, high = dates[0] + b" " + span["min"].as_py(), dates[0] + b" " + span["max"].as_py()
    else:
        span = pc.min_max(pc.binary_join_element_wise(col["date"], times, pa.scalar(b" ", pa.binary())))
        low, high = span["min"].as_py(), span["max"].as_py()
    status, detailed = _counts(col["sc-status"]), _counts(col["x-edge-detailed-result-type"])
    failing = [raw for raw in status if (_value(raw) or "")[:1] == "5"]
    origin = [raw for raw in detailed if "Origin" in (_value(raw) or "-")]
    failed: List[tuple] = []
    if failing or origin:
        mask = pc.or_(pc.is_in(col["sc-status"], value_set=pa.array(failing, pa.binary())),
                      pc.is_in(col["x-edge-detailed-result-type"], value_set=pa.array(origin, pa.binary())))
        picked = [pc.filter(col[name], mask).to_pylist()
                  for name in ("cs-uri-stem", "x-host-header", "cs(Host)", "x-edge-location", "c-ip")]
        failed = list(zip(*picked))
    return BlockScan(batch.num_rows, low, high, status, _counts(col["x-edge-result-type"]), detailed,
                     _counts(col["time-taken"]), failed)


def columnar_counter(fast: FastCloudFrontTriage) -> Optional[object]:
    """The `columnar` hook for LineSource.blocks: count_file bound to `fast`, or None without pyarrow.
    Found, not imported: a folder of small files never pays pyarrow's import."""
    import importlib.util

    if importlib.util.find_spec("pyarrow") is None:
        return None
    return lambda stream: count_file(fast, stream)

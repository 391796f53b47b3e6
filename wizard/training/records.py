"""Provides attempt records: one JSON file per exercise attempt (exercise, trainee, start and end
time, hints used, the trainee's answer, the fix's safety verdicts, solved), 0600 under the user's
state dir, and the class summary `edgewiz train report` prints from a folder of them."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional

from ..journal import state_dir

MAX_RECORD_BYTES = 256 * 1024  # a record is a few hundred bytes; a folder handed in may hold anything


class RecordError(ValueError):
    """The records folder cannot be read."""


def records_dir() -> Path:
    return state_dir() / "training" / "records"


def new_record(state: Mapping[str, Any]) -> Dict[str, Any]:
    """The record of an attempt as it starts (no check yet)."""
    return {"exercise": state["exercise"], "trainee": state.get("trainee") or None,
            "started": state.get("started"), "ended": None, "hints_used": int(state.get("hints_used") or 0),
            "answer": None, "checks": 0, "verdict": "not checked", "solved": False, "unsafe": [],
            "faults": list(state.get("faults") or [])}


def record_name(state: Mapping[str, Any]) -> str:
    started = time.strftime("%Y%m%d-%H%M%S", time.gmtime(float(state.get("started") or time.time())))
    return f"attempt-{started}-{int(state.get('pid') or os.getpid())}.json"


def write_record(record: Mapping[str, Any], path: Path) -> Path:
    """Write atomically, 0600 from the first byte (the trainee's name and answer are theirs)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_name(path.name + f".{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump(dict(record), out, indent=1, sort_keys=True)
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)
    return path


def read_record(path: Path) -> Dict[str, Any]:
    with open(path, encoding="utf-8") as handle:
        data = json.loads(handle.read(MAX_RECORD_BYTES))
    if not isinstance(data, dict) or not isinstance(data.get("exercise"), str):
        raise ValueError("not an attempt record")
    return data


def record_path(state: Mapping[str, Any]) -> Path:
    return records_dir() / Path(str(state.get("record") or record_name(state))).name


def update(state: Mapping[str, Any], checked: bool = False, **changes: Any) -> Path:
    """Apply `changes` to the running attempt's record (created on first use) and write it;
    `checked` counts one more `train check`."""
    path = record_path(state)
    try:
        record = read_record(path)
    except (OSError, ValueError):
        record = new_record(state)
    record.update(changes)
    if checked:
        record["checks"] = int(_num(record.get("checks"))) + 1
    return write_record(record, path)


def load_records(folder: Path) -> List[Dict[str, Any]]:
    """Every readable record in the folder, oldest first; unreadable files are skipped, counted in
    the summary as `skipped` (an instructor's folder may hold other files)."""
    if not folder.is_dir():
        raise RecordError(f"no records folder at {folder}")
    out: List[Dict[str, Any]] = []
    skipped = 0
    for path in sorted(folder.glob("*.json")):
        try:
            if path.stat().st_size > MAX_RECORD_BYTES:
                raise ValueError("too big")
            out.append(read_record(path))
        except (OSError, ValueError):
            skipped += 1
    out.sort(key=lambda r: _num(r.get("started")))
    if skipped:
        out.append({"_skipped": skipped})
    return out


def _num(value: Any) -> float:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else 0.0


def _minutes(record: Mapping[str, Any]) -> str:
    start, end = _num(record.get("started")), _num(record.get("ended"))
    return f"{(end - start) / 60:.0f}" if start and end >= start else "?"


def _text(value: Any, width: int = 40) -> str:
    text = " ".join(str(value).split()) if value not in (None, "") else "-"
    return text if len(text) <= width else text[:width - 1] + "…"


def _rows(records: List[Mapping[str, Any]]) -> List[List[str]]:
    rows = []
    for r in records:
        if "_skipped" in r:
            continue
        unsafe = [str(c.get("rule")) for c in r.get("unsafe") or [] if isinstance(c, Mapping)]
        when = time.strftime("%Y-%m-%d %H:%M", time.localtime(_num(r.get("started")))) if r.get("started") else "?"
        rows.append([_text(r.get("trainee"), 20), _text(r.get("exercise"), 36), when, _minutes(r),
                     str(int(_num(r.get("hints_used")))), str(int(_num(r.get("checks")))),
                     _text(r.get("answer"), 30), _text(", ".join(unsafe) or "ok" if r.get("checks") else "-", 30),
                     "yes" if r.get("solved") is True else "no"])
    return rows


HEADERS = ["trainee", "exercise", "started", "min", "hints", "checks", "answer", "fix safety", "solved"]


def _totals(records: List[Mapping[str, Any]]) -> str:
    real = [r for r in records if "_skipped" not in r]
    skipped = sum(int(r["_skipped"]) for r in records if "_skipped" in r)
    solved = sum(1 for r in real if r.get("solved") is True)
    unsafe = sum(1 for r in real if r.get("unsafe"))
    hints = sum(int(_num(r.get("hints_used"))) for r in real)
    line = (f"{len(real)} attempt(s), {solved} solved, {unsafe} with an unsafe fix, "
            f"{hints / len(real) if real else 0:.1f} hints per attempt")
    return line + (f"; {skipped} unreadable file(s) skipped" if skipped else "")


def summary_table(records: List[Mapping[str, Any]]) -> str:
    rows = _rows(records)
    widths = [max([len(h)] + [len(row[i]) for row in rows]) for i, h in enumerate(HEADERS)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(HEADERS, widths)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in rows]
    return "\n".join(lines + ["", _totals(records)]) + "\n"


def summary_markdown(records: List[Mapping[str, Any]]) -> str:
    def cell(text: str) -> str:
        return text.replace("\\", "\\\\").replace("|", "\\|")

    lines = ["| " + " | ".join(HEADERS) + " |", "|" + "|".join("---" for _ in HEADERS) + "|"]
    lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in _rows(records)]
    return "\n".join(lines + ["", _totals(records)]) + "\n"


def check_changes(result: Any, answer: Optional[str]) -> Dict[str, Any]:
    """What a `train check` adds to the record: its verdict, safety concerns, solved, the end time."""
    changes: Dict[str, Any] = {"ended": time.time(), "verdict": result.verdict, "solved": bool(result.solved),
                               "unsafe": [{"rule": c.rule, "why": c.why} for c in result.unsafe],
                               "remaining": [fid for fid, _title in result.remaining]}
    if answer:
        changes["answer"] = answer
    return changes

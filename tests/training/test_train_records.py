"""Attempt records: a real `train start --trainee` … `hint` … `check --answer` … `stop` leaves one 0600
JSON record, and `edgewiz train report FOLDER` summarises a folder of them as a table and Markdown."""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys

import pytest

from wizard.cli import main


@pytest.mark.lab
def test_an_attempt_writes_a_record_that_the_report_summarises(tmp_path, capsys):
    env = dict(os.environ, EDGEWIZ_STATE_DIR=str(tmp_path), EDGEWIZ_QUIET="1")
    proc = subprocess.Popen([sys.executable, "-m", "wizard", "train", "start", "asset-403-stacked",
                             "--trainee", "Ada"], env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            text=True)
    try:
        for line in proc.stdout:
            if line.startswith("# exercise state:"):
                break

        def edgewiz(*argv):
            return subprocess.run([sys.executable, "-m", "wizard", *argv], env=env, capture_output=True,
                                  text=True, timeout=120)

        assert edgewiz("train", "hint").returncode == 0
        check = edgewiz("train", "check", "--answer", "the OAC grant | names the old distribution")
        assert check.returncode == 0, check.stderr
        assert edgewiz("train", "stop").returncode == 0
        assert proc.wait(timeout=30) == 0
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=30)
    folder = tmp_path / "training" / "records"
    (path,) = folder.glob("*.json")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    record = json.loads(path.read_text())
    assert record["exercise"] == "asset-403-stacked" and record["trainee"] == "Ada"
    assert record["hints_used"] == 1 and record["checks"] == 1 and record["solved"] is False
    assert record["answer"] == "the OAC grant | names the old distribution"
    assert record["ended"] >= record["started"] and record["verdict"] == "not yet"
    assert sorted(record["remaining"]) == sorted(["s3.policy.oac-sourcearn-mismatch", "s3.object-missing",
                                                  "s3.cors.missing"])

    assert main(["train", "report", str(folder)]) == 0
    table = capsys.readouterr().out
    header, rule, row = table.splitlines()[:3]
    assert header.split() == ["trainee", "exercise", "started", "min", "hints", "checks", "answer", "fix",
                              "safety", "solved"]
    assert row.startswith("Ada") and "asset-403-stacked" in row and row.rstrip().endswith("no")
    assert "1 attempt(s), 0 solved" in table
    assert main(["train", "report", str(folder), "--markdown"]) == 0
    md = capsys.readouterr().out
    assert md.startswith("| trainee | exercise |") and "the OAC grant \\| names" in md


def _record(folder, name, **fields):
    base = {"exercise": "asset-cors-missing", "trainee": None, "started": 1_700_000_000.0,
            "ended": 1_700_000_600.0, "hints_used": 0, "checks": 1, "answer": None, "solved": True, "unsafe": []}
    (folder / name).write_text(json.dumps(dict(base, **fields)))


def test_the_report_counts_solved_unsafe_and_skips_what_is_not_a_record(tmp_path, capsys):
    _record(tmp_path, "a.json", trainee="Bo", hints_used=2)
    _record(tmp_path, "b.json", trainee="Cy", solved=False,
            unsafe=[{"rule": "bucket-not-public", "why": "the bucket policy allows everyone"}])
    (tmp_path / "junk.json").write_text("{not json")
    assert main(["train", "report", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "Bo" in out and "10" in out and "bucket-not-public" in out
    assert "2 attempt(s), 1 solved, 1 with an unsafe fix, 1.0 hints per attempt; 1 unreadable file(s) skipped" in out


def test_a_missing_records_folder_is_a_one_line_error(tmp_path, capsys):
    assert main(["train", "report", str(tmp_path / "nope")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no records folder" in err

"""The TUI's attempt record (wizard/training/attempt_record.py): the same file `train start`/`check`
write, and a folder that cannot be written costs the record, not the exercise."""

from __future__ import annotations

import json
import stat
from types import SimpleNamespace

from wizard.training.attempt_record import AttemptRecorder
from wizard.training.records import load_records, records_dir, summary_table


def test_hints_answer_and_check_land_in_one_0600_record(tmp_path, monkeypatch):
    monkeypatch.setenv("EDGEWIZ_STATE_DIR", str(tmp_path))
    rec = AttemptRecorder("asset-403-stacked", started=1000.0, trainee="ada")
    rec.started(["s3.object-missing"])
    rec.hinted(2)
    rec.answered("s3.object-missing; the asset was never uploaded")
    result = SimpleNamespace(verdict="works, but unsafe", solved=False, remaining=[],
                             unsafe=[SimpleNamespace(rule="bucket-not-public", why="public")])
    rec.checked(result, hints_used=2)
    files = list(records_dir().glob("*.json"))
    assert len(files) == 1 and stat.S_IMODE(files[0].stat().st_mode) == 0o600
    record = json.loads(files[0].read_text())
    assert record["trainee"] == "ada" and record["hints_used"] == 2 and record["checks"] == 1
    assert record["answer"].startswith("s3.object-missing") and record["unsafe"][0]["rule"] == "bucket-not-public"
    assert "1 with an unsafe fix" in summary_table(load_records(records_dir()))
    assert rec.error is None


def test_an_unwritable_records_folder_is_reported_not_raised(tmp_path, monkeypatch):
    blocker = tmp_path / "state"
    blocker.write_text("a file where the state folder should be")
    monkeypatch.setenv("EDGEWIZ_STATE_DIR", str(blocker))
    rec = AttemptRecorder("asset-403-stacked", started=1000.0)
    rec.started([])
    rec.hinted(1)
    assert rec.error and rec.error.startswith("the attempt record was not written")

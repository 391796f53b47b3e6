"""`edgewiz train` as a trainee uses it: list by level, start (brief and exports, not the verdict), a
0600 state file holding the lab's keys, counted hints, the check from another process, and stop."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from wizard.cli import main


def test_list_groups_the_exercises_by_level(capsys):
    assert main(["train", "list"]) == 0
    out = capsys.readouterr().out
    assert out.index("Seed stories:") < out.index("Single faults:") < out.index("Stacked faults:")
    assert "asset-403-stacked" in out and "alb-504-ghost-sg-reference" in out


def test_hint_and_check_without_an_exercise_say_how_to_start_one(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("EDGEWIZ_STATE_DIR", str(tmp_path))
    for command in ("hint", "check"):
        assert main(["train", command]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "edgewiz train start" in err


def test_start_an_unknown_exercise_is_a_one_line_error(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("EDGEWIZ_STATE_DIR", str(tmp_path))
    assert main(["train", "start", "no-such-exercise"]) == 2
    assert "no exercise named" in capsys.readouterr().err


@pytest.mark.lab
def test_a_trainee_session_from_start_to_stop(tmp_path):
    env = dict(os.environ, EDGEWIZ_STATE_DIR=str(tmp_path))
    state = tmp_path / "training" / "current.json"
    proc = subprocess.Popen([sys.executable, "-m", "wizard", "train", "start", "asset-403-stacked"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        lines = []
        for line in proc.stdout:
            lines.append(line)
            if line.startswith("# exercise state:"):
                break
        out = "".join(lines)
        assert "console shows a" in out and "export AWS_ENDPOINT_URL=http://127.0.0.1:" in out
        # The brief, not the verdict nor the story: no finding, no cause.
        assert "oac-sourcearn" not in out and "another distribution" not in out and "never deployed" not in out
        assert stat.S_IMODE(state.stat().st_mode) == 0o600

        def edgewiz(*argv):
            return subprocess.run([sys.executable, "-m", "wizard", *argv], env=env, capture_output=True, text=True,
                                  timeout=120)

        first = edgewiz("train", "hint")
        assert first.stdout.startswith("hint 1 of 4: ")
        assert edgewiz("train", "hint").stdout.startswith("hint 2 of 4: ")
        check = edgewiz("train", "check")
        assert check.returncode == 0, check.stderr
        assert "2 hint(s) used" in check.stdout and "faults remaining (3)" in check.stdout
        assert "s3.object-missing" in check.stdout and check.stdout.rstrip().endswith("NOT YET")
        stop = edgewiz("train", "stop")
        assert "stopped exercise asset-403-stacked" in stop.stdout
        assert proc.wait(timeout=30) == 0
        assert not state.exists()
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=30)

"""A reader that stops early (`edgewiz train list | head -1`, `edgewiz iam-policy | head`) is normal
in a shell: edgewiz stops quietly instead of printing "unexpected BrokenPipeError"."""

from __future__ import annotations

import subprocess
import sys

import pytest


@pytest.mark.parametrize("command", [["train", "list"], ["iam-policy"]])
def test_a_reader_that_stops_early_gets_no_error_line(command):
    quoted = " ".join(command)
    shell = f'"{sys.executable}" -m wizard {quoted} | head -c 20 >/dev/null; echo "${{PIPESTATUS[0]}}" >&2'
    out = subprocess.run(["bash", "-c", shell], capture_output=True, text=True, timeout=60)
    lines = [line for line in out.stderr.splitlines() if line.strip()]
    assert lines[-1] in ("0", "141"), out.stderr  # finished, or stopped by the closed pipe
    assert not [line for line in lines[:-1] if "edgewiz" in line or "Error" in line], out.stderr

"""What `edgewiz lab up`, `lab run` and `diagnose` print about a URL or a scenario is inert: the
stderr progress line is cleaned and redacted like every other output (issue 10, item 4), and
`lab up` comments every scenario line and shell-quotes every command it suggests, so pasting a
shared scenario's line runs exactly `edgewiz diagnose URL --page PAGE` (item 6)."""

from __future__ import annotations

import os
import shlex
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from wizard.cli import main
from wizard.untrusted import clean

from .conftest import SCENARIOS, lab_credentials, trust_scenario
from .hostile import unsafe_characters

HOSTILE_SCENARIO = SCENARIOS / "hostile-lab-up.yaml"
ROOT = Path(__file__).resolve().parents[2]
# Secret values in the hostile scenario's symptom URL (and story); none may reach the terminal.
URL_SECRETS = ("hunter2pass", "sigSECRET0123456789", "APKASECRETKEYPAIR01", "cG9saWN5U0VDUkVU", "tokSECRET0123456789",
               "AKIAURLLEAK000000001", "atSECRET0123456789")
STORY_SECRETS = ("AKIASTORYLEAK0000001", "storysig0123456789")

SIGNED = ("http://user:hunter2pass@127.0.0.1:{port}/a.js?Expires=1700000000&Signature=sigSECRET0123456789"
          "&Key-Pair-Id=APKASECRETKEYPAIR01&Policy=cG9saWN5U0VDUkVU&X-Amz-Security-Token=tokSECRET0123456789"
          "&X-Amz-Credential=AKIAURLLEAK000000001%2F20240101&access_token=atSECRET0123456789"
          "&x=\x1b]52;c;ZXZpbA==\x07\x1b[2J\x9b31m\u202e")


def _assert_inert(text: str, secrets=URL_SECRETS) -> None:
    assert unsafe_characters(text) == []
    leaked = [s for s in secrets if s in text]
    assert leaked == []


def test_diagnose_progress_line_is_cleaned_and_redacted(closed_port, capsys, monkeypatch):
    """`edgewiz diagnose SIGNED-URL` prints `… diagnosing URL` on stderr with every secret
    [REDACTED] (Expires stays: it is evidence) and no escape sequence."""
    monkeypatch.delenv("EDGEWIZ_QUIET", raising=False)
    assert main(["diagnose", SIGNED.format(port=closed_port), "--no-aws"]) == 0
    err = capsys.readouterr().err
    progress = next(line for line in err.splitlines() if line.startswith("… diagnosing"))
    _assert_inert(err)
    assert "Signature=[REDACTED]" in progress and "Expires=1700000000" in progress
    assert "user:[REDACTED]@" in progress


def _run(argv, **kw):
    env = dict(os.environ)
    env.pop("EDGEWIZ_QUIET", None)
    return subprocess.run([sys.executable, "-m", "wizard", *argv], capture_output=True, text=True, env=env,
                          cwd=kw.pop("cwd", ROOT), timeout=kw.pop("timeout", 180), **kw)


@pytest.mark.lab
def test_lab_run_progress_line_is_cleaned_and_redacted(tmp_path):
    """`edgewiz lab run` on the hostile scenario: its `… diagnosing URL` line (and all of stderr)
    has no escape and none of the URL's secrets."""
    done = _run(["lab", "run", str(HOSTILE_SCENARIO)], cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    progress = [line for line in done.stderr.splitlines() if line.startswith("… diagnosing")]
    assert len(progress) == 1 and "Signature=[REDACTED]" in progress[0]
    _assert_inert(done.stderr)
    _assert_inert(done.stdout)


def _intended_argv():
    sym = trust_scenario("hostile-lab-up").symptom
    return ["edgewiz", "diagnose", clean(sym["url"]), "--page", clean(sym["page"])]


def _check_lab_up_output(out: str) -> None:
    assert unsafe_characters(out) == []
    assert [s for s in STORY_SECRETS if s in out] == []  # scenario text is redacted; the commands are the lab's own
    commands = [line for line in out.splitlines() if line and not line.startswith("#")]
    diagnose = [line for line in commands if line.startswith("edgewiz diagnose")]
    assert len(diagnose) == 1
    assert shlex.split(diagnose[0]) == _intended_argv()
    exports = [line for line in commands if line.startswith("export ")]
    assert len(exports) == 5 and len(commands) == 6  # nothing from the scenario became a command line
    for line in exports:
        words = shlex.split(line)
        assert words[0] == "export" and all("=" in w for w in words[1:])


def test_lab_up_text_quotes_every_command_and_comments_every_scenario_line():
    """The text `lab up` prints for the hostile scenario (built from a LabEnv as the lab gives it):
    the story's `touch` line and the title's newline stay comments, the diagnose line parses with
    shlex.split to exactly the intended argv, and no escape or story secret is printed."""
    from wizard.commands.lab_cmd import up_text
    from wizard.engine.facts import Symptom
    from wizard.lab.lab import LabEnv

    scenario = trust_scenario("hostile-lab-up")
    sym = scenario.symptom
    env = LabEnv("http://127.0.0.1:5000", "127.0.0.1:5001", scenario.region,
                 Symptom(url=sym["url"], page_origin="http://app.example.test", page_url=sym["page"]),
                 lab_credentials())
    _check_lab_up_output(up_text(scenario, env))


@pytest.mark.lab
def test_lab_up_of_a_hostile_scenario_prints_inert_text_and_a_quoted_command(tmp_path):
    """The real `edgewiz lab up FILE`, stopped with SIGTERM once it has printed its lines: same checks
    as above on what reached stdout, and stderr (the progress lines) is inert too."""
    env = dict(os.environ)
    env.pop("EDGEWIZ_QUIET", None)
    proc = subprocess.Popen([sys.executable, "-m", "wizard", "lab", "up", str(HOSTILE_SCENARIO)], cwd=tmp_path,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    lines = []
    try:
        for line in proc.stdout:
            lines.append(line)
            if "Ctrl-C stops the lab" in line:
                break
    finally:
        proc.send_signal(signal.SIGTERM)
        rest, err = proc.communicate(timeout=60)
    out = "".join(lines) + rest
    assert "Ctrl-C stops the lab" in out, err[-2000:]
    _check_lab_up_output(out)
    assert unsafe_characters(err) == []
    assert not any(Path("/tmp").glob("edgewiz-pwned*"))

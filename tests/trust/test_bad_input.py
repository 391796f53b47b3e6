"""Bad input gets one line and exit 2 (issue 10, item 10): each case runs the real `edgewiz` entry
point (`python -m wizard`) in a subprocess with a timeout, so a regression that hangs fails instead,
and checks the status, the message that says what to do, and that no traceback or "unexpected"
line comes out. None of these cases starts the lab or reaches the network: --no-aws and a
--connect-to to a closed loopback port keep every probe on 127.0.0.1."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Dict, Optional

import pytest

REPO = Path(__file__).resolve().parents[2]


def edgewiz(*args: str, env: Optional[Dict[str, str]] = None, timeout: float = 60) -> subprocess.CompletedProcess:
    base = {"PATH": "/usr/bin:/bin", "HOME": os.environ.get("HOME", "/tmp"), "EDGEWIZ_QUIET": "1",
            "PYTHONPATH": str(REPO), "AWS_EC2_METADATA_DISABLED": "true"}
    return subprocess.run([sys.executable, "-m", "wizard", *args], capture_output=True, text=True,
                          timeout=timeout, env=dict(base, **(env or {})), stdin=subprocess.DEVNULL)


def one_clear_line(out: subprocess.CompletedProcess, *expected: str) -> None:
    assert out.returncode == 2, (out.returncode, out.stderr)
    assert "Traceback" not in out.stderr and "unexpected" not in out.stderr
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("edgewiz: "), out.stderr
    for text in expected:
        assert text in lines[0], lines[0]


URL = "https://d111111abcdef8.cloudfront.net/app.js"


@pytest.mark.parametrize("args, expected", [
    (("diagnose", "http://[::1/x", "--no-aws"), ("URL must look like https://host/path", "brackets")),
    (("diagnose", URL, "--page", "http://[oops", "--no-aws"), ("--page must look like", "brackets")),
    (("diagnose", URL, "--origin", "https://app]example.com", "--no-aws"), ("--origin must look like",)),
    (("diagnose", URL, "--connect-to", "x=127.0.0.1:abc", "--no-aws"),
     ("--connect-to", "port must be a number", "HOST=ADDRESS:PORT")),
], ids=["ipv6-url", "page", "origin", "connect-to-port"])
def test_malformed_command_line_values(args, expected):
    """URLs urlsplit cannot read and a --connect-to port that is not a number are one line each."""
    one_clear_line(edgewiz(*args), *expected)


def test_a_broken_aws_config_file(tmp_path):
    """A ~/.aws/config botocore cannot parse says which file and what to do, instead of a traceback."""
    broken = tmp_path / "config"
    broken.write_text("[default\nregion = us-east-1\n")
    out = edgewiz("diagnose", URL, "--connect-to", "127.0.0.1:9",
                  env={"AWS_CONFIG_FILE": str(broken), "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "none")})
    one_clear_line(out, "AWS config file", str(broken), "AWS_CONFIG_FILE")


def _scenario(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / f"{name}.yaml"
    path.write_text(text)
    return str(path)


def test_a_scenario_nested_100k_deep(tmp_path):
    """100,000 nested `[` (a RecursionError in the YAML composer) is refused as too deep."""
    path = _scenario(tmp_path, "deep", "name: deep\ntitle: deep\nsetup: " + "[" * 100_000 + "\n")
    one_clear_line(edgewiz("lab", "run", path), "nested more than", "short YAML file")


def test_a_scenario_page_without_a_scheme_fails_before_the_lab_starts(tmp_path):
    """`page: app.example.com/` is refused when the file loads, not after the lab has started."""
    path = _scenario(tmp_path, "page", textwrap.dedent("""
        name: page
        title: page without a scheme
        setup:
          - call: s3.create_bucket
            params: {Bucket: b}
        symptom: {url: "https://${edge}/app.js", page: "app.example.com/"}
    """))
    out = edgewiz("lab", "run", path, env={"EDGEWIZ_QUIET": ""})
    one_clear_line(out, "symptom page must be a full URL", "app.example.com/")


def test_a_yaml_alias_bomb_in_step_params(tmp_path):
    """Nine levels of nine aliases inside setup[].params (a billion values once expanded) is refused
    while reading, before any of it is built or walked."""
    levels = ['l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    levels += [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]" for i in range(1, 10)]
    params = "\n".join(" " * 6 + line for line in levels)
    path = _scenario(tmp_path, "bomb", f"name: bomb\ntitle: bomb\nsetup:\n  - call: s3.create_bucket\n"
                                       f"    params:\n      Bucket: b\n{params}\n"
                                       'symptom: {url: "https://example.cloudfront.net/"}\n')
    one_clear_line(edgewiz("lab", "run", path), "expands to more than", "aliases")


def test_a_scenario_larger_than_the_cap(tmp_path):
    """A scenario file past the size cap is refused without being parsed."""
    path = _scenario(tmp_path, "big", "name: big\ntitle: big\n# " + "x" * (2 * 1024 * 1024) + "\n")
    one_clear_line(edgewiz("lab", "run", path), "larger than")


def test_logs_refuses_dev_zero():
    """`edgewiz logs /dev/zero` would read forever: refused as not a regular file."""
    one_clear_line(edgewiz("logs", "/dev/zero", timeout=30), "not a regular file", "save the logs to a file")


def test_logs_refuses_a_fifo(tmp_path):
    """`edgewiz logs FIFO` would wait for a writer forever: refused, and never opened for reading."""
    fifo = tmp_path / "logs.fifo"
    os.mkfifo(fifo)
    one_clear_line(edgewiz("logs", str(fifo), timeout=30), "not a regular file")


def test_a_scenario_fifo_is_refused(tmp_path):
    """A scenario path that is a FIFO would block the read: refused in one line."""
    fifo = tmp_path / "scenario.yaml"
    os.mkfifo(fifo)
    one_clear_line(edgewiz("lab", "run", str(fifo), timeout=30), "not a regular file")

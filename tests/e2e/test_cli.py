"""The command line as a user meets it: the README's main job, JSON, and bad input."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from wizard.lab.scenario import BUILTIN_DIR


def edgewiz(*args: str, timeout: int = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "wizard", *args], capture_output=True, text=True, timeout=timeout,
                          env={"PATH": "/usr/bin:/bin", "EDGEWIZ_QUIET": "", "HOME": str(Path.home())})


@pytest.mark.lab
def test_lab_run_stacked_json():
    """`edgewiz lab run asset-403-stacked --json` reports the three seed-000 root causes and exits 0."""
    out = edgewiz("lab", "run", "asset-403-stacked", "--json")
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    assert report["root_causes"] == ["s3.policy.oac-sourcearn-mismatch", "s3.object-missing", "s3.cors.missing"]
    assert "app.asset-host-cloudfront" in [f["id"] for f in report["findings"]]
    assert report["aws_calls"] > 0
    blocked = [(e["src"], e["dst"]) for e in report["path"]["edges"] if e["status"] == "blocked"]
    assert ("origin", "bucket") in blocked and ("bucket", "object") in blocked
    assert "… building scenario" in out.stderr  # progress goes to stderr, stdout stays JSON


def test_lab_list_names_every_builtin():
    """`edgewiz lab list` prints one line per built-in scenario."""
    out = edgewiz("lab", "list")
    assert out.returncode == 0
    names = [line.split()[0] for line in out.stdout.splitlines()]
    assert sorted(names) == sorted(p.stem for p in BUILTIN_DIR.glob("*.yaml"))


def test_a_scenario_typo_is_one_clear_line(tmp_path):
    """A misspelt operation in a scenario file is reported with file and step, no traceback, exit 2."""
    bad = tmp_path / "bad.yaml"
    bad.write_text(textwrap.dedent("""
        name: bad
        title: typo
        setup:
          - call: s3.create_buckett
            params: {Bucket: b}
        symptom: {url: "https://example.cloudfront.net/"}
    """))
    out = edgewiz("lab", "run", str(bad))
    assert out.returncode == 2
    assert "Traceback" not in out.stderr
    assert "setup step 1" in out.stderr and "create_buckett" in out.stderr and "create_bucket" in out.stderr


def test_an_unknown_scenario_lists_the_builtins():
    """An unknown scenario name says which names exist."""
    out = edgewiz("lab", "run", "no-such-thing")
    assert out.returncode == 2
    assert "asset-403-stacked" in out.stderr


def test_a_malformed_url_is_one_clear_line():
    """`edgewiz diagnose` with a URL that is not one says so in one line."""
    out = edgewiz("diagnose", "not a url", "--no-aws")
    assert out.returncode == 2
    assert "must look like https://host/path" in out.stderr

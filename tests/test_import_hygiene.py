"""The core (engine, checks, analyses) works without the front ends and without boto3, and the
analyses read no files: lines and inventories come in as data."""

from __future__ import annotations

import ast
import pkgutil
import subprocess
import sys
from pathlib import Path

import wizard.analysis

ANALYSES = sorted(m.name for m in pkgutil.walk_packages(wizard.analysis.__path__, "wizard.analysis."))
CORE = ["wizard.engine.flow", "wizard.engine.walk", "wizard.engine.catalog", "wizard.checks",
        "wizard.playbooks", "wizard.logsource", "wizard.untrusted", "wizard.redact", "wizard.aws.models",
        "wizard.aws.facts"] + ANALYSES

# What reading files, processes or sockets would take; the pure layer has no business with any of it.
_IO_MODULES = {"os", "io", "gzip", "bz2", "lzma", "zipfile", "tarfile", "pathlib", "shutil", "socket",
               "subprocess", "tempfile", "glob"}


def test_core_imports_without_ui_or_aws_libraries():
    """Importing the engine, checks, analyses and the typed AWS facts loads neither textual, questionary, boto3 nor httpx."""
    assert "wizard.analysis.network.reachability" in ANALYSES  # the walk found the grouped packages
    code = ("import sys; " + "; ".join(f"import {m}" for m in CORE) +
            "; bad = [m for m in ('textual', 'questionary', 'boto3', 'botocore', 'httpx') if m in sys.modules];"
            " print(','.join(bad))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_analyses_do_no_file_io():
    """No module under wizard/analysis imports a filesystem, process or socket module or calls open():
    reading logs from disk lives in wizard.logsource, and the analyses take what it yields."""
    offenders = []
    for path in sorted(Path(wizard.analysis.__file__).parent.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name.split(".")[0] for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module.split(".")[0]]
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "open":
                names = ["open()"]
            offenders += [f"{path.name}:{node.lineno} {n}" for n in names if n in _IO_MODULES or n == "open()"]
    assert offenders == []


def test_engine_is_generic():
    """The engine (walk, flows, catalogue, facts) loads no domain code: no analysis, no AWS readings,
    no checks. What a probe's data means lives next to the typed models (wizard/aws/facts.py)."""
    code = ("import sys; import wizard.engine.facts, wizard.engine.walk, wizard.engine.flow, wizard.engine.catalog; "
            "print(','.join(sorted(m for m in sys.modules if m.startswith(('wizard.analysis', 'wizard.aws', "
            "'wizard.checks', 'wizard.probes')))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""

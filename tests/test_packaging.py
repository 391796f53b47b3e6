"""What an install carries: the playbooks ship inside the package (wizard.flows, read with
importlib.resources), every package folder is declared, and a missing playbook says "missing".
The built wheel itself is installed and run from another directory by .ci/run."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from importlib import resources
from pathlib import Path

from wizard.playbooks import flows_dir

ROOT = Path(__file__).resolve().parents[1]


def declared_packages():
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10: pytest itself depends on tomli there
        import tomli as tomllib
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    return set(config["packages"]), config.get("package-dir", {})


def test_every_folder_of_the_package_is_declared():
    """A new folder under wizard/ (code or data) that pyproject.toml does not list would be left out
    of the wheel; the playbooks are declared as wizard.flows, mapped from the top-level flows/."""
    packages, package_dir = declared_packages()
    folders = {".".join(p.relative_to(ROOT).parts) for p in (ROOT / "wizard").rglob("*")
               if p.is_dir() and p.name != "__pycache__" and any(c.is_file() for c in p.iterdir())}
    assert sorted((folders | {"wizard"}) - packages) == []
    assert package_dir == {"wizard.flows": "flows"}
    assert "wizard.flows" in packages


def test_the_playbooks_are_package_resources():
    """Without EDGEWIZ_FLOWS the playbooks come from the wizard.flows package, which holds both files."""
    files = resources.files("wizard.flows")
    assert {"edge.yaml", "findings.yaml"} <= {f.name for f in files.iterdir()}
    if "EDGEWIZ_FLOWS" not in os.environ:
        assert flows_dir() == Path(str(files))


def edgewiz(*args: str, env_extra=None, cwd=None) -> subprocess.CompletedProcess:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(Path.home()), "EDGEWIZ_QUIET": "1", **(env_extra or {})}
    return subprocess.run([sys.executable, "-m", "wizard", *args], capture_output=True, text=True, timeout=60,
                          env=env, cwd=cwd or ROOT)


def test_a_missing_catalogue_says_missing_not_invalid(tmp_path, closed_port):
    """EDGEWIZ_FLOWS pointing at a folder without findings.yaml: one line that says the playbook is
    missing and how to fix it, not that it is invalid."""
    shutil.copy(ROOT / "flows" / "edge.yaml", tmp_path / "edge.yaml")
    out = edgewiz("diagnose", f"http://127.0.0.1:{closed_port}/x.js", "--no-aws",
                  env_extra={"EDGEWIZ_FLOWS": str(tmp_path)})
    assert out.returncode == 1
    assert "a playbook is missing" in out.stderr and "findings.yaml" in out.stderr
    assert "invalid" not in out.stderr and "Traceback" not in out.stderr


def test_a_missing_folder_says_missing(tmp_path, closed_port):
    """EDGEWIZ_FLOWS naming a folder that does not exist is reported as missing too."""
    out = edgewiz("diagnose", f"http://127.0.0.1:{closed_port}/x.js", "--no-aws",
                  env_extra={"EDGEWIZ_FLOWS": str(tmp_path / "nowhere")})
    assert out.returncode == 1 and "a playbook is missing" in out.stderr and "nowhere" in out.stderr


def test_edgewiz_flows_points_at_an_authors_folder(tmp_path, closed_port):
    """A playbook author's copy is used instead of the installed one (a changed end title shows)."""
    for name in ("edge.yaml", "findings.yaml"):
        shutil.copy(ROOT / "flows" / name, tmp_path / name)
    edge = (tmp_path / "edge.yaml").read_text(encoding="utf-8")
    changed = re.sub(r'title: "AWS was not read \(--no-aws\)[^"]*"', 'title: "No AWS here (author copy)"', edge)
    assert changed != edge
    (tmp_path / "edge.yaml").write_text(changed, encoding="utf-8")
    out = edgewiz("diagnose", f"http://127.0.0.1:{closed_port}/x.js", "--no-aws",
                  env_extra={"EDGEWIZ_FLOWS": str(tmp_path)}, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert "No AWS here (author copy)" in out.stdout

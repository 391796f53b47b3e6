"""The lab decides S3 and CloudFront semantics with its own code: its edge modules import neither the
diagnosis's policy evaluator nor its condition operators, and never call the diagnosis's behavior
matcher or key mapping (issue 11 item 5). Checked on the source, so a new import fails here."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Iterator, Tuple

EDGE = Path(__file__).resolve().parents[2] / "wizard" / "lab" / "edge"
# Matched on the last part of the module path, so the rule survives analysis/ being regrouped.
FORBIDDEN_MODULES = {"bucket_policy", "policy_conditions"}
FORBIDDEN_NAMES = {"match_behavior", "s3_key_for"}


def _references(path: Path) -> Iterator[Tuple[int, str, str]]:
    """(line, "import" | "name", dotted module or name) for every import and every name or attribute used."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, "import", alias.name
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            for alias in node.names:
                yield node.lineno, "import", f"{module}.{alias.name}" if module else alias.name
        elif isinstance(node, ast.Attribute):
            yield node.lineno, "name", node.attr
        elif isinstance(node, ast.Name):
            yield node.lineno, "name", node.id


def test_lab_edge_modules_do_not_use_the_diagnosis_policy_evaluator_or_path_matchers():
    """No edge module imports bucket_policy/policy_conditions or uses match_behavior/s3_key_for."""
    found = []
    for path in sorted(EDGE.glob("*.py")):
        for line, kind, ref in _references(path):
            parts = ref.split(".")
            if (kind == "import" and FORBIDDEN_MODULES & set(parts)) or parts[-1] in FORBIDDEN_NAMES:
                found.append(f"{path.name}:{line} {ref}")
    assert found == []


def test_the_check_sees_a_forbidden_import(tmp_path):
    """The source check itself catches both import forms and an attribute call."""
    sample = tmp_path / "sample.py"
    sample.write_text("from ...analysis.s3 import bucket_policy as bp\nimport wizard.analysis.policy_conditions\n"
                      "from ...analysis import cloudfront_config as cfc\ncfc.match_behavior({}, '/')\n")
    refs = [(kind, ref) for _, kind, ref in _references(sample)]
    assert ("import", "analysis.s3.bucket_policy") in refs  # the relative dots are not part of the module
    assert ("import", "wizard.analysis.policy_conditions") in refs
    assert ("name", "match_behavior") in refs

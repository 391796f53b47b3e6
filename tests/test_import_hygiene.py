"""The core (engine, checks, analyses) works without the front ends and without boto3."""

from __future__ import annotations

import subprocess
import sys

CORE = ["wizard.engine.flow", "wizard.engine.walk", "wizard.engine.catalog", "wizard.checks",
        "wizard.playbooks", "wizard.analysis.path_builder", "wizard.analysis.cloudfront_config",
        "wizard.analysis.bucket_policy", "wizard.analysis.reachability", "wizard.analysis.sg_refs",
        "wizard.analysis.cloudfront_logs", "wizard.analysis.alb_logs", "wizard.analysis.log_triage",
        "wizard.analysis.athena_queries", "wizard.analysis.responder", "wizard.analysis.page_assets",
        "wizard.untrusted", "wizard.redact", "wizard.aws.models", "wizard.aws.facts"]


def test_core_imports_without_ui_or_aws_libraries():
    """Importing the engine, checks, analyses and the typed AWS facts loads neither textual, questionary, boto3 nor httpx."""
    code = ("import sys; " + "; ".join(f"import {m}" for m in CORE) +
            "; bad = [m for m in ('textual', 'questionary', 'boto3', 'botocore', 'httpx') if m in sys.modules];"
            " print(','.join(bad))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_engine_is_generic():
    """The engine (walk, flows, catalogue, facts) loads no domain code: no analysis, no AWS readings,
    no checks. What a probe's data means lives next to the typed models (wizard/aws/facts.py)."""
    code = ("import sys; import wizard.engine.facts, wizard.engine.walk, wizard.engine.flow, wizard.engine.catalog; "
            "print(','.join(sorted(m for m in sys.modules if m.startswith(('wizard.analysis', 'wizard.aws', "
            "'wizard.checks', 'wizard.probes')))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""

"""The core (engine, checks, analyses) works without the front ends and without boto3."""

from __future__ import annotations

import subprocess
import sys

CORE = ["wizard.engine.flow", "wizard.engine.walk", "wizard.engine.catalog", "wizard.checks",
        "wizard.playbooks", "wizard.analysis.edge.path_builder", "wizard.analysis.edge.cloudfront_config",
        "wizard.analysis.s3.bucket_policy", "wizard.analysis.network.reachability", "wizard.analysis.network.sg_refs",
        "wizard.analysis.logs.cloudfront_logs", "wizard.analysis.logs.alb_logs", "wizard.analysis.logs.log_triage",
        "wizard.analysis.logs.athena_queries", "wizard.analysis.edge.responder", "wizard.analysis.edge.page_assets",
        "wizard.untrusted", "wizard.redact"]


def test_core_imports_without_ui_or_aws_libraries():
    """Importing the engine, checks and analyses loads neither textual, questionary, boto3 nor httpx."""
    code = ("import sys; " + "; ".join(f"import {m}" for m in CORE) +
            "; bad = [m for m in ('textual', 'questionary', 'boto3', 'botocore', 'httpx') if m in sys.modules];"
            " print(','.join(bad))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""

"""A walk in a `lab up` shell: with only the printed exports set (AWS_ENDPOINT_URL, the lab's keys,
EDGEWIZ_CONNECT_TO) and no --lab, the interactive front sends its HTTP probes to the lab's edge, as
`diagnose` does, instead of failing them with "did not resolve"."""

from __future__ import annotations

import io

import pytest

from wizard.cli import main
from wizard.front import Backend, LaunchOptions
from wizard.journal import read_journal
from wizard.lab.lab import Lab
from wizard.lab.scenario import load_scenario
from wizard.plain import run_plain

ROOT_CAUSES = ["s3.policy.oac-sourcearn-mismatch", "s3.object-missing", "s3.cors.missing"]


@pytest.mark.lab
def test_a_plain_walk_in_a_lab_up_shell_probes_the_lab_edge(tmp_path, monkeypatch, prompts):
    with Lab(load_scenario("asset-403-stacked")) as env:
        for name, value in (("AWS_ENDPOINT_URL", env.aws_endpoint), ("AWS_REGION", env.region),
                            ("AWS_DEFAULT_REGION", env.region),
                            ("AWS_ACCESS_KEY_ID", env.credentials["aws_access_key_id"]),
                            ("AWS_SECRET_ACCESS_KEY", env.credentials["aws_secret_access_key"]),
                            ("EDGEWIZ_CONNECT_TO", env.edge_address)):
            monkeypatch.setenv(name, value)
        monkeypatch.delenv("AWS_PROFILE", raising=False)
        monkeypatch.delenv("AWS_SESSION_TOKEN", raising=False)
        prompts({"failing URL": env.symptom.url, "page": env.symptom.page_url})
        backend = Backend(LaunchOptions(journal_dir=tmp_path))
        out = io.StringIO()
        try:
            status = run_plain(backend, interactive=True, stream=out)
        finally:
            backend.close()
    text = out.getvalue()
    assert status == 0, text
    assert "did not resolve" not in text
    (path,) = tmp_path.glob("walk-*.jsonl")
    assert read_journal(path).events[-1]["root_causes"] == ROOT_CAUSES


def test_a_bad_edgewiz_connect_to_is_a_one_line_error_before_the_walk(monkeypatch, capsys):
    monkeypatch.setenv("EDGEWIZ_CONNECT_TO", "127.0.0.1:notaport")
    assert main(["--plain"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "EDGEWIZ_CONNECT_TO" in err

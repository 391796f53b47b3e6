"""Service models are parsed once per process and shared between sessions, but a session that looks
for models in other folders (AWS_DATA_PATH, a profile's data_path) still gets those folders."""

from __future__ import annotations

import boto3
import botocore.session

from wizard.aws.botocore_loader import botocore_session, share_in_every_session, share_loader
from wizard.aws.session import AwsAccess


def test_each_diagnosis_reuses_the_models_the_process_already_parsed():
    first = AwsAccess(region="us-east-1", credentials={"aws_access_key_id": "a", "aws_secret_access_key": "b"})
    second = AwsAccess(region="us-east-1", credentials={"aws_access_key_id": "a", "aws_secret_access_key": "b"})
    loaders = [a._session._session.get_component("data_loader") for a in (first, second)]
    assert loaders[0] is loaders[1] is botocore_session().get_component("data_loader")


def test_a_session_with_its_own_data_path_keeps_it(tmp_path, monkeypatch):
    monkeypatch.setenv("AWS_DATA_PATH", str(tmp_path))
    own = share_loader(botocore.session.get_session()).get_component("data_loader")
    assert str(tmp_path) in own.search_paths
    monkeypatch.delenv("AWS_DATA_PATH")
    assert str(tmp_path) not in botocore_session().get_component("data_loader").search_paths


def test_sessions_other_libraries_make_share_it_too_without_piling_up_folders():
    share_in_every_session()
    sessions = [boto3.session.Session() for _ in range(5)]
    loader = sessions[0]._session.get_component("data_loader")
    assert all(s._session.get_component("data_loader") is loader for s in sessions)
    assert len(loader.search_paths) <= len(set(loader.search_paths)) + 1


def test_a_session_made_first_after_sharing_everywhere_does_not_hang():
    """The lab turns sharing on before any session exists; the first session then builds the loader
    through the shared create_loader while holding the same lock (it once waited for itself)."""
    import subprocess
    import sys

    code = ("from wizard.aws.botocore_loader import botocore_session, share_in_every_session\n"
            "share_in_every_session()\nbotocore_session().get_component('data_loader')\nprint('ok')")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "ok", done.stderr


def test_checking_a_scenario_reads_every_services_model_through_one_session(monkeypatch):
    """An ALB scenario names seven services; each new botocore session registers its ~120 handlers
    (10-15 ms), so its operation names are read through one session, not one per service."""
    import botocore.session

    from wizard.lab import scenario

    made = []
    original = botocore.session.Session.__init__

    def counting(self, *args, **kwargs):
        made.append(1)
        original(self, *args, **kwargs)

    monkeypatch.setattr(botocore.session.Session, "__init__", counting)
    scenario._operations.cache_clear()
    loaded = scenario.load_scenario("alb-504-ghost-sg-reference")
    assert len({step.service for step in loaded.setup}) >= 7
    assert len(made) <= 1

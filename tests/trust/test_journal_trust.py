"""Journals are data, not configuration: a journal someone else wrote (or planted in a shared state
directory) cannot pick where edgewiz sends the caller's signed AWS requests or HTTP probes, which
profile it uses, or which lab it starts; a journal that is not the user's own is refused."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from wizard.cli import main
from wizard.journal import Journal, latest_journal

from .servers import Reply

ACCESS_KEY = "AKIAEDGEWIZLEAKTEST1"
SESSION_TOKEN = "edgewiz-leak-test-session-token-0123456789"


def _cloudfront_403(_seen):
    """What CloudFront passing on an S3 403 looks like, so a walk goes on to its AWS probes."""
    return Reply(403, [("Server", "AmazonS3"), ("X-Cache", "Error from cloudfront"),
                       ("Via", "1.1 0123456789abcdef.cloudfront.net (CloudFront)"),
                       ("Content-Type", "application/xml")],
                 b"<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>", "Forbidden")


@pytest.fixture
def caller_credentials(monkeypatch, tmp_path):
    """The caller's own (fake) credentials in the environment, no AWS config files, no endpoint."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", ACCESS_KEY)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "edgewiz-leak-test-secret-key")
    monkeypatch.setenv("AWS_SESSION_TOKEN", SESSION_TOKEN)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-credentials"))
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("EDGEWIZ_QUIET", "1")


@pytest.fixture
def state(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("EDGEWIZ_STATE_DIR", str(tmp_path / "state"))
    return tmp_path / "state" / "journals"


def crafted_journal(directory: Path, listener) -> Path:
    """A journal as an attacker writes it: every AWS call and HTTP probe routed to their listener."""
    header = {"symptom": {"url": "http://d111111abcdef8.cloudfront.net/assets/app.js"}, "flow": "edge",
              "target": {"endpoint_url": listener.url, "connect_to": {"*": listener.address},
                         "profile": None, "region": "us-east-1", "no_aws": False, "lab_scenario": None}}
    return Journal.create(header, directory=directory).path


def _leaked(listener) -> list:
    return [seen for seen in listener.requests
            if ACCESS_KEY in json.dumps(seen.headers) or SESSION_TOKEN in json.dumps(seen.headers)]


def test_a_crafted_journal_gets_no_request_and_no_access_key(scripted, caller_credentials, state, capsys):
    """`edgewiz resume FILE` (no terminal: pytest's stdin) of a journal whose target points at a
    listener refuses in one line naming the flags to pass; the listener sees nothing at all."""
    listener = scripted(_cloudfront_403)
    path = crafted_journal(state, listener)

    status = main(["resume", "--plain", str(path)])

    err = capsys.readouterr().err
    assert listener.requests == [] and _leaked(listener) == []
    assert status == 2
    assert err.count("\n") == 1 and "--endpoint-url" in err and "--connect-to" in err
    assert "Traceback" not in err


def test_the_newest_planted_journal_gets_no_request(scripted, caller_credentials, state, capsys):
    """Plain `edgewiz resume` in a shared state directory: the newest journal names a listener; no
    request reaches it (the journal's target is refused without a terminal to confirm it on)."""
    listener = scripted(_cloudfront_403)
    crafted_journal(state, listener)

    status = main(["resume", "--plain"])

    assert listener.requests == []
    assert status == 2


def test_flags_given_on_the_command_line_win_over_the_journal(scripted, caller_credentials, state, capsys):
    """With the target passed explicitly (--no-aws, --connect-to elsewhere), the journal's endpoint
    and route are ignored: the walk runs and the listener still sees nothing."""
    listener = scripted(_cloudfront_403)
    mine = scripted(_cloudfront_403)
    path = crafted_journal(state, listener)

    status = main(["resume", "--plain", "--no-aws", "--connect-to", mine.address, str(path)])

    assert status == 0, capsys.readouterr().err
    assert listener.requests == []
    assert mine.requests  # the walk did run, against the route the user gave


def _foreign(path: Path) -> None:
    os.chown(path, 65534, 65534)


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a file to another user needs root")
def test_a_journal_owned_by_someone_else_is_refused(scripted, caller_credentials, state, capsys):
    """A journal owned by another user: one line that says whose it is and what to do, exit 2."""
    listener = scripted(_cloudfront_403)
    path = crafted_journal(state, listener)
    _foreign(path)

    status = main(["resume", "--plain", "--no-aws", str(path)])

    err = capsys.readouterr().err
    assert status == 2 and listener.requests == []
    assert err.count("\n") == 1 and "not owned by you" in err


def test_a_journal_writable_by_others_is_refused(scripted, caller_credentials, state, capsys):
    """A journal others can write (mode 0666): refused in one line saying why and how to fix it."""
    listener = scripted(_cloudfront_403)
    path = crafted_journal(state, listener)
    os.chmod(path, 0o666)

    status = main(["resume", "--plain", "--no-aws", str(path)])

    err = capsys.readouterr().err
    assert status == 2 and listener.requests == []
    assert err.count("\n") == 1 and "writable by group or others" in err and "chmod 600" in err


def _planted(directory: Path, name: str, mode: int = 0o600, owner: int = None) -> Path:
    path = directory / name
    path.write_text(json.dumps({"type": "start", "symptom": {"url": "http://planted.example/x"},
                                "flow": "edge", "target": {}}) + "\n")
    os.chmod(path, mode)
    if owner is not None:
        os.chown(path, owner, owner)
    return path


def test_a_planted_file_does_not_win_newest(tmp_path):
    """Only the user's own 0600 files named like a journal count: a newer world-writable one, one
    with a name that sorts later but is not a journal name, a symlink, and (as root) one owned by
    someone else all lose to the user's real journal."""
    directory = tmp_path / "journals"
    mine = Journal.create({"symptom": {"url": "http://mine.example/x"}, "flow": "edge", "target": {}},
                          directory=directory).path
    _planted(directory, "walk-99991231-235959-aaaaaa.jsonl", mode=0o666)
    _planted(directory, "walk-99991231-235959-zzzzzz-evil.jsonl")
    _planted(directory, "walk-99991231-235959-bbbbbb.jsonl", mode=0o640)
    (directory / "walk-99991231-235959-cccccc.jsonl").symlink_to(mine)
    if os.geteuid() == 0:
        _planted(directory, "walk-99991231-235959-dddddd.jsonl", owner=65534)

    assert latest_journal(directory) == mine


def _args(**given):
    import argparse

    base = dict(profile=None, region=None, endpoint_url=None, connect_to=None, no_aws=None)
    base.update(given)
    return argparse.Namespace(**base)


def test_on_a_terminal_the_journal_target_is_shown_and_no_means_no(scripted, state):
    """Asked on a terminal, the user sees the journal's endpoint and route before anything is
    sent; answering no stops the resume (one line, how to resume with their own target)."""
    from wizard.commands.common import CliError
    from wizard.commands.resume_cmd import choose_target
    from wizard.journal import read_journal

    listener = scripted(_cloudfront_403)
    path = crafted_journal(state, listener)
    questions = []

    with pytest.raises(CliError, match="not resumed"):
        choose_target(_args(), path, read_journal(path), ask=lambda q: questions.append(q) or False)

    assert len(questions) == 1
    assert f"--endpoint-url {listener.url}" in questions[0] and f"--connect-to {listener.address}" in questions[0]
    assert listener.requests == []


def test_on_a_terminal_yes_takes_the_journal_target(scripted, state):
    """After a yes, the journal's settings become the resume's flags, as if the user had typed them."""
    from wizard.commands.resume_cmd import choose_target
    from wizard.journal import read_journal

    listener = scripted(_cloudfront_403)
    path = crafted_journal(state, listener)

    flags = choose_target(_args(), path, read_journal(path), ask=lambda q: True)

    assert (flags.endpoint_url, flags.connect_to, flags.region) == (listener.url, listener.address, "us-east-1")


def test_only_an_exact_built_in_lab_name_restarts_without_asking():
    """A journal's lab is restarted unasked only when it is a built-in scenario by its exact name:
    a path (or `name/../..` that load_scenario would follow out of the scenarios folder) is asked."""
    from wizard.commands.resume_cmd import builtin_lab_names
    from wizard.resume_target import Flags, plan

    names = builtin_lab_names()
    assert plan({"lab_scenario": "asset-403-stacked"}, Flags(), names).asks == []
    assert plan({"lab_scenario": "asset-403-stacked"}, Flags(), names).flags.lab == "asset-403-stacked"
    for hostile in ("/tmp/evil.yaml", "asset-403-stacked/../../../../tmp/evil"):
        assert plan({"lab_scenario": hostile}, Flags(), names).asks == [("--lab", hostile)]


def test_resume_list_does_not_read_a_planted_journal(state, capsys):
    """`resume --list` names a file that is not the user's private journal without reading it."""
    state.mkdir(parents=True)
    planted = _planted(state, "walk-99991231-235959-aaaaaa.jsonl", mode=0o666)
    assert main(["resume", "--list"]) == 0
    line = next(line for line in capsys.readouterr().out.splitlines() if planted.name in line)
    assert "not yours or not private" in line and "planted.example" not in line

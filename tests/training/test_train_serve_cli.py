"""`edgewiz train tui` and `train serve` as a user meets them on bad input: a one-line error (exit 2), no
lab started, no socket opened; the classroom binds loopback unless --public says otherwise."""

from __future__ import annotations

import shlex
import sys

import pytest

from wizard.cli import main
from wizard.commands.train_tui_cmd import is_loopback, serve_command


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.20", "::", "classroom.example.com"])
def test_serve_refuses_a_non_loopback_host_without_public(host, capsys):
    assert main(["train", "serve", "--host", host]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "not a loopback address" in err and "--public" in err


def test_serve_refuses_a_port_out_of_range(capsys):
    assert main(["train", "serve", "--port", "70000"]) == 2
    assert "--port must be 1-65535" in capsys.readouterr().err


def test_serve_and_tui_refuse_an_unknown_exercise(capsys):
    assert main(["train", "serve", "--exercise", "no-such-exercise"]) == 2
    assert "no exercise named" in capsys.readouterr().err
    assert main(["train", "tui", "no-such-exercise"]) == 2
    assert "no exercise named" in capsys.readouterr().err


def test_loopback_hosts():
    assert all(is_loopback(h) for h in ("127.0.0.1", "127.0.0.2", "::1", "[::1]", "localhost"))
    assert not any(is_loopback(h) for h in ("0.0.0.0", "::", "10.0.0.1", "example.com"))


def test_each_connection_runs_this_python_on_the_training_tui():
    """textual-serve runs the command through a shell: this interpreter, quoted, and the exercise as one word."""
    assert shlex.split(serve_command()) == [sys.executable, "-m", "wizard", "train", "tui"]
    assert shlex.split(serve_command("asset-403-stacked"))[-1] == "asset-403-stacked"


def test_start_with_tui_is_the_training_tui(monkeypatch):
    """`train start NAME --tui` runs the training TUI on that exercise; without --tui the shell start runs."""
    from wizard.commands import train_cmd, train_tui_cmd

    ran = []
    monkeypatch.setattr(train_tui_cmd, "run_tui", lambda args: ran.append(("tui", args.name)) or 0)
    monkeypatch.setattr(train_cmd, "run_start", lambda args: ran.append(("shell", args.name)) or 0)
    assert main(["train", "start", "asset-403-stacked", "--tui"]) == 0
    assert main(["train", "start", "asset-403-stacked"]) == 0
    assert ran == [("tui", "asset-403-stacked"), ("shell", "asset-403-stacked")]

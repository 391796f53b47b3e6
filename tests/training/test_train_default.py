"""`edgewiz train` with no subcommand, as the issue's walkthrough starts: on a terminal it opens the
TUI's catalogue (run in a real pseudo-terminal here), piped it prints the catalogue as `train list`."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import struct
import subprocess
import sys
import termios
import time

import pytest

from wizard.cli import main


def test_piped_it_prints_the_list(capsys):
    assert main(["train", "list"]) == 0
    listed = capsys.readouterr().out
    assert main(["train"]) == 0
    out = capsys.readouterr().out
    assert out == listed and "asset-403-stacked" in out


def test_piped_from_a_shell_it_prints_the_list_too(tmp_path):
    env = dict(os.environ, EDGEWIZ_STATE_DIR=str(tmp_path))
    done = subprocess.run([sys.executable, "-m", "wizard", "train"], env=env, capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, timeout=60)
    assert done.returncode == 0 and "asset-403-stacked" in done.stdout and "\x1b[" not in done.stdout


def read_until(fd: int, needle: bytes, timeout: float) -> bytes:
    seen = b""
    end = time.monotonic() + timeout
    while needle not in seen and time.monotonic() < end:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if ready:
            try:
                seen += os.read(fd, 65536)
            except OSError:  # the child closed the terminal
                break
    return seen


def spawn_on_a_terminal(argv, state_dir):
    """`python -m wizard ARGV` on an 80x24 pseudo-terminal: (process, the terminal's master end)."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    env = dict(os.environ, EDGEWIZ_STATE_DIR=str(state_dir), TERM="xterm-256color", COLUMNS="80", LINES="24")
    env.pop("EDGEWIZ_LAB", None)
    proc = subprocess.Popen([sys.executable, "-m", "wizard", *argv], stdin=slave, stdout=slave, stderr=slave,
                            env=env, close_fds=True, start_new_session=True)
    os.close(slave)
    return proc, master


@pytest.mark.lab
def test_on_a_terminal_enter_starts_the_seed_000_exercise_and_records_it(tmp_path):
    """The issue's walkthrough start: `edgewiz train --trainee ada`, Enter on the first exercise (the
    seed-000 story), its brief and lab come up, and the attempt record names the trainee."""
    from wizard.training.records import read_record

    proc, master = spawn_on_a_terminal(["train", "--trainee", "ada"], tmp_path)
    try:
        assert b"pick an exercise" in read_until(master, b"pick an exercise", timeout=60)
        os.write(master, b"\r")
        screen = read_until(master, b"running", timeout=120)
        assert b"Exercise asset-403-stacked" in screen and b"running" in screen, screen[-2000:]
        records = tmp_path / "training" / "records"
        for _ in range(100):  # the record is written once the lab has been read (a worker, just after)
            if list(records.glob("*.json")):
                break
            time.sleep(0.1)
        os.write(master, b"\x11")  # Ctrl+Q
        read_until(master, b"\x00never", timeout=3)
        assert proc.wait(timeout=60) == 0
        [path] = list(records.glob("*.json"))
        record = read_record(path)
        assert record["exercise"] == "asset-403-stacked" and record["trainee"] == "ada" and record["ended"]
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        os.close(master)


def test_on_a_terminal_it_opens_the_picker(tmp_path):
    """On an 80x24 terminal: the catalogue screen of the training TUI (not the list, not a lab), and
    Ctrl+Q leaves it with exit 0."""
    proc, master = spawn_on_a_terminal(["train"], tmp_path)
    try:
        screen = read_until(master, b"pick an exercise", timeout=60)
        assert b"pick an exercise" in screen, screen[-2000:]
        assert b"asset-403-stacked" in read_until(master, b"asset-403-stacked", timeout=10) + screen
        os.write(master, b"\x11")  # Ctrl+Q
        read_until(master, b"\x00never", timeout=3)
        assert proc.wait(timeout=30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        os.close(master)

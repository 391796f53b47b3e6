"""Provides the first-frame benchmark: from starting `edgewiz` in an 80×24 pseudo-terminal to the intake
screen's text appearing on it (process start, imports, Textual's start-up and the first paint).

Run: .venv/bin/python bench/first_frame.py [--runs 7] [--lab asset-403-stacked]
Prints each run and the median, for `edgewiz` and for `edgewiz --lab NAME` (the lab then comes up in
a worker behind the first frame). The goal is under a second on this 2-core machine.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import pty
import select
import signal
import statistics
import struct
import sys
import tempfile
import termios
import time
from pathlib import Path
from typing import List, Optional, Tuple

ROOT = Path(__file__).resolve().parents[1]
MARKER = b"What do you see in the browser?"


def _command(lab: Optional[str]) -> List[str]:
    script = Path(sys.executable).with_name("edgewiz")
    base = [str(script)] if script.exists() else [sys.executable, "-m", "wizard"]
    return base + (["--lab", lab] if lab else [])


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time the process has used so far (Linux /proc), -1 when unknown."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return -1.0


def first_frame(lab: Optional[str], timeout: float = 20.0) -> Tuple[float, float]:
    """(wall seconds, CPU seconds) from fork to the intake's text on the terminal (one run). The CPU
    figure does not grow when other processes share the machine; the wall figure does."""
    env = dict(os.environ, TERM="xterm-256color", COLUMNS="80", LINES="24",
               EDGEWIZ_STATE_DIR=tempfile.mkdtemp(prefix="edgewiz-bench-"))
    env.pop("NO_COLOR", None)
    start = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:  # the child: the wizard, on the pseudo-terminal
        os.chdir(ROOT)
        os.execvpe(_command(lab)[0], _command(lab), env)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    seen = b""
    elapsed = None
    cpu = -1.0
    try:
        while time.perf_counter() - start < timeout:
            ready, _, _ = select.select([fd], [], [], 0.05)
            if not ready:
                continue
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            seen = (seen + chunk)[-200000:]
            if MARKER in seen:
                elapsed = time.perf_counter() - start
                cpu = _cpu_seconds(pid)
                break
        os.write(fd, b"\x11")  # Ctrl+Q: quit the way a person does (the lab, if any, is stopped)
        deadline = time.time() + 15
        while time.time() < deadline:
            ready, _, _ = select.select([fd], [], [], 0.1)
            if ready:
                try:
                    if not os.read(fd, 65536):
                        break
                except OSError:
                    break
            done, _ = os.waitpid(pid, os.WNOHANG)
            if done:
                break
        else:
            os.kill(pid, signal.SIGTERM)
    finally:
        try:
            os.waitpid(pid, 0)
        except ChildProcessError:
            pass
        os.close(fd)
    if elapsed is None:
        raise SystemExit(f"no first frame within {timeout:.0f} s (last output: {seen[-300:]!r})")
    return elapsed, cpu


def main() -> int:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--lab", default="asset-403-stacked")
    args = parser.parse_args()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"first frame at 80x24 on {os.cpu_count()} CPU(s), load average {load:.1f}, {args.runs} runs each")
    for lab in (None, args.lab):
        label = "edgewiz" + (f" --lab {lab}" if lab else "")
        first_frame(lab)  # a warm-up run: the first start after an install compiles bytecode
        runs = [first_frame(lab) for _ in range(args.runs)]
        wall = [w for w, _ in runs]
        cpu = [c for _, c in runs if c >= 0]
        print(f"{label:<34} wall median {statistics.median(wall) * 1000:5.0f} ms "
              f"(min {min(wall) * 1000:.0f}, max {max(wall) * 1000:.0f})"
              + (f"; CPU median {statistics.median(cpu) * 1000:.0f} ms" if cpu else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())

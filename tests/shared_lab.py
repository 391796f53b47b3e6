"""Provides the test session's one lab AWS API server, shared by every suite that brings a lab up.

moto keeps its state per process, not per server, so a server per lab was never emptier than a
shared one: every Lab resets the server before it builds, and the lab tests that need an empty
account ask for `fresh_aws`. What a shared server saves is real time: starting one costs a little,
stopping one waits for werkzeug's 0.5 s poll, and a new server builds each service's moto app again
on its first request (0.5-1.5 s per lab). Labs run one at a time in a process (pytest runs a
worker's tests one at a time), so they cannot see each other's state.
"""

from __future__ import annotations

import threading

# Where xdist workers share each scenario's lab run (set by the controller: tests/conftest.py).
RUNS_DIR_ENV = "EDGEWIZ_TEST_LAB_RUNS_DIR"

_lock = threading.Lock()
_server = None


def shared_aws_server():
    """The process's shared LabAwsServer, started on first use."""
    global _server
    with _lock:
        if _server is None:
            from wizard.lab.aws_server import start_aws_server

            _server = start_aws_server()
        return _server


def stop_shared_aws_server() -> None:
    """Stop the shared server if one was started (the session's end)."""
    global _server
    with _lock:
        if _server is not None:
            _server.stop()
            _server = None


_builtin = None


def builtin_scenarios():
    """wizard.lab.scenario.builtin_scenarios(), parsed once per test process: parsing the 115 YAML
    files costs about 1.3 s of CPU, and a dozen modules ask for them (three at collection). Each
    caller gets its own deep copy (20 ms), so nothing one test changes reaches another."""
    import copy

    global _builtin
    with _lock:
        if _builtin is None:
            from wizard.lab.scenario import builtin_scenarios as load_all

            _builtin = load_all()
        return copy.deepcopy(_builtin)

"""Fixtures every suite may use."""

from __future__ import annotations

import gc
import os
import socket

import pytest

from tests.shared_lab import RUNS_DIR_ENV, shared_aws_server, stop_shared_aws_server


@pytest.fixture
def closed_port() -> int:
    """A port on 127.0.0.1 where nothing listens (bound, then released)."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return port


@pytest.fixture(scope="session")
def lab_aws():
    """The lab's AWS API server, started once for the whole session and shared by every suite (Labs
    reset it before they build; state otherwise persists between tests)."""
    return shared_aws_server()


def pytest_configure(config) -> None:
    """On the xdist controller, before the workers start (they inherit the environment): a directory
    where the workers share each scenario's lab run, so a scenario is built and diagnosed once per
    run, not once per worker that reads it (tests/e2e/conftest.py cached_run)."""
    # Hypothesis checks that its PRNG is referenced with gc.get_referrers, which does not see frozen
    # objects (_freeze_survivors below): its holder is frozen, so the warning would be a false one.
    config.addinivalue_line("filterwarnings",
                            "ignore:It looks like `register_random` was passed an object:"
                            "hypothesis.errors.HypothesisWarning")
    if hasattr(config, "workerinput") or not getattr(config.option, "numprocesses", None):
        return
    import tempfile

    config._edgewiz_runs_dir = tempfile.mkdtemp(prefix="edgewiz-lab-runs-")
    os.environ[RUNS_DIR_ENV] = config._edgewiz_runs_dir


# Python's full (oldest-generation) garbage collections scan every object the process holds: here
# botocore's service models, moto's backends, Textual's widgets and CSS, pytest's own items, hundreds
# of thousands of objects that mostly live until the process ends. A lab-heavy module triggered a
# dozen of them, each a quarter second or more: a fifth of the CPU of the UI and e2e tests. So what
# survives a full collection is frozen (gc.freeze: kept where later collections no longer scan it):
# each full collection then scans only what was made since the last. A reference cycle among frozen
# objects that dies later (moto's state replaced by the next lab's reset) waits for the next
# collection that scans everything: one in eight, which keeps a worker's peak RSS near what it was.
_full_collections = [0]
_SCAN_ALL_EVERY = 8  # every 8th full collection scans the frozen objects too, and frees what died among them


def _freeze_survivors(phase: str, info: dict) -> None:
    if info.get("generation") != 2:
        return
    if phase == "start":
        _full_collections[0] += 1
        if _full_collections[0] % _SCAN_ALL_EVERY == 0:
            gc.unfreeze()  # back into the oldest generation, which this collection is about to scan
    else:
        gc.freeze()


def pytest_collection_finish(session) -> None:
    if _freeze_survivors not in gc.callbacks:
        gc.callbacks.append(_freeze_survivors)
    gc.collect()  # what the imports and the collection made, frozen by the callback


def pytest_sessionfinish(session, exitstatus) -> None:
    """Stop the shared lab server, whichever suite started it; the controller removes the shared runs."""
    stop_shared_aws_server()
    runs = getattr(session.config, "_edgewiz_runs_dir", None)
    if runs:
        import shutil

        shutil.rmtree(runs, ignore_errors=True)



# Where the slow scopes are (`--durations`: lab builds, TUI walks over a lab, CLI subprocesses that start one;
# bench/suite.py lists the slowest files). tests/plain/ holds the pseudo-terminal walks over a lab (30 s in 4
# tests): sorted by count among the quick modules it came last but one, and the run ended with one worker on it.
_LAB_HEAVY = ("scenario:", "tests/e2e/", "tests/ui/", "tests/training/", "tests/trust/", "tests/probes/", "tests/lab/",
              "tests/plain/", "tests/http/")


@pytest.hookimpl(optionalhook=True)  # the hook exists only where pytest-xdist is installed
def pytest_xdist_make_scheduler(config, log):
    """Under `-n N --dist loadscope` (pytest-xdist), keep together what shares per-process state.

    loadscope sends each module to one worker, so a module's module-scoped labs are built once and
    its moto state is never reset by another module's test in between. On top of that, every test
    parametrized by a built-in scenario's name goes with that scenario, whatever its module: the
    scenario is diagnosed once, by the worker that gets it, and the suites that read its cached lab
    run (e2e, trust) read it there. (xdist's own `loadgroup` cannot do this under pytest 9: it
    renames node ids through an attribute pytest no longer reads.)
    """
    if config.getvalue("dist") != "loadscope":
        return None
    from xdist.scheduler import LoadScopeScheduling

    from wizard.lab.scenario import BUILTIN_DIR

    scenarios = {path.stem for path in BUILTIN_DIR.glob("*.yaml")}

    class ScenarioScopeScheduling(LoadScopeScheduling):
        _ordered = False

        def _split_scope(self, nodeid: str) -> str:
            param = nodeid.rsplit("[", 1)[1][:-1] if nodeid.endswith("]") and "[" in nodeid else None
            if param in scenarios:
                return "scenario:" + param
            return super()._split_scope(nodeid)

        def _assign_work_unit(self, node) -> None:
            # Longest work first, so the run does not end with one worker alone on a slow module:
            # xdist orders scopes by test count, which puts a 3-test module that starts three
            # labs in subprocesses (resume, lab run --graph, train) last. Scopes that build labs
            # (scenario groups and the lab-heavy folders, per --durations) go first, then the rest
            # by count; the small pure modules fill the gaps at the end.
            if not self._ordered:
                self._ordered = True
                items = sorted(self.workqueue.items(), key=lambda kv: (not kv[0].startswith(_LAB_HEAVY), -len(kv[1])))
                self.workqueue.clear()
                self.workqueue.update(items)
            super()._assign_work_unit(node)

    return ScenarioScopeScheduling(config, log)

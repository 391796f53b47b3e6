"""A typo in a playbook fails at load, naming the file and the node, never mid-incident."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from wizard.engine.errors import FlowError
from wizard.engine.flow import Vocabulary, load_flow
from wizard.playbooks import load

VOCAB = Vocabulary(
    probes={"http.viewer": None, "aws.distribution": None},
    checks={"cors": ("s3.cors.missing",)},
    predicates={"reproduced": ("error", "ok")},
)

GOOD = """
id: mini
title: mini flow
start: a
nodes:
  a: {kind: probe, title: A, probes: [http.viewer], next: b}
  b: {kind: branch, title: B, by: reproduced, cases: {error: c, ok: done}}
  c: {kind: check, title: C, checks: [cors], next: done}
  done: {kind: end, title: Done, result: verdict}
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "flow.yaml"
    path.write_text(textwrap.dedent(text))
    return path


def test_a_valid_flow_loads(tmp_path):
    """A well-formed flow loads with all its nodes."""
    flow = load_flow(write(tmp_path, GOOD), VOCAB)
    assert set(flow.nodes) == {"a", "b", "c", "done"}


@pytest.mark.parametrize("change, node, words", [
    (("probes: [http.viewer]", "probes: [http.viewew]"), "a", "unknown probe 'http.viewew'"),
    (("checks: [cors]", "checks: [corz]"), "c", "unknown check 'corz'"),
    (("by: reproduced", "by: reproduce"), "b", "unknown predicate 'reproduce'"),
    (("error: c", "eror: c"), "b", "never returns 'eror'"),
    (("next: done}\n  done", "next: nowhere}\n  done"), "c", "'nowhere', which does not exist"),
    (("kind: end, title: Done, result: verdict", "kind: end, title: Done, result: maybe"), "done", "result"),
])
def test_typos_are_named_with_file_and_node(tmp_path, change, node, words):
    """Each kind of typo is reported with the file path, the node id and what is wrong."""
    path = write(tmp_path, GOOD.replace(*change))
    with pytest.raises(FlowError) as err:
        load_flow(path, VOCAB)
    assert str(path) in str(err.value)
    assert f"node '{node}'" in str(err.value)
    assert words in str(err.value)


def test_a_cycle_is_refused(tmp_path):
    """A playbook that could loop forever does not load."""
    text = GOOD.replace("c: {kind: check, title: C, checks: [cors], next: done}",
                        "c: {kind: check, title: C, checks: [cors], next: a}")
    with pytest.raises(FlowError, match="cycle"):
        load_flow(write(tmp_path, text), VOCAB)


def test_an_unreachable_node_is_refused(tmp_path):
    """A node nothing leads to is a mistake, not dead weight."""
    text = GOOD + "  orphan: {kind: end, title: Orphan, result: inconclusive}\n"
    with pytest.raises(FlowError, match="node 'orphan'.*unreachable"):
        load_flow(write(tmp_path, text), VOCAB)


def test_a_dead_end_must_be_an_end_node(tmp_path):
    """A branch whose every case leads nowhere else must end in an explicit end node."""
    text = GOOD.replace("b: {kind: branch, title: B, by: reproduced, cases: {error: c, ok: done}}",
                        "b: {kind: branch, title: B, by: reproduced, cases: {error: c}}")
    with pytest.raises(FlowError, match="no case for ok and no default"):
        load_flow(write(tmp_path, text), VOCAB)


def test_the_shipped_playbooks_load():
    """Every flow in flows/ validates against the code, and every check's findings have prose."""
    playbooks = load()
    assert "edge" in playbooks.flows
    assert "s3.policy.oac-sourcearn-mismatch" in playbooks.catalog

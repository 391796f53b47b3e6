"""A small flow written for the engine's own tests, with fake checks, predicates and probes (no
lab, no real probe): shared by test_walk.py and test_walk_engine.py."""

from __future__ import annotations

import textwrap
from typing import List

import pytest

from wizard.engine.drive import drive
from wizard.engine.facts import Facts, Symptom
from wizard.engine.flow import Vocabulary, load_flow
from wizard.engine.walk import NeedAnswer, Walk
from wizard.model import Hit, ProbeOutcome, Unknown

FLOW = """
id: mini
title: a small flow for the engine's own tests
start: reproduce
nodes:
  reproduce: {kind: probe, title: Reproduce, probes: [http.viewer, aws.kind], next: first_checks}
  first_checks: {kind: check, title: First checks, checks: [fake.status], next: which}
  which:
    kind: branch
    title: Which way?
    by: kind
    cases: {asked: ask, direct: last_checks}
  ask:
    kind: question
    title: Ask the person
    question: Go on?
    suggest: pick
    choices:
      go: {label: "Go on", next: more}
      stop: {label: "Stop", next: stopped}
  more: {kind: probe, title: More, probes: [aws.more], next: last_checks}
  last_checks: {kind: check, title: Last checks, checks: [fake.follow_up], next: verdict}
  verdict: {kind: end, title: Verdict, result: verdict}
  stopped: {kind: end, title: Stopped, result: inconclusive}
"""

VOCAB = Vocabulary(
    probes={"http.viewer": None, "aws.kind": None, "aws.more": None},
    checks={"fake.status": ("f.refused",), "fake.follow_up": ("f.follow-up",)},
    predicates={"kind": ("asked", "direct"), "pick": ("go", "stop", "unsure")},
)


def status_check(facts: Facts):
    """f.refused when the viewer got a 403; an Unknown when the viewer probe has no data."""
    outcome = facts.outcome("http.viewer")
    if outcome is None or not outcome.ok:
        return [], [Unknown("http", "the viewer's answer", outcome.error if outcome else "not probed")]
    if outcome.data["status"] == 403:
        return [Hit("f.refused", ("the viewer got 403",), {"status": "403"})], []
    return [], []


def follow_up_check(facts: Facts):
    """f.follow-up only when an earlier check found something: later checks see earlier hits."""
    if any(h.id == "f.refused" for h in facts.hits):
        return [Hit("f.follow-up", (), {})], []
    return [], []


CHECKS = {"fake.status": (status_check, ("f.refused",)), "fake.follow_up": (follow_up_check, ("f.follow-up",))}
PREDICATES = {"kind": lambda facts: facts.data("aws.kind")["kind"],
              "pick": lambda facts: facts.data("aws.kind").get("pick", "unsure")}


def mini_flow(directory):
    path = directory / "mini.yaml"
    path.write_text(textwrap.dedent(FLOW))
    return load_flow(path, VOCAB)


@pytest.fixture
def flow(tmp_path):
    return mini_flow(tmp_path)


def new_walk(flow, checks=CHECKS) -> Walk:
    return Walk(flow, Symptom("https://d1.cloudfront.net/a.js"), checks, PREDICATES)


def run_to_end(walk: Walk, probes, answer):
    """Drive the walk with the one loop until it stops (its end, here: the fakes always answer)."""
    return drive(walk, probes, answer)


class FakeProbes:
    """Answers probes from a table and counts what it was asked (replay must ask nothing)."""

    def __init__(self, status=403, kind="asked", pick="go", viewer_status="ok") -> None:
        self.table = {
            "http.viewer": ProbeOutcome("http.viewer", viewer_status, data={"status": status}
                                        if viewer_status == "ok" else None,
                                        error=None if viewer_status == "ok" else "connection refused"),
            "aws.kind": ProbeOutcome("aws.kind", "ok", data={"kind": kind, "pick": pick}),
            "aws.more": ProbeOutcome("aws.more", "ok", data={}),
        }
        self.asked: List[str] = []

    def __call__(self, facts, probes):
        self.asked.extend(probes)
        return [self.table[name] for name in probes]


def take_suggestion(need: NeedAnswer) -> str:
    return need.suggestion or need.choices[0].value


def visited(walk: Walk) -> List[str]:
    return [step.node for step in walk.steps]


def finished(flow, **probes) -> Walk:
    walk = new_walk(flow)
    run_to_end(walk, FakeProbes(**probes), take_suggestion)
    return walk

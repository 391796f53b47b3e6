"""The engine on its own: a small flow (tests/engine/mini_walk.py), fake checks and predicates, no
probes run.

Branching, questions, hits and unknowns, replay (what `back` and `resume` are built on), and the
refusal of a finding id the raising check did not declare.
"""

from __future__ import annotations

import pytest

from tests.engine.mini_walk import (CHECKS, FakeProbes, Walk, finished, flow, new_walk,  # noqa: F401 (fixture)
                                    run_to_end, take_suggestion, visited)
from wizard.engine.errors import UndeclaredFinding
from wizard.engine.walk import Done, NeedAnswer, NeedProbes, PassNode
from wizard.model import Hit, Unknown


# Branching and questions ------------------------------------------------------------------------

def test_a_fresh_walk_asks_for_the_first_nodes_probes(flow):
    """Before anything is known the walk needs the start node's probes, and nothing has run."""
    action = new_walk(flow).next_action()
    assert isinstance(action, NeedProbes)
    assert action.node.id == "reproduce"
    assert action.probes == ("http.viewer", "aws.kind")


def test_a_branch_follows_its_predicate(flow):
    """kind=direct skips the question and its probes: the walk goes straight to the last checks."""
    walk = new_walk(flow)
    done = run_to_end(walk, FakeProbes(kind="direct"), take_suggestion)
    assert done.node.id == "verdict"
    assert visited(walk) == ["reproduce", "first_checks", "which", "last_checks", "verdict"]
    assert walk.steps[2].detail == "kind = direct"


def test_the_other_branch_asks_with_the_predicates_suggestion(flow):
    """kind=asked stops at the question; the suggestion comes from the facts."""
    walk = new_walk(flow)
    walk.supply_probes(FakeProbes(kind="asked", pick="stop")(walk.facts, ("http.viewer", "aws.kind")))
    action = walk.advance()
    assert isinstance(action, NeedAnswer)
    assert action.node.id == "ask"
    assert [c.value for c in action.choices] == ["go", "stop"]
    assert action.suggestion == "stop"


def test_a_suggestion_that_is_not_a_choice_is_dropped(flow):
    """A predicate value that names no choice is no suggestion at all (the person decides)."""
    walk = new_walk(flow)
    walk.supply_probes(FakeProbes(pick="unsure")(walk.facts, ("http.viewer", "aws.kind")))
    assert walk.advance().suggestion is None


def test_an_answer_that_is_not_a_choice_is_refused_and_changes_nothing(flow):
    walk = new_walk(flow)
    walk.supply_probes(FakeProbes()(walk.facts, ("http.viewer", "aws.kind")))
    walk.advance()
    events_before = list(walk.events)
    with pytest.raises(ValueError, match="'maybe' is not an answer to ask"):
        walk.supply_answer("maybe")
    assert walk.current == "ask" and walk.events == events_before
    assert walk.facts.answers == {}


def test_probes_are_refused_where_the_walk_waits_for_an_answer(flow):
    walk = new_walk(flow)
    walk.supply_probes(FakeProbes()(walk.facts, ("http.viewer", "aws.kind")))
    walk.advance()
    with pytest.raises(RuntimeError, match="ask is not waiting for probes"):
        walk.supply_probes([])


def test_the_answer_leads_where_its_choice_says(flow):
    """'stop' ends the walk inconclusive without running the probes or checks after the question."""
    probes = FakeProbes()
    walk = new_walk(flow)
    done = run_to_end(walk, probes, lambda need: "stop")
    assert done.node.id == "stopped" and done.node.result == "inconclusive"
    assert "aws.more" not in probes.asked
    assert walk.facts.answers == {"ask": "stop"}


def test_asking_what_the_walk_needs_runs_no_check(flow):
    """next_action changes nothing: at a check node it says the node is to be passed, and the check
    runs only when pass_node is called (the drive loop's explicit step)."""
    from tests.engine.mini_walk import status_check

    calls = []

    def counting(facts):
        calls.append(facts)
        return status_check(facts)

    walk = new_walk(flow, dict(CHECKS, **{"fake.status": (counting, ("f.refused",))}))
    walk.supply_probes(FakeProbes()(walk.facts, ("http.viewer", "aws.kind")))
    first, second = walk.next_action(), walk.next_action()
    assert isinstance(first, PassNode) and first == second and first.node.id == "first_checks"
    assert calls == [] and walk.facts.hits == [] and visited(walk) == ["reproduce"]
    step = walk.pass_node()
    assert len(calls) == 1 and step.hits == ["f.refused"]
    assert walk.next_action().node.id == "which"


# Hits and unknowns --------------------------------------------------------------------------------

def test_hits_are_recorded_once_in_the_facts_and_named_on_the_step(flow):
    """One store: the walk's hits are the facts' hits (later checks read them there)."""
    walk = new_walk(flow)
    run_to_end(walk, FakeProbes(status=403), take_suggestion)
    assert [h.id for h in walk.facts.hits] == ["f.refused", "f.follow-up"]
    assert walk.hits is walk.facts.hits
    first = next(s for s in walk.steps if s.node == "first_checks")
    assert first.hits == ["f.refused"] and first.detail == "f.refused"


def test_a_check_that_finds_nothing_says_so(flow):
    """A clean answer: no hit, and the later check (which needs an earlier hit) stays quiet too."""
    walk = new_walk(flow)
    run_to_end(walk, FakeProbes(status=200), take_suggestion)
    assert walk.hits == []
    assert next(s for s in walk.steps if s.node == "first_checks").detail == "nothing wrong here"


def test_a_probe_without_data_makes_an_unknown_not_a_finding(flow):
    """A failed viewer probe: the check reports the part it could not check, and raises nothing."""
    walk = new_walk(flow)
    run_to_end(walk, FakeProbes(viewer_status="error"), take_suggestion)
    assert walk.hits == []
    assert walk.facts.unknowns == [Unknown("http", "the viewer's answer", "connection refused")]
    assert walk.unknowns is walk.facts.unknowns


# Declared ids --------------------------------------------------------------------------------------

def test_a_hit_the_check_did_not_declare_is_refused(flow):
    """The check may raise only what it declares: anything else stops the walk with a clear error
    naming the check and the id, before the hit is recorded."""
    def sloppy(facts):
        return [Hit("f.refused", (), {}), Hit("f.typo", (), {})], []

    walk = new_walk(flow, dict(CHECKS, **{"fake.status": (sloppy, ("f.refused",))}))
    walk.supply_probes(FakeProbes()(walk.facts, ("http.viewer", "aws.kind")))
    with pytest.raises(UndeclaredFinding) as caught:
        walk.advance()
    assert str(caught.value) == "check 'fake.status' raised 'f.typo', which it does not declare (it declares: f.refused)"
    assert (caught.value.check, caught.value.finding_id) == ("fake.status", "f.typo")
    assert walk.hits == [] and walk.facts.hits == []


def test_a_declared_id_raised_by_another_check_is_still_refused(flow):
    """Declarations are per check: an id declared by some other check does not make it legal here."""
    def borrows(facts):
        return [Hit("f.follow-up", (), {})], []

    walk = new_walk(flow, dict(CHECKS, **{"fake.status": (borrows, ("f.refused",))}))
    walk.supply_probes(FakeProbes()(walk.facts, ("http.viewer", "aws.kind")))
    with pytest.raises(UndeclaredFinding, match="'fake.status' raised 'f.follow-up'"):
        walk.advance()


# Replay, back and resume ----------------------------------------------------------------------------

def test_replay_rebuilds_the_same_walk_without_probing(flow):
    """The journal's events alone rebuild the state: same steps, hits, answers and end."""
    original = finished(flow)
    replayed = new_walk(flow)
    replayed.replay(original.events)
    assert isinstance(replayed.advance(), Done)
    assert visited(replayed) == visited(original)
    assert replayed.hits == original.hits
    assert replayed.facts.answers == original.facts.answers == {"ask": "go"}
    assert replayed.events == original.events


def test_back_is_a_replay_of_all_but_the_last_event(flow):
    """Undoing the answer brings the question back, and forgets what came after it."""
    original = finished(flow)
    assert [e["type"] for e in original.events] == ["probes", "answer", "probes"]
    back = new_walk(flow)
    back.replay(original.events[:-2])
    action = back.advance()
    assert isinstance(action, NeedAnswer) and action.node.id == "ask"
    assert back.facts.answers == {}
    assert [h.id for h in back.hits] == ["f.refused"]  # the follow-up check has not run again


def test_resume_replays_then_probes_only_what_is_left(flow):
    """A walk cut after the answer resumes: only the probes after it run, and it ends like the
    uninterrupted walk."""
    original = finished(flow)
    probes = FakeProbes()
    resumed = new_walk(flow)
    resumed.replay(original.events[:2])
    done = run_to_end(resumed, probes, lambda need: pytest.fail("the answer was already journaled"))
    assert probes.asked == ["aws.more"]
    assert done.node.id == "verdict"
    assert resumed.hits == original.hits and visited(resumed) == visited(original)


def test_replay_refuses_a_journal_of_another_flow(flow):
    walk = new_walk(flow)
    with pytest.raises(ValueError, match="journal does not match the flow at reproduce"):
        walk.replay([{"type": "probes", "node": "elsewhere", "outcomes": []}])


def test_replay_refuses_an_event_that_does_not_fit_the_node(flow):
    """An answer journaled where the flow waits for probes is a different flow version: refused."""
    walk = new_walk(flow)
    with pytest.raises(ValueError, match="journal event answer does not fit node reproduce"):
        walk.replay([{"type": "answer", "node": "reproduce", "value": "go"}])

"""The one drive loop (wizard/engine/drive.py) on the engine's mini flow, with fake probes: where it
pauses for someone, what it tells the front end and the journal, and cooperative cancellation — a
cancel is looked for between steps and around each probe batch, and a cancelled walk stops where it
stood, never as a verdict, and resumes from its events to the same end as an uninterrupted walk.
"""

from __future__ import annotations

from tests.engine.mini_walk import FakeProbes, finished, flow, new_walk, take_suggestion, visited  # noqa: F401
from wizard.engine.drive import CancelToken, Cancelled, drive
from wizard.engine.walk import Done, NeedAnswer, NeedProbes

READS = ("http.viewer", "aws.kind")


# Pausing for someone ------------------------------------------------------------------------------

def test_the_loop_pauses_at_a_question_nobody_answers_and_goes_on_when_answered(flow):
    probes = FakeProbes()
    walk = new_walk(flow)
    stop = drive(walk, probes, answer=None)
    assert isinstance(stop, NeedAnswer) and stop.node.id == "ask"
    assert probes.asked == list(READS)
    assert visited(walk) == ["reproduce", "first_checks", "which"]  # the checks ran on the way
    done = drive(walk, probes, take_suggestion)
    assert isinstance(done, Done) and done.node.id == "verdict"
    assert visited(walk) == visited(finished(flow))


def test_no_probe_batch_allowed_pauses_before_the_probes(flow):
    """probe_batches=0 only passes what needs nobody: a fresh walk stops at its first probes."""
    probes = FakeProbes()
    walk = new_walk(flow)
    stop = drive(walk, probes, take_suggestion, probe_batches=0)
    assert isinstance(stop, NeedProbes) and stop.node.id == "reproduce"
    assert probes.asked == [] and walk.steps == [] and walk.events == []


def test_one_batch_runs_its_checks_and_stops_at_the_next_probes(flow):
    """What the TUI does per step: one batch, then the checks and the answered question after it,
    and a stop before the next batch."""
    probes = FakeProbes()
    walk = new_walk(flow)
    stop = drive(walk, probes, take_suggestion, probe_batches=1)
    assert isinstance(stop, NeedProbes) and stop.node.id == "more"
    assert probes.asked == list(READS)
    assert [h.id for h in walk.hits] == ["f.refused"]


def test_the_front_end_is_told_each_need_and_each_recorded_step(flow):
    needs, events = [], []
    walk = new_walk(flow)
    drive(walk, FakeProbes(), take_suggestion, on_need=lambda a: needs.append((type(a).__name__, a.node.id)),
          on_event=lambda event, outcomes: events.append((event["type"], [o.name for o in outcomes])))
    assert needs == [("NeedProbes", "reproduce"), ("NeedAnswer", "ask"), ("NeedProbes", "more"), ("Done", "verdict")]
    assert events == [("probes", list(READS)), ("answer", []), ("probes", ["aws.more"])]
    assert [e["type"] for e in walk.events] == ["probes", "answer", "probes"]


# Cancellation ------------------------------------------------------------------------------------

def test_a_walk_cancelled_before_it_starts_probes_nothing(flow):
    probes, token = FakeProbes(), CancelToken()
    token.cancel("the person left")
    walk = new_walk(flow)
    stop = drive(walk, probes, take_suggestion, cancel=token)
    assert isinstance(stop, Cancelled) and stop.node.id == "reproduce" and stop.reason == "the person left"
    assert probes.asked == [] and walk.events == []


def test_a_batch_cancelled_while_it_runs_is_not_recorded_and_resume_runs_it_again(flow):
    """The half-run batch may be half skipped: it is no step (resume probes it again), no check runs
    on it, and the resumed walk ends where the uninterrupted one does."""
    probes, token = FakeProbes(), CancelToken()

    def cancelled_mid_batch(facts, names):
        outcomes = probes(facts, names)
        token.cancel()
        return outcomes

    walk = new_walk(flow)
    stop = drive(walk, cancelled_mid_batch, take_suggestion, cancel=token)
    assert isinstance(stop, Cancelled) and stop.node.id == "reproduce"
    assert walk.events == [] and walk.steps == [] and walk.hits == []

    again = FakeProbes()
    resumed = new_walk(flow)
    resumed.replay(walk.events)
    done = drive(resumed, again, take_suggestion)
    assert isinstance(done, Done) and again.asked == list(READS) + ["aws.more"]
    assert visited(resumed) == visited(finished(flow))


def test_the_cancel_is_looked_for_between_steps(flow):
    """Cancelled right after a batch is recorded: the walk stops at the check node that follows,
    without running it."""
    token = CancelToken()
    walk = new_walk(flow)
    stop = drive(walk, FakeProbes(), take_suggestion, cancel=token, on_event=lambda e, o: token.cancel())
    assert isinstance(stop, Cancelled) and stop.node.id == "first_checks"
    assert [e["type"] for e in walk.events] == ["probes"]
    assert walk.hits == [] and visited(walk) == ["reproduce"]


def test_a_cancel_while_the_person_is_asked_records_no_answer(flow):
    token = CancelToken()

    def cancel_instead(need):
        token.cancel("Ctrl-C at the question")
        return "go"

    walk = new_walk(flow)
    stop = drive(walk, FakeProbes(), cancel_instead, cancel=token)
    assert isinstance(stop, Cancelled) and stop.node.id == "ask"
    assert walk.facts.answers == {} and [e["type"] for e in walk.events] == ["probes"]


def test_a_cancelled_walk_ends_on_a_cancelled_result_never_a_verdict(flow):
    token = CancelToken()
    token.cancel()
    stop = drive(new_walk(flow), FakeProbes(), take_suggestion, cancel=token)
    assert stop.end.kind == "end" and stop.end.result == "cancelled"
    assert "Cancelled at: Reproduce" == stop.end.title and "resume" in stop.end.why


def test_a_walk_at_its_end_stays_finished_when_cancelled_late(flow):
    """A cancel that comes after the verdict changes nothing: the walk is done."""
    token = CancelToken()
    walk = finished(flow)
    token.cancel()
    assert isinstance(drive(walk, FakeProbes(), take_suggestion, cancel=token), Done)


# One loop ----------------------------------------------------------------------------------------

def test_only_the_drive_loop_moves_a_walk_forward():
    """Every front end goes through engine/drive.py: no other module records probes or answers or
    passes a node itself (the walk's own replay aside), so a fix to the loop fixes them all."""
    from pathlib import Path

    import wizard

    package = Path(wizard.__file__).parent
    allowed = {package / "engine" / "walk.py", package / "engine" / "drive.py"}
    movers = (".supply_probes(", ".supply_answer(", ".pass_node(")
    offenders = [f"{path.relative_to(package)}: {mover}" for path in sorted(package.rglob("*.py"))
                 if path not in allowed for mover in movers if mover in path.read_text(encoding="utf-8")]
    assert offenders == []

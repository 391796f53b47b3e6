"""WalkSession drives the real playbook through the one loop with a fake runner (no lab, nothing
probed for real): every step is journaled as it is recorded, a cancelled walk is journaled as
cancelled (never as an end, so it reads as unfinished and resumes), reports it as cancelled rather
than "no root cause", and a resume from the journal file probes only what the walk had not recorded.
"""

from __future__ import annotations

import json
import threading
from typing import List, Optional, Tuple

from wizard.diagnose import auto_answer
from wizard.engine.drive import Cancelled
from wizard.engine.facts import Symptom
from wizard.journal import read_journal
from wizard.model import ProbeOutcome
from wizard.report import json_report, no_root_cause_sentence, text_report
from wizard.walk_session import Target, WalkSession, open_journal

SYMPTOM = Symptom("https://d111.cloudfront.net/app.js", complaint="403")


class OfflineRunner:
    """A ProbeRunner stand-in: every probe fails ("offline"); `cancel_on` cancels the session while
    that batch (by its count, from 1) runs, as Ctrl-C or closing the app would."""

    aws = None

    def __init__(self, cancel_on: Optional[int] = None) -> None:
        self.cancelled = threading.Event()
        self.batches: List[Tuple[str, ...]] = []
        self.cancel_on = cancel_on
        self.session: Optional[WalkSession] = None

    def run(self, facts, names, listener=None):
        self.batches.append(tuple(names))
        outcomes = [ProbeOutcome(n, "error", error="offline") for n in names]
        for outcome in outcomes:
            facts.outcomes[outcome.name] = outcome
        if len(self.batches) == self.cancel_on:
            self.session.cancel("closed mid-walk")
        return outcomes


def session_with(runner: OfflineRunner, tmp_path) -> WalkSession:
    session = WalkSession(SYMPTOM, runner, Target(no_aws=True), journal_dir=tmp_path)
    runner.session = session
    return session


def journal_types(session: WalkSession) -> List[str]:
    return [e["type"] for e in read_journal(session.journal.path).events]


def test_an_uncancelled_walk_is_journaled_step_by_step_to_its_end(tmp_path):
    runner = OfflineRunner()
    session = session_with(runner, tmp_path)
    diagnosis = session.run_to_end(auto_answer)
    assert diagnosis.cancelled is None and diagnosis.end.result == "inconclusive"
    assert len(runner.batches) == 2
    assert journal_types(session) == ["probes", "answer", "probes", "end"]


def test_a_cancelled_walk_is_journaled_as_cancelled_and_never_reads_as_no_root_cause(tmp_path):
    runner = OfflineRunner(cancel_on=2)
    session = session_with(runner, tmp_path)
    stop = session.drive(auto_answer)
    assert isinstance(stop, Cancelled) and stop.reason == "closed mid-walk"
    assert journal_types(session) == ["probes", "answer", "cancelled"]  # the cut batch is no step
    assert not read_journal(session.journal.path).finished  # `edgewiz resume` picks it up

    diagnosis = session.finish(stop)
    assert diagnosis.cancelled == "closed mid-walk" and diagnosis.end.result == "cancelled"
    assert no_root_cause_sentence(diagnosis) is None
    report = json.loads(json_report.render(diagnosis))
    assert report["result"] == "cancelled" and report["complete"] is False
    text = text_report.render(diagnosis)
    assert "Cancelled at:" in text and "No root cause" not in text
    assert journal_types(session) == ["probes", "answer", "cancelled"]  # finishing adds no end


def test_a_cancelled_walk_resumes_from_its_journal_and_probes_only_the_cut_batch(tmp_path):
    first = OfflineRunner(cancel_on=2)
    cut = session_with(first, tmp_path)
    cut.drive(auto_answer)
    again = OfflineRunner()
    resumed = WalkSession.resume(open_journal(cut.journal.path), again, Target(no_aws=True))
    def no_question(need):
        raise AssertionError(f"{need.node.id} was answered before the cancel")

    diagnosis = resumed.run_to_end(no_question)
    assert again.batches == [first.batches[1]]
    assert diagnosis.cancelled is None and diagnosis.end.result == "inconclusive"
    assert journal_types(resumed)[-3:] == ["resume", "probes", "end"]


def test_ctrl_c_during_the_probes_is_journaled_as_cancelled(tmp_path):
    class Interrupted(OfflineRunner):
        def run(self, facts, names, listener=None):
            raise KeyboardInterrupt

    session = session_with(Interrupted(), tmp_path)
    try:
        session.drive(auto_answer)
    except KeyboardInterrupt:
        pass
    else:
        raise AssertionError("the interrupt must reach the front end")
    events = read_journal(session.journal.path).events
    assert [e["type"] for e in events] == ["cancelled"] and events[0]["node"] == "reproduce"
    assert session.runner.cancelled.is_set()  # probes not yet started are skipped


def test_diagnose_drives_the_same_loop_and_a_cancel_ends_it_cancelled():
    """`edgewiz diagnose` (no journal) stops on the same token: a cancelled diagnosis is no verdict."""
    from wizard.diagnose import diagnose
    from wizard.engine.drive import CancelToken
    from wizard.playbooks import load

    token = CancelToken()

    class CancellingRunner(OfflineRunner):
        def run(self, facts, names, listener=None):
            token.cancel("deadline")
            return super().run(facts, names, listener)

    runner = CancellingRunner()
    diagnosis = diagnose(load(), SYMPTOM, runner, cancel=token)
    assert len(runner.batches) == 1
    assert diagnosis.cancelled == "deadline" and diagnosis.end.result == "cancelled"
    assert no_root_cause_sentence(diagnosis) is None

"""An Attempt as a front end holds it: hints counted up the ladder, an answer committed once, and the
verdict (the faults the lab started with, the check) refused until then."""

from __future__ import annotations

import pytest

from wizard.training.attempt import Answer, Attempt, VerdictHidden
from wizard.training.catalogue import find
from wizard.tui.recheck_safety import summary
from wizard.training.safety import Concern


def attempt_with_faults(faults):
    attempt = Attempt(find("asset-403-stacked"))
    attempt._faults = list(faults)  # as attach() reads them from the lab
    return attempt


def test_the_verdict_is_refused_until_an_answer_is_committed():
    attempt = attempt_with_faults(["s3.object-missing"])
    with pytest.raises(VerdictHidden):
        attempt.faults()
    with pytest.raises(VerdictHidden):
        attempt.check()
    with pytest.raises(ValueError):
        attempt.commit(Answer())  # an empty answer is no answer
    attempt.commit(Answer(("s3.object-missing",)))
    assert attempt.faults() == ["s3.object-missing"]


def test_the_first_answer_stands_and_is_graded_against_the_faults():
    attempt = attempt_with_faults(["s3.policy.oac-sourcearn-mismatch", "s3.object-missing", "s3.cors.missing"])
    attempt.commit(Answer(("s3.object-missing", "sg.target-ingress-missing"), "the js was never deployed"))
    attempt.commit(Answer(("s3.cors.missing",)))
    grade = attempt.grade()
    assert grade.named == ["s3.object-missing"]
    assert grade.missed == ["s3.policy.oac-sourcearn-mismatch", "s3.cors.missing"]
    assert grade.wrong == ["sg.target-ingress-missing"]


def test_hints_climb_the_ladder_and_stop_at_its_top():
    attempt = attempt_with_faults([])
    ladder = find("asset-403-stacked").hints
    assert [attempt.next_hint() for _ in ladder] == list(ladder)
    assert attempt.next_hint() is None and attempt.hints_used == len(ladder)


def test_the_recheck_review_says_fixed_but_broader_or_fixed_and_scoped():
    fixed = ["s3.policy.oac-sourcearn-mismatch"]
    broad = summary(fixed, [Concern("bucket-not-public", "the bucket policy allows everyone")])
    assert broad == ("Fixed s3.policy.oac-sourcearn-mismatch, but the change is broader than needed: "
                     "the bucket policy allows everyone.", "warning")
    assert summary(fixed, [])[0] == "Fixed s3.policy.oac-sourcearn-mismatch, and the change is no broader than needed."
    unknown = summary(fixed, [Concern("bucket-not-public", "the bucket ACL could not be read", unknown=True)])
    assert "unknown" in unknown[0] and unknown[1] == "warning"
    assert summary(["edge.waf-block"], None) is None  # no rule covers it: nothing to say

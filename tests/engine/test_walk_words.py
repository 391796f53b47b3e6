"""The words the skins print for a walk's internal values: every predicate value has words, and a
check's findings read as their titles, never their ids."""

from __future__ import annotations

from wizard.checks.predicates import PREDICATES
from wizard.model import Hit
from wizard.playbooks import load
from wizard.report.walk_words import branch_words, finding_titles


def test_every_branch_value_has_words():
    """No predicate value reaches the screen as a token like "error-403" or "s3-rest"."""
    for predicate, (_fn, values) in PREDICATES.items():
        for value in values:
            words = branch_words(f"{predicate} = {value}")
            assert words, (predicate, value)
            if "-" in value:  # a token, not a word ("error-403", "s3-rest"): it must be said otherwise
                assert value not in words and words != value.replace("-", " "), (predicate, value, words)
            assert words != value or value.isalpha(), (predicate, value)  # "403" alone is no answer
    assert branch_words("reproduced = error-403") == "an error status (4xx) from here"


def test_a_checks_findings_read_as_their_titles_with_the_names_filled():
    catalog = load().catalog
    hits = [Hit("s3.object-missing", ("no such key",), {"key": "assets/app.js", "bucket": "b1"})]
    (title,) = finding_titles(["s3.object-missing"], hits, catalog)
    assert title == "assets/app.js is not in b1"
    assert finding_titles(["no.such-id"], [], catalog) == ["no.such-id"]

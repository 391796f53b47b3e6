"""Properties of the log parsers: whatever text arrives, they count it and never raise."""

from __future__ import annotations

from urllib.parse import quote

from hypothesis import given, settings
from hypothesis import strategies as st

from wizard.analysis.logs.alb_logs import parse_alb
from wizard.analysis.logs.cloudfront_logs import DEFAULT_FIELDS, parse_cloudfront
from wizard.analysis.logs.log_triage import triage_alb, triage_cloudfront, triage_lines

# Text biased towards the characters that matter to these formats.
_log_text = st.text(alphabet=st.one_of(st.sampled_from('\t "-#%:\\\r\n'), st.characters()), max_size=300)
_lines = st.lists(_log_text, max_size=30)
# Values as CloudFront could have logged them: any text that UTF-8 can carry (no lone surrogates).
_value = st.text(alphabet=st.one_of(st.sampled_from('\t "-#%:\\\r\n\x1b'),
                                    st.characters(blacklist_categories=("Cs",))), max_size=60)
_header = "#Fields: " + " ".join(DEFAULT_FIELDS)


@settings(max_examples=150, deadline=None)
@given(_lines)
def test_cloudfront_parse_and_triage_never_raise(lines):
    """Arbitrary lines (with or without a header first) parse and triage without an exception."""
    for text in (lines, [_header] + lines):
        parsed = parse_cloudfront(text)
        summary = triage_cloudfront(parsed)
        assert summary.records + summary.malformed <= len(text)
        summary.lines()
        summary.hits()


@settings(max_examples=150, deadline=None)
@given(_lines)
def test_alb_parse_and_triage_never_raise(lines):
    """Arbitrary lines go through the ALB parser and triage without an exception."""
    parsed = parse_alb(lines)
    summary = triage_alb(parsed)
    assert summary.records + summary.malformed <= len(lines)
    summary.lines()


@settings(max_examples=100, deadline=None)
@given(_lines)
def test_auto_detected_triage_never_raises(lines):
    """triage_lines, which guesses the format from the first line, never raises either."""
    triage_lines(lines).lines()


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(min_size=1, max_size=40), min_size=len(DEFAULT_FIELDS), max_size=len(DEFAULT_FIELDS)))
def test_encoded_values_come_back_as_written(values):
    """Any values, URL-encoded as CloudFront writes them, parse back to the originals."""
    values = ["2025-08-28"] + values[1:]
    line = "\t".join(quote(v, safe="") for v in values)
    (record,) = list(parse_cloudfront([_header, line]))
    expected = [None if v == "-" else v for v in values]
    assert [record[f] for f in DEFAULT_FIELDS] == expected


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(_value, min_size=len(DEFAULT_FIELDS), max_size=len(DEFAULT_FIELDS)), max_size=5))
def test_summary_text_never_carries_control_characters(rows):
    """Whatever the log values decode to (newlines, escapes), the summary text is printable."""
    lines = [_header] + ["\t".join(["2025-08-28"] + [quote(v, safe="") for v in row[1:]]) for row in rows]
    summary = triage_cloudfront(parse_cloudfront(lines))
    assert all(line.isprintable() for line in summary.lines())

"""bench/table.py reads each bench's printed figures: fed output captured from each bench (no bench
run, no timing), every row gives its figure and verdict, and output it cannot read says so instead
of inventing a figure. Keeps the table from rotting when a bench's output changes."""

from __future__ import annotations

import importlib.util
import os
import sys

import pytest

_PATH = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "bench", "table.py")
_spec = importlib.util.spec_from_file_location("bench_table", _PATH)
table = importlib.util.module_from_spec(_spec)
sys.modules["bench_table"] = table  # dataclasses look their module up there
_spec.loader.exec_module(table)

DIAGNOSIS = """\
scenario                                     lab start diagnosis AWS calls saved  root causes
origin-504-response-timeout                     1542ms    2554ms         5     1  origin.response-timeout
alb-504-slow-target-response-timeout            1432ms    1768ms        32    25  origin.response-timeout
asset-403-stacked                                134ms     612ms        15    11  s3.object-missing, s3.kms-denied

3 scenarios: diagnosis median 1768 ms, max 2554 ms; lab start median 1432 ms
"""

LATENCY = """\
delay 100 ms before every AWS and HTTP request of the diagnosis (lab reads not delayed); read-ahead on; median of 1 run(s)

scenario                              AWS saved HTTP  no delay   delayed  depth   min steps  needs chain
asset-403-stacked                      15    11    4     330ms     911ms    5.8   5.8     4  3: aws.distribution > aws.object > aws.encryption
alb-504-ghost-sg-reference             35    27    1     658ms    3159ms   25.0  25.0     4  3: aws.distribution > aws.alb_inventory > aws.alb_metrics
"""

LOG_TRIAGE = """\
generated 20,000 lines (1.3 MiB gzip) in 0.2 s: /tmp/edgewiz-bench-9gksm_da.log.gz
2 CPU(s), load average 4.1
zcat | awk               :  0.08 s wall,  0.06 s CPU (origin errors 476)
block counter (pure)     :  0.22 s wall,  0.14 s CPU, peak RSS 54 MiB (origin errors 476): 0.38× the speed of zcat | awk
`edgewiz logs` (all)     :  0.19 s wall,  0.18 s CPU, peak RSS 54 MiB (origin errors -): 0.45× the speed of zcat | awk
read only      : 20,002 lines in 0.04 s wall / 0.04 s CPU = 458,059 lines/s (541,054 per CPU-second)
"""

LAB_START = """\
imports and scenario loading: 314 ms
first lab of the process (asset-403-stacked): start 1376 ms (server 604, build 772), stop 460 ms

scenario                                      server   build   start    stop
asset-403-stacked                               16ms   119ms   134ms   493ms
alb-healthy                                     22ms   849ms   871ms   479ms

2 scenarios (one server per lab): start median 503 ms, max 871 ms; stop median 486 ms; start+stop total 2.0 s
"""

FIRST_FRAME = """\
first frame at 80x24 on 2 CPU(s), load average 4.6, 1 runs each
edgewiz                            wall median   704 ms (min 704, max 704); CPU median 480 ms
edgewiz --lab asset-403-stacked    wall median   415 ms (min 415, max 415); CPU median 400 ms
"""

PATH_ANALYSIS = """\
                         half       full   ratio
            groups       2500       5000    2.00
             rules      25051      50051    2.00
              enis      10000      20000    2.00
        analysis_s      0.355      0.554    1.56
"""

PEAK_RSS = """\
alb-504-ghost-sg-reference: edgewiz diagnose https://d.cloudfront.net/company/30 ... (1 runs, child process)
  run 1: exit 0, 2.43 s, peak RSS 119 MB; root causes ['sg.target-ingress-stale-reference']
peak RSS of `edgewiz diagnose` (alb-504-ghost-sg-reference): 119 MB (goal ≤ 150 MB)
"""

SUITE = "........\n2026 passed, 3 skipped in 279.41s (0:04:39)\n"


@pytest.mark.parametrize("parse, text, shows, met", [
    (table.parse_diagnosis, DIAGNOSIS, ["3 scenarios", "max 2.55 s (origin-504-response-timeout)",
                                        "alb-504-slow-target-response-timeout 1.77 s"], False),
    (table.parse_latency, LATENCY, ["asset-403-stacked 0.91 s", "goal 0.5 s = chain 3 + 2", "depth 25 of 36"], False),
    (table.parse_log_triage, LOG_TRIAGE, ["20,000 lines", "edgewiz 0.19 s, awk 0.08 s", "slower", "54 MiB"], False),
    (table.parse_lab_start, LAB_START, ["median 0.50 s, max 0.87 s"], True),
    (table.parse_first_frame, FIRST_FRAME, ["0.70 s (`edgewiz`)", "0.41 s (`edgewiz --lab asset-403-stacked`)"], False),
    (table.parse_path_analysis, PATH_ANALYSIS, ["5,000 SGs / 50,051 rules / 20,000 ENIs: 0.55 s, ×1.56"], True),
    (table.parse_peak_rss, PEAK_RSS, ["119 MB (alb-504-ghost-sg-reference)"], True),
    (table.parse_suite, SUITE, ["2026 passed in 4 min 39 s"], False),
])
def test_each_benchs_output_gives_its_row(parse, text, shows, met):
    figure, verdict = parse(text)
    for part in shows:
        assert part in figure
    assert verdict is met


@pytest.mark.parametrize("parse", [table.parse_diagnosis, table.parse_latency, table.parse_log_triage,
                                   table.parse_lab_start, table.parse_first_frame, table.parse_path_analysis,
                                   table.parse_peak_rss, table.parse_suite])
def test_output_it_cannot_read_is_not_a_figure(parse):
    with pytest.raises(table.Unreadable):
        parse("Traceback (most recent call last):\n" if parse is not table.parse_suite else "")


def test_every_row_of_the_issue_has_a_bench_and_a_goal():
    keys = [row.key for row in table.rows()]
    assert keys == ["diagnosis", "latency", "log_triage", "lab_start", "first_frame", "path_analysis",
                    "peak_rss", "suite"]
    for row in table.rows():
        argv = row.argv(True)
        if argv is not None and argv[1].endswith(".py") and "bench" in argv[1]:
            assert os.path.exists(argv[1]), argv[1]


def test_the_table_keeps_one_cell_per_column_when_a_figure_holds_a_pipe():
    row = table.rows()[2]  # log triage: its measure and figure name `zcat | awk`
    figure, met = table.parse_log_triage(LOG_TRIAGE)
    rendered = table.render([table.Result(row, figure, met)]).splitlines()[-1]
    assert rendered.replace("\\|", "").count("|") == 5

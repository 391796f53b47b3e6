"""Seed 000 in the app at 80×24: from the prefilled intake to the three stacked root causes with only
the keyboard, the traffic graph showing the blocked hops, copying a fix, exporting the report, going
back, resuming a walk, a probe AWS refuses taking the manual route, and cancelling slow probes."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

from wizard.diagnose import auto_answer
from wizard.journal import read_journal
from wizard.tui.app import EdgewizApp
from wizard.tui.screens.verdict import VerdictScreen
from wizard.tui.widgets.path_graph_view import PathGraphView
from wizard.tui.widgets.probe_status import ProbeStatus

from .conftest import refuse_s3
from .screen import idle_walk, screen_text, start_walk, until, walk_to_verdict

pytestmark = pytest.mark.lab
SCENARIO = "asset-403-stacked"
ROOTS = ["s3.policy.oac-sourcearn-mismatch", "s3.object-missing", "s3.cors.missing"]
SIZE = (80, 24)


@pytest.fixture(scope="module")
def finished(lab):
    """A walk of the scenario driven to its end without the app: (session, diagnosis) for verdict tests."""
    session = lab.new_session(lab.lab_env.symptom)
    return session, session.run_to_end(auto_answer)


async def open_verdict(app, pilot, finished) -> VerdictScreen:
    session, diagnosis = finished
    screen = VerdictScreen(session, diagnosis)
    await app.push_screen(screen)
    await pilot.pause()
    return screen


async def test_intake_is_prefilled_from_the_scenario(lab):
    """With --lab the intake shows the scenario's URL, page and region, and says the lab is ready."""
    app = EdgewizApp(lab)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: not app.screen.waiting)
        text = screen_text(app)
        assert "What do you see in the browser?" in text
        assert "◉ 403 Forbidden" in text
        assert "https://app.example.com/" in text
        assert "us-east-1" in text and "(lab)" in text
        assert "✓ lab ready: scenario asset-403-stacked" in text


async def test_keyboard_walk_reaches_the_three_root_causes_in_path_order(lab):
    """Enter, step after step, ends on the verdict: three root causes in the order the request meets them."""
    app = EdgewizApp(lab)
    async with app.run_test(size=SIZE) as pilot:
        await start_walk(pilot)
        await walk_to_verdict(pilot)
        screen = app.screen
        assert [f.id for f in screen.diagnosis.root_causes] == ROOTS
        text = screen_text(app)
        assert "3 root causes in the order the request meets them (the browser hits #1 first)" in text
        for n in (1, 2, 3):
            assert f"{n} ✗ [s3]" in text
        assert "→ s3://rails-assets-stg" in text  # the graph leads with the blocked hop


async def test_walk_screen_shows_the_step_its_probes_and_the_path(lab):
    """A walk in progress shows the step's title and why, each probe's state and finding, and the path."""
    app = EdgewizApp(lab)
    async with app.run_test(size=SIZE) as pilot:
        await start_walk(pilot)
        await until(pilot, lambda: app.screen.probed, what="the first probes")
        text = screen_text(app)
        assert "Step 1 · now" in text and "Reproduce the error without" in text
        assert "The browser's console often says" in text  # the teaching text
        assert "• Request the URL as the browser" in text and "✓ Request" not in text  # probes: words, not ✓
        assert "403 (AccessDenied), x-cache:" in text  # values, not field names
        assert "Path ✓ allowed ✗ blocked ? unknown" in text  # the path graph
        assert "[✓] viewer →" in text


async def test_verdict_graph_leads_with_the_first_blocked_hop_and_its_rule(lab, finished):
    """The verdict draws the walk screen's traffic graph: the first blocked hop and its deciding
    statement lead it, and the bucket, object and page hops are ✗ further down."""
    app = EdgewizApp(lab)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_verdict(app, pilot, finished)
        graph = screen.query_one(PathGraphView)
        words = " ".join(graph.text.split())
        assert words.startswith("✗ blocked: origin s3-assets (s3-rest) → s3://rails-assets-stg")
        assert "s3.policy.oac-sourcearn-mismatch" in words
        for label in ("[✗] s3://rails-assets-stg", "[✗] assets/application-4d5e6f.js", "[✗] page https://"):
            assert label in graph.text
        text = screen_text(app)
        assert "Path ✓ allowed ✗ blocked ? unknown" in text and "✗ blocked: origin s3-assets" in text


async def test_verdict_shows_each_finding_from_its_title(lab, finished):
    """Scrolled down in one finding's details, moving to the next shows the next one from its title."""
    app = EdgewizApp(lab)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_verdict(app, pilot, finished)
        detail = screen.query_one("#detail")
        detail.focus()
        await pilot.press("end")
        await pilot.pause()
        assert detail.scroll_y > 0  # the first finding's details are taller than the pane
        screen.query_one("#findings").focus()
        await pilot.press("down")
        await pilot.pause()
        second = finished[1].root_causes[1]
        assert screen._highlighted_finding().id == second.id
        assert detail.scroll_y == 0
        assert second.title[:30] in screen_text(app).replace("\n", " ")


async def test_copy_fix_puts_the_highlighted_fix_on_the_clipboard(lab, finished):
    """c on the verdict copies the first root cause's fix (the text OSC 52 sends to the terminal)."""
    app = EdgewizApp(lab)
    async with app.run_test(size=SIZE) as pilot:
        await open_verdict(app, pilot, finished)
        await pilot.press("c")
        first = app.screen.diagnosis.root_causes[0]
        assert app.clipboard == first.fix
        assert "put-bucket-policy --bucket rails-assets-stg" in app.clipboard


async def test_export_writes_the_incident_report_in_markdown_and_json(lab, finished, tmp_path):
    """e, a path, Enter: BASE.md (with the Mermaid path and every root cause), BASE.json and BASE.svg
    (the traffic graph) are written."""
    app = EdgewizApp(lab)
    async with app.run_test(size=SIZE) as pilot:
        await open_verdict(app, pilot, finished)
        await pilot.press("e")
        await until(pilot, lambda: type(app.screen).__name__ == "ExportScreen")
        field = app.screen.query_one("#base")
        field.value = str(tmp_path / "incident")
        await pilot.press("enter")
        await until(pilot, lambda: (tmp_path / "incident.json").exists(), what="the report files")
    markdown = (tmp_path / "incident.md").read_text()
    svg = ET.fromstring((tmp_path / "incident.svg").read_text())  # the graph, one more format
    assert any(g.get("class") == "edge hop blocked" for g in svg.iter("{http://www.w3.org/2000/svg}g"))
    assert "```mermaid" in markdown and "flowchart TD" in markdown
    for fid in ROOTS:
        assert f"`{fid}`" in markdown
    data = json.loads((tmp_path / "incident.json").read_text())
    assert data["root_causes"] == ROOTS
    assert data["journal"].endswith(".jsonl")


async def test_back_undoes_the_last_step_and_journals_it(lab):
    """b after a probed step shows that step again, waiting to be run, and the journal records the undo."""
    app = EdgewizApp(lab)
    async with app.run_test(size=SIZE) as pilot:
        await start_walk(pilot)
        await until(pilot, lambda: idle_walk(app) and app.screen.probed)
        await pilot.press("enter")  # to "Find the distribution", which runs at once
        await until(pilot, lambda: idle_walk(app) and app.screen.probed)
        await pilot.press("b")
        await until(pilot, lambda: idle_walk(app) and not app.screen.probed)
        screen = app.screen
        assert screen.action_now.node.id == "locate"
        assert "⏎ run these probes" in screen_text(app)
        events = read_journal(screen.session.journal.path).events
        assert events[-1]["type"] == "back"


async def test_resumed_walk_continues_from_the_journal_to_the_verdict(lab):
    """A walk whose process died after two steps reopens from its journal and still ends on the three causes."""
    first = EdgewizApp(lab)
    async with first.run_test(size=SIZE) as pilot:
        await start_walk(pilot)
        await until(pilot, lambda: idle_walk(first) and first.screen.probed)
        await pilot.press("enter")
        await until(pilot, lambda: idle_walk(first) and first.screen.probed)
        journal = first.screen.session.journal.path
    with open(journal, "ab") as f:
        f.write(b'{"type":"probes","node":"edge_con')  # the write the kill interrupted
    app = EdgewizApp(lab, resume_path=journal)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: idle_walk(app), what="the resumed walk")
        assert app.screen.action_now.node.id == "edge_config"
        await walk_to_verdict(pilot)
        assert [f.id for f in app.screen.diagnosis.root_causes] == ROOTS


async def test_denied_probe_offers_the_manual_route_and_the_walk_goes_on(lab, behind_boundary):
    """When AWS refuses s3:GetBucketPolicy the probe shows denied with the command to look by hand (copied
    with c, noted with m) and the walk still reaches a verdict, with the policy hop unknown."""
    boundary = behind_boundary(refuse=refuse_s3("rails-assets-stg", "policy", "s3:GetBucketPolicy"))
    app = EdgewizApp(lab)
    async with app.run_test(size=SIZE) as pilot:
        await start_walk(pilot)
        for _ in range(10):
            await until(pilot, lambda: idle_walk(app))
            if app.screen.action_now.node.id == "s3_rest_probes" and app.screen.probed:
                break
            await pilot.press("enter")
        status = app.screen.query_one(ProbeStatus)
        assert status.states["aws.bucket_policy"][0] == "denied"
        assert boundary.refused >= 1
        text = screen_text(app)
        assert "! Read the bucket policy  denied" in text  # the probe's word, not the path's ✗
        assert "look by hand: aws s3api" in text
        assert "✗ blocked: s3://rails-assets-stg →" in text  # the graph leads with the hop that is blocked
        graph = app.screen.query_one(PathGraphView).text
        # the hop the denied policy decides is unknown, not ok (further down the scrollable graph)
        assert "[?] s3://rails-assets-stg" in graph and "[✓] s3://" not in graph
        await pilot.press("c")
        assert app.clipboard == "aws s3api get-bucket-policy --bucket rails-assets-stg"
        await pilot.press("m")
        await until(pilot, lambda: type(app.screen).__name__ == "ManualRouteScreen")
        await pilot.press(*"grants only E1OLD", "enter")
        await until(pilot, lambda: idle_walk(app))
        await walk_to_verdict(pilot)
        diagnosis = app.screen.diagnosis
        assert "s3.object-missing" in [f.id for f in diagnosis.root_causes]
        assert any(u.layer == "s3" for u in diagnosis.unknowns)
        assert "Could not check" in screen_text(app)
        events = read_journal(app.screen.session.journal.path).events
        assert {"type": "note", "probe": "aws.bucket_policy", "text": "grants only E1OLD"} in events


async def test_escape_cancels_slow_probes_and_the_walk_goes_on(lab, behind_boundary):
    """With AWS answering slowly, Esc while the distribution is read stops at once: the running probe
    and the one waiting for it come back skipped (cancelled), and Enter still moves the walk on."""
    behind_boundary(delay=1.0)
    app = EdgewizApp(lab)
    async with app.run_test(size=SIZE) as pilot:
        await start_walk(pilot)
        await until(pilot, lambda: idle_walk(app) and app.screen.probed, timeout=60)
        await pilot.press("enter")  # "Find the distribution": aws.distribution, then aws.ecs_env
        status = app.screen.query_one(ProbeStatus)
        await until(pilot, lambda: status.states.get("aws.distribution", ("",))[0] == "running")
        await until(pilot, lambda: "esc Cancel" in screen_text(app), what="the footer to offer Esc")
        await pilot.press("escape")
        await until(pilot, lambda: idle_walk(app) and app.screen.probed, timeout=60)
        for probe in ("aws.distribution", "aws.ecs_env"):
            state, outcome = status.states[probe]
            assert state == "skipped" and outcome.error == "cancelled", probe
        await pilot.press("enter")
        await until(pilot, lambda: idle_walk(app), timeout=60)
        assert app.screen.action_now.node.id != "locate"

"""The TUI's training mode on a real lab (moto server + edge simulator): the brief shows the complaint and
the hint ladder, the wizard's walk runs but its verdict stays hidden until an answer is committed, and the
check then says "works, but unsafe" for a public bucket and "solved" for the scoped fix. The lab panel
shows the endpoints and exports, and the story only after the answer. Fixes are applied with boto3
against the running lab, as the aws CLI would."""

from __future__ import annotations

import json

import boto3
import pytest

from wizard.front import Backend, LaunchOptions
from wizard.tui.train_app import TrainingApp

from .screen import screen_text, until

pytestmark = pytest.mark.lab

EXERCISE = "asset-403-oac-wrong-distribution"
FAULT = "s3.policy.oac-sourcearn-mismatch"
BUCKET = "rails-assets-stg"


def screen_name(app) -> str:
    return type(app.screen).__name__


def lab_ready(app) -> bool:
    return screen_name(app) == "TrainBriefScreen" and app.screen.lab_state == "ready"


def clients(env):
    kwargs = dict(endpoint_url=env.aws_endpoint, region_name=env.region, **env.credentials)
    return boto3.client("s3", **kwargs), boto3.client("cloudfront", **kwargs)


def put_policy(env, statement) -> None:
    s3, cloudfront = clients(env)
    s3.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps({"Version": "2012-10-17", "Statement": [statement]}))
    host = env.symptom.url.split("/")[2]
    dist = next(d for d in cloudfront.list_distributions()["DistributionList"]["Items"] if d["DomainName"] == host)
    cloudfront.create_invalidation(DistributionId=dist["Id"], InvalidationBatch={
        "Paths": {"Quantity": 1, "Items": ["/*"]}, "CallerReference": str(id(statement))})
    return dist["ARN"]


def distribution_arn(env) -> str:
    _, cloudfront = clients(env)
    host = env.symptom.url.split("/")[2]
    return next(d["ARN"] for d in cloudfront.list_distributions()["DistributionList"]["Items"] if d["DomainName"] == host)


async def walk_until(pilot, ends_on: str, seen: list = None) -> None:
    """Press Enter at each step of the walk until the screen named `ends_on` shows; each walk screen
    shown on the way is added to `seen`."""
    app = pilot.app
    for _ in range(40):
        if screen_name(app) == ends_on:
            return
        await until(pilot, lambda: screen_name(app) == ends_on
                    or (screen_name(app) == "WalkScreen" and not app.screen.busy and app.screen.action_now),
                    timeout=60, what="the walk to wait for Enter")
        if screen_name(app) == "WalkScreen":
            if seen is not None:
                seen.append(screen_text(app))
            await pilot.press("enter")
            await pilot.pause(0.05)
    raise AssertionError(f"the walk never ended on {ends_on}\n{screen_text(app)}")


@pytest.fixture
def backend(tmp_path):
    backend = Backend(LaunchOptions(journal_dir=tmp_path))
    yield backend
    backend.close()


def the_record(folder):
    files = sorted(folder.glob("*.json"))
    assert len(files) == 1, files
    return json.loads(files[0].read_text(encoding="utf-8"))


async def test_training_hides_the_verdict_then_checks_an_unsafe_and_a_safe_fix(backend, tmp_path, monkeypatch, capsys):
    """Brief + hint; the walk ends back on the brief without the verdict; the lab panel hides the story;
    a public bucket is "works, but unsafe"; the OAC statement scoped to this distribution is "solved".
    Each step lands in the attempt record the shell flow writes, and `train report` shows it."""
    from wizard.cli import main
    from wizard.training.records import records_dir

    monkeypatch.setenv("EDGEWIZ_STATE_DIR", str(tmp_path / "state"))
    folder = records_dir()
    app = TrainingApp(backend, exercise=EXERCISE, trainee="ada")
    async with app.run_test(size=(110, 34)) as pilot:
        await until(pilot, lambda: lab_ready(app), timeout=90, what="the exercise's lab")
        text = screen_text(app)
        assert "Rails assets on CloudFront answer 403" in text and "0 of 15 min" in text
        assert FAULT not in text and "SourceArn" not in text  # the brief is the complaint, not the cause

        await pilot.press("h")
        await pilot.pause(0.1)
        assert "1. Who answers the 403? Look at the Server header." in screen_text(app)
        assert app.attempt.hints_used == 1

        # The lab panel: endpoints and exports, the story held back.
        env = backend.lab_env
        await pilot.press("L")
        await until(pilot, lambda: screen_name(app) == "LabPanelScreen", what="the lab panel")
        panel = screen_text(app)
        assert env.aws_endpoint in panel and env.edge_address in panel
        assert f"export AWS_ACCESS_KEY_ID={env.credentials['aws_access_key_id']}" in app.screen.exports
        assert "Story: hidden until you commit your answer" in panel and "only the policy is wrong" not in panel
        await pilot.press("escape")

        # The wizard's walk runs, but its verdict does not show: back on the brief.
        await pilot.press("w")
        await until(pilot, lambda: screen_name(app) == "WalkScreen", what="the walk")
        seen: list = []
        await walk_until(pilot, "TrainBriefScreen", seen)
        assert not any(type(s).__name__ == "VerdictScreen" for s in app.screen_stack)
        # Nor does it leak step by step: no check's finding, no path verdict, no root-cause count.
        walked = "\n".join(seen)
        assert "· Would S3 let CloudFront read the object? — ch" in walked  # checked, result held back
        assert "only for another distribution" not in walked and FAULT not in walked
        assert "1 root cause found" not in walked and "root causes found." not in walked  # the done hint
        assert "✗" not in walked and "Path ✓ allowed" not in walked  # no check verdicts, no path pane
        assert app.attempt.walked and not app.attempt.answered

        # The wrong fix: the bucket made public.
        put_policy(env, {"Sid": "Public", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
                         "Resource": f"arn:aws:s3:::{BUCKET}/*"})

        # The answer: the finding ticked after filtering the list, and some words.
        await pilot.press("a")
        await until(pilot, lambda: screen_name(app) == "TrainAnswerScreen", what="the answer form")
        await pilot.press("ctrl+s")  # nothing picked: refused, the form stays
        assert screen_name(app) == "TrainAnswerScreen"
        app.screen.query_one("#answer-filter").focus()
        await pilot.press(*"sourcearn")
        await pilot.pause(0.1)
        app.screen.query_one("#answer-findings").focus()
        await pilot.press("space")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: screen_name(app) == "TrainCheckScreen" and app.screen.result is not None,
                    timeout=60, what="the check")
        text = screen_text(app)
        assert "WORKS, BUT UNSAFE" in text and "works, but" in text and "[bucket-not-public]" in text
        assert f"✓ {FAULT}" in text  # the answer named the fault the lab started with
        record = the_record(folder)
        assert record["exercise"] == EXERCISE and record["trainee"] == "ada" and record["hints_used"] == 1
        assert record["faults"] == [FAULT] and FAULT in record["answer"] and record["checks"] == 1
        assert record["solved"] is False and [u["rule"] for u in record["unsafe"]] == ["bucket-not-public"]

        # Now the story shows in the lab panel.
        await pilot.press("L")
        await until(pilot, lambda: screen_name(app) == "LabPanelScreen", what="the lab panel")
        assert "only the policy is wrong" in screen_text(app)
        await pilot.press("escape")

        # The right fix: the OAC statement scoped to this distribution; k checks again.
        arn = distribution_arn(env)
        put_policy(env, {"Sid": "AllowCloudFrontServicePrincipal", "Effect": "Allow",
                         "Principal": {"Service": "cloudfront.amazonaws.com"}, "Action": "s3:GetObject",
                         "Resource": f"arn:aws:s3:::{BUCKET}/*", "Condition": {"StringEquals": {"AWS:SourceArn": arn}}})
        screen = app.screen
        screen.result = None
        await pilot.press("k")
        await until(pilot, lambda: screen.result is not None, timeout=60, what="the second check")
        text = screen_text(app)
        assert "SOLVED" in text and "faults remaining: none" in text
        record = the_record(folder)
        assert record["solved"] is True and record["unsafe"] == [] and record["checks"] == 2
        assert record["verdict"] == "solved" and record["ended"] >= record["started"]

        # After the answer the wizard's verdict is no longer held back: Esc to the brief, w walks to it.
        await pilot.press("escape")
        await until(pilot, lambda: screen_name(app) == "TrainBriefScreen", what="the brief")
        await pilot.press("w")
        await until(pilot, lambda: screen_name(app) == "WalkScreen", what="the walk")
        await walk_until(pilot, "VerdictScreen")
        assert screen_name(app) == "VerdictScreen" and app.screen.diagnosis.root_causes == []

    # The instructor's summary (after the app: the TUI owns stdout while it runs).
    capsys.readouterr()
    assert main(["train", "report", str(folder)]) == 0
    report = capsys.readouterr().out
    assert "ada" in report and EXERCISE in report and "1 attempt(s), 1 solved, 0 with an unsafe fix" in report

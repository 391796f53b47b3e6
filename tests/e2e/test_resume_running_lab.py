"""`edgewiz resume` rejoins a running `lab up` lab of the journal's scenario instead of building a
fresh one: a trainee's fixes (made with boto3 against the running lab) are what the resumed walk sees."""

from __future__ import annotations

import json
import os
import shlex
import signal
import subprocess
import sys

import boto3
import pytest

from wizard.journal import Journal, read_journal


def _lab_up(env):
    """`edgewiz lab up asset-403-stacked` in its own process: (process, exports, diagnose argv)."""
    proc = subprocess.Popen([sys.executable, "-m", "wizard", "lab", "up", "asset-403-stacked"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    exports, argv = {}, None
    for line in proc.stdout:
        if line.startswith("export "):
            for word in shlex.split(line)[1:]:
                name, _, value = word.partition("=")
                exports[name] = value
        elif line.startswith("edgewiz diagnose"):
            argv = shlex.split(line)
        elif line.startswith("# (Ctrl-C stops the lab)"):
            break
    assert exports and argv, "lab up did not print its exports"
    return proc, exports, argv


def _fix_everything(exports):
    """What a trainee does with the aws CLI, via boto3: the policy names this distribution, CORS is
    set, the missing asset is deployed."""
    session = boto3.session.Session(aws_access_key_id=exports["AWS_ACCESS_KEY_ID"],
                                    aws_secret_access_key=exports["AWS_SECRET_ACCESS_KEY"],
                                    region_name=exports["AWS_REGION"])
    kw = {"endpoint_url": exports["AWS_ENDPOINT_URL"]}
    s3, cloudfront = session.client("s3", **kw), session.client("cloudfront", **kw)
    dists = cloudfront.list_distributions()["DistributionList"]["Items"]
    arn = next(d["ARN"] for d in dists if d["Comment"] == "staging assets")
    s3.put_bucket_policy(Bucket="rails-assets-stg", Policy=json.dumps({
        "Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Principal": {"Service": "cloudfront.amazonaws.com"}, "Action": "s3:GetObject",
            "Resource": "arn:aws:s3:::rails-assets-stg/*", "Condition": {"StringEquals": {"AWS:SourceArn": arn}}}]}))
    s3.put_bucket_cors(Bucket="rails-assets-stg", CORSConfiguration={"CORSRules": [{
        "AllowedHeaders": ["*"], "AllowedMethods": ["GET", "HEAD"], "AllowedOrigins": ["https://app.example.com"]}]})
    s3.put_object(Bucket="rails-assets-stg", Key="assets/application-4d5e6f.js", Body=b"console.log(1)",
                  ContentType="application/javascript")


@pytest.mark.lab
def test_resume_rejoins_the_running_lab_and_sees_the_trainees_fixes(tmp_path):
    env = dict(os.environ, EDGEWIZ_STATE_DIR=str(tmp_path), EDGEWIZ_QUIET="1")
    for name in ("AWS_PROFILE", "AWS_ENDPOINT_URL", "EDGEWIZ_CONNECT_TO"):
        env.pop(name, None)
    proc, exports, argv = _lab_up(env)
    try:
        # An interrupted walk of that scenario: only its start line (nothing replayed, all probed).
        journal = Journal.create({"symptom": {"url": argv[2], "page_url": argv[argv.index("--page") + 1],
                                              "complaint": "403"},
                                  "flow": "edge", "target": {"lab_scenario": "asset-403-stacked"}},
                                 directory=tmp_path / "journals")
        os.chmod(journal.path, 0o600)
        _fix_everything(exports)
        done = subprocess.run([sys.executable, "-m", "wizard", "resume", "--plain", str(journal.path)],
                              input="", capture_output=True, text=True, timeout=180,
                              env=dict(env, EDGEWIZ_QUIET=""))
        assert done.returncode == 0, done.stderr[-2000:]
        end = read_journal(journal.path).events[-1]
        assert end["type"] == "end" and end["root_causes"] == []  # a fresh lab would still have all three
        assert "reconnected to the running lab asset-403-stacked" in done.stdout + done.stderr
        assert "building scenario" not in done.stdout + done.stderr
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0
    assert list((tmp_path / "labs").glob("lab-*.json")) == []  # lab up unregistered its lab as it stopped

"""A hung AWS endpoint (a listener on 127.0.0.1 that accepts and never answers) costs the diagnosis
its deadline, not minutes (issue 10 item 11): `diagnose --timeout` bounds the whole walk, AWS calls
get shorter timeouts and fewer tries as time runs out, and the report names the reads that ran out
of time as unknown. The old code took 152 s here (15 s x 5 tries per probe)."""

from __future__ import annotations

import json
import socket
import threading
import time

import pytest

from wizard.cli import main
from wizard.deadline import Deadline, call_budget

from .servers import Reply

CF_403 = Reply(403, [("Content-Type", "text/html"), ("Server", "CloudFront"), ("X-Cache", "Error from cloudfront"),
                     ("Via", "1.1 abc.cloudfront.net (CloudFront)"), ("X-Amz-Cf-Id", "abc==")], b"AccessDenied", "Forbidden")


@pytest.fixture
def hung_endpoint():
    """A loopback listener that accepts every connection and never sends a byte."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    held, stop = [], threading.Event()

    def accept() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}", held
    stop.set()
    thread.join(timeout=2)
    for conn in held:
        conn.close()
    server.close()


def test_a_hung_endpoint_ends_at_the_deadline_and_names_the_reads(hung_endpoint, scripted, monkeypatch, tmp_path, capsys):
    """With --timeout 4 the diagnosis ends well before the old 152 s, inconclusive, and its unknowns say
    which AWS reads ran out of time. (4 s, not 10: the deadline is what is tested, and the test waits it out.)"""
    endpoint, held = hung_endpoint
    edge = scripted(lambda _seen: CF_403)
    for name, value in {"AWS_ENDPOINT_URL": endpoint, "AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": "x",
                        "AWS_DEFAULT_REGION": "us-east-1", "AWS_CONFIG_FILE": str(tmp_path / "none"),
                        "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "none"), "EDGEWIZ_QUIET": "1",
                        "EDGEWIZ_STATE_DIR": str(tmp_path)}.items():
        monkeypatch.setenv(name, value)
    start = time.monotonic()
    code = main(["diagnose", "https://d111111abcdef8.cloudfront.net/assets/app.js", "--json", "--timeout", "4",
                 "--connect-to", edge.address])
    elapsed = time.monotonic() - start
    report = json.loads(capsys.readouterr().out)
    assert held, "the AWS calls reached the hung listener"
    assert code == 0
    assert elapsed < 40, f"took {elapsed:.0f} s"  # generous: the old code took 152 s
    assert report["result"] == "inconclusive" and report["complete"] is False
    timed_out = [u for u in report["unknowns"] if "ran out of time" in u["reason"]]
    assert timed_out, report["unknowns"]
    said = " ".join(u["reason"] for u in timed_out)
    assert "sts:GetCallerIdentity" in said or "cloudfront:ListDistributions" in said


@pytest.mark.parametrize("value", ["0", "-5", "soon", "nan", "inf"])
def test_a_bad_timeout_is_a_one_line_error(value, capsys):
    with pytest.raises(SystemExit) as exited:
        main(["diagnose", "https://d111111abcdef8.cloudfront.net/a.js", "--timeout", value])
    assert exited.value.code == 2
    assert "positive number of seconds" in capsys.readouterr().err


def test_the_call_budget_shrinks_with_the_time_left():
    """With time to spare: the usual 5 s / 15 s / 5 tries; then fewer tries and shorter reads, never
    more than fits in the time left."""
    assert call_budget(75) == call_budget(600) and call_budget(75).attempts == 5 and call_budget(75).read_timeout == 15
    for left in (60, 30, 10, 5, 1, 0):
        budget = call_budget(left)
        assert budget.attempts * budget.read_timeout <= max(left, 1)
    assert Deadline(0).expired

"""Every output channel goes through the one cleaning path, untrusted.sanitize / sanitize_data /
to_json (issue 10, item 7): hostile text (OSC 52, CSI, C1 CSI, bidi overrides, markup) and secrets
(signed-URL parameters, a session token, a URL password) fed through each channel come out with no
control character and no secret.

Two halves keep a new channel from skipping it:
- CHANNELS, the registry: one entry per channel, each fed hostile text through the real code
  path. The renderer functions an entry names are the only calls, besides the cleaners, that the
  second half accepts at a write site — so using a new renderer means registering (and testing) it.
- test_every_write_site_goes_through_the_cleaner reads the product's source: every print(),
  write to stdout/stderr/a stream, write_text(), os.write() and notify() must write a string
  constant, a cleaner's result, or a registered renderer's; notify() must pass markup=False.
"""

from __future__ import annotations

import ast
import asyncio
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Dict, List, Tuple

import pytest

from wizard.cli import main

from .conftest import lab_credentials, trust_scenario
from .hostile import BIDI, C1_CSI, CLEAR, HOSTILE, OSC52, unsafe_characters
from .servers import Reply

WIZARD = Path(__file__).resolve().parents[2] / "wizard"
# The last one is a secret the walk learnt (like a Referer secret): registered on the session's Redactor.
REGISTERED = "referer_SECRET_value_0123"
SECRETS = ("sigSECRET0123456789", "tokSECRET0123456789", "hunter2pass", "AKIACHANNELLEAK00001", "atSECRET0123456789",
           REGISTERED)
SIGNED_URL = ("http://user:hunter2pass@d111111abcdef8.cloudfront.net/assets/app.js?Expires=1700000000"
              "&Signature=sigSECRET0123456789&X-Amz-Security-Token=tokSECRET0123456789"
              "&X-Amz-Credential=AKIACHANNELLEAK00001%2F20240101&access_token=atSECRET0123456789")
HOSTILE_TEXT = f"{HOSTILE} see {SIGNED_URL} [incident] Referer: {REGISTERED}"


def _answer(seen):
    """CloudFront passing on an S3 403, every header and the body poisoned, a signed URL in Location."""
    body = (f"<Error><Code>AccessDenied{HOSTILE}</Code><Message>{HOSTILE_TEXT}</Message></Error>").encode()
    return Reply(403, [("Server", ("AmazonS3 " + HOSTILE).encode()), ("Content-Type", "application/xml"),
                       ("X-Cache", ("Error from cloudfront " + HOSTILE).encode()),
                       ("Via", "1.1 0123456789abcdef.cloudfront.net (CloudFront)"),
                       ("X-Amz-Cf-Id", HOSTILE_TEXT.encode()), ("Location", SIGNED_URL)], body, "Forbidden")


@dataclass
class Ctx:
    """What the channels are fed from: one walk against a hostile loopback server."""

    session: Any
    diagnosis: Any
    tmp: Path
    capsys: Any


@pytest.fixture
def ctx(scripted, tmp_path, capsys, monkeypatch):
    from wizard.diagnose import auto_answer
    from wizard.engine.facts import Symptom
    from wizard.http.client import HttpProber
    from wizard.probes.runner import ProbeRunner
    from wizard.walk_session import Target, WalkSession

    monkeypatch.delenv("EDGEWIZ_QUIET", raising=False)
    monkeypatch.setenv("EDGEWIZ_STATE_DIR", str(tmp_path / "state"))
    server = scripted(_answer)
    runner = ProbeRunner(None, HttpProber(connect_to={"*": server.address}))
    try:
        session = WalkSession(Symptom(url=SIGNED_URL, page_origin="http://app.example.com"), runner,
                              Target(no_aws=True), journal_dir=tmp_path / "journals")
        session.redactor.add_secret(REGISTERED)
        diagnosis = session.run_to_end(auto_answer)
    finally:
        runner.close()
    capsys.readouterr()
    return Ctx(session, diagnosis, tmp_path, capsys)


def _strings(obj: Any) -> str:
    """Every string in decoded JSON, keys too: what `jq -r` would print."""
    if isinstance(obj, str):
        return obj + "\n"
    if isinstance(obj, dict):
        return "".join(_strings(k) + _strings(v) for k, v in obj.items())
    if isinstance(obj, list):
        return "".join(_strings(v) for v in obj)
    return ""


# The channels ---------------------------------------------------------------------------------------


def text_report(c: Ctx) -> str:
    from wizard.report import text_report

    return text_report.render(c.diagnosis, c.session.redactor, width=100)


def json_report(c: Ctx) -> str:
    from wizard.report import json_report

    out = json_report.render(c.diagnosis, c.session.redactor)
    return out + _strings(json.loads(out))


def markdown_report(c: Ctx) -> str:
    from wizard.report import markdown_report

    md, js = markdown_report.export(c.diagnosis, c.tmp / "report", c.session.redactor,
                                    notes=[("http.viewer", HOSTILE_TEXT)])
    return md.read_text() + js.read_text() + _strings(json.loads(js.read_text()))


def svg_graph(c: Ctx) -> str:
    from wizard.report import graph_svg

    return graph_svg.render(c.diagnosis.graph, c.session.redactor, title=HOSTILE_TEXT)


def stderr_progress(c: Ctx) -> str:
    from wizard.commands.common import progress

    progress(f"diagnosing {SIGNED_URL}{HOSTILE}")
    return c.capsys.readouterr().err


def journal(c: Ctx) -> str:
    c.session.journal.append({"type": "note", "probe": "http.viewer", "text": HOSTILE_TEXT})
    return c.session.journal.path.read_text(encoding="utf-8")  # what `cat` or `less` shows


def lab_up(c: Ctx) -> str:
    from wizard.commands.lab_cmd import up_text
    from wizard.engine.facts import Symptom
    from wizard.lab.lab import LabEnv

    scenario = trust_scenario("hostile-lab-up")
    scenario.story += "\n" + HOSTILE_TEXT
    env = LabEnv("http://127.0.0.1:5000", "127.0.0.1:5001", scenario.region,
                 Symptom(url="http://assets.example.test/a" + HOSTILE + ".js"), lab_credentials())
    return up_text(scenario, env)


def _hostile_log(c: Ctx) -> Path:
    from tests.e2e.test_logs_cli import cloudfront_log, entry

    bad = entry(504, "OriginError" + HOSTILE, 10.02, "54.249.34.116", "/job/" + HOSTILE_TEXT.replace(" ", "+"))
    bad["x-host-header"] = "www.example.com" + HOSTILE
    path = c.tmp / "E2EXAMPLE.2025-08-28-05.hostile"
    path.write_text(cloudfront_log([bad, entry(504, "OriginError", 10.0, "1.2.3.4")]))
    return path


def logs_text(c: Ctx) -> str:
    assert main(["logs", str(_hostile_log(c))]) == 0
    return c.capsys.readouterr().out


def logs_json(c: Ctx) -> str:
    assert main(["logs", str(_hostile_log(c)), "--json"]) == 0
    out = c.capsys.readouterr().out
    return out + _strings(json.loads(out))


def plain_mode(c: Ctx) -> str:
    from wizard.plain.output import Output

    stream = io.StringIO()
    out = Output(stream, c.session.redactor)
    out.say(HOSTILE_TEXT)
    out.wrapped(HOSTILE_TEXT, "  ")
    return stream.getvalue()


def cli_error(c: Ctx) -> str:
    assert main(["resume", f"/nonexistent/{HOSTILE_TEXT}"]) == 2
    return c.capsys.readouterr().err


def tui_notification(c: Ctx) -> str:
    from textual.app import App
    from textual.widgets import Static
    from textual.widgets._toast import Toast

    from wizard.tui.display import toast

    class One(App):
        def compose(self):
            yield Static("x")

    async def run() -> str:
        app = One()
        async with app.run_test(notifications=True) as pilot:
            toast(app, HOSTILE_TEXT, severity="error", redactor=c.session.redactor)
            await pilot.pause(0.2)
            return "\n".join(str(t.render()) for t in app.screen.query(Toast))

    shown = asyncio.run(run())
    assert "[incident]" in shown  # drawn, as written
    return shown


@dataclass(frozen=True)
class Channel:
    produce: Callable[[Ctx], str]
    renderers: Tuple[str, ...] = ()  # write-site calls this channel's test proves clean ("module.function")
    walk: bool = True  # has the walk's Redactor (so also the secrets it learnt); False: outside a walk


CHANNELS: Dict[str, Channel] = {
    "text report": Channel(text_report, ("text_report.render",)),
    "JSON report": Channel(json_report, ("json_report.render",)),
    "Markdown report": Channel(markdown_report, ("markdown_report.render",)),
    "SVG graph": Channel(svg_graph, ("graph_svg.render",)),
    "stderr progress": Channel(stderr_progress, walk=False),
    "journal": Channel(journal),
    "lab up": Channel(lab_up, ("lab_cmd.up_text",), walk=False),
    "logs text": Channel(logs_text, ("logs_cmd.render",), walk=False),
    "logs JSON": Channel(logs_json, walk=False),
    "plain mode": Channel(plain_mode),
    "CLI error line": Channel(cli_error, walk=False),
    "TUI notifications": Channel(tui_notification),
}


@pytest.mark.parametrize("name", sorted(CHANNELS))
def test_hostile_text_comes_out_of_every_channel_inert_and_redacted(name, ctx):
    """Fed the hostile server's answers (and hostile text where the channel takes text), the
    channel's output has no ESC/C1/bidi control and none of the secrets."""
    channel = CHANNELS[name]
    out = channel.produce(ctx)
    assert out.strip()
    assert unsafe_characters(out) == []
    expected = SECRETS if channel.walk else tuple(s for s in SECRETS if s != REGISTERED)
    assert [s for s in expected if s in out] == []


# Write sites ----------------------------------------------------------------------------------------

CLEANERS = {"sanitize", "sanitize_data", "to_json"}
# Network servers inside the lab write HTTP responses, not terminal output.
NOT_OUTPUT = ("lab/edge/", "lab/aws_server.py", "lab/moto_patches/")


def _dotted(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    return "?"


class _Checker:
    def __init__(self, module: str, renderers: set) -> None:
        self.module = module
        self.renderers = renderers

    def clean(self, node: ast.AST, assigns: Dict[str, List[ast.AST]]) -> bool:
        if isinstance(node, ast.Constant):
            return isinstance(node.value, str)
        if isinstance(node, ast.JoinedStr):  # an f-string with nothing interpolated
            return all(isinstance(v, ast.Constant) for v in node.values)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            return self.clean(node.left, assigns) and self.clean(node.right, assigns)
        if isinstance(node, ast.IfExp):
            return self.clean(node.body, assigns) and self.clean(node.orelse, assigns)
        if isinstance(node, ast.Name):
            values = assigns.get(node.id) or []
            return bool(values) and all(self.clean(v, assigns) for v in values)
        if isinstance(node, ast.Call):
            name = _dotted(node.func)
            last = name.rsplit(".", 1)[-1]
            if last in CLEANERS:
                return True
            if last == "encode" and isinstance(node.func, ast.Attribute):
                return self.clean(node.func.value, assigns)
            if last == "dumps" and node.args:  # json.dumps of data a cleaner already produced
                return self.clean(node.args[0], assigns)
            qualified = name if "." in name else f"{self.module}.{name}"
            return qualified in self.renderers
        return False


def _write_sites(tree: ast.AST):
    """(function's assignments, call, written expression) for each output-writing call."""
    for func in [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))]:
        assigns: Dict[str, List[ast.AST]] = {}
        for node in ast.walk(func):
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        assigns.setdefault(target.id, []).append(node.value)
        for node in ast.walk(func):
            if not isinstance(node, ast.Call):
                continue
            name = _dotted(node.func)
            receiver, _, method = name.rpartition(".")
            if name == "print":
                for arg in node.args:
                    yield assigns, node, arg
            elif method == "write" and any(w in receiver for w in ("stdout", "stderr", "stream")):
                yield assigns, node, node.args[0]
            elif method == "write_text" or name == "os.write":
                yield assigns, node, node.args[-1] if name == "os.write" else node.args[0]
            elif method == "notify":
                yield assigns, node, node.args[0]


def _violations(source: str, module: str, renderers: set) -> List[str]:
    checker = _Checker(module, renderers)
    found = []
    seen = set()
    for assigns, call, written in _write_sites(ast.parse(source)):
        if id(written) in seen:
            continue
        seen.add(id(written))
        if not checker.clean(written, assigns):
            found.append(f"line {call.lineno}: {ast.unparse(call)[:100]}")
        if _dotted(call.func).endswith("notify") and not any(
                k.arg == "markup" and isinstance(k.value, ast.Constant) and k.value.value is False
                for k in call.keywords):
            found.append(f"line {call.lineno}: notify() without markup=False")
    return found


def _renderers() -> set:
    return {r for channel in CHANNELS.values() for r in channel.renderers}


def test_every_write_site_goes_through_the_cleaner():
    """No print/stdout/stderr/stream write, write_text, os.write or notify in wizard/ writes text
    that did not come from a cleaner or a renderer the registry tests."""
    problems = []
    for path in sorted(WIZARD.rglob("*.py")):
        rel = path.relative_to(WIZARD).as_posix()
        if rel.startswith(NOT_OUTPUT):
            continue
        problems += [f"wizard/{rel} {v}" for v in _violations(path.read_text(), path.stem, _renderers())]
    assert problems == []


@pytest.mark.parametrize("snippet", [
    "import sys\ndef f(x):\n    print(f'… {x}', file=sys.stderr)\n",
    "import sys\ndef f(x):\n    sys.stdout.write(json.dumps(x) + '\\n')\n",
    "def f(self, p):\n    self.notify(f'Wrote {p}')\n",
    "def f(self, p):\n    self.notify(sanitize(f'Wrote {p}'))\n",
    "def f(p, d):\n    p.write_text(unregistered_render(d))\n",
    "def f(x):\n    line = str(x)\n    print(line)\n",
])
def test_the_write_site_check_catches_a_site_that_skips_the_cleaner(snippet):
    """The source check is not vacuous: each of these writes untrusted text around the cleaner."""
    assert _violations(snippet, "example", _renderers()) != []


def test_the_write_site_check_accepts_the_cleaner():
    ok = ("import sys\ndef f(self, x, d):\n    print(sanitize(f'… {x}'), file=sys.stderr)\n"
          "    sys.stdout.write(to_json(x) + '\\n')\n    self.notify(sanitize(x), markup=False)\n"
          "    line = sanitize_data(x)\n    print(json.dumps(line))\n    sys.stdout.write(text_report.render(d))\n")
    assert _violations(ok, "example", _renderers()) == []


def test_hostile_pieces_are_what_the_channels_are_fed():
    """The hostile text holds each attack the issue names (a test of the test's input)."""
    for piece in (OSC52, CLEAR, C1_CSI, BIDI):
        assert piece in HOSTILE_TEXT

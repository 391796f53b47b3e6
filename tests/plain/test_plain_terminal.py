"""Plain mode as a person at a 60-column dumb terminal meets it (`edgewiz --plain --lab
asset-403-stacked` on a pseudo-terminal, TERM=dumb): it waits for Enter between steps, offers copy /
export / re-check / quit after the verdict, folds its lines at spaces to 60 columns, and prints no
escape byte. Piped or with --no-pause it neither waits nor asks."""

from __future__ import annotations

import os
import re
import select
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Dict, Iterator, List, Tuple

import pytest

from tests.e2e.test_cli_environment import env_for

PAUSE = "[Enter for the next step]"
WIDTH = 60


class Terminal:
    """edgewiz on a pseudo-terminal 60 columns wide; answers each prompt once the output has gone quiet
    on it, from `menu` at "What next?" and the export question, Enter elsewhere."""

    def __init__(self, tmp_path: Path, args: List[str], menu: List[str], **env: str) -> None:
        self.master, slave = os.openpty()
        self.proc = subprocess.Popen([sys.executable, "-m", "wizard", *args], stdin=slave, stdout=slave, stderr=slave,
                                     env=env_for(tmp_path, **{"TERM": "dumb", "COLUMNS": str(WIDTH), **env}),
                                     cwd=tmp_path, start_new_session=True)
        os.close(slave)
        self.menu: Iterator[str] = iter(menu)
        self.seen = b""
        self.prompts: List[Tuple[str, str]] = []  # (the text before the prompt, what was typed)

    def run(self, timeout: float = 240) -> str:
        answered = 0
        deadline = time.monotonic() + timeout  # a guard against a hang, not a timing assertion
        try:
            while time.monotonic() < deadline:
                ready, _, _ = select.select([self.master], [], [], 0.3)
                if ready:
                    try:
                        chunk = os.read(self.master, 65536)
                    except OSError:
                        break
                    if not chunk:
                        break
                    self.seen += chunk
                    continue
                if self.proc.poll() is not None:
                    break
                tail = self.seen[answered:].decode("utf-8", "replace")
                if re.search(r"(\]|:|>) $", tail):  # quiet, and the last thing printed is a prompt
                    reply = next(self.menu, "4") if ("What next?" in tail or "Write the report" in tail) else ""
                    self.prompts.append((tail, reply))
                    os.write(self.master, reply.encode() + b"\n")
                    answered = len(self.seen)
            self.proc.wait(timeout=30)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait()
            os.close(self.master)
        text = self.seen.decode("utf-8", "replace")
        assert self.proc.returncode == 0, text[-3000:]
        return text.replace("\r\n", "\n")


def _exempt(lines: List[str]) -> Dict[int, str]:
    """Lines allowed past the width: commands (a report's Fix: section, the copy block, a prompt's
    echoed default) and a single token that has no space to break at (an ARN, a URL)."""
    out: Dict[int, str] = {}
    in_fix = in_block = False
    for i, line in enumerate(lines):
        if line.startswith("    Fix:"):
            in_fix = True
        elif in_fix and (line.startswith("    Docs:") or not line.startswith("      ")):
            in_fix = False
        if line.startswith("-" * 20):
            in_block = not in_block
        if in_fix or in_block or line.startswith("-" * 20) or " " not in line.strip() or line.startswith("  ["):
            out[i] = line
    return out


@pytest.mark.lab
def test_a_person_at_a_dumb_60_column_terminal_pauses_copies_exports_rechecks_and_quits(tmp_path):
    """Enter between steps; at the end copy (the fixes in one block), export (.md and .json written),
    re-check (a new walk and what changed), quit; every prose line fits 60 columns, words whole;
    no escape byte anywhere."""
    base = tmp_path / "incident"
    term = Terminal(tmp_path, ["--plain", "--lab", "asset-403-stacked"], ["1", "2", str(base), "3", "4"])
    text = term.run()
    assert "\x1b" not in text

    # It waits: each pause is the last thing printed until Enter, and comes before the next step.
    pauses = [before for before, _ in term.prompts if before.rstrip().endswith(PAUSE)]
    assert len(pauses) >= 3
    first = text.index(PAUSE)
    assert text.index("── 1. ") < first < text.index("── 2. ")
    assert "[Enter for the verdict]" in text
    assert text.index("[Enter for the verdict]") < text.index("3 root causes")

    # The end menu, numbered (no arrow keys on a dumb terminal), offered again after each action.
    assert text.count("What next?") == 4
    assert "  1) Copy: print the fix commands in one block" in text
    rulers = [m.start() for m in re.finditer(r"^-{40,}$", text, re.M)]
    assert len(rulers) == 2
    block = text[rulers[0]:rulers[1]]
    assert "aws s3api put-bucket-policy --bucket rails-assets-stg --policy file://policy.json" in block
    assert "put-bucket-cors" in block and "s3.policy.oac-sourcearn-mismatch" not in block
    markdown = (tmp_path / "incident.md").read_text()
    assert markdown.startswith("#")
    # The export speaks the same words: probes ran / skipped with what they found, branches in words.
    assert "| `aws.bucket_cors` | ran |" in markdown and "| no CORS configuration |" in markdown
    assert "an error status (4xx) from here" in markdown and "error-403" not in markdown
    assert '"root_causes"' in (tmp_path / "incident.json").read_text()
    flat = " ".join(text.split())  # the words as a person reads them, whatever the line breaks
    assert f"Wrote {base}.md and {base}.json" in flat
    assert "What changed since the last check:" in text
    assert "- Still there: Bucket policy of rails-assets-stg grants CloudFront only for another distribution" in flat
    assert text.count("Journal:") >= 3  # the walk's (start, end) and the re-check's new journal

    # Word-aware wrapping at 60 columns: prose never passes the width, and words are never cut.
    lines = text.split("\n")
    allowed = _exempt(lines)
    too_wide = [line for i, line in enumerate(lines) if len(line) > WIDTH and i not in allowed]
    assert too_wide == []
    assert any(len(line) > 45 for line in lines)  # the check above is about real lines, not empty ones
    assert "The browser's console often says \"CORS\" when the real answer was a 403" in flat
    assert "rails-assets-stg" in text and "rails-assets-\n" not in text  # no break at a hyphen


def test_piped_stdin_neither_waits_nor_offers_the_end_menu(tmp_path, prompts, closed_port):
    """stdin not a terminal: the walk runs through to its verdict with no pause and no menu."""
    import io

    from wizard.front import Backend, LaunchOptions
    from wizard.plain import run_plain

    prompts()
    backend = Backend(LaunchOptions(journal_dir=tmp_path, no_aws=True, url=f"http://127.0.0.1:{closed_port}/a.js"))
    out = io.StringIO()
    try:
        status = run_plain(backend, interactive=False, stream=out, pause=True, stdin=io.StringIO(""))
    finally:
        backend.close()
    assert status == 0
    assert "Enter for" not in out.getvalue() and "What next?" not in out.getvalue()
    assert "Stopped: the URL is unreachable from here" in out.getvalue() or "Path:" in out.getvalue()


@pytest.mark.lab
def test_no_pause_on_a_terminal_runs_straight_to_the_verdict(tmp_path):
    """`edgewiz --no-pause` (alias --yes) at a terminal: questions still asked, no Enter between
    steps, no end menu: a script driving a terminal gets the old behaviour."""
    # The two runs are independent (a home and a lab each), so they run side by side: each spends
    # most of its time waiting on its own lab and on the quiet before each prompt.
    terms = {}
    for flag in ("--no-pause", "--yes"):
        home = tmp_path / flag.strip("-")
        home.mkdir()
        terms[flag] = Terminal(home, [flag, "--plain", "--lab", "asset-403-stacked"], [])
    with ThreadPoolExecutor(max_workers=len(terms)) as pool:
        texts = dict(zip(terms, pool.map(Terminal.run, terms.values())))
    for flag, text in texts.items():
        assert "What do you see?" in text, flag
        assert "Enter for" not in text and "What next?" not in text, flag
        assert "3 root causes, in the order the request meets them" in text, flag


def test_ctrl_d_at_a_pause_stops_the_walk_with_the_resume_hint(tmp_path, prompts, closed_port):
    """End of input at "Enter for the next step" stops like Ctrl-C at a question: exit 130, the
    journal says cancelled (so `edgewiz resume` picks it up), and the next step never starts."""
    import io

    from wizard.front import Backend, LaunchOptions
    from wizard.journal import read_journal
    from wizard.plain import run_plain

    prompts({"The failing URL": f"http://127.0.0.1:{closed_port}/a.js"})
    backend = Backend(LaunchOptions(journal_dir=tmp_path, no_aws=True))
    out = io.StringIO()
    try:
        status = run_plain(backend, interactive=True, stream=out, pause=True, stdin=io.StringIO(""))
    finally:
        backend.close()
    text = out.getvalue()
    assert status == 130
    assert PAUSE in text and "── 2." not in text
    assert "edgewiz resume" in text
    (path,) = sorted(tmp_path.glob("walk-*.jsonl"))
    assert [e["type"] for e in read_journal(path).events][-1] == "cancelled"

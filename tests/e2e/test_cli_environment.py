"""The command line where incidents happen: an install without the lab extra, a closed stdin, a dumb
terminal, no AWS credentials, --no-aws, shell completion and the version line for bug reports.
Each runs the real `edgewiz` in a subprocess; only the environment around it is arranged."""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
import time
from pathlib import Path
from typing import Dict, List, Optional

import pytest

NO_CREDENTIALS = {
    # No key, no profile, no config or credentials file, and no instance metadata: botocore finds
    # nothing and never leaves the machine looking.
    "AWS_EC2_METADATA_DISABLED": "true", "AWS_CONFIG_FILE": "/nonexistent/config",
    "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent/credentials", "AWS_DEFAULT_REGION": "us-east-1",
}


def env_for(tmp_path: Path, **extra: str) -> Dict[str, str]:
    return {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "EDGEWIZ_STATE_DIR": str(tmp_path / "state"),
            "EDGEWIZ_QUIET": "1", **NO_CREDENTIALS, **extra}


def edgewiz(tmp_path: Path, *args: str, prefix: Optional[List[str]] = None, **extra: str) -> subprocess.CompletedProcess:
    command = (prefix or [sys.executable, "-m", "wizard"]) + list(args)
    return subprocess.run(command, capture_output=True, text=True, timeout=180, env=env_for(tmp_path, **extra),
                          cwd=tmp_path, stdin=subprocess.DEVNULL)


# The lab extra ---------------------------------------------------------------------------------

# Run edgewiz in an interpreter where `moto` cannot be imported, as on an install without the extra:
# a finder placed first on sys.meta_path refuses it (our code is not touched).
WITHOUT_MOTO = """
import sys
class NoMoto:
    def find_spec(self, name, path=None, target=None):
        if name == "moto" or name.startswith("moto."):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None
sys.meta_path.insert(0, NoMoto())
from wizard.cli import main
sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.parametrize("args", [("lab", "run", "asset-403-stacked"), ("lab", "up", "asset-403-stacked"),
                                  ("--plain", "--lab", "asset-403-stacked")])
def test_the_lab_without_its_extra_says_which_extra_to_install(tmp_path, args):
    """Without moto, every way into the lab says to install the 'lab' extra (pipx and pip), exit 2."""
    out = edgewiz(tmp_path, *args, prefix=[sys.executable, "-c", WITHOUT_MOTO])
    assert out.returncode == 2, out.stderr
    assert "the lab needs the optional 'lab' extra" in out.stderr
    assert "pipx inject edgewiz 'moto[server]==" in out.stderr and "pip install 'edgewiz[lab]'" in out.stderr
    assert "ModuleNotFoundError" not in out.stderr and "Traceback" not in out.stderr


def test_the_rest_works_without_the_lab_extra(tmp_path):
    """Only the lab needs moto: listing scenarios and printing the IAM policy work without it."""
    assert edgewiz(tmp_path, "lab", "list", prefix=[sys.executable, "-c", WITHOUT_MOTO]).returncode == 0
    out = edgewiz(tmp_path, "iam-policy", prefix=[sys.executable, "-c", WITHOUT_MOTO])
    assert out.returncode == 0 and json.loads(out.stdout)["Statement"]


# A closed stdin --------------------------------------------------------------------------------

def closed_stdin(*args: str) -> List[str]:
    """The command run by a shell with stdin closed (`<&-`), as some schedulers start jobs."""
    return ["bash", "-c", 'exec "$0" -m wizard "$@" <&-', sys.executable, *args]


def test_plain_mode_with_stdin_closed_is_one_clear_line(tmp_path):
    """`edgewiz --plain <&-` with nothing to diagnose: it says stdin is not a terminal and what to
    pass instead, exit 2; no AttributeError."""
    out = subprocess.run(closed_stdin("--plain"), capture_output=True, text=True, timeout=60,
                         env=env_for(tmp_path), cwd=tmp_path)
    assert out.returncode == 2, out.stderr
    assert "stdin is not a terminal" in out.stdout
    assert "no URL to diagnose" in out.stderr
    assert "AttributeError" not in out.stderr and "Traceback" not in out.stderr


@pytest.mark.lab
def test_a_lab_walk_with_stdin_closed_takes_the_defaults(tmp_path):
    """`edgewiz --plain --lab NAME <&-` walks with every default and prints the verdict, exit 0."""
    out = subprocess.run(closed_stdin("--plain", "--lab", "asset-403-stacked"), capture_output=True, text=True,
                         timeout=180, env=env_for(tmp_path), cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert "stdin is not a terminal" in out.stdout
    assert "3 root causes, in the order the request meets them" in out.stdout


# A dumb terminal -------------------------------------------------------------------------------

def run_in_terminal(tmp_path: Path, args: List[str], term: str, typed: bytes, timeout: float = 150) -> bytes:
    """Run edgewiz on a pseudo-terminal with TERM=`term`, `typed` waiting as keyboard input; all it printed."""
    master, slave = os.openpty()
    env = env_for(tmp_path, TERM=term, COLUMNS="100", LINES="30")
    proc = subprocess.Popen([sys.executable, "-m", "wizard", *args], stdin=slave, stdout=slave, stderr=slave,
                            env=env, cwd=tmp_path, start_new_session=True)
    os.close(slave)
    os.write(master, typed)
    seen = b""
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 0.2)
            if ready:
                try:
                    chunk = os.read(master, 65536)
                except OSError:  # the child closed the terminal
                    break
                if not chunk:
                    break
                seen += chunk
            elif proc.poll() is not None:
                break
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        os.close(master)
    assert proc.returncode == 0, seen.decode(errors="replace")[-2000:]
    return seen


@pytest.mark.lab
def test_a_dumb_terminal_gets_numbered_choices_and_no_escape_codes(tmp_path):
    """TERM=dumb: plain mode asks with numbered choices (Enter takes the suggestion), and nothing it
    prints carries an escape sequence, from the first question to the verdict."""
    seen = run_in_terminal(tmp_path, ["--lab", "asset-403-stacked"], "dumb", b"\n" * 30)
    text = seen.decode("utf-8", errors="replace")
    assert "\x1b" not in text
    assert "What do you see?" in text and "  1) 403 Forbidden" in text and "Choose 1-4" in text
    assert "The failing URL" in text
    assert "3 root causes, in the order the request meets them" in text  # Enter everywhere: the verdict


@pytest.mark.lab
def test_a_number_picks_that_choice_on_a_dumb_terminal(tmp_path):
    """Typing 2 at the first question picks its second choice (a CORS error), as the intake then shows."""
    seen = run_in_terminal(tmp_path, ["--lab", "asset-403-stacked"], "dumb", b"9\n2\n" + b"\n" * 30)
    text = seen.decode("utf-8", errors="replace")
    assert "Type a number from 1 to 4" in text  # 9 is refused and asked again
    assert "\x1b" not in text


# sg-refs without credentials -------------------------------------------------------------------

@pytest.mark.parametrize("extra", [(), ("--json",)])
def test_sg_refs_without_credentials_says_only_that_it_could_not_read(tmp_path, extra):
    """No credentials: one line that the group could not be read and why, exit 2, nothing on stdout:
    no "(does not exist)", no "No rule ... names it", no "Attached to nothing"."""
    out = edgewiz(tmp_path, "sg-refs", "sg-0123456789abcdef0", *extra)
    assert out.returncode == 2
    assert out.stdout == ""
    assert "could not read sg-0123456789abcdef0 in us-east-1" in out.stderr
    assert "No AWS credentials were found" in out.stderr
    assert "does not exist" not in out.stderr and "Traceback" not in out.stderr


def test_sg_refs_help_documents_the_exit_status(tmp_path):
    """`edgewiz sg-refs --help` says what exit 2 means for it."""
    out = edgewiz(tmp_path, "sg-refs", "--help")
    assert out.returncode == 0 and "exit status" in out.stdout and "could not be read" in out.stdout


# --no-aws ---------------------------------------------------------------------------------------

def test_no_aws_says_aws_was_not_read(tmp_path, closed_port):
    """`diagnose URL --no-aws` ends by saying AWS was not read, not that credentials failed, and
    promises no probe error that never comes."""
    out = edgewiz(tmp_path, "diagnose", f"http://127.0.0.1:{closed_port}/app.js", "--no-aws")
    assert out.returncode == 0, out.stderr
    assert "AWS was not read (--no-aws)" in out.stdout
    assert "with these credentials" not in out.stdout and "error below" not in out.stdout
    report = json.loads(edgewiz(tmp_path, "diagnose", f"http://127.0.0.1:{closed_port}/app.js", "--no-aws",
                                "--json").stdout)
    assert (report["result"], report["end"]["node"], report["aws_calls"]) == ("inconclusive", "end_aws_not_asked", 0)


# Completion and version ------------------------------------------------------------------------

@pytest.mark.parametrize("shell,marker,flag", [("bash", "complete -o", "--no-aws"),
                                               ("zsh", "#compdef edgewiz", "--no-aws"),
                                               ("fish", "complete -c edgewiz", "-l no-aws")])
def test_completion_scripts_know_the_commands(tmp_path, shell, marker, flag):
    """`edgewiz completion SHELL` prints a script for that shell naming every command and a flag."""
    out = edgewiz(tmp_path, "completion", shell)
    assert out.returncode == 0, out.stderr
    assert marker in out.stdout and flag in out.stdout
    for word in ("diagnose", "lab", "sg-refs", "iam-policy", "logs", "resume", "completion"):
        assert word in out.stdout


def test_the_bash_completion_script_is_valid_bash(tmp_path):
    """bash accepts the generated script (sourcing it defines the completion function)."""
    script = tmp_path / "edgewiz.bash"
    script.write_text(edgewiz(tmp_path, "completion", "bash").stdout)
    out = subprocess.run(["bash", "-c", f"source {script} && complete -p edgewiz"], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert "edgewiz" in out.stdout


def test_version_names_edgewiz_python_and_the_libraries(tmp_path):
    """`edgewiz --version`: what a bug report needs, one fact per line."""
    from importlib import metadata

    import wizard

    out = edgewiz(tmp_path, "--version")
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith(f"edgewiz {wizard.__version__}\n")
    assert f"Python {sys.version.split()[0]}" in out.stdout
    for name in ("boto3", "botocore", "textual"):
        assert f"{name} {metadata.version(name)}" in out.stdout

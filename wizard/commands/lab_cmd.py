"""Provides `edgewiz lab list|run|up`: the embedded lab, for practice, training and tests."""

from __future__ import annotations

import sys

from ..untrusted import sanitize
from . import svg_out
from .common import CliError, progress, wait_until_stopped


def register(sub) -> None:
    lab = sub.add_parser("lab", help="the embedded lab: built-in incidents on a local AWS emulator",
                         description="Run incident scenarios locally (no AWS account needed).")
    labsub = lab.add_subparsers(dest="lab_command", metavar="{list,run,up}")
    labsub.required = True
    p = labsub.add_parser("list", help="the built-in scenarios, one line each")
    p.set_defaults(func=run_list)
    p = labsub.add_parser("run", help="start the lab, diagnose the scenario's symptom, print the verdict, stop")
    p.add_argument("scenario", help="a built-in scenario name, or a path to a scenario .yaml")
    p.add_argument("--json", action="store_true", help="print the JSON report")
    p.add_argument("--graph", action="store_true", help="print the traffic path as a diagram before the report")
    svg_out.add_option(p)
    p.set_defaults(func=run_run)
    p = labsub.add_parser("up", help="start the lab and keep it running (prints how to point the aws CLI at it)")
    p.add_argument("scenario", help="a built-in scenario name, or a path to a scenario .yaml")
    p.set_defaults(func=run_up)


def _lab_imports():
    try:
        from ..lab.lab import Lab
        from ..lab.scenario import ScenarioError, builtin_scenarios, load_scenario
    except ImportError as exc:
        raise CliError(f"the lab needs the 'lab' extra: pip install -e '.[lab]' ({exc})") from None
    return Lab, ScenarioError, builtin_scenarios, load_scenario


def run_list(_args) -> int:
    _, ScenarioError, builtin_scenarios, _ = _lab_imports()
    try:
        scenarios = builtin_scenarios()
    except ScenarioError as exc:
        raise CliError(str(exc)) from None
    width = max((len(s.name) for s in scenarios), default=10)
    for s in scenarios:
        print(sanitize(f"{_one_line(s.name):<{width}}  {_one_line(s.title)}"))
    return 0


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def up_text(scenario, env) -> str:
    """What `lab up` prints: the scenario (every line a `#` comment, its text cleaned and redacted:
    a scenario is a shared file), the exports and the diagnose command, every value shell-quoted.
    The commands are cleaned but not redacted: the lab's own fake signature must survive a paste."""
    lines = [sanitize(f"# {_one_line(scenario.name)}: {_one_line(scenario.title)}")]
    if scenario.story:
        lines += [sanitize("# " + line) for line in scenario.story.splitlines()]
    lines.append(sanitize(env.shell_exports(), redact=False))
    lines.append("# then, in that shell:")
    lines.append(sanitize(env.diagnose_command(), redact=False))
    lines.append("# (Ctrl-C stops the lab)")
    return "\n".join(lines) + "\n"


def run_run(args) -> int:
    from ..aws.session import AwsAccess
    from ..diagnose import diagnose
    from ..http.client import HttpProber
    from ..playbooks import load
    from ..probes.runner import ProbeRunner
    from ..report import json_report, text_report

    Lab, ScenarioError, _, load_scenario = _lab_imports()
    try:
        scenario = load_scenario(args.scenario)
    except ScenarioError as exc:
        raise CliError(str(exc)) from None
    svg = svg_out.check(getattr(args, "svg", None))
    playbooks = load()
    try:
        with Lab(scenario, progress=progress) as env:
            access = AwsAccess(region=env.region, endpoint_url=env.aws_endpoint, credentials=env.credentials)
            runner = ProbeRunner(access, HttpProber(connect_to={"*": env.edge_address}))
            progress(f"diagnosing {env.symptom.url}")
            try:
                diagnosis = diagnose(playbooks, env.symptom, runner)
            finally:
                runner.close()
    except ScenarioError as exc:
        raise CliError(str(exc)) from None
    extra = {"scenario": scenario.name}
    if args.graph and not args.json:
        from ..untrusted import sanitize
        from .diagnose_cmd import graph_block

        sys.stdout.write(sanitize(graph_block(diagnosis)))  # labels come from AWS
    sys.stdout.write(json_report.render(diagnosis, extra=extra) + "\n" if args.json else text_report.render(diagnosis))
    svg_out.write(diagnosis, svg)
    return 0


def run_up(args) -> int:
    Lab, ScenarioError, _, load_scenario = _lab_imports()
    try:
        scenario = load_scenario(args.scenario)
        lab = Lab(scenario, progress=progress)
        env = lab.start()
    except ScenarioError as exc:
        raise CliError(str(exc)) from None
    from ..lab import running

    noted = running.register([args.scenario, scenario.name], env)  # `edgewiz resume` rejoins this lab
    sys.stdout.reconfigure(line_buffering=True)  # a trainee reads these lines while the lab runs
    sys.stdout.write(up_text(scenario, env))
    sys.stdout.flush()
    try:
        wait_until_stopped()
    finally:
        running.unregister(noted)
        lab.stop()
    return 0

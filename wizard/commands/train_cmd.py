"""Provides `edgewiz train list|start|hint|check|stop`: exercises on the embedded lab with the verdict
held back, a hint ladder, and a check that the trainee's fix works, leaves no fault and is safe."""

from __future__ import annotations

import os
import signal
import sys
import time

from ..lab.running import process_alive
from ..untrusted import sanitize, to_json
from .common import CliError, progress, wait_until_stopped


def register(sub) -> None:
    train = sub.add_parser("train", help="training exercises: a broken lab, a brief, hints and a check",
                           description="Practise on lab incidents: the verdict is held back; fix the lab with "
                                       "the aws CLI, then `edgewiz train check`.")
    tsub = train.add_subparsers(dest="train_command", metavar="{list,start,hint,check,stop,random,report}")
    train.set_defaults(func=run_default)  # `edgewiz train` alone: the picker on a terminal, else the list
    train.add_argument("--trainee", dest="picker_trainee", metavar="NAME",
                       help="with no subcommand: the trainee's name for the attempt record of the exercise picked")
    tsub.add_parser("list", help="the exercises, by level").set_defaults(func=run_list)
    p = tsub.add_parser("start", help="start an exercise's lab and keep it running (prints the brief and exports)")
    p.add_argument("name", help="an exercise name (see `edgewiz train list`), or a drill file from `train random --save`")
    p.add_argument("--trainee", metavar="NAME", help="the trainee's name, for the attempt record")
    p.set_defaults(func=run_start)
    tsub.add_parser("hint", help="the next hint of the running exercise (counted)").set_defaults(func=run_hint)
    p = tsub.add_parser("check", help="is the running exercise solved? (read-only)")
    p.add_argument("--json", action="store_true", help="print the check as JSON")
    p.add_argument("--answer", metavar="TEXT", help="what you think was wrong (kept in the attempt record)")
    p.set_defaults(func=run_check)
    tsub.add_parser("stop", help="stop the running exercise's lab").set_defaults(func=run_stop)
    from .train_extra_cmd import register_extra

    register_extra(tsub)
    from . import train_tui_cmd

    train_tui_cmd.register(tsub)  # `train tui` and `train serve` (the TUI's training mode)


def _catalogue():
    from ..training.catalogue import CatalogueError, exercises

    try:
        return exercises()
    except CatalogueError as exc:
        raise CliError(str(exc)) from None


def run_default(args) -> int:
    """`edgewiz train` with no subcommand: on a terminal the TUI's catalogue (as `train tui`), so a
    trainee picks an exercise there; piped or redirected, the catalogue as text (as `train list`)."""
    if sys.stdout.isatty() and sys.stdin.isatty():
        from .train_tui_cmd import run_tui

        args.name, args.trainee = None, getattr(args, "picker_trainee", None)
        return run_tui(args)
    return run_list(args)


def run_list(_args) -> int:
    from ..training.catalogue import by_level

    items = _catalogue()
    width = max(len(e.name) for e in items)
    for title, group in by_level(items):
        print(sanitize(f"{title}:"))
        for e in group:
            first = e.brief.splitlines()[0] if e.brief else ""
            print(sanitize(f"  {e.name:<{width}}  {e.minutes:>3} min  {first}"))
    return 0


def _state():
    from ..training.state import NoExercise, read

    try:
        return read()
    except NoExercise as exc:
        raise CliError(str(exc)) from None


def _connect(state):
    """An AwsAccess and a ProbeRunner pointed at the running lab (read-only, as `diagnose`)."""
    from ..aws.session import AwsAccess
    from ..http.client import HttpProber
    from ..probes.runner import ProbeRunner

    access = AwsAccess(region=state["region"], endpoint_url=state["aws_endpoint"], credentials=state["credentials"])
    return access, ProbeRunner(access, HttpProber(connect_to={"*": state["edge_address"]}))


def look_at(state):
    """One read-only look at the lab in `state` (diagnosis + safety state)."""
    from ..training.check import look, symptom_of

    access, runner = _connect(state)
    try:
        return look(symptom_of(state["symptom"]), runner, access)
    finally:
        runner.close()


def start_text(exercise, env) -> str:
    """What `train start` prints: the brief (not the story, not the verdict), endpoints and exports."""
    lines = [sanitize(f"# exercise {exercise.name} ({exercise.level}, {exercise.minutes} minutes)")]
    lines += [sanitize("# " + line) for line in exercise.brief.splitlines()]
    lines.append(sanitize(f"# the failing URL: {env.symptom.url}"))
    if env.symptom.page_url:
        lines.append(sanitize(f"# loaded by the page: {env.symptom.page_url}"))
    lines.append(sanitize(f"# AWS API: {env.aws_endpoint}   edge (CloudFront): {env.edge_address}"))
    lines.append("# in another shell, point the aws CLI (and curl --connect-to) at the lab:")
    lines.append(sanitize(env.shell_exports(), redact=False))
    lines.append("# then: edgewiz train hint | edgewiz train check | edgewiz train stop  (Ctrl-C here stops too)")
    return "\n".join(lines) + "\n"


def run_start(args) -> int:
    from ..training.catalogue import CatalogueError, find
    from ..training.check import symptom_dict
    from ..training import records, state as state_file
    from .lab_cmd import _lab_imports

    from ..training.drill_exercise import drill_exercise, drill_hints, is_drill_file

    _catalogue()
    Lab, ScenarioError, _, load_scenario = _lab_imports()
    try:
        if is_drill_file(args.name):  # a drill from `train random --save FILE`
            exercise = drill_exercise(args.name, load_scenario(args.name))
        else:
            exercise = find(args.name)
    except (CatalogueError, ScenarioError) as exc:
        raise CliError(str(exc)) from None
    try:
        running = state_file.read()
    except state_file.NoExercise:
        running = None
    if running and process_alive(running.get("pid"), others_count=True):  # another user's too
        raise CliError(f"exercise {running['exercise']} is still running (pid {running.get('pid')}): "
                       f"`edgewiz train stop` first")
    try:
        lab = Lab(load_scenario(exercise.scenario), progress=progress)
        env = lab.start()
    except ScenarioError as exc:
        raise CliError(str(exc)) from None
    from ..lab import running as running_labs

    noted = running_labs.register([exercise.scenario, exercise.name], env)  # `edgewiz resume` rejoins this lab
    try:
        state = {"exercise": exercise.name, "pid": os.getpid(), "started": time.time(), "hints_used": 0,
                 "aws_endpoint": env.aws_endpoint, "edge_address": env.edge_address, "region": env.region,
                 "credentials": dict(env.credentials), "symptom": symptom_dict(env.symptom)}
        progress("reading the lab as it starts (for the check; the verdict stays hidden)")
        first = look_at(state)
        state["faults"] = [f.id for f in first.diagnosis.root_causes]
        if not exercise.hints:  # a drill: its ladder follows the faults the lab shows
            state["hints"] = drill_hints(state["faults"])
        state["baseline"] = first.safety.as_dict()
        state["trainee"] = getattr(args, "trainee", None) or None
        state["record"] = records.record_name(state)
        path = state_file.write(state)
        records.update(state)
        sys.stdout.reconfigure(line_buffering=True)
        sys.stdout.write(sanitize(start_text(exercise, env), redact=False))  # the exports must survive a paste
        sys.stdout.write(sanitize(f"# exercise state: {path}") + "\n")
        sys.stdout.flush()
        wait_until_stopped()
    finally:
        running_labs.unregister(noted)
        lab.stop()
        if "record" in state:  # the end time only: hints were counted by other processes
            records.update(state, ended=time.time())
        state_file.remove(pid=os.getpid())
    return 0



def _is_trainer(pid: int) -> bool:
    """Is `pid` still a `train start` process? (a recycled pid must not get our SIGTERM); True where
    /proc cannot say."""
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            argv = handle.read().split(b"\0")
    except OSError:
        return True
    return b"train" in argv and b"start" in argv


def _record(state, **changes) -> None:
    """Update the attempt's record (an exercise started before records has none: nothing to do)."""
    from ..training import records

    if state.get("record"):
        try:
            records.update(state, hints_used=int(state.get("hints_used") or 0), **changes)
        except OSError as exc:
            progress(f"the attempt record was not written: {exc.strerror or exc}")


def run_hint(_args) -> int:
    from ..training.catalogue import CatalogueError, find
    from ..training import state as state_file

    state = _state()
    try:
        hints = list(state["hints"]) if isinstance(state.get("hints"), list) else list(find(state["exercise"]).hints)
    except CatalogueError as exc:
        raise CliError(str(exc)) from None
    used = int(state.get("hints_used") or 0)
    if used >= len(hints):
        print(sanitize(f"no more hints ({len(hints)} used). `edgewiz train check` says what remains."))
        return 0
    state["hints_used"] = used + 1
    state_file.write(state)
    _record(state)
    print(sanitize(f"hint {used + 1} of {len(hints)}: {hints[used]}"))
    return 0


def run_check(args) -> int:
    from ..training.check import judge
    from ..training.safety import SafetyState

    state = _state()
    progress("checking the lab (read-only): the symptom over HTTP, the diagnosis, the fix's safety")
    result = judge(look_at(state), list(state.get("faults") or []),
                   SafetyState.from_dict(state["baseline"]) if state.get("baseline") else None)
    minutes = (time.time() - float(state.get("started") or time.time())) / 60.0
    from ..training.records import check_changes

    _record(state, checked=True, **check_changes(result, getattr(args, "answer", None)))
    if args.json:
        out = dict(result.as_dict(), exercise=state["exercise"], minutes=round(minutes, 1),
                   hints_used=int(state.get("hints_used") or 0))
        sys.stdout.write(to_json(out) + "\n")
        return 0
    sys.stdout.write(sanitize(check_text(state, result, minutes)))
    return 0


def check_text(state, result, minutes: float) -> str:
    lines = [f"exercise {state['exercise']}: {minutes:.0f} min, {int(state.get('hints_used') or 0)} hint(s) used",
             f"symptom: {'fixed' if result.symptom_ok else 'still failing'} ({result.symptom_said})"]
    if result.remaining:
        lines.append(f"faults remaining ({len(result.remaining)}):")
        lines += [f"  - {fid}: {title}" for fid, title in result.remaining]
    else:
        lines.append("faults remaining: none")
    for c in result.unsafe:
        lines.append(f"works, but {c.why} [{c.rule}]" if result.symptom_ok else f"unsafe: {c.why} [{c.rule}]")
    for c in result.unchecked:
        lines.append(f"not checked: {c.why} [{c.rule}]")
    lines.append({"solved": "SOLVED", "works, but unsafe": "WORKS, BUT UNSAFE", "not yet": "NOT YET"}[result.verdict])
    return sanitize("\n".join(lines)) + "\n"


def run_stop(_args) -> int:
    from ..training import state as state_file

    try:
        state = state_file.read()
    except state_file.NoExercise:
        state_file.remove()
        print("no exercise is running")
        return 0
    pid = state.get("pid")
    if process_alive(pid, others_count=True) and pid != os.getpid() and _is_trainer(pid):
        os.kill(pid, signal.SIGTERM)  # the `train start` process: it stops its lab and removes the file
    _record(state, ended=time.time())
    state_file.remove()
    print(sanitize(f"stopped exercise {state['exercise']}"))
    return 0

"""`edgewiz train random`: K compatible faults from wizard/training/faults.yaml composed onto a healthy
base, as a normal scenario file, the same bytes per seed, and the diagnosis of each drill finds exactly
the injected faults' finding ids as root causes."""

from __future__ import annotations

import pytest

from wizard.cli import main
from wizard.lab.lab import Lab
from wizard.lab.scenario import load_scenario
from wizard.training.random_drill import MAX_FAULTS, all_combinations, choose, compose, drill_key, load_table, render

from tests.shared_lab import shared_aws_server

SEEDS = range(40)


def test_the_same_seed_writes_the_same_file_and_lab_loads_it(tmp_path, capsys):
    first, second, other = tmp_path / "a.yaml", tmp_path / "b.yaml", tmp_path / "c.yaml"
    assert main(["train", "random", "--seed", "7", "--faults", "3", "--save", str(first)]) == 0
    assert main(["train", "random", "--seed", "7", "--faults", "3", "--save", str(second)]) == 0
    assert main(["train", "random", "--seed", "8", "--faults", "3", "--save", str(other)]) == 0
    assert first.read_bytes() == second.read_bytes()
    assert "edgewiz lab up" in capsys.readouterr().out
    scenario = load_scenario(str(first))  # what `lab up FILE` / `lab run FILE` read
    assert len(scenario.expected_root_causes) == 3
    assert main(["train", "random", "--seed", "7", "--faults", "3"]) == 0
    assert capsys.readouterr().out == first.read_text(encoding="utf-8")


def test_faults_out_of_range_is_a_one_line_error(capsys):
    assert main(["train", "random", "--seed", "1", "--faults", "4"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--faults must be 1 to 3" in err


def test_conflicting_faults_are_never_composed():
    table = load_table()
    by_id = {f.id: f for f in table.faults}
    assert any(f.conflicts for f in table.faults), "the table declares no conflict: this test proves nothing"
    for seed in SEEDS:
        for k in range(1, MAX_FAULTS + 1):
            story = compose(seed, k)["story"]
            chosen = [by_id[i] for i in story.split("with: ", 1)[1].strip().rstrip(".").split(", ")]
            assert len(chosen) == k and len({f.base for f in chosen}) == 1
            assert not any(table.clash(a, b) for a in chosen for b in chosen if a is not b), (seed, k)


SWEEP_SEEDS = range(400)  # pure composing: cheap, so many more seeds than labs


def test_seeds_pick_only_whole_drills_and_reach_every_combination():
    """400 seeds x K 1..3 land only on the table's compatible combinations, reach every one of them
    (the ALB base included), and two seeds that pick the same faults compose the same lab: only the
    name, title and story (which name the seed) differ. So diagnosing each distinct drill once
    below covers every seed's drill."""
    table = load_table()
    every = {drill_key(base, faults) for base, faults in all_combinations(table)}
    assert any(key[0] == "alb" for key in every)
    labs = {}
    for seed in SWEEP_SEEDS:
        for k in range(1, MAX_FAULTS + 1):
            base, faults = choose(table, seed, k)
            key = drill_key(base, faults)
            assert key in every, (seed, k, key)
            lab = {name: v for name, v in compose(seed, k, table).items() if name not in ("name", "title", "story")}
            assert labs.setdefault(key, lab) == lab, (seed, k, key)
    assert set(labs) == every


@pytest.mark.lab
def test_every_distinct_drill_of_40_seeds_is_diagnosed_exactly(tmp_path, lab_runs_for_drills):
    """40 seeds x K 1..3: each distinct drill they compose (same base and faults = same lab, as the test
    above proves) is built on the shared lab server and diagnosed once; its root causes must be exactly
    the injected faults' findings. The sweep over every combination is bench/train_random.py."""
    table = load_table()
    drills = {}
    for seed in SEEDS:
        for k in range(1, MAX_FAULTS + 1):
            base, faults = choose(table, seed, k)
            drills.setdefault(drill_key(base, faults), (seed, k))
    assert len(drills) >= 20 and {key[0] for key in drills} == set(table.bases)  # many drills, every base
    wrong = []
    for key, (seed, k) in drills.items():
        path = tmp_path / f"drill-{seed}-{k}.yaml"
        path.write_text(render(compose(seed, k, table)), encoding="utf-8")
        scenario = load_scenario(str(path))
        found = lab_runs_for_drills(scenario)
        if sorted(found) != sorted(scenario.expected_root_causes):
            wrong.append((seed, k, key, scenario.expected_root_causes, found))
    assert wrong == []


@pytest.fixture
def lab_runs_for_drills():
    from wizard.aws.session import AwsAccess
    from wizard.diagnose import diagnose
    from wizard.http.client import HttpProber
    from wizard.playbooks import load
    from wizard.probes.runner import ProbeRunner

    playbooks = load()

    def run(scenario):
        with Lab(scenario, aws_server=shared_aws_server()) as env:
            access = AwsAccess(region=env.region, endpoint_url=env.aws_endpoint, credentials=env.credentials)
            runner = ProbeRunner(access, HttpProber(connect_to={"*": env.edge_address}))
            try:
                return [f.id for f in diagnose(playbooks, env.symptom, runner).root_causes]
            finally:
                runner.close()

    return run


@pytest.mark.lab
def test_a_saved_drill_is_an_exercise_with_a_hidden_verdict_hints_and_a_check(tmp_path):
    """`train random --save` then `train start FILE`: the brief (not the story naming the faults), a hint
    ladder for the faults the lab shows, and a check that lists them as remaining."""
    import os
    import signal
    import subprocess
    import sys

    drill = tmp_path / "drill.yaml"
    assert main(["train", "random", "--seed", "3", "--faults", "2", "--save", str(drill)]) == 0
    assert sorted(load_scenario(str(drill)).expected_root_causes) == ["s3.cors.missing",
                                                                      "s3.policy.oac-sourcearn-mismatch"]
    env = dict(os.environ, EDGEWIZ_STATE_DIR=str(tmp_path), EDGEWIZ_QUIET="1")
    proc = subprocess.Popen([sys.executable, "-m", "wizard", "train", "start", str(drill)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        lines = []
        for line in proc.stdout:
            lines.append(line)
            if line.startswith("# exercise state:"):
                break
        out = "".join(lines)
        assert "# exercise drill (random, 30 minutes)" in out and "Users report an HTTP 403" in out
        assert "oac-wrong-distribution" not in out and "cors-missing" not in out and "s3.cors" not in out

        def edgewiz(*argv):
            return subprocess.run([sys.executable, "-m", "wizard", *argv], env=env, capture_output=True,
                                  text=True, timeout=120)

        hints = [edgewiz("train", "hint").stdout for _ in range(5)]
        assert hints[0].startswith("hint 1 of 4: Follow the request")
        assert any("AWS:SourceArn" in h for h in hints) and any("CORS rules" in h for h in hints)
        assert hints[4].startswith("no more hints (4 used)")
        check = edgewiz("train", "check")
        assert "faults remaining (2)" in check.stdout and check.stdout.rstrip().endswith("NOT YET")
        assert edgewiz("train", "stop").returncode == 0
        assert proc.wait(timeout=30) == 0
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=30)


def test_an_alb_drill_is_an_exercise_about_a_504_with_its_own_hints(tmp_path):
    """An ALB-base drill saved by `train random` reads as a 504 brief (not the story naming the fault),
    and the hint ladder for the SG finding its lab shows points at the tasks' security group."""
    from wizard.training.drill_exercise import drill_exercise, drill_hints

    table = load_table()
    seed = next(s for s in SEEDS if choose(table, s, 1)[0] == "alb")
    path = tmp_path / "alb-drill.yaml"
    assert main(["train", "random", "--seed", str(seed), "--faults", "1", "--save", str(path)]) == 0
    scenario = load_scenario(str(path))
    exercise = drill_exercise(str(path), scenario)
    assert "an HTTP 504" in exercise.brief and "alb-" not in exercise.brief
    hints = drill_hints(["sg.target-ingress-missing"])
    assert "tasks' security group" in hints[1]

#!/usr/bin/python3
"""Pruned trials in a two-objective gp study: does the search come back to them?

The bundled command-python example (spirals, median pruner, 24 trials, two
at once) with two objectives: its validation accuracy (maximized) and the
hidden units (minimized; a wrapper script written to a temporary folder adds
them as the attribute `hidden_units`). For each CLI given and each seed it
runs the study and prints the mean hypervolume, the complete and pruned
trials per study, and the trials per study that repeat the point of an
earlier pruned one. Two CLIs (an older build first) are compared per seed.

    /usr/bin/python3 bench/pruned_multi_objective.py --cli OLD --cli NEW [--seeds 30] [--first-seed 1]
"""
import argparse
import json
import os
import sqlite3
import statistics
import subprocess
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXAMPLE = os.path.join(ROOT, "resources", "examples", "command-python.json")

WRAPPER = '''import json, subprocess, sys
hidden = int(sys.argv[sys.argv.index("--hidden") + 1])
proc = subprocess.Popen([sys.executable, "train.py"] + sys.argv[1:], stdout=subprocess.PIPE, text=True)
for line in proc.stdout:
    try:
        report = json.loads(line)
    except ValueError:
        report = None
    if isinstance(report, dict) and "value" in report and "step" not in report:
        report.setdefault("attrs", {})["hidden_units"] = hidden
        line = json.dumps(report) + "\\n"
    sys.stdout.write(line)
    sys.stdout.flush()
sys.exit(proc.wait())
'''


def spec_for(seed, workdir):
    with open(EXAMPLE) as f:
        spec = json.load(f)
    del spec["direction"]
    spec["name"] = f"pruned-mo-{seed}"
    spec["objectives"] = [{"name": "accuracy", "direction": "maximize", "reference": 0.5},
                          {"name": "hidden_units", "direction": "minimize", "reference": 32}]
    spec["objective"]["argv"][1] = "wrapper.py"
    spec["objective"]["workdir"] = workdir
    spec["seed"] = seed
    return spec


def repeats_of_pruned(db, study_id):
    seen, repeats = [], 0
    for trial_id, state in db.execute(
            "SELECT id, state FROM trials WHERE study_id = ? ORDER BY number", (study_id,)):
        point = tuple(round(float(v), 6) for (v,) in db.execute(
            "SELECT value FROM trial_params WHERE trial_id = ? ORDER BY name", (trial_id,)))
        repeats += any(p == point and s == "pruned" for p, s in seen)
        seen.append((point, state))
    return repeats


def run(cli, seeds, folder, tag):
    db_path = os.path.join(folder, f"{tag}.db")
    hypervolumes = []
    for seed in seeds:
        spec_path = os.path.join(folder, f"spec-{seed}.json")
        out = subprocess.run([cli, "run", spec_path, "--db", db_path, "--json"],
                             capture_output=True, text=True, check=True)
        hypervolumes.append(json.loads(out.stdout.strip().splitlines()[-1])["hypervolume"])
    db = sqlite3.connect(db_path)
    studies = [sid for (sid,) in db.execute("SELECT id FROM studies ORDER BY id")]
    count = lambda state: db.execute(
        "SELECT COUNT(*) FROM trials WHERE state = ?", (state,)).fetchone()[0] / len(studies)
    repeats = [repeats_of_pruned(db, sid) for sid in studies]
    print(f"{cli}: hypervolume {statistics.mean(hypervolumes):.3f}, per study "
          f"{count('complete'):.1f} complete, {count('pruned'):.1f} pruned, "
          f"{statistics.mean(repeats):.2f} at an earlier pruned point (max {max(repeats)})")
    return hypervolumes


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cli", action="append", required=True)
    parser.add_argument("--seeds", type=int, default=30)
    parser.add_argument("--first-seed", type=int, default=1)
    args = parser.parse_args()
    seeds = range(args.first_seed, args.first_seed + args.seeds)
    with tempfile.TemporaryDirectory() as folder:
        with open(os.path.join(ROOT, "resources", "examples", "command-python", "train.py")) as f:
            train = f.read()
        with open(os.path.join(folder, "train.py"), "w") as f:
            f.write(train)
        with open(os.path.join(folder, "wrapper.py"), "w") as f:
            f.write(WRAPPER)
        for seed in seeds:
            with open(os.path.join(folder, f"spec-{seed}.json"), "w") as f:
                json.dump(spec_for(seed, folder), f)
        runs = [run(cli, seeds, folder, f"cli{i}") for i, cli in enumerate(args.cli)]
    if len(runs) == 2:
        diff = [b - a for a, b in zip(*runs)]
        print(f"hypervolume, second minus first: {statistics.mean(diff):+.3f} "
              f"(se {statistics.stdev(diff) / len(diff) ** 0.5:.3f}), "
              f"higher on {sum(d > 1e-9 for d in diff)} seeds, lower on {sum(d < -1e-9 for d in diff)}")


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""The gp strategy's additive term on a mixed space: two choices and two ints.

A tabular toy (written to a temporary folder): Branin over two ints on a
31 x 31 grid, scaled and shifted by an `opt` choice (4 levels) and shifted by
an `act` choice (3 levels), with one interaction. Runs `gp` with the additive
term on and off (`"additive": true / false`) for the same seeds and budget
and prints the mean regret at 25 and 50 trials, the seeds that end more than
0.2 short, and the paired difference at 50 with its standard error.

    /usr/bin/python3 bench/additive_mixed_toy.py [--cli build/release/app/cli/bonsai-cli]
        [--seeds 30] [--first-seed 10] [--trials 50]
"""
import argparse
import csv
import itertools
import json
import math
import os
import statistics
import subprocess
import tempfile

OPTS = {"sgd": (1.0, 0.0), "adam": (0.6, 2.0), "rmsprop": (0.8, 1.0), "adagrad": (1.3, -1.0)}
ACTS = {"relu": 0.0, "tanh": 3.0, "gelu": -0.5}


def branin(x1, x2):
    return ((x2 - 5.1 / (4 * math.pi ** 2) * x1 ** 2 + 5 / math.pi * x1 - 6) ** 2
            + 10 * (1 - 1 / (8 * math.pi)) * math.cos(x1) + 10)


def write_table(path):
    best = math.inf
    with open(path, "w", newline="") as f:
        out = csv.writer(f)
        out.writerow(["opt", "act", "lr_step", "width", "loss"])
        for opt, act, i, j in itertools.product(OPTS, ACTS, range(31), range(31)):
            scale, shift = OPTS[opt]
            loss = scale * branin(i / 30 * 15 - 5, j / 30 * 15) + shift + ACTS[act]
            loss += 2.0 if (opt, act) == ("adam", "tanh") else 0.0
            loss = round(loss, 6)
            best = min(best, loss)
            out.writerow([opt, act, i, j, loss])
    return best


def run(cli, folder, table, strategy, seed, trials):
    name = f"toy-{seed}"
    spec = {"name": name, "direction": "minimize",
            "objective": {"kind": "tabular", "file": table, "metric": "loss"},
            "space": [{"name": "opt", "type": "categorical", "choices": list(OPTS)},
                      {"name": "act", "type": "categorical", "choices": list(ACTS)},
                      {"name": "lr_step", "type": "int", "low": 0, "high": 30},
                      {"name": "width", "type": "int", "low": 0, "high": 30}],
            "strategy": strategy, "budget": {"trials": trials}, "seed": seed}
    spec_path = os.path.join(folder, "spec.json")
    db = os.path.join(folder, f"{strategy['additive']}-{seed}.db")
    with open(spec_path, "w") as f:
        json.dump(spec, f)
    subprocess.run([cli, "run", spec_path, "--db", db], check=True, capture_output=True)
    exported = subprocess.run([cli, "export", name, "--db", db, "--format", "json"], check=True,
                              capture_output=True, text=True).stdout
    data = json.loads(exported)
    rows = data["trials"] if isinstance(data, dict) else data
    return [t["value"] for t in sorted(rows, key=lambda t: t["number"]) if t.get("value") is not None]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cli", default="build/release/app/cli/bonsai-cli")
    parser.add_argument("--seeds", type=int, default=30)
    parser.add_argument("--first-seed", type=int, default=10)
    parser.add_argument("--trials", type=int, default=50)
    args = parser.parse_args()
    cli = os.path.abspath(args.cli)
    with tempfile.TemporaryDirectory() as folder:
        table = os.path.join(folder, "table.csv")
        best = write_table(table)
        seeds = range(args.first_seed, args.first_seed + args.seeds)
        at = sorted({25, args.trials})
        final = {}
        for additive in (True, False):
            regrets = {t: [] for t in at}
            for seed in seeds:
                values = run(cli, folder, table, {"kind": "gp", "additive": additive}, seed,
                             args.trials)
                for t in at:
                    regrets[t].append(min(values[:t]) - best)
            final[additive] = regrets[args.trials]
            means = ", ".join(f"@{t} {statistics.mean(regrets[t]):.4f}" for t in at)
            short = sum(r > 0.2 for r in regrets[args.trials])
            print(f"additive {str(additive).lower():5}: mean regret {means}; "
                  f"{short} of {len(seeds)} seeds end more than 0.2 short")
        diff = [a - b for a, b in zip(final[True], final[False])]
        print(f"paired difference (on - off) @{args.trials}: {statistics.mean(diff):+.4f} "
              f"(standard error {statistics.stdev(diff) / len(diff) ** 0.5:.4f})")


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""The gp strategy's additive term on mixed spaces: on against off, paired.

Two tabular toys (tables written to a temporary folder):

- `mixed`: Branin over two ints on a 31 x 31 grid, scaled and shifted by an
  `opt` choice (4 levels) and shifted by an `act` choice (3 levels), with one
  interaction; the loss is minimized.
- `cell-lr` (needs `--nb201 FOLDER`): a NAS-Bench-201 cell beside a learning
  rate on 11 log-spaced steps. The accuracy is the cell's cifar10 12-epoch
  validation accuracy from the real table, less 0.25 per squared step away
  from the cell's own best step. `--coupling` sets that step: `edges`
  (default) 5 + 0.75 (skips - convs3x3 / 2), so cells of many 3x3
  convolutions want a smaller rate and cells of skips a larger one, a sum
  over the edges; `threshold` 3 for cells of three or more 3x3 convolutions,
  else 7, not a sum over the edges; `none` 5 for every cell. Maximized;
  171,875 points.

Runs `gp` with the additive term on and off (`"additive": true / false`) for
the same seeds and budget and prints the mean regret at a quarter, half and
all of the budget, the seeds that end more than 0.2 short, and the paired
difference at the end with its standard error.

    /usr/bin/python3 bench/additive_toys.py [--problem mixed|cell-lr] [--nb201 FOLDER]
        [--coupling edges|threshold|none]
        [--cli build/release/app/cli/bonsai-cli] [--seeds 30] [--first-seed 10] [--trials 50]
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
LR_STEPS = 11


def branin(x1, x2):
    return ((x2 - 5.1 / (4 * math.pi ** 2) * x1 ** 2 + 5 / math.pi * x1 - 6) ** 2
            + 10 * (1 - 1 / (8 * math.pi)) * math.cos(x1) + 10)


def write_mixed_table(path):
    """The `mixed` toy's table; returns (space, metric, direction, best)."""
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
    space = [{"name": "opt", "type": "categorical", "choices": list(OPTS)},
             {"name": "act", "type": "categorical", "choices": list(ACTS)},
             {"name": "lr_step", "type": "int", "low": 0, "high": 30},
             {"name": "width", "type": "int", "low": 0, "high": 30}]
    return space, "loss", "minimize", best


def cell_best_step(cell, coupling):
    """The learning-rate step at which `cell` (an arch_str) trains best."""
    skips, convs = cell.count("skip_connect"), cell.count("nor_conv_3x3")
    if coupling == "edges":
        return 5 + 0.75 * (skips - convs / 2)
    if coupling == "threshold":
        return 3 if convs >= 3 else 7
    return 5


def write_cell_lr_table(path, nb201, coupling):
    """The `cell-lr` toy's table; returns (space, metric, direction, best)."""
    best = -math.inf
    with open(os.path.join(nb201, "nb201_accuracy.csv"), newline="") as f, \
            open(path, "w", newline="") as out_file:
        out = csv.writer(out_file)
        out.writerow(["cell", "lr_step", "acc"])
        for row in csv.DictReader(f):
            cell = row["arch_str"]
            own_best = cell_best_step(cell, coupling)
            for step in range(LR_STEPS):
                acc = float(row["cifar10_valid_acc_12ep"]) - 0.25 * (step - own_best) ** 2
                acc = round(acc, 6)
                best = max(best, acc)
                out.writerow([cell, step, acc])
    space = [{"name": "cell", "type": "nb201-cell"},
             {"name": "lr_step", "type": "int", "low": 0, "high": LR_STEPS - 1}]
    return space, "acc", "maximize", best


def run(cli, folder, problem, additive, seed, trials):
    table, space, metric, direction = problem
    name = f"toy-{seed}"
    spec = {"name": name, "direction": direction,
            "objective": {"kind": "tabular", "file": table, "metric": metric},
            "space": space, "strategy": {"kind": "gp", "additive": additive},
            "budget": {"trials": trials}, "seed": seed}
    spec_path = os.path.join(folder, f"spec-{additive}.json")
    db = os.path.join(folder, f"{additive}-{seed}.db")
    with open(spec_path, "w") as f:
        json.dump(spec, f)
    subprocess.run([cli, "run", spec_path, "--db", db], check=True, capture_output=True)
    exported = subprocess.run([cli, "export", name, "--db", db, "--format", "json"], check=True,
                              capture_output=True, text=True).stdout
    data = json.loads(exported)
    rows = data["trials"] if isinstance(data, dict) else data
    return [t["value"] for t in sorted(rows, key=lambda t: t["number"]) if t.get("value") is not None]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--problem", choices=["mixed", "cell-lr"], default="mixed")
    parser.add_argument("--nb201", help="folder of nb201_accuracy.csv (cell-lr)")
    parser.add_argument("--coupling", choices=["edges", "threshold", "none"], default="edges",
                        help="cell-lr: how a cell's best learning-rate step depends on it")
    parser.add_argument("--cli", default="build/release/app/cli/bonsai-cli")
    parser.add_argument("--seeds", type=int, default=30)
    parser.add_argument("--first-seed", type=int, default=10)
    parser.add_argument("--trials", type=int, default=50)
    args = parser.parse_args()
    if args.problem == "cell-lr" and not args.nb201:
        parser.error("--problem cell-lr needs --nb201 FOLDER (the NAS-Bench-201 table)")
    cli = os.path.abspath(args.cli)
    with tempfile.TemporaryDirectory() as folder:
        table = os.path.join(folder, "table.csv")
        space, metric, direction, best = (write_mixed_table(table) if args.problem == "mixed"
                                          else write_cell_lr_table(table, args.nb201, args.coupling))
        problem = (table, space, metric, direction)
        sign = 1 if direction == "minimize" else -1
        seeds = range(args.first_seed, args.first_seed + args.seeds)
        at = sorted({args.trials // 4, args.trials // 2, args.trials})
        final = {}
        for additive in (True, False):
            regrets = {t: [] for t in at}
            for seed in seeds:
                values = run(cli, folder, problem, additive, seed, args.trials)
                for t in at:
                    found = min(values[:t]) if sign > 0 else max(values[:t])
                    regrets[t].append(sign * (found - best))
            final[additive] = regrets[args.trials]
            means = ", ".join(f"@{t} {statistics.mean(regrets[t]):.4f}" for t in at)
            short = sum(r > 0.2 for r in regrets[args.trials])
            print(f"additive {str(additive).lower():5}: mean regret {means}; "
                  f"{short} of {len(seeds)} seeds end more than 0.2 short", flush=True)
        diff = [a - b for a, b in zip(final[True], final[False])]
        print(f"paired difference (on - off) @{args.trials}: {statistics.mean(diff):+.4f} "
              f"(standard error {statistics.stdev(diff) / len(diff) ** 0.5:.4f})")


if __name__ == "__main__":
    main()

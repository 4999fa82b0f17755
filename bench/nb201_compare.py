#!/usr/bin/python3
"""Bonsai against its peers on NAS-Bench-201, side by side in one run: the README table.

Runs, with the same seeds (0..N-1) and budget,
  - bonsai-cli bench on nb201:<dataset> (gp, evolution, tpe, random) and on
    nb201-hw:cifar10:<column> for every latency column (gp, nsga2, random),
  - bench/peers/optuna_nb201.py (Optuna TPE multivariate; NSGAIISampler on nb201-hw),
  - bench/peers/sklearn_nb201.py (scikit-learn GP-EI loop, nb201 only),
and prints two markdown tables: mean regret at 50 / 100 queries with the
issue's goals (met or not), and the hypervolume ratio at 50 / 100 with
Bonsai gp's margin over the best Optuna sampler (goal >= 0.05). Under each
table, gp's difference from Optuna's TPE paired seed by seed: its mean, the
standard error of that mean and the seeds on which gp is ahead.

    /usr/bin/python3 bench/nb201_compare.py --cli build/release/app/cli/bonsai-cli \\
        --nb201 ../shared/data/nb201 [--seeds 10] [--first-seed 0] [--trials 100] [--jobs 1] \\
        [--out DIR] [--only single|hw] [--reuse]

Raw outputs go to --out (default /tmp/bonsai-nb201-compare); --reuse prints the
tables from the outputs already there instead of running again. The peers need
python3-optuna and python3-sklearn (Debian), i.e. /usr/bin/python3.
"""
import argparse
import csv
import math
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DATASETS = [("cifar10", 84.892, 0.10), ("cifar100", 61.32, 0.05), ("imagenet16", 38.667, 0.20)]
LATENCIES = ["lat_fpga_ms", "lat_eyeriss_ms", "lat_pixel3_ms", "lat_raspi4_ms"]
HV_MARGIN = 0.05
NUMBER = r"(-?[0-9.]+(?:e[-+]?[0-9]+)?)"


def run(command, path, reuse):
    if reuse and os.path.exists(path):
        return open(path).read()
    print("running: " + " ".join(command), file=sys.stderr, flush=True)
    result = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if result.returncode != 0:
        sys.exit(f"{command[0]} failed ({result.returncode}):\n{result.stderr}")
    with open(path, "w") as f:
        f.write(result.stdout)
    return result.stdout


def parse_bonsai(text):
    """{(problem, strategy, 'regret'|'hv'): {trial: mean}} from bonsai-cli bench's tables."""
    out, kind, trials = {}, None, []
    for line in text.splitlines():
        if line.startswith("problem"):
            kind = "hv" if "hv_ratio@" in line else "regret"
            trials = [int(t) for t in re.findall(r"(?:regret|hv_ratio)@(\d+)", line)]
            continue
        fields = line.split()
        if kind is None or len(fields) < 2 or not fields[0].startswith("nb201"):
            continue
        means = re.findall(NUMBER + r" \(", line)
        out[(fields[0], fields[1], kind)] = {t: float(m) for t, m in zip(trials, means)}
    return out


def best_volumes(path):
    """{problem: HV*} from the last column of bonsai-cli bench's hypervolume table."""
    out, in_table = {}, False
    for line in open(path).read().splitlines():
        if line.startswith("problem"):
            in_table = "hv_ratio@" in line
        elif in_table and line.startswith("nb201-hw"):
            out[line.split()[0]] = float(line.split()[-1])
    return out


def parse_peer(text):
    """{(problem, sampler): {trial: mean}} from the peer scripts' lines."""
    out = {}
    for line in text.splitlines():
        fields = line.split()
        if len(fields) < 3 or not fields[0].startswith("nb201"):
            continue
        out[(fields[0], fields[1])] = {
            int(t): float(m) for t, m in re.findall(r"@(\d+): " + NUMBER, line)
        }
    return out


def bonsai_figures(path, strategy, best_volumes):
    """{(problem, trial): {seed: figure}} of one strategy from a bonsai-cli
    bench --out CSV: the regret, or for nb201-hw problems the hypervolume
    over the best possible one (best_volumes: {problem: HV*})."""
    out = {}
    if not os.path.exists(path):  # --reuse of outputs from before the CSVs
        return out
    with open(path) as f:
        for row in csv.DictReader(f):
            if row["strategy"] != strategy:
                continue
            problem = row["problem"]
            if problem in best_volumes:
                figure = float(row["hypervolume"]) / best_volumes[problem]
            else:
                figure = float(row["regret"])
            out.setdefault((problem, int(row["trial"])), {})[int(row["seed"])] = figure
    return out


def peer_figures(path, sampler):
    """{(problem, trial): {seed: figure}} of one sampler from a peer script's --out CSV."""
    out = {}
    if not os.path.exists(path):
        return out
    with open(path) as f:
        for row in csv.DictReader(f):
            if row["sampler"] == sampler:
                key = (row["problem"], int(row["trial"]))
                out.setdefault(key, {})[int(row["seed"])] = float(row["figure"])
    return out


def paired_lines(problems, trials, ours, theirs, better):
    """One line per problem: gp minus the peer at each trial, paired by seed
    (mean, standard error of the mean, seeds where gp is better)."""
    for problem in problems:
        cells = []
        for t in trials:
            a, b = ours.get((problem, t), {}), theirs.get((problem, t), {})
            seeds = sorted(set(a) & set(b))
            if len(seeds) < 2:
                cells.append(f"@{t}: —")
                continue
            diffs = [a[s] - b[s] for s in seeds]
            mean = sum(diffs) / len(diffs)
            se = math.sqrt(sum((d - mean) ** 2 for d in diffs) / (len(diffs) - 1) / len(diffs))
            ahead = sum(1 for d in diffs if better(d))
            cells.append(f"@{t}: {mean:+.4f} (SE {se:.4f}, gp better on {ahead} of {len(diffs)})")
        print(f"- {problem}: " + "; ".join(cells))


def cell(figures, trials):
    if not figures:
        return "—"
    return " / ".join("%.3g" % figures[t] if t in figures else "—" for t in trials)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cli", default="build/release/app/cli/bonsai-cli")
    parser.add_argument("--nb201", default=os.environ.get("BONSAI_NB201_DIR", ""))
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--first-seed", type=int, default=0)
    parser.add_argument("--trials", type=int, default=100)
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--out", default="/tmp/bonsai-nb201-compare")
    parser.add_argument("--only", choices=["single", "hw"])
    parser.add_argument("--reuse", action="store_true")
    args = parser.parse_args()
    if not args.nb201:
        parser.error("pass --nb201 FOLDER (the folder holding nb201_accuracy.csv) or set BONSAI_NB201_DIR")
    os.makedirs(args.out, exist_ok=True)
    common = ["--seeds", str(args.seeds), "--first-seed", str(args.first_seed),
              "--trials", str(args.trials)]
    seed_names = f"{args.first_seed}-{args.first_seed + args.seeds - 1}"
    out = lambda name: os.path.join(args.out, name)
    trials = sorted({t for t in (50, args.trials) if t <= args.trials})
    py = "/usr/bin/python3"

    if args.only != "hw":
        problems = ",".join(f"nb201:{d}" for d, _, _ in DATASETS)
        bonsai = parse_bonsai(run([args.cli, "bench", "--nb201", args.nb201, "--problems", problems,
                                   "--strategies", "gp,evolution,tpe,random", "--jobs",
                                   str(args.jobs), "--out", out("bonsai_single.csv")] + common,
                                  out("bonsai_single.txt"), args.reuse))
        optuna = parse_peer(run([py, os.path.join(HERE, "peers", "optuna_nb201.py"), "--nb201",
                                 args.nb201, "--problems", problems, "--out",
                                 out("optuna_single.csv")] + common,
                                out("optuna_single.txt"), args.reuse))
        sklearn = parse_peer(run([py, os.path.join(HERE, "peers", "sklearn_nb201.py"), "--nb201",
                                  args.nb201, "--problems", problems] + common,
                                 os.path.join(args.out, "sklearn_single.txt"), args.reuse))
        at = " / ".join(f"@{t}" for t in trials)
        print(f"NAS-Bench-201, mean regret over seeds {seed_names} ({at} queries)\n")
        print(f"| dataset (table best) | Bonsai gp | Bonsai evolution | Bonsai tpe | Bonsai random "
              f"| Optuna TPE (multivariate) | sklearn GP-EI | goal @{args.trials} | gp meets it "
              f"| evolution ≤ Optuna TPE @{args.trials} |")
        print("|---|---|---|---|---|---|---|---|---|---|")
        for dataset, best, goal in DATASETS:
            problem = f"nb201:{dataset}"
            gp = bonsai.get((problem, "gp", "regret"), {})
            evolution = bonsai.get((problem, "evolution", "regret"), {})
            tpe = optuna.get((problem, "tpe"), {})
            final = args.trials
            met = "yes" if final in gp and gp[final] <= goal else "**no**"
            evo = ("yes" if final in evolution and final in tpe and evolution[final] <= tpe[final]
                   else "**no**")
            print(f"| {dataset} ({best}) | {cell(gp, trials)} | {cell(evolution, trials)} "
                  f"| {cell(bonsai.get((problem, 'tpe', 'regret')), trials)} "
                  f"| {cell(bonsai.get((problem, 'random', 'regret')), trials)} "
                  f"| {cell(tpe, trials)} | {cell(sklearn.get((problem, 'skgp')), trials)} "
                  f"| ≤ {goal} | {met} | {evo} |")
        print("\nRegret of gp minus Optuna TPE's, paired by seed:\n")
        paired_lines([f"nb201:{d}" for d, _, _ in DATASETS], trials,
                     bonsai_figures(out("bonsai_single.csv"), "gp", {}),
                     peer_figures(out("optuna_single.csv"), "tpe"), lambda d: d < 0)
        print()

    if args.only != "single":
        problems = ",".join(f"nb201-hw:cifar10:{c}" for c in LATENCIES)
        bonsai = parse_bonsai(run([args.cli, "bench", "--nb201", args.nb201, "--problems", problems,
                                   "--strategies", "gp,nsga2,random", "--jobs", str(args.jobs),
                                   "--out", out("bonsai_hw.csv")] + common,
                                  out("bonsai_hw.txt"), args.reuse))
        optuna = parse_peer(run([py, os.path.join(HERE, "peers", "optuna_nb201.py"), "--nb201",
                                 args.nb201, "--problems", problems, "--out",
                                 out("optuna_hw.csv")] + common,
                                out("optuna_hw.txt"), args.reuse))
        at = " / ".join(f"@{t}" for t in trials)
        print(f"Hardware-aware NAS-Bench-201 (cifar10 accuracy vs latency), hypervolume ratio "
              f"found / true front, mean over seeds {seed_names} ({at} queries)\n")
        print(f"| latency column | Bonsai gp (EHVI) | Bonsai nsga2 | Bonsai random "
              f"| Optuna TPE (multivariate) | Optuna NSGAIISampler "
              f"| gp margin over the better Optuna @{args.trials} | ≥ {HV_MARGIN} |")
        print("|---|---|---|---|---|---|---|---|")
        for column in LATENCIES:
            problem = f"nb201-hw:cifar10:{column}"
            gp = bonsai.get((problem, "gp", "hv"), {})
            tpe = optuna.get((problem, "tpe"), {})
            nsga = optuna.get((problem, "nsga2"), {})
            final = args.trials
            margin = None
            if final in gp and final in tpe and final in nsga:
                margin = gp[final] - max(tpe[final], nsga[final])
            print(f"| {column} | {cell(gp, trials)} "
                  f"| {cell(bonsai.get((problem, 'nsga2', 'hv')), trials)} "
                  f"| {cell(bonsai.get((problem, 'random', 'hv')), trials)} "
                  f"| {cell(tpe, trials)} | {cell(nsga, trials)} "
                  f"| {'—' if margin is None else '%+.3f' % margin} "
                  f"| {'yes' if margin is not None and margin >= HV_MARGIN else '**no**'} |")
        print("\nHypervolume ratio of gp minus Optuna TPE's, paired by seed:\n")
        hw_problems = [f"nb201-hw:cifar10:{c}" for c in LATENCIES]
        paired_lines(hw_problems, trials,
                     bonsai_figures(out("bonsai_hw.csv"), "gp",
                                    best_volumes(out("bonsai_hw.txt"))),
                     peer_figures(out("optuna_hw.csv"), "tpe"), lambda d: d > 0)


if __name__ == "__main__":
    main()

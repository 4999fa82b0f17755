#!/usr/bin/python3
"""Bonsai against its peers on NAS-Bench-201, side by side in one run: the README table.

Runs, with the same seeds (0..N-1) and budget,
  - bonsai-cli bench on nb201:<dataset> (gp, evolution, tpe, random) and on
    nb201-hw:cifar10:<column> for every latency column (gp, nsga2, random),
  - bench/peers/optuna_nb201.py (Optuna TPE multivariate; NSGAIISampler on nb201-hw),
  - bench/peers/sklearn_nb201.py (scikit-learn GP-EI loop, nb201 only),
and prints two markdown tables: mean regret at 50 / 100 queries with the
issue's goals (met or not), and the hypervolume ratio at 50 / 100 with
Bonsai gp's margin over the best Optuna sampler (goal >= 0.05).

    /usr/bin/python3 bench/nb201_compare.py --cli build/release/app/cli/bonsai-cli \\
        --nb201 ../shared/data/nb201 [--seeds 10] [--trials 100] [--jobs 1] [--out DIR] \\
        [--only single|hw] [--reuse]

Raw outputs go to --out (default /tmp/bonsai-nb201-compare); --reuse prints the
tables from the outputs already there instead of running again. The peers need
python3-optuna and python3-sklearn (Debian), i.e. /usr/bin/python3.
"""
import argparse
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


def cell(figures, trials):
    if not figures:
        return "—"
    return " / ".join("%.3g" % figures[t] if t in figures else "—" for t in trials)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cli", default="build/release/app/cli/bonsai-cli")
    parser.add_argument("--nb201", default=os.environ.get("BONSAI_NB201_DIR", ""))
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--trials", type=int, default=100)
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--out", default="/tmp/bonsai-nb201-compare")
    parser.add_argument("--only", choices=["single", "hw"])
    parser.add_argument("--reuse", action="store_true")
    args = parser.parse_args()
    if not args.nb201:
        parser.error("pass --nb201 FOLDER (the folder holding nb201_accuracy.csv) or set BONSAI_NB201_DIR")
    os.makedirs(args.out, exist_ok=True)
    common = ["--seeds", str(args.seeds), "--trials", str(args.trials)]
    trials = sorted({t for t in (50, args.trials) if t <= args.trials})
    py = "/usr/bin/python3"

    if args.only != "hw":
        problems = ",".join(f"nb201:{d}" for d, _, _ in DATASETS)
        bonsai = parse_bonsai(run([args.cli, "bench", "--nb201", args.nb201, "--problems", problems,
                                   "--strategies", "gp,evolution,tpe,random", "--jobs",
                                   str(args.jobs)] + common,
                                  os.path.join(args.out, "bonsai_single.txt"), args.reuse))
        optuna = parse_peer(run([py, os.path.join(HERE, "peers", "optuna_nb201.py"), "--nb201",
                                 args.nb201, "--problems", problems] + common,
                                os.path.join(args.out, "optuna_single.txt"), args.reuse))
        sklearn = parse_peer(run([py, os.path.join(HERE, "peers", "sklearn_nb201.py"), "--nb201",
                                  args.nb201, "--problems", problems] + common,
                                 os.path.join(args.out, "sklearn_single.txt"), args.reuse))
        at = " / ".join(f"@{t}" for t in trials)
        print(f"NAS-Bench-201, mean regret over seeds 0-{args.seeds - 1} ({at} queries)\n")
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
        print()

    if args.only != "single":
        problems = ",".join(f"nb201-hw:cifar10:{c}" for c in LATENCIES)
        bonsai = parse_bonsai(run([args.cli, "bench", "--nb201", args.nb201, "--problems", problems,
                                   "--strategies", "gp,nsga2,random", "--jobs", str(args.jobs)]
                                  + common, os.path.join(args.out, "bonsai_hw.txt"), args.reuse))
        optuna = parse_peer(run([py, os.path.join(HERE, "peers", "optuna_nb201.py"), "--nb201",
                                 args.nb201, "--problems", problems] + common,
                                os.path.join(args.out, "optuna_hw.txt"), args.reuse))
        at = " / ".join(f"@{t}" for t in trials)
        print(f"Hardware-aware NAS-Bench-201 (cifar10 accuracy vs latency), hypervolume ratio "
              f"found / true front, mean over seeds 0-{args.seeds - 1} ({at} queries)\n")
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


if __name__ == "__main__":
    main()

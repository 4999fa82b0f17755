#!/usr/bin/python3
"""Optuna on the multi-objective test problems of `bonsai-cli bench`, for peer figures.

Runs Debian's python3-optuna (3.1) on the same problems, domains, reference
points, seeds and budgets as `bonsai-cli bench --problems zdt1:6,dtlz2:6 ...`:

  zdt1:N, zdt2:N   two objectives, x in [0, 1]^N (default N = 30), reference (1.1, 11)
  dtlz2:N          three objectives, x in [0, 1]^N (default N = 12), reference (1.1, 1.1, 1.1)
  branin-currin    two objectives, x in [0, 1]^2, reference (18, 6)

Samplers: TPESampler(multivariate=True) and NSGAIISampler (defaults), both
with one direction "minimize" per objective. Figure: the hypervolume of the
trials so far divided by the true front's (as in bench), mean
and then median [q25, q75] over the seeds, at trials 25, 50 and the last.

    /usr/bin/python3 bench/peers/optuna_multi.py --problems dtlz2:4,dtlz2:6,dtlz2 \\
        [--seeds 10] [--first-seed 0] [--trials 100]
"""
import argparse
import math
import statistics

import optuna

from hypervolume import hypervolume


def zdt_g(x):
    return 1.0 + 9.0 * sum(x[1:]) / (len(x) - 1)


def zdt1(x):
    g = zdt_g(x)
    return [x[0], g * (1.0 - math.sqrt(x[0] / g))]


def zdt2(x):
    g = zdt_g(x)
    return [x[0], g * (1.0 - (x[0] / g) ** 2)]


def dtlz2(x):
    g = sum((v - 0.5) ** 2 for v in x[2:])
    a, b = x[0] * math.pi / 2, x[1] * math.pi / 2
    return [(1 + g) * math.cos(a) * math.cos(b), (1 + g) * math.cos(a) * math.sin(b), (1 + g) * math.sin(a)]


def branin_currin(x):
    a, b = 15 * x[0] - 5, 15 * x[1]
    branin = (b - 5.1 / (4 * math.pi ** 2) * a * a + 5 / math.pi * a - 6) ** 2 \
        + 10 * (1 - 1 / (8 * math.pi)) * math.cos(a) + 10
    factor = 1 - math.exp(-1 / (2 * x[1])) if x[1] > 0 else 1.0
    currin = factor * (2300 * x[0] ** 3 + 1900 * x[0] ** 2 + 2092 * x[0] + 60) \
        / (100 * x[0] ** 3 + 500 * x[0] ** 2 + 4 * x[0] + 20)
    return [branin, currin]


# name: (function, least dimension, default dimension, reference, the true front's hypervolume);
# Branin-Currin's front has no closed form: 59.4066 as in core/objectives/test_functions.cpp.
PROBLEMS = {
    "zdt1": (zdt1, 2, 30, (1.1, 11.0), 1.1 * 11.0 - 1.0 / 3.0),
    "zdt2": (zdt2, 2, 30, (1.1, 11.0), 1.1 * 11.0 - 2.0 / 3.0),
    "dtlz2": (dtlz2, 3, 12, (1.1, 1.1, 1.1), 1.1 ** 3 - math.pi / 6.0),
    "branin-currin": (branin_currin, 2, 2, (18.0, 6.0), 59.4066),
}
EXACT_DIMENSION = {"branin-currin"}


def parse_problem(text, error):
    name, _, digits = text.partition(":")
    if name not in PROBLEMS:
        error(f"unknown problem '{text}' (known: {', '.join(PROBLEMS)})")
    function, least, default, reference, best = PROBLEMS[name]
    dimension = int(digits) if digits else default
    if dimension < least:
        error(f"'{text}': {name} needs at least {least} variables")
    if name in EXACT_DIMENSION and dimension != default:
        error(f"'{text}': {name} takes exactly {default} variables")
    return function, dimension, reference, best


def summary(values):
    q = statistics.quantiles(values, n=4, method="inclusive") if len(values) > 1 else values * 3
    return statistics.fmean(values), q[1], q[0], q[2]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--problems", default="zdt1:6,zdt2:6,dtlz2:6")
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--first-seed", type=int, default=0)
    parser.add_argument("--trials", type=int, default=100)
    args = parser.parse_args()
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    seeds = range(args.first_seed, args.first_seed + args.seeds)
    checkpoints = sorted({t for t in (25, 50, args.trials) if t <= args.trials})
    samplers = {
        "tpe": lambda seed: optuna.samplers.TPESampler(multivariate=True, seed=seed),
        "nsga2": lambda seed: optuna.samplers.NSGAIISampler(seed=seed),
    }
    print(f"optuna {optuna.__version__}: hypervolume ratio (found / true front), mean, then median "
          f"[q25, q75] over seeds {seeds.start}-{seeds.stop - 1}")
    for text in args.problems.split(","):
        function, dimension, reference, best = parse_problem(text, parser.error)
        for name, make in samplers.items():
            ratios = {t: [] for t in checkpoints}
            for seed in seeds:
                study = optuna.create_study(directions=["minimize"] * len(reference), sampler=make(seed))
                study.optimize(
                    lambda trial: function([trial.suggest_float(f"x{i + 1}", 0.0, 1.0) for i in range(dimension)]),
                    n_trials=args.trials)
                values = [t.values for t in study.trials]
                for t in checkpoints:
                    ratios[t].append(hypervolume(values[:t], reference) / best)
            cells = "  ".join(f"@{t}: %.4f (%.4f [%.4f, %.4f])" % summary(ratios[t]) for t in checkpoints)
            print(f"{text + ':' + str(dimension) if ':' not in text else text:10} {name:6} {cells}", flush=True)


if __name__ == "__main__":
    main()

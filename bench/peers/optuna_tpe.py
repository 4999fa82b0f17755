#!/usr/bin/python3
"""Optuna's TPE on the problems of `bonsai-cli bench`, for a fair peer figure.

Runs Debian's python3-optuna (3.1) with its default TPESampler on the same
test functions, domains, seeds and trial budget, and prints the median and
quartiles of simple regret at trials 10, 25 and the last, in the same layout as
`bonsai-cli bench`, followed by the mean. `--problems` takes the same names
(`rosenbrock:6` sets the dimension of ackley, levy and rosenbrock).

    /usr/bin/python3 bench/peers/optuna_tpe.py [--seeds 10] [--trials 50] [--problems branin,rosenbrock:2]
"""
import argparse
import math
import statistics

import optuna


def branin(x):
    a, b, c, r, s, t = 1.0, 5.1 / (4 * math.pi**2), 5 / math.pi, 6.0, 10.0, 1 / (8 * math.pi)
    return a * (x[1] - b * x[0] ** 2 + c * x[0] - r) ** 2 + s * (1 - t) * math.cos(x[0]) + s


ALPHA = [1.0, 1.2, 3.0, 3.2]
A6 = [[10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14], [3, 3.5, 1.7, 10, 17, 8], [17, 8, 0.05, 10, 0.1, 14]]
P6 = [[0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886], [0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991],
      [0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.6650], [0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381]]


def hartmann6(x):
    return -sum(ALPHA[i] * math.exp(-sum(A6[i][j] * (x[j] - P6[i][j]) ** 2 for j in range(6))) for i in range(4))


def ackley(x):
    d = len(x)
    return (-20 * math.exp(-0.2 * math.sqrt(sum(v * v for v in x) / d))
            - math.exp(sum(math.cos(2 * math.pi * v) for v in x) / d) + 20 + math.e)


def levy(x):
    w = [1 + (v - 1) / 4 for v in x]
    total = math.sin(math.pi * w[0]) ** 2
    for wi in w[:-1]:
        total += (wi - 1) ** 2 * (1 + 10 * math.sin(math.pi * wi + 1) ** 2)
    return total + (w[-1] - 1) ** 2 * (1 + math.sin(2 * math.pi * w[-1]) ** 2)


def rosenbrock(x):
    return sum(100 * (x[i + 1] - x[i] ** 2) ** 2 + (x[i] - 1) ** 2 for i in range(len(x) - 1))


ANY_DIMENSION = {
    "ackley": (ackley, (-32.768, 32.768)),
    "levy": (levy, (-10, 10)),
    "rosenbrock": (rosenbrock, (-5, 10)),
}

PROBLEMS = {
    "branin": (branin, [(-5, 10), (0, 15)], 0.39788735772973816),
    "hartmann6": (hartmann6, [(0, 1)] * 6, -3.3223680114155),
    "ackley:5": (ackley, [(-32.768, 32.768)] * 5, 0.0),
    "levy:4": (levy, [(-10, 10)] * 4, 0.0),
    "rosenbrock:4": (rosenbrock, [(-5, 10)] * 4, 0.0),
}


def quartiles(values):
    q = statistics.quantiles(values, n=4, method="inclusive")
    return q[1], q[0], q[2]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--trials", type=int, default=50)
    parser.add_argument("--problems", default=",".join(PROBLEMS))
    args = parser.parse_args()
    for name in args.problems.split(","):
        base, _, dimension = name.partition(":")
        if name not in PROBLEMS and base in ANY_DIMENSION and dimension:
            function, bounds = ANY_DIMENSION[base]
            PROBLEMS[name] = (function, [bounds] * int(dimension), 0.0)
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    checkpoints = sorted({t for t in (10, 25, 50, 100, args.trials) if t <= args.trials})
    print(f"optuna {optuna.__version__} TPESampler: simple regret, median [q25, q75] over {args.seeds} seeds\n")
    for name in args.problems.split(","):
        function, domain, optimum = PROBLEMS[name]
        regrets = {t: [] for t in checkpoints}
        for seed in range(args.seeds):
            study = optuna.create_study(sampler=optuna.samplers.TPESampler(seed=seed))
            study.optimize(lambda trial: function([trial.suggest_float(f"x{i + 1}", lo, hi)
                                                   for i, (lo, hi) in enumerate(domain)]),
                           n_trials=args.trials)
            best = math.inf
            for trial in study.trials:
                best = min(best, trial.value)
                if trial.number + 1 in regrets:
                    regrets[trial.number + 1].append(max(0.0, best - optimum))
        cells = "  ".join(f"@{t}: %.3g [%.3g, %.3g] mean %.3g" % (*quartiles(regrets[t]), statistics.fmean(regrets[t]))
                          for t in checkpoints)
        print(f"{name:14} {cells}")


if __name__ == "__main__":
    main()

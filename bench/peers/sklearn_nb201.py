#!/usr/bin/python3
"""A plain scikit-learn GP-EI loop on the nb201:<dataset> problems of `bonsai-cli bench`.

The peer the issue's table names: a cell is one-hot encoded (6 edges x 5
operations = 30 inputs), a GaussianProcessRegressor with a Matern-5/2 kernel
with one lengthscale per input (ARD), a constant and a white-noise term, fitted
by maximum likelihood (sklearn's L-BFGS, 2 restarts) on the standardized
accuracies, proposes the cell of highest expected improvement among 2,000
untried cells drawn uniformly at random. The first 10 cells are random.
Same seeds, budget and figure as bonsai-cli bench: the regret, the table's
best <dataset>_valid_acc_12ep minus the best found, mean (and median [q25, q75])
over seeds 0..N-1 at trials 50 and the last.

    /usr/bin/python3 bench/peers/sklearn_nb201.py --nb201 ../shared/data/nb201 \\
        [--problems nb201:cifar10,nb201:cifar100,nb201:imagenet16] [--seeds 10] [--trials 100]
"""
import argparse
import csv
import os
import statistics
import warnings

import numpy as np
from scipy.stats import norm
from sklearn.exceptions import ConvergenceWarning
from sklearn.gaussian_process import GaussianProcessRegressor
from sklearn.gaussian_process.kernels import ConstantKernel, Matern, WhiteKernel

OPS = ["none", "skip_connect", "nor_conv_1x1", "nor_conv_3x3", "avg_pool_3x3"]
EDGES = 6
INITIAL = 10
CANDIDATES = 2000


def arch_string(ops):
    return "|{}~0|+|{}~0|{}~1|+|{}~0|{}~1|{}~2|".format(*(OPS[o] for o in ops))


def read_column(path, column):
    with open(path, newline="") as f:
        return {row["arch_str"]: float(row[column]) for row in csv.DictReader(f)}


def one_hot(codes):
    """Rows of 30 indicators for cells given as integer codes 0..5^6-1."""
    out = np.zeros((len(codes), EDGES * len(OPS)))
    for r, code in enumerate(codes):
        for e in range(EDGES):
            out[r, e * len(OPS) + code % len(OPS)] = 1.0
            code //= len(OPS)
    return out


def ops_of(code):
    ops = []
    for _ in range(EDGES):
        ops.append(code % len(OPS))
        code //= len(OPS)
    return ops


def summary(values):
    q = statistics.quantiles(values, n=4, method="inclusive") if len(values) > 1 else values * 3
    return statistics.fmean(values), q[1], q[0], q[2]


def run(accuracy, seed, trials):
    """Best accuracy after each trial of one seed."""
    rng = np.random.default_rng(seed)
    total = len(OPS) ** EDGES
    table = np.array([accuracy[arch_string(ops_of(c))] for c in range(total)])
    taken, values, best = [], [], []
    untaken = np.ones(total, dtype=bool)
    for t in range(trials):
        if t < INITIAL:
            code = int(rng.choice(np.flatnonzero(untaken)))
        else:
            X = one_hot(taken)
            y = np.array(values)
            mu, sd = y.mean(), y.std() or 1.0
            kernel = ConstantKernel(1.0, (1e-3, 1e3)) * Matern(
                length_scale=np.ones(X.shape[1]), length_scale_bounds=(1e-2, 1e2), nu=2.5
            ) + WhiteKernel(1e-3, (1e-8, 1e0))
            gp = GaussianProcessRegressor(kernel, n_restarts_optimizer=2, random_state=seed)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", ConvergenceWarning)
                gp.fit(X, (y - mu) / sd)
            pool = np.flatnonzero(untaken)
            candidates = rng.choice(pool, size=min(CANDIDATES, len(pool)), replace=False)
            m, s = gp.predict(one_hot(candidates), return_std=True)
            s = np.maximum(s, 1e-9)
            z = (m - (max(values) - mu) / sd) / s
            ei = (m - (max(values) - mu) / sd) * norm.cdf(z) + s * norm.pdf(z)
            code = int(candidates[int(np.argmax(ei))])
        untaken[code] = False
        taken.append(code)
        values.append(table[code])
        best.append(max(values))
    return best


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--nb201", default=os.environ.get("BONSAI_NB201_DIR", ""))
    parser.add_argument("--problems", default="nb201:cifar10,nb201:cifar100,nb201:imagenet16")
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--trials", type=int, default=100)
    args = parser.parse_args()
    if not args.nb201:
        parser.error("pass --nb201 FOLDER (the folder holding nb201_accuracy.csv) or set BONSAI_NB201_DIR")
    accuracy_file = os.path.join(args.nb201, "nb201_accuracy.csv")
    if not os.path.exists(accuracy_file):
        parser.error(f"{accuracy_file} does not exist; point --nb201 at the folder that holds it")
    checkpoints = sorted({t for t in (50, args.trials) if t <= args.trials})
    print(f"sklearn GP-EI: mean, then median [q25, q75] over {args.seeds} seeds")
    print("nb201: regret (table best - best found)\n")
    for problem in args.problems.split(","):
        parts = problem.split(":")
        if parts[0] != "nb201" or len(parts) != 2:
            parser.error(f"--problems: '{problem}' is not nb201:<dataset>")
        accuracy = read_column(accuracy_file, f"{parts[1]}_valid_acc_12ep")
        best_table = max(accuracy.values())
        regrets = {t: [] for t in checkpoints}
        for seed in range(args.seeds):
            best = run(accuracy, seed, args.trials)
            for t in checkpoints:
                regrets[t].append(best_table - best[t - 1])
        cells = "  ".join(f"@{t}: %.4g (%.4g [%.4g, %.4g])" % summary(regrets[t]) for t in checkpoints)
        print(f"{problem:34} {'skgp':6} {cells}", flush=True)


if __name__ == "__main__":
    main()

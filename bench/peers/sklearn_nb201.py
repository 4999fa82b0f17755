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
import warnings

import numpy as np
from scipy.stats import norm
from sklearn.exceptions import ConvergenceWarning
from sklearn.gaussian_process import GaussianProcessRegressor
from sklearn.gaussian_process.kernels import ConstantKernel, Matern, WhiteKernel

from nb201_peer import EDGES, OPS, accuracy_column, arch_string, parse_args, print_row, read_column, \
    regrets_over_seeds, write_rows

INITIAL = 10
CANDIDATES = 2000


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


def run(accuracy, seed, trials):
    """Best accuracy after each trial of one seed."""
    rng = np.random.default_rng(seed)
    total = len(OPS) ** EDGES
    table = np.array([accuracy[arch_string([OPS[o] for o in ops_of(c)])] for c in range(total)])
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
    args = parse_args()
    print(f"sklearn GP-EI: mean, then median [q25, q75] over seeds "
          f"{args.seed_range.start}-{args.seed_range.stop - 1}")
    print("nb201: regret (table best - best found)\n")
    for problem in args.problems.split(","):
        parts = problem.split(":")
        if parts[0] != "nb201" or len(parts) != 2:
            args.error(f"--problems: '{problem}' is not nb201:<dataset>")
        accuracy = read_column(args.accuracy_file, accuracy_column(parts[1]))
        regrets = regrets_over_seeds(accuracy, args.seed_range, args.checkpoints,
                                     lambda seed: run(accuracy, seed, args.trials))
        print_row(problem, "skgp", regrets, args.checkpoints)
        if args.out:
            write_rows(args.out, problem, {"skgp": regrets}, args.seed_range, args.checkpoints)


if __name__ == "__main__":
    main()

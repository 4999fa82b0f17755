"""What the NAS-Bench-201 peers share: the cell encoding, the table columns,
the command line, the seed loop that turns best-so-far curves into regrets,
and the printed rows that bench/nb201_compare.py parses.

Imported by optuna_nb201.py and sklearn_nb201.py (same folder), which run
under /usr/bin/python3.
"""
import __main__
import argparse
import csv
import os
import statistics

OPS = ["none", "skip_connect", "nor_conv_1x1", "nor_conv_3x3", "avg_pool_3x3"]
EDGES = 6


def arch_string(ops):
    """The table's arch_str of a cell given as six operation names."""
    return "|{}~0|+|{}~0|{}~1|+|{}~0|{}~1|{}~2|".format(*ops)


def read_column(path, column):
    with open(path, newline="") as f:
        return {row["arch_str"]: float(row[column]) for row in csv.DictReader(f)}


def accuracy_column(dataset):
    return f"{dataset}_valid_acc_12ep"


def summary(values):
    """Mean, then median, q25 and q75."""
    q = statistics.quantiles(values, n=4, method="inclusive") if len(values) > 1 else values * 3
    return statistics.fmean(values), q[1], q[0], q[2]


def parse_args():
    """--nb201, --problems, --seeds, --first-seed, --trials, --out; the folder must hold
    nb201_accuracy.csv.

    Adds accuracy_file, latency_file, seed_range (first_seed .. first_seed +
    seeds - 1, as bonsai-cli bench --first-seed) and checkpoints (trial 50 and
    the last).
    """
    parser = argparse.ArgumentParser(description=(__main__.__doc__ or "").split("\n\n")[0])
    parser.add_argument("--nb201", default=os.environ.get("BONSAI_NB201_DIR", ""), metavar="FOLDER",
                        help="the folder holding nb201_accuracy.csv (default: $BONSAI_NB201_DIR)")
    parser.add_argument("--problems", default="nb201:cifar10,nb201:cifar100,nb201:imagenet16",
                        help="comma-separated nb201:DATASET and nb201-hw:DATASET:LATENCY_COLUMN, "
                             "as bonsai-cli bench (default: the three nb201 datasets)")
    parser.add_argument("--seeds", type=int, default=10, help="seeds per problem (default: 10)")
    parser.add_argument("--first-seed", type=int, default=0,
                        help="the first seed: seeds FIRST .. FIRST + SEEDS - 1 (default: 0)")
    parser.add_argument("--trials", type=int, default=100, help="queries per run (default: 100)")
    parser.add_argument("--out", metavar="FILE",
                        help="also write each seed's figure at trial 50 and the last, one CSV row "
                             "per problem, sampler, seed and trial, for differences paired with "
                             "bonsai-cli bench --out")
    args = parser.parse_args()
    if not args.nb201:
        parser.error("pass --nb201 FOLDER (the folder holding nb201_accuracy.csv) or set BONSAI_NB201_DIR")
    args.accuracy_file = os.path.join(args.nb201, "nb201_accuracy.csv")
    args.latency_file = os.path.join(args.nb201, "nb201_latency_hwnasbench.csv")
    if not os.path.exists(args.accuracy_file):
        parser.error(f"{args.accuracy_file} does not exist; point --nb201 at the folder that holds it")
    if args.out:
        open(args.out, "w").close()  # written anew; each problem appends its rows
    args.seed_range = range(args.first_seed, args.first_seed + args.seeds)
    args.checkpoints = sorted({t for t in (50, args.trials) if t <= args.trials})
    args.error = parser.error
    return args


def regrets_over_seeds(accuracy, seeds, checkpoints, best_after):
    """{trial: [regret of each seed]}: the table's best accuracy minus the best
    found by that trial, where best_after(seed) lists the best accuracy found
    after each trial of one seed; seeds is an iterable of seeds."""
    best_table = max(accuracy.values())
    regrets = {t: [] for t in checkpoints}
    for seed in seeds:
        best = best_after(seed)
        for t in checkpoints:
            regrets[t].append(best_table - best[t - 1])
    return regrets


def write_rows(path, problem, results, seeds, checkpoints):
    """Appends problem,sampler,seed,trial,figure rows to the CSV `path`
    (header first when the file is empty); results is {sampler: {trial: [figure
    of each seed, in the order of seeds]}}."""
    new_file = os.path.getsize(path) == 0
    with open(path, "a", newline="") as out:
        writer = csv.writer(out)
        if new_file:
            writer.writerow(["problem", "sampler", "seed", "trial", "figure"])
        for sampler, figures in results.items():
            for t in checkpoints:
                for seed, figure in zip(seeds, figures[t]):
                    writer.writerow([problem, sampler, seed, t, repr(figure)])


def print_row(problem, sampler, figures, checkpoints):
    cells = "  ".join(f"@{t}: %.4g (%.4g [%.4g, %.4g])" % summary(figures[t]) for t in checkpoints)
    print(f"{problem:34} {sampler:6} {cells}", flush=True)

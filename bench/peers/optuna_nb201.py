#!/usr/bin/python3
"""Optuna on the NAS-Bench-201 problems of `bonsai-cli bench`, for peer figures.

Runs Debian's python3-optuna (3.1) on the same problems, seeds and budgets:

  nb201:<dataset>                       one nb201 cell (6 edges x 5 operations),
                                        <dataset>_valid_acc_12ep maximized;
                                        figure: mean regret (table best - best found)
  nb201-hw:<dataset>:<latency column>   the same accuracy maximized and a latency of
                                        nb201_latency_hwnasbench.csv minimized (joined
                                        on arch_str); figure: hypervolume of the found
                                        front / hypervolume of the table's front, with
                                        the table's median accuracy and latency as
                                        reference point

Samplers: TPESampler(multivariate=True) on both kinds, NSGAIISampler (defaults)
on the two-objective problems. Prints the mean (and median [q25, q75]) at
trials 50 and the last.

    /usr/bin/python3 bench/peers/optuna_nb201.py --nb201 ../shared/data/nb201 \\
        --problems nb201:cifar10,nb201-hw:cifar10:lat_pixel3_ms [--seeds 10] [--first-seed 0] \\
        [--trials 100] [--out per-seed.csv]
"""
import optuna

from hypervolume import hypervolume
from nb201_peer import EDGES, OPS, accuracy_column, arch_string, parse_args, print_row, read_column, \
    regrets_over_seeds, write_rows


def median(values):
    # Linear interpolation between the middle values, as Bonsai's quantile().
    values = sorted(values)
    position = 0.5 * (len(values) - 1)
    lower = int(position)
    upper = min(lower + 1, len(values) - 1)
    return values[lower] + (values[upper] - values[lower]) * (position - lower)


def suggest_cell(trial):
    return arch_string([trial.suggest_categorical(f"edge{e}", OPS) for e in range(EDGES)])


def run_single(accuracy, seeds, trials, checkpoints):
    def best_after(seed):
        sampler = optuna.samplers.TPESampler(multivariate=True, seed=seed)
        study = optuna.create_study(direction="maximize", sampler=sampler)
        study.optimize(lambda trial: accuracy[suggest_cell(trial)], n_trials=trials)
        best, curve = -float("inf"), []
        for trial in study.trials:
            best = max(best, trial.value)
            curve.append(best)
        return curve

    return {"tpe": regrets_over_seeds(accuracy, seeds, checkpoints, best_after)}


def run_hw(accuracy, latency, seeds, trials, checkpoints):
    cells = [c for c in accuracy if c in latency]
    reference = (-median([accuracy[c] for c in cells]), median([latency[c] for c in cells]))
    best_volume = hypervolume([(-accuracy[c], latency[c]) for c in cells], reference)
    samplers = {
        "tpe": lambda seed: optuna.samplers.TPESampler(multivariate=True, seed=seed),
        "nsga2": lambda seed: optuna.samplers.NSGAIISampler(seed=seed),
    }
    ratios = {}
    for name, make in samplers.items():
        ratios[name] = {t: [] for t in checkpoints}
        for seed in seeds:
            study = optuna.create_study(directions=["maximize", "minimize"], sampler=make(seed))

            def objective(trial):
                cell = suggest_cell(trial)
                return accuracy[cell], latency[cell]

            study.optimize(objective, n_trials=trials)
            points = []
            for trial in study.trials:
                points.append((-trial.values[0], trial.values[1]))
                if trial.number + 1 in ratios[name]:
                    ratios[name][trial.number + 1].append(hypervolume(points, reference) / best_volume)
    return ratios


def main():
    args = parse_args()
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    print(f"optuna {optuna.__version__}: mean, then median [q25, q75] over seeds "
          f"{args.seed_range.start}-{args.seed_range.stop - 1}")
    print("nb201: regret (table best - best found); nb201-hw: hypervolume ratio (found / true front)\n")
    for problem in args.problems.split(","):
        parts = problem.split(":")
        accuracy = read_column(args.accuracy_file, accuracy_column(parts[1]))
        if parts[0] == "nb201":
            results = run_single(accuracy, args.seed_range, args.trials, args.checkpoints)
        else:
            results = run_hw(accuracy, read_column(args.latency_file, parts[2]), args.seed_range,
                             args.trials, args.checkpoints)
        for sampler, figures in results.items():
            print_row(problem, sampler, figures, args.checkpoints)
        if args.out:
            write_rows(args.out, problem, results, args.seed_range, args.checkpoints)


if __name__ == "__main__":
    main()

"""Creates the Optuna studies tst_optuna_interop imports: single- and
multi-objective, pruned and failed trials, conditional parameters,
intermediate values and user attributes.

usage: /usr/bin/python3 create_studies.py FILE
"""
import sys

import optuna

optuna.logging.set_verbosity(optuna.logging.ERROR)
storage = "sqlite:///" + sys.argv[1]


def single(trial):
    x = trial.suggest_float("x", 1e-3, 10.0, log=True)
    n = trial.suggest_int("n", 0, 20, step=4)
    q = trial.suggest_float("q", -1.0, 1.0, step=0.25)
    width = trial.suggest_int("width", 2, 64, log=True)
    kind = trial.suggest_categorical("kind", ["svc", "forest", 3, 2.5, True])
    if kind == "svc":
        c = trial.suggest_float("svc_c", 0.1, 100.0, log=True)
    elif kind == "forest":
        c = trial.suggest_int("depth", 1, 9)
    else:
        c = 1.0
    trial.set_user_attr("note", {"trial": trial.number, "tags": ["a", "b"]})
    loss = (x - 1.0) ** 2 + n * 0.1 + abs(q) + width * 0.01 + c * 0.001
    for step in range(4):
        trial.report(loss + 1.0 / (step + 1), step)
        if trial.number % 5 == 3 and step == 2:
            raise optuna.TrialPruned()
    if trial.number % 7 == 4:
        raise ValueError("diverged")
    return loss


study = optuna.create_study(
    storage=storage,
    study_name="single",
    sampler=optuna.samplers.TPESampler(seed=3, n_startup_trials=6),
)
study.set_user_attr("owner", "ci")
study.optimize(single, n_trials=30, catch=(ValueError,))


def multi(trial):
    a = trial.suggest_float("a", 0.0, 1.0)
    b = trial.suggest_int("b", 1, 5)
    opt = trial.suggest_categorical("opt", ["adam", "sgd"])
    if trial.number == 5:
        raise ValueError("no values")
    return a * b, (1.0 - a) + (0.5 if opt == "sgd" else 0.0)


study = optuna.create_study(
    storage=storage,
    study_name="multi",
    directions=["minimize", "maximize"],
    sampler=optuna.samplers.NSGAIISampler(seed=5),
)
study.optimize(multi, n_trials=12, catch=(ValueError,))

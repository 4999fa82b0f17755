"""Prints every study of an Optuna SQLite file as JSON, as Optuna itself
loads it: directions, and per trial its state, params, distributions, values,
intermediate values, user attributes and fail reason.

usage: /usr/bin/python3 dump_studies.py FILE
"""
import json
import math
import sys

import optuna
from optuna.distributions import distribution_to_json

optuna.logging.set_verbosity(optuna.logging.ERROR)
storage = "sqlite:///" + sys.argv[1]


def number(value):
    # JSON has no infinities; the C++ side reads these strings back.
    if isinstance(value, float) and (math.isinf(value) or math.isnan(value)):
        return repr(value)
    return value


out = {}
for summary in optuna.get_all_study_summaries(storage):
    study = optuna.load_study(storage=storage, study_name=summary.study_name)
    trials = []
    for trial in study.get_trials(deepcopy=False):
        trials.append(
            {
                "number": trial.number,
                "state": trial.state.name,
                "params": trial.params,
                "distributions": {
                    name: json.loads(distribution_to_json(d))
                    for name, d in trial.distributions.items()
                },
                "values": None if trial.values is None else [number(v) for v in trial.values],
                "intermediate": {str(k): number(v) for k, v in trial.intermediate_values.items()},
                "user_attrs": trial.user_attrs,
                "fail_reason": trial.system_attrs.get("fail_reason"),
            }
        )
    out[study.study_name] = {
        "directions": [d.name for d in study.directions],
        "user_attrs": study.user_attrs,
        "trials": trials,
    }
json.dump(out, sys.stdout, indent=1, sort_keys=True)

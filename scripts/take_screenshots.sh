#!/bin/sh
# Retakes resources/screenshots/studio-*.png from real studies.
#
#   scripts/take_screenshots.sh [BUILD_DIR] [NAS_CLI] [NB201_DIR]
#
# BUILD_DIR holds app/gui/bonsai and app/cli/bonsai-cli (default build/release).
# NAS_CLI is a bonsai-cli built with BONSAI_BUILD_NAS=ON (default: the one in
# BUILD_DIR); the Live shot needs its fashion-mnist study (about a minute of
# CPU). NB201_DIR (or $NB201_DIR) holds your NAS-Bench-201 table
# nb201_accuracy.csv (Bonsai does not ship it): the Trials, best-cell and
# operation-frequency shots come from a GP search of its cells;
# without it they are skipped. Renders offscreen at 1400x900; no display needed.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build/release}
cli=$build/app/cli/bonsai-cli
nas_cli=${2:-$cli}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
db=$work/demo.db

# Branin with four strategies (the compare view), as the example spec.
for strategy in gp tpe random sobol; do
  python3 - "$root/resources/examples/branin-gp.json" "$work/$strategy.json" "$strategy" <<'PY'
import json, sys
spec = json.load(open(sys.argv[1]))
spec["name"] = "branin-" + sys.argv[3]
if sys.argv[3] != "gp":
    spec["strategy"] = {"kind": sys.argv[3]}
spec["budget"] = {"trials": 40}
json.dump(spec, open(sys.argv[2], "w"))
PY
  "$cli" run "$work/$strategy.json" --db "$db" > /dev/null
done

# A two-objective study with a constraint (the Pareto and parallel-coordinates
# views): ZDT1 on 5 variables, f2 capped so some trials are infeasible.
python3 - "$root/resources/examples/zdt1-random.json" "$work/zdt1.json" <<'PY'
import json, sys
spec = json.load(open(sys.argv[1]))
spec["name"] = "zdt1-small"
spec["space"] = spec["space"][:5]
spec["strategy"] = {"kind": "sobol"}
spec["constraints"] = [{"name": "f2", "max": 4.0}]
spec["budget"] = {"trials": 300}
json.dump(spec, open(sys.argv[2], "w"))
PY
"$cli" run "$work/zdt1.json" --db "$db" > /dev/null

# A small NAS study whose learning curves ASHA prunes.
python3 - "$root/resources/examples/fashion-mnist-evolution-asha.json" "$work/nas.json" <<'PY'
import json, sys
spec = json.load(open(sys.argv[1]))
spec["name"] = "fashion-mnist-nas"
spec["objective"].update({"epochs": 6, "train_size": 1500, "valid_size": 500, "test_size": 500, "threads": 2})
spec["pruner"] = {"kind": "asha", "min_resource": 1, "reduction_factor": 2}
spec["budget"] = {"trials": 32}
json.dump(spec, open(sys.argv[2], "w"))
PY
"$nas_cli" run "$work/nas.json" --db "$db" > /dev/null

# A GP search of NAS-Bench-201 cells (the Trials, best-cell and
# operation-frequency views), when the user has the table.
nb201=${3:-${NB201_DIR:-}}
if [ -n "$nb201" ] && [ -f "$nb201/nb201_accuracy.csv" ]; then
  python3 - "$nb201/nb201_accuracy.csv" "$work/cell.json" <<'PY'
import json, sys
json.dump({
    "name": "nb201-cell-gp",
    "direction": "maximize",
    "objective": {"kind": "tabular", "file": sys.argv[1], "key": "arch_str",
                  "metric": "cifar10_valid_acc_12ep",
                  "report": ["cifar10_test_acc", "params_M", "flops_M"]},
    "space": [{"name": "cell", "type": "nb201-cell"}],
    "strategy": {"kind": "gp"},
    "budget": {"trials": 100},
    "seed": 1,
}, open(sys.argv[2], "w"))
PY
  "$cli" run "$work/cell.json" --db "$db" > /dev/null
else
  echo "no NB201_DIR with nb201_accuracy.csv: keeping the NAS-Bench-201 screenshots" >&2
  nb201=
fi

export QT_QPA_PLATFORM=offscreen
"$build/app/gui/bonsai" --screenshot "$work/branin" --db "$db" --study branin-gp \
  --compare branin-gp,branin-tpe,branin-random,branin-sobol > /dev/null
"$build/app/gui/bonsai" --screenshot "$work/nas" --db "$db" --study fashion-mnist-nas > /dev/null
"$build/app/gui/bonsai" --screenshot "$work/zdt1" --db "$db" --study zdt1-small > /dev/null

out=$root/resources/screenshots
mkdir -p "$out"
cp "$work/branin/studio-setup.png" "$work/branin/studio-analysis.png" "$out/"
for page in importance slices contour; do
  cp "$work/branin/studio-analysis-$page.png" "$out/"
done
for page in pareto parallel; do
  cp "$work/zdt1/studio-analysis-$page.png" "$out/"
done
# Thousands of translucent lines compress badly; a 256-colour palette looks
# the same at a third of the size.
if command -v convert > /dev/null; then
  convert "$out/studio-analysis-parallel.png" -colors 256 "PNG8:$out/studio-analysis-parallel.png"
fi
cp "$work/nas/studio-live.png" "$out/"
if [ -n "$nb201" ]; then
  "$build/app/gui/bonsai" --screenshot "$work/cell" --db "$db" --study nb201-cell-gp > /dev/null
  cp "$work/cell/studio-trials.png" "$work/cell/studio-cell.png" \
     "$work/cell/studio-analysis-operations.png" "$out/"
  cp "$work/cell/studio-analysis-contour.png" "$out/studio-analysis-cell-contour.png"
else
  cp "$work/nas/studio-trials.png" "$out/"
fi
ls -l "$out"

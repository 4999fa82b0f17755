#!/usr/bin/env python3
"""Fails when an #include points up the layer stack (see README, Architecture).

Each folder of core/ may include only itself and the folders listed for it
below; core/ never includes Qt, and only core/nas/ includes Torch. ui/ may
include core/ but not core/nas/. Run from anywhere: python3 scripts/check_layers.py
"""
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent

# Lowest layer first; a folder may include the folders named for it.
CORE_ALLOWED = {
    "util": set(),
    "space": {"util"},
    "model": {"util", "space"},
    "multi": {"util", "space", "model"},
    "gp": {"util", "space", "model"},
    # EHVI takes the observed front with multi/'s paretoFront.
    "acquisition": {"util", "space", "model", "multi", "gp"},
    "pruners": {"util", "space", "model"},
    "exec": {"util", "space", "model"},
    "objectives": {"util", "space", "model", "exec"},
    "storage": {"util", "space", "model"},
    "strategies": {"util", "space", "model", "multi", "gp", "acquisition"},
    # What the GP of a study says (the studio's GP views): the gp strategy's
    # model, so above strategies.
    "insight": {"util", "space", "model", "multi", "gp", "acquisition", "strategies"},
}
CORE_FOLDERS = set(CORE_ALLOWED) | {"study", "nas"}
# The engine sits on everything else in core/; NAS objectives sit on the engine.
CORE_ALLOWED["study"] = set(CORE_ALLOWED) - {"study"}
CORE_ALLOWED["nas"] = CORE_FOLDERS - {"nas"}

INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')


def includes(path):
    for number, line in enumerate(path.read_text(errors="replace").splitlines(), 1):
        match = INCLUDE.match(line)
        if match:
            yield number, match.group(1), match.group(2)


def check_core(problems):
    for path in sorted((ROOT / "core").rglob("*")):
        if path.suffix not in (".h", ".cpp"):
            continue
        folder = path.relative_to(ROOT / "core").parts[0]
        allowed = CORE_ALLOWED.get(folder, set()) | {folder}
        for number, kind, target in includes(path):
            where = f"{path.relative_to(ROOT)}:{number}"
            top = target.split("/")[0]
            if kind == '"' and "/" in target and top not in allowed:
                problems.append(f"{where}: core/{folder} must not include {target} "
                                f"(it may include {', '.join(sorted(allowed))})")
            if kind == "<" and re.match(r"Q[A-Za-z]", top):
                problems.append(f"{where}: core/ must not include Qt ({target})")
            if kind == "<" and top in ("torch", "ATen", "c10") and folder != "nas":
                problems.append(f"{where}: only core/nas may include Torch ({target})")


def check_ui(problems):
    for path in sorted((ROOT / "ui").rglob("*")):
        if path.suffix not in (".h", ".cpp"):
            continue
        for number, kind, target in includes(path):
            top = target.split("/")[0]
            if top == "nas" or top in ("torch", "ATen", "c10"):
                problems.append(f"{path.relative_to(ROOT)}:{number}: ui/ must not include "
                                f"{target} (Torch stays in core/nas)")
            if kind == '"' and top == "strategies" and target != "strategies/strategy.h":
                problems.append(f"{path.relative_to(ROOT)}:{number}: ui/ must not include "
                                f"{target} (a strategy's internals; the GP views are in "
                                f"core/insight)")
            if kind == "<" and top.startswith("QtCharts") and path.parts[-2] != "plots":
                problems.append(f"{path.relative_to(ROOT)}:{number}: Qt Charts belongs in ui/plots")


def main():
    problems = []
    check_core(problems)
    check_ui(problems)
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} include(s) point up the layer stack", file=sys.stderr)
        return 1
    print("layering ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env bash
# Runs clang-tidy with the checks of .clang-tidy over core/, ui/ and app/ (not
# tests/, and not core/nas/, whose LibTorch headers take minutes per file;
# BONSAI_TIDY_NAS=1 adds it). Exits 1 on any finding, 2 when it cannot run.
#   scripts/run_clang_tidy.sh [regex of files]    e.g. 'ui/setup/' or 'core/study/spec.cpp'
# Reads build/release/compile_commands.json (cmake --preset release; a built
# bonsai_ui for its moc headers), or the build folder in BONSAI_TIDY_BUILD.
# Jobs: BONSAI_TIDY_JOBS (default: every core). Not part of CI: it takes long
# (see CONTRIBUTING.md).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${BONSAI_TIDY_BUILD:-$root/build/release}"
jobs="${BONSAI_TIDY_JOBS:-$(nproc)}"
if [[ ! -f "$build/compile_commands.json" ]]; then
    echo "run_clang_tidy: no $build/compile_commands.json; run 'cmake --preset release' first" >&2
    exit 2
fi
command -v run-clang-tidy >/dev/null || { echo "run_clang_tidy: install clang-tidy" >&2; exit 2; }

folders='core/(?!nas/)|ui/|app/'
[[ "${BONSAI_TIDY_NAS:-0}" == 1 ]] && folders='core/|ui/|app/'
# Files under the build folder (moc, rcc) are generated: not ours to tidy.
files="^$root/(?=$folders)${1:-}"
count="$(python3 -c 'import json, re, sys
pattern = re.compile(sys.argv[2])
print(len({e["file"] for e in json.load(open(sys.argv[1])) if pattern.search(e["file"])}))' \
    "$build/compile_commands.json" "$files")"
if [[ "$count" == 0 ]]; then
    echo "run_clang_tidy: no file of core/, ui/ or app/ matches '${1:-}'" >&2
    exit 2
fi

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
start=$SECONDS
# GCC's warning flags in the database are unknown to clang: not findings.
run-clang-tidy -p "$build" -j "$jobs" -quiet -extra-arg=-Wno-unknown-warning-option "$files" \
    >"$log" 2>&1 || true
findings="$(grep -E '^[^ ]+:[0-9]+:[0-9]+: (warning|error):' "$log" | sort -u || true)"
if [[ -n "$findings" ]]; then
    # Each finding with its context lines, once (a header's shows once per file).
    grep -vE '^(clang-tidy|[0-9]+ warnings? (and [0-9]+ errors? )?generated|Suppressed|Use -header-filter|Running clang-tidy|Enabled checks|$)' "$log" |
        awk '/: (warning|error):/ { keep = !seen[$0]++ } keep' >&2
    echo "run_clang_tidy: $(wc -l <<<"$findings") finding(s) in $count file(s) ($((SECONDS - start)) s)" >&2
    exit 1
fi
echo "run_clang_tidy: no findings in $count file(s) ($((SECONDS - start)) s)"

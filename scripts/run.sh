#!/usr/bin/env bash
# README command 1: install what is missing, build, and run Bonsai.
# With a display, opens the studio; without one (or with --cli), runs
# bonsai-cli on the bundled example study and prints the best trial.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
bonsai_install_packages
bonsai_build
build="$(bonsai_build_dir)"

if [[ "${1:-}" != "--cli" && -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" && -x "$build/app/gui/bonsai" ]]; then
  exec "$build/app/gui/bonsai"
fi
db="${BONSAI_DB:-$(mktemp -d)/example.db}"
echo "bonsai: running the example study resources/examples/branin-gp.json (database: $db)"
exec "$build/app/cli/bonsai-cli" run "$BONSAI_ROOT/resources/examples/branin-gp.json" --db "$db"

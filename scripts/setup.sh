#!/usr/bin/env bash
# Installs the Debian 12 packages Bonsai needs (only the missing ones) and
# builds it with CMake (Release, Ninja, ccache). Sourced by run.sh and test.sh.
#   BONSAI_PRESET=release|debug|asan   (default release)
set -euo pipefail

BONSAI_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BONSAI_PRESET="${BONSAI_PRESET:-release}"

bonsai_packages=(
  cmake ninja-build g++ ccache pkg-config git
  libeigen3-dev libsqlite3-dev nlohmann-json3-dev libnlopt-cxx-dev libboost-dev zlib1g-dev
  qt6-base-dev qt6-charts-dev qt6-svg-dev libqt6opengl6-dev libxkbcommon-dev libgl-dev
  libtorch-dev dataset-fashion-mnist
  xvfb xauth sqlite3 python3
  # tests/cli/tst_optuna_interop runs the real Optuna (Debian's 3.1)
  python3-optuna
  # packaging: icons rendered from the SVG, the bonsai-cli man page, the
  # .desktop check in CI
  librsvg2-bin help2man desktop-file-utils
)

bonsai_install_packages() {
  local missing=()
  for package in "${bonsai_packages[@]}" "$@"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
      missing+=("$package")
    fi
  done
  if ((${#missing[@]} == 0)); then
    return 0
  fi
  echo "bonsai: installing ${missing[*]}"
  local sudo=()
  if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null || { echo "bonsai: run as root or install sudo" >&2; exit 1; }
    sudo=(sudo)
  fi
  "${sudo[@]}" apt-get update -q
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
}

bonsai_build() {
  cd "$BONSAI_ROOT"
  export CCACHE_DIR="${CCACHE_DIR:-$HOME/.cache/ccache}"
  # Paths relative to the checkout, so every clone shares the cache.
  export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$BONSAI_ROOT}"
  cmake --preset "$BONSAI_PRESET" >/dev/null
  cmake --build --preset "$BONSAI_PRESET" -j "$(nproc)"
}

bonsai_build_dir() {
  echo "$BONSAI_ROOT/build/$BONSAI_PRESET"
}

#!/usr/bin/env bash
# README command 2: install what is missing, build, and run the whole test
# suite (CTest; Qt tests run offscreen). BONSAI_PRESET=asan runs it under
# AddressSanitizer + UndefinedBehaviorSanitizer instead.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
bonsai_install_packages
bonsai_build
export QT_QPA_PLATFORM=offscreen
ctest --preset "$BONSAI_PRESET" -j "$(nproc)" "$@"

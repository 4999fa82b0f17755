#!/usr/bin/env bash
# Builds the .deb from an already built tree (no rebuild), installs it the way
# a user would, smoke-tests the installed programs and files, and removes the
# package again. Needs root (apt-get). Used by .ci/run.
#   scripts/check_package.sh [BUILD_DIR]   (default build/release)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="$(cd "${1:-$root/build/release}" && pwd)"

rm -f "$build"/bonsai_*.deb
(cd "$build" && cpack -G DEB)
debs=("$build"/bonsai_*.deb)
deb="${debs[0]}"
echo "package: $deb"
dpkg-deb --info "$deb" | grep -E '^ (Package|Version|Depends):'

removed=0
remove() {
  if [[ $removed -eq 0 ]]; then
    removed=1
    apt-get remove -y -q bonsai >/dev/null
  fi
}
trap remove EXIT
DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$deb"

test "$(command -v bonsai-cli)" = /usr/bin/bonsai-cli
bonsai-cli --version
bonsai-cli run /usr/share/bonsai/examples/branin-gp.json --db "$(mktemp -d)/s.db"
desktop-file-validate /usr/share/applications/bonsai.desktop
for file in /usr/bin/bonsai /usr/share/icons/hicolor/scalable/apps/bonsai.svg \
  /usr/share/icons/hicolor/48x48/apps/bonsai.png /usr/share/man/man1/bonsai-cli.1.gz; do
  test -e "$file" || { echo "package: $file is missing" >&2; exit 1; }
done
zgrep -qE 'import\\?-optuna' /usr/share/man/man1/bonsai-cli.1.gz ||
  { echo "package: the man page lacks bonsai-cli's commands" >&2; exit 1; }

remove
if [[ -e /usr/bin/bonsai-cli || -e /usr/share/applications/bonsai.desktop ]]; then
  echo "package: files are still installed after removal" >&2
  exit 1
fi
echo "package: built, installed, checked and removed"

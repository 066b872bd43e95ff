#!/usr/bin/env bash
# Runs the browser end-to-end tests against a built `finsam` binary.
#
#   FINSAM_BIN=/path/to/finsam bash e2e/run.sh [tests/some.test.mjs …]   (test paths relative to e2e/)
#
# FINSAM_BIN defaults to $CARGO_TARGET_DIR/debug/finsam, else target/debug/finsam (from the repo root).
# A relative FINSAM_BIN is taken relative to the directory this script was started from.
# Needs node >= 20 and npm, and Chromium at /usr/bin/chromium (or $FINSAM_E2E_CHROMIUM).
# Screenshots go to e2e/screenshots/, server logs and failure screenshots to e2e/artifacts/.
set -euo pipefail

e2e_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo_dir=$(dirname "$e2e_dir")

abs_path() {
  case $1 in
    /*) printf '%s\n' "$1" ;;
    *) printf '%s\n' "$PWD/$1" ;;
  esac
}

if [[ -n ${FINSAM_BIN:-} ]]; then
  FINSAM_BIN=$(abs_path "$FINSAM_BIN")
elif [[ -n ${CARGO_TARGET_DIR:-} ]]; then
  target_dir=$CARGO_TARGET_DIR
  [[ $target_dir == /* ]] || target_dir=$repo_dir/$target_dir
  FINSAM_BIN=$target_dir/debug/finsam
else
  FINSAM_BIN=$repo_dir/target/debug/finsam
fi
export FINSAM_BIN
if [[ ! -x $FINSAM_BIN ]]; then
  echo "e2e: no executable finsam binary at $FINSAM_BIN (build it with 'cargo build -p finsam' or set FINSAM_BIN)" >&2
  exit 1
fi

chromium_path=${FINSAM_E2E_CHROMIUM:-/usr/bin/chromium}
if [[ ! -x $chromium_path ]]; then
  echo "e2e: no Chromium at $chromium_path (apt-get install chromium, or set FINSAM_E2E_CHROMIUM)" >&2
  exit 1
fi

for tool in node npm; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "e2e: $tool is not installed (node >= 20 is needed)" >&2
    exit 1
  fi
done
node_major=$(node -p 'process.versions.node.split(".")[0]')
if ((node_major < 20)); then
  echo "e2e: node $(node --version) is too old; node >= 20 is needed" >&2
  exit 1
fi

cd "$e2e_dir"

# Install the locked dependencies when node_modules is missing or package-lock.json changed since.
stamp=node_modules/.finsam-lock.sha256
lock_sum=$(sha256sum package-lock.json | cut -d' ' -f1)
if [[ ! -d node_modules || ! -f $stamp || $(cat "$stamp") != "$lock_sum" ]]; then
  echo "e2e: npm ci"
  npm ci --no-audit --no-fund
  printf '%s\n' "$lock_sum" >"$stamp"
fi

# Not driving Chromium from a browser download: playwright-core uses the system Chromium.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

if (($# > 0)); then
  tests=("$@")
else
  tests=(tests/*.test.mjs)
fi
echo "e2e: FINSAM_BIN=$FINSAM_BIN"
exec node --test --test-concurrency=1 "${tests[@]}"

#!/usr/bin/env bash
# Checks two of the four install paths from a clean folder, as CI does (`npm run test:install`
# runs this after the npm-tarball and Action tests in test/install/):
#   1. the Python wheel: built, installed with pip into a fresh virtual environment (no index),
#      run there; and its message when no Node.js is found;
#   2. the pre-commit hook: real pre-commit on a sample repository that uses this checkout's HEAD.
# Needs: Debian's python3-build python3-setuptools python3-wheel python3-venv pre-commit (or the
# same from PyPI), git, and the npm registry for pre-commit's install of the hook.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
. "$root/scripts/find-python.sh"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
pass=0
fail=0
check() { # check NAME COMMAND…: runs the command, counts and prints the result
  local name="$1"; shift
  if "$@"; then echo "ok: $name"; pass=$((pass + 1)); else echo "FAILED: $name" >&2; fail=$((fail + 1)); fi
}
keys() { # finding keys `path:line:col rule` from a JSON report on stdin
  node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{for(const f of JSON.parse(s).findings)console.log(`${f.path}:${f.line}:${f.column} ${f.ruleId}`)})'
}

cp -R "$root/examples/spamext" "$work/spamext"
(cd "$work" && node "$root/bin/ftbot.js" scan spamext --format json --exit-zero | keys > checkout.txt)

# 1. The Python wheel.
(cd "$root" && npm run --silent bundle >/dev/null)
wheel="$(bash "$root/scripts/build-python-wheel.sh" 2>"$work/wheel-build.log" | tail -1)"
"$PYTHON" -m venv "$work/venv"
"$work/venv/bin/python" -m pip install --quiet --no-index "$wheel"
wheel_scan() { (cd "$work" && "$work/venv/bin/ftbot" scan spamext --format json --exit-zero | keys > wheel.txt) && [ -s "$work/wheel.txt" ] && diff -u "$work/checkout.txt" "$work/wheel.txt"; }
check "wheel: 'ftbot scan' from a fresh venv finds what the checkout finds" wheel_scan
wheel_module() { local out; out="$(cd "$work" && "$work/venv/bin/python" -m ftbot rules)" && grep -q '^FT001' <<<"$out"; }
check "wheel: 'python -m ftbot rules' lists the rules" wheel_module
no_node() {
  local out status=0
  out="$(cd "$work" && env -i PATH="$work/venv/bin" "$work/venv/bin/ftbot" scan spamext 2>&1)" || status=$?
  [ "$status" -eq 2 ] && grep -q 'ftbot runs on Node.js 20.19 or newer, and no `node` was found on PATH' <<<"$out"
}
check "wheel: without Node.js it exits 2 and says what to install" no_node

# 2. The pre-commit hook, from this checkout's HEAD (pre-commit clones the commit, so only committed
# work is tested).
if command -v pre-commit >/dev/null 2>&1; then
  rev="$(git -C "$root" rev-parse HEAD)"
  sample="$work/sample"
  cp -R "$root/examples/spamext" "$sample"
  printf 'repos:\n  - repo: %s\n    rev: %s\n    hooks:\n      - id: ftbot\n' "$root" "$rev" > "$sample/.pre-commit-config.yaml"
  git -C "$sample" init --quiet
  git -C "$sample" add -A
  git -C "$sample" -c user.name=ftbot -c user.email=ftbot@localhost commit --quiet -m sample
  export PRE_COMMIT_HOME="$work/pre-commit-home"
  hook_all() {
    local status=0
    (cd "$sample" && pre-commit run ftbot --all-files > "$work/hook-all.txt" 2>&1) || status=$?
    [ "$status" -eq 1 ] && grep -Eq '^src/[^:]+:[0-9]+:[0-9]+: FT0[0-9]{2} ' "$work/hook-all.txt"
  }
  check "pre-commit: the hook installs from a git checkout and reports findings (exit 1)" hook_all
  hook_subset() {
    # One file passed alone: its findings are the ones the whole run reported for it, so cross-file
    # rules do not change with the files pre-commit passes.
    local file="pyproject.toml" status=0
    (cd "$sample" && pre-commit run ftbot --files "$file" > "$work/hook-one.txt" 2>&1) || status=$?
    grep -E "^$file:" "$work/hook-all.txt" | sort > "$work/expected.txt"
    grep -E "^$file:" "$work/hook-one.txt" | sort > "$work/actual.txt"
    [ -s "$work/expected.txt" ] && diff -u "$work/expected.txt" "$work/actual.txt"
  }
  check "pre-commit: findings in one file do not depend on the files passed" hook_subset
else
  echo "FAILED: pre-commit is not installed" >&2
  fail=$((fail + 1))
fi

echo "install-paths: $pass passed, $fail failed"
[ "$fail" -eq 0 ]

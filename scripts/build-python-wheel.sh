#!/usr/bin/env bash
# Builds the Python wheel that carries the bundled CLI: python/dist/ftbot-<version>-py3-none-any.whl.
# Needs `npm run bundle` first, and a Python with the `build` and `setuptools` modules (set PYTHON
# to choose one; Debian: python3-build python3-setuptools python3-wheel).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
. "$root/scripts/find-python.sh"
pkg="$root/packages/ftbot"
[ -f "$pkg/dist/cli/ftbot.mjs" ] || { echo "build-python-wheel: run 'npm run bundle' first" >&2; exit 2; }
version="$(node -p "require('$root/package.json').version")"
grep -q "^version = \"$version\"$" "$root/python/pyproject.toml" ||
  { echo "build-python-wheel: python/pyproject.toml's version differs from package.json's $version" >&2; exit 2; }
dest="$root/python/src/ftbot/cli"
rm -rf "$dest" "$root/python/build" "$root/python/dist"
mkdir -p "$dest"
cp -R "$pkg/dist" "$pkg/knowledge" "$pkg/docs" "$pkg/prompts" "$pkg/LICENSE" "$dest/"
"$PYTHON" -m build --wheel --no-isolation --outdir "$root/python/dist" "$root/python" >&2
ls "$root/python/dist/"ftbot-"$version"-py3-none-any.whl

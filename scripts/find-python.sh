# Sourced: sets PYTHON to a Python 3 that has the modules the packaging checks need (build,
# setuptools, venv). Honours a PYTHON already set.
for candidate in "${PYTHON:-}" python3 /usr/bin/python3; do
  [ -n "$candidate" ] || continue
  if "$candidate" -c 'import build, setuptools, venv' >/dev/null 2>&1; then PYTHON="$candidate"; break; fi
done
if [ -z "${PYTHON:-}" ] || ! "$PYTHON" -c 'import build' >/dev/null 2>&1; then
  echo "no Python 3 with the build, setuptools and venv modules (Debian: apt-get install python3-build python3-setuptools python3-wheel python3-venv)" >&2
  exit 2
fi

#!/usr/bin/env bash
# Puts CPython 3.11's Modules/, Objects/ and Python/ C sources into .bench-cache/cpython-3.11
# from Debian's source package (the upstream tarball; Debian's patches are not applied).
# Needs apt and root, as on the CI machines. Prints the corpus path on success.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
dest="$here/.bench-cache/cpython-3.11"
if [ -d "$dest/Objects" ]; then echo "$dest"; exit 0; fi
work="$here/.bench-cache/download"
mkdir -p "$work"
if ! ls "$work"/python3.11_*.orig.tar.* >/dev/null 2>&1; then
  if ! grep -rqs "deb-src" /etc/apt/sources.list /etc/apt/sources.list.d/; then
    # Mirror the existing deb822 stanza for Debian's main archive as a deb-src one.
    cat > /etc/apt/sources.list.d/ftbot-bench-src.sources <<'SRC'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
  fi
  apt-get update -qq >&2
  (cd "$work" && apt-get source --download-only python3.11 >&2)
fi
tarball="$(ls "$work"/python3.11_*.orig.tar.* | head -n 1)"
tmp="$here/.bench-cache/extract"
rm -rf "$tmp" && mkdir -p "$tmp"
tar -xf "$tarball" -C "$tmp" --strip-components=1
mkdir -p "$dest"
(cd "$tmp" && find Modules Objects Python -type f \( -name '*.c' -o -name '*.h' -o -name '*.cpp' \) -print0 | tar --null -T - -cf -) | tar -x -C "$dest"
rm -rf "$tmp"
echo "$dest"

#!/usr/bin/env bash
# Makes the commit a release of the Action runs from: HEAD plus the bundled CLI (force-added, as it
# is ignored on branches), tagged v<version>. Nothing is pushed; push the tag yourself.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -z "$(git status --porcelain)" ] || { echo "release-action: commit or stash your changes first" >&2; exit 2; }
version="$(node -p "require('./package.json').version")"
npm run --silent bundle
git switch --quiet --detach
git add -f packages/ftbot/dist packages/ftbot/knowledge packages/ftbot/docs packages/ftbot/prompts packages/ftbot/LICENSE
git commit --quiet -m "release: v$version with the bundled CLI"
git tag "v$version"
git switch --quiet -
echo "tagged v$version; push it with: git push origin v$version"

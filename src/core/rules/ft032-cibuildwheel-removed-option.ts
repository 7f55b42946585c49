import { defineRule } from '../engine/define-rule.js';
import { parseWorkflow } from '../build-files/locate.js';

/**
 * cibuildwheel options for free-threaded builds that later majors deprecated or removed
 * (cibuildwheel changelog): `free-threaded-support` / `CIBW_FREE_THREADED_SUPPORT` were replaced
 * by `enable = ["cpython-freethreading"]` in 2.22 and removed in 3.0; `CIBW_PRERELEASE_PYTHONS`
 * was removed in 3.0 (and setting the old variable is an error from 3.1.2); the
 * `cpython-freethreading` value was deprecated in 3.4.1 and removed in 4.0, where 3.14t and later
 * need no flag and 3.13t is no longer built.
 */
// Each pattern matches the option where cibuildwheel reads it: a key at the start of a line (TOML
// key, YAML env key) or an `enable` value. Worked example: `  CIBW_ENABLE: cpython-freethreading`
// matches the last pattern; a `description = "… cpython-freethreading …"` line does not. A YAML
// list dash is `(?:-[ \t]*)?`, never `-?[ \t]*` after `[ \t]*`: two blank runs that can split one
// run of blanks any way make a long blank line quadratic.
const options: Array<{ pattern: RegExp; name: string; removedIn: string; instead: string }> = [
  { pattern: /^[ \t]*free-threaded-support[ \t]*=/gm, name: 'free-threaded-support', removedIn: '3.0', instead: 'nothing on cibuildwheel 3.1+, which builds `cp314t` by default' },
  { pattern: /^[ \t]*(?:-[ \t]*)?CIBW_FREE_THREADED_SUPPORT[ \t]*[:=]/gm, name: 'CIBW_FREE_THREADED_SUPPORT', removedIn: '3.0', instead: 'nothing on cibuildwheel 3.1+, which builds `cp314t` by default' },
  { pattern: /^[ \t]*(?:-[ \t]*)?CIBW_PRERELEASE_PYTHONS[ \t]*[:=]/gm, name: 'CIBW_PRERELEASE_PYTHONS', removedIn: '3.0', instead: '`enable = ["cpython-prerelease"]`' },
  { pattern: /^[ \t]*(?:-[ \t]*)?(enable|CIBW_ENABLE)[ \t]*[:=][^\n#]*cpython-freethreading/gm, name: 'cpython-freethreading', removedIn: '4.0', instead: 'nothing: cibuildwheel 4 builds 3.14t and later by default and no longer builds 3.13t' },
];

/** `pypa/cibuildwheel@v2.21.3` → [2, 21]; undefined when the workflow does not pin one. */
function pinnedVersion(text: string): [number, number] | undefined {
  const m = /pypa\/cibuildwheel@v?(\d+)\.(\d+)/.exec(text);
  return m === null ? undefined : [Number(m[1]), Number(m[2])];
}

function atLeast(version: [number, number], removedIn: string): boolean {
  const [major = 0, minor = 0] = removedIn.split('.').map(Number);
  return version[0] > major || (version[0] === major && version[1] >= minor);
}

export default defineRule({
  meta: {
    id: 'FT032',
    name: 'cibuildwheel-removed-option',
    title: 'cibuildwheel option for free-threaded builds that was removed',
    category: 'build',
    why: 'The option is gone from current cibuildwheel, so updating the action breaks the wheel build or drops the free-threaded wheels.',
    targets: ['pyproject', 'workflow'],
    severity: 'warning',
    confidence: 'high',
    fix: 'never',
    preview: false,
    triggers: ['free-threaded-support', 'CIBW_FREE_THREADED_SUPPORT', 'CIBW_PRERELEASE_PYTHONS', 'freethreading'],
    messages: {
      removed: '`{{option}}` was removed in cibuildwheel {{version}}; with a newer cibuildwheel the build fails or ignores it',
    },
    help: {
      removed: 'Use {{instead}}',
    },
  },
  check(ctx) {
    const pinned = ctx.target === 'workflow' ? pinnedVersion(ctx.text) : undefined;
    const inComment = (offset: number): boolean => {
      const lineStart = ctx.text.lastIndexOf('\n', offset) + 1;
      return ctx.text.slice(lineStart, offset).includes('#');
    };
    if (ctx.target === 'workflow' && parseWorkflow(ctx.text).doc === undefined) return;
    for (const option of options) {
      // A workflow pinned to a cibuildwheel that still has the option is fine as it is.
      if (pinned !== undefined && !atLeast(pinned, option.removedIn)) continue;
      const match = [...ctx.text.matchAll(option.pattern)].find((m) => !inComment(m.index + m[0].length - m[0].trimStart().length));
      if (match === undefined) continue;
      const start = match.index + (match[0].length - match[0].trimStart().length);
      ctx.report({
        start,
        end: match.index + match[0].length,
        messageId: 'removed',
        symbol: '<build>',
        severity: pinned === undefined ? 'warning' : 'error',
        data: { option: option.name, version: option.removedIn, instead: option.instead },
      });
    }
  },
});

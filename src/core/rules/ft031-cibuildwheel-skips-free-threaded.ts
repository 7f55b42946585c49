import { isScalar, visit } from 'yaml';
import { defineRule } from '../engine/define-rule.js';
import { parseWorkflow } from '../build-files/locate.js';
import { withoutComments } from '../build-files/workflow-jobs.js';
import { matchGlob } from '../parsing/match-glob.js';

// Identifiers of the free-threaded builds cibuildwheel 3.1+ makes by default (3.13t is deprecated
// and gone in 4.0, so skipping only `cp313t-*` is not reported).
const currentFreeThreaded = ['cp314t-manylinux_x86_64', 'cp314t-win_amd64', 'cp314t-macosx_arm64', 'cp315t-manylinux_x86_64'];

/**
 * The first selector in a white-space separated list that skips a current free-threaded build.
 * Worked example: "pp* cp3??t-*" → `cp3??t-*` (matches cp314t-manylinux_x86_64); "cp313t-*" → none.
 */
export function freeThreadedSelector(selectors: string): string | undefined {
  return selectors
    .split(/\s+/)
    .filter(Boolean)
    .find((selector) => {
      // Specific to free threading: matches `cp314t-…` but not the GIL build `cp314-…` (so `*` or
      // `cp3*`, which skip everything, are not this rule's business).
      return currentFreeThreaded.some((id) => matchGlob(selector, id) && !matchGlob(selector, id.replace('t-', '-')));
    });
}

export default defineRule({
  meta: {
    id: 'FT031',
    name: 'cibuildwheel-skips-free-threaded',
    title: 'cibuildwheel configured to skip free-threaded builds',
    category: 'build',
    why: 'A skip pattern that drops the free-threaded wheels leaves users of a free-threaded Python without a wheel to install.',
    targets: ['pyproject', 'workflow'],
    severity: 'warning',
    confidence: 'high',
    fix: 'never',
    preview: false,
    triggers: ['skip', 'CIBW_SKIP'],
    messages: {
      skipped: 'The `{{selector}}` selector makes cibuildwheel skip free-threaded wheels, so users of `3.14t` get no wheel',
    },
    help: {
      skipped: 'Remove the free-threaded selector once the modules declare support (skip only the platforms a dependency cannot serve)',
    },
  },
  check(ctx) {
    if (ctx.target === 'pyproject') {
      // `skip = "cp3??t-*"` or `skip = ["pp*", "cp3??t-*"]` inside [tool.cibuildwheel] (or its overrides).
      // Only `skip` keys inside cibuildwheel's own tables count: track the current table header.
      const skipLine = /^\s*skip\s*=\s*(\[[^\]]*\]|"[^"]*"|'[^']*')/;
      let inCibuildwheel = false;
      let offset = 0;
      for (const line of ctx.text.split('\n')) {
        // `[tool.cibuildwheel]`, `[[tool.cibuildwheel.overrides]]`: the name is trimmed in code, not
        // by `\s*` around a lazy group, whose three-way split of a run of blanks is cubic in it.
        const header = /^\s*\[\[?([^\]]*)\]/.exec(line);
        if (header !== null) inCibuildwheel = /^tool\.cibuildwheel(\.|$)/.test((header[1] ?? '').trim());
        const m = inCibuildwheel ? skipLine.exec(line) : null;
        // `["pp*", "cp3??t-*"]` → ` pp*   cp3??t-* ` (selectors separated by white space).
        const selector = m === null ? undefined : freeThreadedSelector((m[1] ?? '').replace(/^\[|\]$|["',]/g, ' '));
        if (m !== null && selector !== undefined) {
          const start = offset + m.index + (m[0].length - m[0].trimStart().length);
          ctx.report({ start, end: offset + m.index + m[0].length, messageId: 'skipped', symbol: '<build>', data: { selector } });
        }
        offset += line.length + 1;
      }
      return;
    }
    const { doc } = parseWorkflow(ctx.text);
    if (doc === undefined) return;
    visit(doc, {
      Pair(_key, pair) {
        if (!isScalar(pair.key) || pair.key.value !== 'CIBW_SKIP' || !isScalar(pair.value)) return;
        const selector = freeThreadedSelector(String(pair.value.value));
        if (selector === undefined) return;
        const start = pair.key.range?.[0] ?? 0;
        ctx.report({ start, end: pair.value.range?.[1] ?? start, messageId: 'skipped', symbol: '<workflow>', data: { selector } });
      },
    });
    // A shell assignment in a `run:` script (`CIBW_SKIP="cp314t-* *musllinux*"`, then written to
    // `$GITHUB_ENV`): each one that skips a current free-threaded build.
    for (const m of withoutComments(ctx.text).matchAll(/\bCIBW_SKIP=(["'])([^"'\n]{0,500})\1/g)) {
      const selector = freeThreadedSelector((m[2] ?? '').replace(/\$\{?\w+\}?/g, ' '));
      if (selector === undefined) continue;
      ctx.report({ start: m.index, end: m.index + m[0].length, messageId: 'skipped', symbol: '<workflow>', data: { selector } });
    }
  },
});

import { isScalar, visit, type Scalar } from 'yaml';
import { defineRule } from '../engine/define-rule.js';
import { parseWorkflow } from '../build-files/locate.js';

// A cibuildwheel selector that matches free-threaded identifiers: `cp3??t-*`, `cp313t-*`, `*t-*`,
// `cp314t-win*`. Worked example: "cp38-* cp3??t-*" → the second selector matches.
const freeThreadedSelector = /(^|\s)(\*|cp3[\d?*[\]]*)t-\S*/;

export default defineRule({
  meta: {
    id: 'FT031',
    name: 'cibuildwheel-skips-free-threaded',
    title: 'cibuildwheel configured to skip free-threaded builds',
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
      const section = ctx.text.indexOf('[tool.cibuildwheel');
      if (section < 0) return;
      const skipLine = /^\s*skip\s*=\s*(\[[^\]]*\]|"[^"]*"|'[^']*')/gm;
      skipLine.lastIndex = section;
      for (let m = skipLine.exec(ctx.text); m !== null; m = skipLine.exec(ctx.text)) {
        // `["pp*", "cp3??t-*"]` → ` pp*   cp3??t-* ` (selectors separated by white space).
        const selector = freeThreadedSelector.exec((m[1] ?? '').replace(/^\[|\]$|["',]/g, ' '));
        if (selector === null) continue;
        ctx.report({ start: m.index + (m[0].length - m[0].trimStart().length), end: m.index + m[0].length, messageId: 'skipped', symbol: '<build>', data: { selector: selector[0].trim() } });
      }
      return;
    }
    const { doc } = parseWorkflow(ctx.text);
    if (doc === undefined) return;
    visit(doc, {
      Pair(_key, pair) {
        if (!isScalar(pair.key) || pair.key.value !== 'CIBW_SKIP' || !isScalar(pair.value)) return;
        const value = String((pair.value as Scalar).value);
        const selector = freeThreadedSelector.exec(value);
        if (selector === null) return;
        const start = pair.key.range?.[0] ?? 0;
        ctx.report({ start, end: pair.value.range?.[1] ?? start, messageId: 'skipped', symbol: '<workflow>', data: { selector: selector[0].trim() } });
      },
    });
  },
});

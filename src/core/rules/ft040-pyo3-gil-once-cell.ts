import { analyzeRustSharedState, type RustCellMention } from '../analysis/shared-state/analyze-rust.js';
import { defineRule } from '../engine/define-rule.js';

const placeLabel: Record<RustCellMention['where'], string> = {
  import: 'imported here',
  field: 'held in a field',
  parameter: 'taken as a parameter',
  expression: 'created here',
};

/**
 * `GILOnceCell` and `GILProtected` leaned on the GIL: the first lets threads race to run its
 * initialiser (deprecated since PyO3 0.26 for `PyOnceLock`), the second is compiled out of
 * free-threaded builds since PyO3 0.23. One finding per static at its declaration, one per
 * lazy-init call on such a static, and one per other line that names the type.
 */
export default defineRule({
  meta: {
    id: 'FT040',
    name: 'pyo3-gil-once-cell',
    title: 'PyO3 `GILOnceCell` or `GILProtected` state that relies on the GIL',
    category: 'shared-state',
    why: 'Without the GIL, threads race to run a `GILOnceCell` initialiser, and `GILProtected` does not exist at all.',
    targets: ['rust'],
    severity: 'warning',
    confidence: 'medium',
    fix: 'never',
    preview: false,
    triggers: ['GILOnceCell', 'GILProtected'],
    messages: {
      static: '`static {{name}}` is a `GILOnceCell`: without the GIL threads race to run its initialiser (deprecated since PyO3 0.26)',
      protected: '`static {{name}}` is a `GILProtected`, which free-threaded builds do not have (PyO3 0.23 and later)',
      init: '`{{name}}.{{method}}` in `{{function}}` can run the initialiser on two threads at once without the GIL',
      mention: '`{{type}}` {{place}}: it relies on the GIL and is deprecated since PyO3 0.26',
      protectedMention: '`GILProtected` {{place}}: free-threaded builds do not have it (PyO3 0.23 and later)',
    },
    help: {
      static: 'Declare `{{name}}` as `pyo3::sync::PyOnceLock` (PyO3 0.26+) or `std::sync::OnceLock`',
      protected: 'Hold the value in a `std::sync::Mutex` (or an atomic) instead',
      init: 'Make `{{name}}` a `PyOnceLock` (PyO3 0.26+) or `std::sync::OnceLock`, which run the initialiser once',
      mention: 'Use `pyo3::sync::PyOnceLock` (PyO3 0.26+) or `std::sync::OnceLock` instead',
      protectedMention: 'Use a `std::sync::Mutex` (or an atomic) instead',
    },
  },
  check(ctx) {
    if (ctx.root === undefined) return;
    const analysis = analyzeRustSharedState(ctx.root, ctx.text);
    for (const s of analysis.statics) {
      if (s.kind === 'static-mut') continue;
      const inits = analysis.accesses.filter((a) => a.variable === s);
      ctx.report({
        start: s.at,
        end: s.end,
        messageId: s.kind === 'gil-protected' ? 'protected' : 'static',
        symbol: s.name,
        ...(s.kind === 'gil-protected' ? { severity: 'error' as const, confidence: 'high' as const } : {}),
        data: { name: s.name },
        related: inits.slice(0, 8).map((a) => ({ start: a.at, message: `initialised in \`${a.function}\`` })),
      });
    }
    for (const a of analysis.accesses) {
      // Module init runs once per interpreter, before Python code can reach the cell.
      if (a.kind !== 'init' || a.reach === 'init') continue;
      const method = ctx.text.slice(a.at, a.end).split('.').pop()?.trim() ?? 'get_or_init';
      ctx.report({
        start: a.at,
        end: a.end,
        messageId: 'init',
        symbol: a.function,
        // A helper's caller is not known here; it may still be Python.
        confidence: a.reach === 'entry' ? 'medium' : 'low',
        data: { name: a.variable.name, method, function: a.function },
        related: [{ start: a.variable.at, message: `\`${a.variable.name}\` declared here` }],
      });
    }
    for (const m of analysis.mentions) {
      ctx.report({
        start: m.at,
        end: m.end,
        messageId: m.type === 'GILProtected' ? 'protectedMention' : 'mention',
        symbol: m.function,
        severity: m.type === 'GILProtected' ? 'error' : 'info',
        confidence: m.type === 'GILProtected' ? 'high' : 'low',
        data: { type: m.type, place: placeLabel[m.where] },
      });
    }
  },
});

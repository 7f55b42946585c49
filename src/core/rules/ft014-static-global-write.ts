import { cFileModel } from '../analysis/shared-state/c-model.js';
import { hasEntryPoints, sharedDeclarations, sharedKindLabel as kindLabel, sharedStateOf, summarizeCSharedState } from '../analysis/shared-state/index.js';
import { defineRule, type Anchor } from '../engine/define-rule.js';
import type { PublishedSharedSummary } from '../engine/scan-facts.js';

/**
 * Unprotected writes to state every thread shares (file- and namespace-scope variables, static or
 * not; function-local statics; C++ static data members; Cython module variables), from code
 * Python can run: one finding per variable per function, naming the entry point that reaches it.
 * The analysis is in `core/analysis/shared-state`; this rule only words its reports.
 */
/** The file's summary for the analysis across files, when it has something to tell (C and C++ only). */
function summaryOf(text: string, target: string, path: string) {
  if ((target !== 'c' && target !== 'cpp') || !hasEntryPoints(text)) return undefined;
  const summary = summarizeCSharedState(text, path);
  return summary.declared.length + summary.foreignWrites.length > 0 ? summary : undefined;
}

/**
 * The summary as published: each file-scope declaration with its anchor (from the model the summary
 * was built from, cached per text), so FT045 reports at it without reading the file again.
 */
function published(summary: ReturnType<typeof summarizeCSharedState>, text: string, anchor: (start: number, end: number) => Anchor): PublishedSharedSummary {
  const variables = [...cFileModel(text).shared.values()];
  return {
    ...summary,
    declared: summary.declared.map((d, i) => {
      const v = variables[i];
      const fileScope = d.kind !== 'static-local' && d.kind !== 'field';
      return fileScope && v?.name === d.name ? { ...d, at: anchor(v.at, v.at + v.name.length) } : d;
    }),
    includesLocal: /^[ \t]*#[ \t]*include[ \t]*"/m.test(text),
  };
}

export default defineRule({
  // The per-file summaries feed FT045 (shared state declared in one file, written in another).
  publishes: ['sharedSummaries'],
  meta: {
    id: 'FT014',
    name: 'static-global-write',
    title: 'Shared global or static state written without a lock from code Python can run',
    category: 'shared-state',
    why: 'Two threads can write this global at once; without the GIL nothing orders the writes or the reads that follow.',
    targets: ['c', 'cpp', 'cython'],
    severity: 'warning',
    confidence: 'medium',
    fix: 'never',
    preview: true,
    triggers: [],
    messages: {
      write: 'Shared {{kind}} `{{path}}` is written in `{{function}}` without a lock; {{reach}}',
      lazyInit: 'Lazily initialised {{kind}} `{{path}}` in `{{function}}`: two threads can both see it unset and fill it; {{reach}}',
      lazyInitGroup: 'Lazily initialised {{kind}} `{{path}}` in `{{function}}`, with {{companions}} filled under the same check: two threads can both see it unset and fill them; {{reach}}',
      counter: 'Read-modify-write of {{kind}} `{{path}}` in `{{function}}` loses updates when threads race; {{reach}}',
      freeList: 'Free list or cache `{{path}}` is pushed or popped in `{{function}}` without a lock; {{reach}}',
      declared: 'Shared {{kind}} `{{name}}` is written without a lock in {{writers}}; the fix usually changes this declaration',
    },
    help: {
      write: 'Move `{{name}}` into module state guarded by a `PyMutex`, make it atomic or thread-local, or fill it only during module init',
      lazyInit: 'Fill `{{name}}` during module init, or guard the check and the store with one `PyMutex` (or a once-flag)',
      lazyInitGroup: 'Fill `{{name}}` and the variables filled with it during module init, or run the whole initialisation once (a once-flag, or one `PyMutex` around the check and every store)',
      counter: 'Make `{{name}}` atomic (`_Py_atomic_add_*`, `std::atomic`, `_Atomic`) or update it under a `PyMutex`',
      freeList: 'Guard `{{name}}` with a `PyMutex`, make it thread-local, or disable it under `#ifdef Py_GIL_DISABLED`',
      declared: 'Move `{{name}}` into module state guarded by a `PyMutex`, make it atomic or thread-local, or compile it out under `#ifdef Py_GIL_DISABLED`',
    },
  },
  // `check` reads the analysis, not the tree: one offset gets it run (and the summary published).
  needsTree: false,
  prefilter: (text, target) => (sharedStateOf(text, target).writes.length > 0 || summaryOf(text, target, '') !== undefined ? [0] : []),
  check(ctx) {
    const summary = summaryOf(ctx.text, ctx.target, ctx.path);
    if (summary !== undefined) ctx.publish('sharedSummaries', published(summary, ctx.text, ctx.anchor));
    const analysis = sharedStateOf(ctx.text, ctx.target);
    for (const d of sharedDeclarations(analysis)) {
      const shown = d.writers.slice(0, 3).map((f) => `\`${f}\``);
      const writers = d.writers.length > 3 ? `${shown.join(', ')} and ${d.writers.length - 3} more` : shown.join(d.writers.length === 2 ? ' and ' : ', ');
      ctx.report({
        start: d.variable.at,
        end: d.variable.at + d.variable.name.length,
        messageId: 'declared',
        symbol: d.variable.name,
        confidence: d.confidence,
        data: { kind: kindLabel[d.variable.kind], name: d.variable.name, writers },
        related: d.related.map((r) => ({ start: r.at, message: r.message })),
      });
    }
    for (const w of analysis.writes) {
      const reach =
        w.confidence === 'low'
          ? `no entry point in this file reaches it, but ${w.reason.via} may call it`
          : w.reason.entry === w.function
            ? `Python reaches it through ${w.reason.via}`
            : `Python reaches it from \`${w.reason.entry}\` (${w.reason.via})`;
      const kind = kindLabel[w.variable.kind];
      const companions = w.companions ?? [];
      const shown = companions.slice(0, 3).map((n) => `\`${n}\``);
      const named = companions.length > 3 ? `${shown.join(', ')} and ${companions.length - 3} more` : shown.length > 1 ? `${shown.slice(0, -1).join(', ')} and ${shown.at(-1) ?? ''}` : (shown[0] ?? '');
      ctx.report({
        start: w.at,
        end: w.end,
        messageId: companions.length > 0 ? 'lazyInitGroup' : w.kind,
        symbol: w.function,
        confidence: w.confidence,
        data: { kind, path: w.path, name: w.variable.name, function: w.function, reach, companions: named },
        related: w.related.map((r) => ({ start: r.at, message: r.message })),
      });
    }
  },
});

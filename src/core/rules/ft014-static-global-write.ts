import { cFileModel, type SharedVariable } from '../analysis/shared-state/c-model.js';
import { codeList } from '../analysis/shared-state/code-list.js';
import { hasEntryPoints, sharedDeclarations, sharedKindLabel as kindLabel, sharedStateOf, summarizeCSharedState, type SharedWriteReport } from '../analysis/shared-state/index.js';
import { defineRule, type Anchor } from '../engine/define-rule.js';
import type { PublishedSharedSummary } from '../engine/scan-facts.js';

/**
 * Unprotected writes to state every thread shares (file- and namespace-scope variables, static or
 * not; function-local statics; C++ static data members; Cython module variables), from code
 * Python can run: one finding per variable, at its declaration, with its writes (one per function)
 * as related places; a single writer's finding names the entry point that reaches it.
 * The analysis is in `core/analysis/shared-state`; this rule only words and groups its reports.
 */

/** Related places listed per finding; the message counts every writer. */
const maxRelated = 12;

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
      staticLocals: 'Shared function-local statics {{names}} are written in `{{function}}` without a lock; {{reach}}',
    },
    help: {
      write: 'Move `{{name}}` into module state guarded by a `PyMutex`, make it atomic or thread-local, or fill it only during module init',
      lazyInit: 'Fill `{{name}}` during module init, or guard the check and the store with one `PyMutex` (or a once-flag)',
      lazyInitGroup: 'Fill `{{name}}` and the variables filled with it during module init, or run the whole initialisation once (a once-flag, or one `PyMutex` around the check and every store)',
      counter: 'Make `{{name}}` atomic (`_Py_atomic_add_*`, `std::atomic`, `_Atomic`) or update it under a `PyMutex`',
      freeList: 'Guard `{{name}}` with a `PyMutex`, make it thread-local, or disable it under `#ifdef Py_GIL_DISABLED`',
      declared: 'Move `{{name}}` into module state guarded by a `PyMutex`, make it atomic or thread-local, or compile it out under `#ifdef Py_GIL_DISABLED`',
      staticLocals: 'Move them into module state guarded by a `PyMutex`, make them atomic or thread-local, or fill them only during module init',
    },
  },
  // `check` reads the analysis, not the tree: one offset gets it run (and the summary published).
  // No cheaper test on the raw text goes before the model: knowing that a file gives neither a
  // write nor a summary needs its foreign-write scan, which needs the model. Files that give
  // nothing are about 40% of those past the entry-point gate but only about a tenth of their
  // bytes. Skipping them all (with the answers known in advance) saved under 1% of a whole
  // `--select ALL` scan's instructions.
  needsTree: false,
  prefilter: (text, target) => (sharedStateOf(text, target).writes.length > 0 || summaryOf(text, target, '') !== undefined ? [0] : []),
  check(ctx) {
    const summary = summaryOf(ctx.text, ctx.target, ctx.path);
    if (summary !== undefined) ctx.publish('sharedSummaries', published(summary, ctx.text, ctx.anchor));
    const analysis = sharedStateOf(ctx.text, ctx.target);
    // One finding per variable. A variable with a declaration finding is reported there alone: its
    // writes in each function are that finding's related places, not findings of their own.
    const writesOf = new Map<number, SharedWriteReport[]>();
    for (const w of analysis.writes) writesOf.set(w.variable.at, [...(writesOf.get(w.variable.at) ?? []), w]);
    for (const d of sharedDeclarations(analysis)) {
      const writes = writesOf.get(d.variable.at) ?? [];
      writesOf.delete(d.variable.at);
      const related = relatedOf(d.variable, writes);
      const only = writes.length === 1 ? writes[0] : undefined;
      if (only !== undefined) {
        // One writing function: its words (lazy init, counter, free list, the entry point), at the declaration.
        ctx.report({ start: d.variable.at, end: d.variable.at + d.variable.name.length, ...writeReport(only), symbol: d.variable.name, confidence: d.confidence, related });
        continue;
      }
      const shown = d.writers.slice(0, 3).map((f) => `\`${f}\``);
      const writers = d.writers.length > 3 ? `${shown.join(', ')} and ${d.writers.length - 3} more` : shown.join(d.writers.length === 2 ? ' and ' : ', ');
      ctx.report({
        start: d.variable.at,
        end: d.variable.at + d.variable.name.length,
        messageId: 'declared',
        symbol: d.variable.name,
        confidence: d.confidence,
        data: { kind: kindLabel[d.variable.kind], name: d.variable.name, writers },
        related,
      });
    }
    // Function-local statics (reported at their declaration by the analysis): one finding per
    // declaration line and function, so `static double *a, *p, *q;` is one finding.
    const byLine = new Map<string, SharedWriteReport[]>();
    for (const w of [...writesOf.values()].flat().sort((a, b) => a.at - b.at)) {
      const key = `${w.function}\u0000${ctx.text.lastIndexOf('\n', w.at)}`;
      byLine.set(key, [...(byLine.get(key) ?? []), w]);
    }
    for (const [first, ...others] of byLine.values()) {
      if (first === undefined) continue;
      const related = [...first.related, ...others.flatMap((o) => o.related)].map((r) => ({ start: r.at, message: r.message }));
      if (others.length === 0) {
        ctx.report({ start: first.at, end: first.end, ...writeReport(first), symbol: first.function, confidence: first.confidence, related });
        continue;
      }
      const all = [first, ...others];
      ctx.report({
        start: first.at,
        end: first.end,
        messageId: 'staticLocals',
        symbol: first.function,
        confidence: all.some((w) => w.confidence === 'medium') ? 'medium' : 'low',
        data: { names: codeList(all.map((w) => w.path)), name: first.variable.name, function: first.function, reach: reachOf(first) },
        related,
      });
    }
  },
});

/** The message, data and related places a write report gives (its own words, wherever it is reported). */
function writeReport(w: SharedWriteReport): { messageId: 'write' | 'lazyInit' | 'lazyInitGroup' | 'counter' | 'freeList'; data: Record<string, string> } {
  const companions = w.companions ?? [];
  return {
    messageId: companions.length > 0 ? 'lazyInitGroup' : w.kind,
    data: { kind: kindLabel[w.variable.kind], path: w.path, name: w.variable.name, function: w.function, reach: reachOf(w), companions: codeList(companions) },
  };
}

/** How Python reaches the write, for the end of a message. */
function reachOf(w: SharedWriteReport): string {
  if (w.confidence === 'low') return `no entry point in this file reaches it, but ${w.reason.via} may call it`;
  return w.reason.entry === w.function ? `Python reaches it through ${w.reason.via}` : `Python reaches it from \`${w.reason.entry}\` (${w.reason.via})`;
}

const writtenAs: Record<SharedWriteReport['kind'], string> = {
  write: 'written without a lock',
  lazyInit: 'lazily initialised',
  counter: 'read-modify-write',
  freeList: 'pushed or popped without a lock',
};

/**
 * The related places of a declaration finding: each write (one per function, in file order) with
 * what it does, then the places those writes point at themselves (a lazy init's check, the
 * variables filled under it), without the declaration and each place once.
 */
function relatedOf(variable: SharedVariable, writes: readonly SharedWriteReport[]): Array<{ start: number; message: string }> {
  const out: Array<{ start: number; message: string }> = [];
  const seen = new Set<number>([variable.at]);
  const add = (start: number, message: string) => {
    if (seen.has(start) || out.length >= maxRelated) return;
    seen.add(start);
    out.push({ start, message });
  };
  for (const w of writes) add(w.at, `\`${w.path}\` ${writtenAs[w.kind]} in \`${w.function}\``);
  for (const w of writes) for (const r of w.related) if (!/^also written in |written without a lock in /.test(r.message)) add(r.at, r.message);
  return out;
}

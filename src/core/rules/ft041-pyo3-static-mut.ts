import { analyzeRustSharedState, type RustStaticAccess } from '../analysis/shared-state/analyze-rust.js';
import { codeList } from '../analysis/shared-state/code-list.js';
import { defineRule } from '../engine/define-rule.js';

// `static mut` at the start of an item: the only place worth parsing for this rule.
const staticMut = /\bstatic\s+mut\b/g;

/** Writes that another thread can race with: not in module init, not inside a once-closure. */
const racy = (a: RustStaticAccess): boolean => a.kind === 'write' && a.reach !== 'init' && !a.once;

/**
 * `static mut` in an extension crate: every thread shares it and nothing orders the accesses.
 * One finding per static at its declaration, listing the functions that write it outside module
 * init and once-closures, and one per such function at its first write.
 */
export default defineRule({
  meta: {
    id: 'FT041',
    name: 'pyo3-static-mut',
    title: '`static mut` written from code Python can run',
    category: 'shared-state',
    why: 'Every thread shares a `static mut`; without the GIL two threads can write it, or read it mid-write, at once.',
    targets: ['rust'],
    severity: 'warning',
    confidence: 'medium',
    fix: 'never',
    preview: true,
    triggers: [],
    messages: {
      declared: '`static mut {{name}}` is written without a lock in {{writers}}',
      write: '`static mut {{name}}` is written in `{{function}}` without a lock; {{reach}}',
    },
    help: {
      declared: 'Replace `{{name}}` with an atomic, a `Mutex`, a `OnceLock` / `PyOnceLock`, or per-module state',
      write: 'Replace `{{name}}` with an atomic, a `Mutex`, or a `OnceLock` / `PyOnceLock` filled once',
    },
  },
  prefilter: (text) => Array.from(text.matchAll(staticMut), (m) => m.index),
  check(ctx) {
    if (ctx.root === undefined) return;
    const analysis = analyzeRustSharedState(ctx.root, ctx.text);
    for (const s of analysis.statics) {
      if (s.kind !== 'static-mut') continue;
      const writes = analysis.accesses.filter((a) => a.variable === s && racy(a));
      if (writes.length === 0) continue;
      const firstPerFunction = writes.filter((w, i) => writes.findIndex((o) => o.function === w.function) === i);
      const writers = codeList(firstPerFunction.map((w) => w.function));
      const confidence = writes.some((w) => w.reach === 'entry') ? 'medium' : 'low';
      ctx.report({
        start: s.at,
        end: s.end,
        messageId: 'declared',
        symbol: s.name,
        confidence,
        data: { name: s.name, writers },
        related: writes.slice(0, 8).map((w) => ({ start: w.at, message: `written in \`${w.function}\`` })),
      });
      for (const w of firstPerFunction) {
        const reach =
          w.reach !== 'entry'
            ? 'it is not a `#[pyfunction]`, a `#[pymethods]` method or an `extern "C"` function, but one of those may call it'
            : w.via === undefined
              ? 'Python calls this function directly'
              : `Python reaches it through \`${w.via}\``;
        ctx.report({
          start: w.at,
          end: w.end,
          messageId: 'write',
          symbol: w.function,
          confidence: w.reach === 'entry' ? 'medium' : 'low',
          data: { name: s.name, function: w.function, reach },
          related: [{ start: s.at, message: `\`${s.name}\` declared here` }],
        });
      }
    }
  },
});

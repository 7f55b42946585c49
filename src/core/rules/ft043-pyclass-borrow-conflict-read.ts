import { analyzeRustSharedState } from '../analysis/shared-state/analyze-rust.js';
import { codeList } from '../analysis/shared-state/code-list.js';
import { defineRule } from '../engine/define-rule.js';

/**
 * The readers that collide with FT042's writers: a `&self` method of a non-frozen `#[pyclass]`
 * that reads a field which a `&mut self` method (or a generated `#[pyo3(set)]` setter) of the same
 * class writes. While the writer runs on one thread, the reader's shared borrow fails on another.
 * One finding per method, at its first read of such a field.
 */
export default defineRule({
  meta: {
    id: 'FT043',
    name: 'pyclass-borrow-conflict-read',
    title: 'Read of a `#[pyclass]` field that `&mut self` methods write',
    category: 'shared-state',
    why: 'Without the GIL, a `&self` method called while another thread runs a `&mut self` method on the same object gets `RuntimeError: Already mutably borrowed`.',
    targets: ['rust'],
    severity: 'warning',
    confidence: 'low',
    fix: 'never',
    preview: true,
    triggers: ['pymethods'],
    messages: {
      read: '`{{class}}.{{method}}` reads `self.{{field}}`, written by {{writers}} through `&mut self`: run at once on one object, one of the calls fails with a borrow error',
    },
    help: {
      read: 'Keep `{{field}}` behind a `Mutex` or `RwLock` in a `#[pyclass(frozen)]` so readers and writers wait for each other',
    },
  },
  check(ctx) {
    if (ctx.root === undefined) return;
    const analysis = analyzeRustSharedState(ctx.root, ctx.text);
    for (const r of analysis.sharedReads) {
      const writers = codeList(r.writers);
      ctx.report({
        start: r.at,
        end: r.end,
        messageId: 'read',
        symbol: r.method,
        data: { class: r.className, method: r.method, field: r.field, writers },
      });
    }
  },
});

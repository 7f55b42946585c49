import { analyzeRustSharedState, type RustMutMethod } from '../analysis/shared-state/analyze-rust.js';
import { codeList } from '../analysis/shared-state/code-list.js';
import { defineRule } from '../engine/define-rule.js';

/**
 * A `#[pyclass]` that is not `frozen` is borrow-checked at run time. A `#[pymethods]` function
 * that takes `&mut self` (or `PyRefMut<Self>`) borrows the object exclusively, so a second thread
 * that calls any method on the same object meanwhile gets a borrow error. One finding per class:
 * at the class when it is declared in the same file (the fix, `frozen`, edits it), else at its
 * first such method; the methods are its related places.
 */
/** Related places listed per finding; the message counts them all. */
const maxRelated = 20;

export default defineRule({
  meta: {
    id: 'FT042',
    name: 'pyclass-mut-self-method',
    title: 'Method of a non-frozen `#[pyclass]` that borrows `self` mutably',
    category: 'shared-state',
    why: 'Without the GIL, a second thread using the object while a `&mut self` method runs gets `RuntimeError: Already borrowed` instead of waiting.',
    targets: ['rust'],
    severity: 'warning',
    confidence: 'medium',
    fix: 'never',
    preview: true,
    triggers: ['pymethods'],
    messages: {
      method: '`{{class}}.{{method}}` takes `{{receiver}}`: another thread using the same object meanwhile gets `RuntimeError: Already borrowed`',
      methods: 'Methods {{methods}} of `{{class}}` borrow it mutably: another thread using the same object meanwhile gets `RuntimeError: Already borrowed`',
      class: '`#[pyclass]` `{{class}}` is not frozen and is borrowed mutably by {{methods}}: concurrent use of one object raises a borrow error',
    },
    help: {
      method: 'Make `{{class}}` `#[pyclass(frozen)]` with its mutable state in a `Mutex`, `RwLock` or atomics, and take `&self`',
      methods: 'Make `{{class}}` `#[pyclass(frozen)]` with its mutable state in a `Mutex`, `RwLock` or atomics, and take `&self`',
      class: 'Make `{{class}}` `#[pyclass(frozen)]` and move its mutable state into a `Mutex`, `RwLock` or atomics',
    },
  },
  check(ctx) {
    if (ctx.root === undefined) return;
    const analysis = analyzeRustSharedState(ctx.root, ctx.text);
    const methodsOf = new Map<string, RustMutMethod[]>();
    for (const m of analysis.mutMethods) methodsOf.set(m.className, [...(methodsOf.get(m.className) ?? []), m]);
    const related = (methods: readonly RustMutMethod[]) => methods.slice(0, maxRelated).map((m) => ({ start: m.at, message: `\`${m.method}\` borrows it mutably` }));
    for (const c of analysis.mutableClasses) {
      ctx.report({
        start: c.at,
        end: c.end,
        messageId: 'class',
        symbol: c.name,
        data: { class: c.name, methods: codeList(c.mutMethods) },
        related: related(methodsOf.get(c.name) ?? []),
      });
      methodsOf.delete(c.name);
    }
    // A class declared in another file: one finding at its first method here, the others related.
    for (const [className, methods] of methodsOf) {
      const [first, ...others] = methods as [RustMutMethod, ...RustMutMethod[]];
      const receiver = ctx.text.slice(first.at, first.end).startsWith('&') ? '&mut self' : 'PyRefMut<Self>';
      ctx.report({
        start: first.at,
        end: first.end,
        messageId: others.length === 0 ? 'method' : 'methods',
        symbol: first.method,
        data: { class: className, method: first.method, receiver, methods: codeList(methods.map((m) => m.method)) },
        related: related(others),
      });
    }
  },
});

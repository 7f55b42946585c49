import { defineRule } from '../engine/define-rule.js';
import { parseCargoMinVersion } from '../engine/project-facts.js';

/**
 * PyO3 modules declare free-threading support with `#[pymodule(gil_used = false)]` from 0.23 on;
 * from 0.28 that is the default and only `gil_used = true` opts back into the GIL.
 */
export default defineRule({
  meta: {
    id: 'FT011',
    name: 'pyo3-gil-used',
    title: 'PyO3 module that keeps the GIL on',
    category: 'module-declaration',
    why: 'A PyO3 module that keeps `gil_used` makes the free-threaded interpreter turn the GIL back on at import.',
    targets: ['rust'],
    severity: 'error',
    confidence: 'high',
    fix: 'unsafe',
    preview: false,
    triggers: ['pymodule'],
    messages: {
      undeclared: '`#[pymodule]` does not set `gil_used = false`; with PyO3 {{version}} importing the module re-enables the GIL',
      explicit: '`#[pymodule(gil_used = true)]` makes importing the module re-enable the GIL',
      tooOld: 'PyO3 {{version}} cannot declare free-threading support; importing the module re-enables the GIL',
    },
    help: {
      undeclared: 'Add `gil_used = false` to the attribute once the module is thread-safe',
      explicit: 'Set `gil_used = false` once the module is thread-safe',
      tooOld: 'Upgrade PyO3 to 0.23 or later (0.28+ assumes thread safety by default)',
    },
  },
  check(ctx) {
    const requirement = ctx.project.pyo3Version;
    const min = requirement === undefined ? undefined : parseCargoMinVersion(requirement);
    const atLeast = (minor: number): boolean | undefined => (min === undefined ? undefined : min[0] > 0 || min[1] >= minor);
    for (const hit of ctx.hits) {
      const node = hit.node;
      // `#[pymodule]`, `#[pymodule(...)]`, `#[pyo3::pymodule]`: the identifier sits in an attribute.
      let attribute = node?.parent ?? null;
      while (attribute !== null && attribute.type !== 'attribute') attribute = attribute.parent;
      if (node === undefined || attribute === null) continue;
      const args = attribute.childForFieldName('arguments');
      const argText = args?.text ?? '';
      if (/\bgil_used\s*=\s*false\b/.test(argText)) continue;
      const version = requirement ?? 'of unknown version';
      if (/\bgil_used\s*=\s*true\b/.test(argText)) {
        ctx.report({ node: attribute, messageId: 'explicit', severity: 'info' });
        continue;
      }
      if (atLeast(28) === true) continue;
      if (atLeast(23) === false) {
        ctx.report({ node: attribute, messageId: 'tooOld', data: { version } });
        continue;
      }
      const edit =
        args === null
          ? { start: attribute.endIndex, end: attribute.endIndex, text: '(gil_used = false)' }
          : { start: args.endIndex - 1, end: args.endIndex - 1, text: args.text.trim() === '()' ? 'gil_used = false' : ', gil_used = false' };
      ctx.report({
        node: attribute,
        messageId: 'undeclared',
        data: { version },
        // Without a known PyO3 version the attribute may not exist yet (before 0.23): no fix.
        ...(atLeast(23) === true ? { fix: { edits: [edit] } } : { confidence: 'medium' as const }),
      });
    }
  },
});

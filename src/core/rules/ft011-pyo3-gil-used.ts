import type { Node } from 'web-tree-sitter';
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
      undeclaredFunction: '`#[pymodule]` does not set `gil_used = false`; with PyO3 {{version}} importing the module re-enables the GIL',
      explicit: '`#[pymodule(gil_used = true)]` makes importing the module re-enable the GIL',
      tooOld: 'PyO3 {{version}} cannot declare free-threading support; importing the module re-enables the GIL',
      tooOldFunction: 'PyO3 {{version}} cannot declare free-threading support; importing the module re-enables the GIL',
    },
    help: {
      undeclared: 'Add `gil_used = false` to the attribute once the module is thread-safe',
      undeclaredFunction: 'Add `gil_used = false` to the attribute, or call `{{module}}.gil_used(false)?` in the module function, once the module is thread-safe',
      explicit: 'Set `gil_used = false` once the module is thread-safe',
      tooOld: 'Upgrade PyO3 to 0.23 or later (0.28+ assumes thread safety by default)',
      tooOldFunction: 'Upgrade PyO3 to 0.23 or later (0.28+ assumes thread safety by default), then add `gil_used = false` to the attribute or call `{{module}}.gil_used(false)?` in the module function',
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
      // A function-style module can also declare itself at run time, inside its body: declared
      // there, it is quiet; otherwise the body is the other place for the declaration.
      const fn = moduleFunction(attribute);
      if (fn?.declares === true && atLeast(23) !== false) continue;
      const body = fn?.last === undefined ? undefined : { module: fn.module, last: fn.last };
      if (atLeast(23) === false) {
        ctx.report({
          node: attribute,
          ...(body === undefined
            ? { messageId: 'tooOld' as const, data: { version } }
            : { messageId: 'tooOldFunction' as const, data: { version, module: body.module }, related: [{ start: body.last.startIndex, message: `after the upgrade, \`${body.module}.gil_used(false)?;\` before this line declares the module at run time (\`PyModule::gil_used\`, PyO3 0.23+)` }] }),
        });
        continue;
      }
      const edit =
        args === null
          ? { start: attribute.endIndex, end: attribute.endIndex, text: '(gil_used = false)' }
          : { start: args.endIndex - 1, end: args.endIndex - 1, text: args.text.trim() === '()' ? 'gil_used = false' : ', gil_used = false' };
      ctx.report({
        node: attribute,
        ...(body === undefined
          ? { messageId: 'undeclared' as const, data: { version } }
          : {
              messageId: 'undeclaredFunction' as const,
              data: { version, module: body.module },
              related: [{ start: body.last.startIndex, message: `or call \`${body.module}.gil_used(false)?;\` before this line: \`PyModule::gil_used\` (PyO3 0.23+) declares the module at run time` }],
            }),
        // Without a known PyO3 version the attribute may not exist yet (before 0.23): no fix.
        ...(atLeast(23) === true ? { fix: { edits: [edit] } } : { confidence: 'medium' as const }),
      });
    }
  },
});

/** `&Bound<'_, PyModule>` (also `&'a pyo3::Bound<'py, pyo3::types::PyModule>`), white space removed. */
const boundModule = /^&(?:'\w+)?(?:[\w:]+::)?Bound<'\w+,(?:[\w:]+::)?PyModule>$/;
/** `PyResult<()>`, white space removed: a body where `?` passes a `PyErr` on. */
const unitResult = /^(?:[\w:]+::)?PyResult<\(\)>$/;

/**
 * For a `#[pymodule]` attribute on a function `fn name(…, m: &Bound<'_, PyModule>) -> …` (not the
 * declarative `mod` form): the module parameter's name, whether the body already calls
 * `m.gil_used(false)` (`PyModule::gil_used`, PyO3 0.23+, declares the module at run time), and,
 * when the function returns `PyResult<()>`, the body's last statement or expression, before which
 * `m.gil_used(false)?;` would go. Undefined for any other shape.
 */
function moduleFunction(attribute: Node): { module: string; declares: boolean; last?: Node } | undefined {
  const item = attribute.parent;
  if (item?.type !== 'attribute_item') return undefined;
  let next = item.nextNamedSibling;
  while (next !== null && (next.type === 'attribute_item' || next.type === 'line_comment' || next.type === 'block_comment')) next = next.nextNamedSibling;
  if (next?.type !== 'function_item') return undefined;
  const block = next.childForFieldName('body');
  if (block === null) return undefined;
  let module: string | undefined;
  for (const param of next.childForFieldName('parameters')?.namedChildren ?? []) {
    if (param?.type !== 'parameter') continue;
    const name = param.childForFieldName('pattern');
    if (name?.type === 'identifier' && boundModule.test(param.childForFieldName('type')?.text.replace(/\s+/g, '') ?? '')) module = name.text;
  }
  if (module === undefined) return undefined;
  // A call on another module (a submodule the function builds) does not declare this one.
  const declares = new RegExp(`(?<![\\w.])${module}\\s*\\.\\s*gil_used\\s*\\(\\s*false\\s*\\)`).test(block.text);
  if (!unitResult.test(next.childForFieldName('return_type')?.text.replace(/\s+/g, '') ?? '')) return { module, declares };
  const statements = block.namedChildren.filter((n): n is Node => n !== null && n.type !== 'line_comment' && n.type !== 'block_comment');
  const last = statements[statements.length - 1];
  return last === undefined ? { module, declares } : { module, declares, last };
}

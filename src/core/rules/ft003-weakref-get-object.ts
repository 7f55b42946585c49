import { branchesAt, type Branch } from '../parsing/preprocessor-branches.js';
import { defineRule } from '../engine/define-rule.js';
import { callOf } from '../parsing/syntax.js';

/** Python 3.15 removes the API: a branch only older Pythons compile keeps it legitimately. */
const REMOVED_IN = 0x030f;

/** True inside `#if PY_VERSION_HEX < 0x03XY…` (or the `#else` of `>=`) with 3.XY no later than the removal. */
function compatShim(branches: readonly Branch[]): boolean {
  return branches.some((b) => {
    const m = /\bPY_VERSION_HEX\s*(<|>=)\s*0x(0[0-9a-f]{3})[0-9a-f]{4}\b/i.exec(b.condition);
    if (m === null || /&&|\|\|/.test(b.condition)) return false;
    const older = (m[1] === '<') !== b.negated;
    return older && Number.parseInt(m[2] ?? '0', 16) <= REMOVED_IN;
  });
}

/** True when the hit is in the body of `#define <name>(…)`: the definition of a wrapper, not a use. */
function definesItself(text: string, index: number, name: string): boolean {
  const lineStart = text.lastIndexOf('\n', index) + 1;
  return new RegExp(`^\\s*#\\s*define\\s+${name}\\b`).test(text.slice(lineStart, index));
}

export default defineRule({
  meta: {
    id: 'FT003',
    name: 'weakref-get-object',
    title: 'Weak reference dereferenced with a removed API',
    category: 'removed-api',
    why: 'The referent can be destroyed by another thread between the lookup and its use; the API is removed in Python 3.15.',
    targets: ['c', 'cpp', 'cython'],
    severity: 'error',
    confidence: 'high',
    fix: 'never',
    preview: false,
    triggers: ['PyWeakref_GetObject', 'PyWeakref_GET_OBJECT'],
    // FT004's `Py_INCREF` after this call has the same fix, and this finding also says the API is removed.
    subsumes: ['FT004'],
    messages: {
      removed: '`{{api}}` returns a borrowed reference to an object another thread can destroy, and is removed in Python 3.15',
    },
    help: {
      removed: 'Use `PyWeakref_GetRef(ref, &obj)`, which returns a strong reference (1 alive, 0 dead, -1 error)',
    },
  },
  check(ctx) {
    const macroHits = ctx.hits.filter((h) => h.context === 'macro').map((h) => h.index);
    const branches = macroHits.length === 0 ? undefined : branchesAt(ctx.text, macroHits);
    for (const hit of ctx.hits) {
      // Removed APIs fail to compile wherever they are expanded, macro bodies included.
      if (hit.node !== undefined && callOf(hit.node) === undefined) continue;
      // But not a compatibility macro kept for the Pythons that still have the API
      // (`#if PY_VERSION_HEX < 0x030D0000`), nor a macro of the same name that wraps it.
      if (hit.context === 'macro' && (compatShim(branches?.get(hit.index) ?? []) || definesItself(ctx.text, hit.index, hit.name))) continue;
      ctx.report({
        start: hit.index,
        end: hit.index + hit.name.length,
        messageId: 'removed',
        data: { api: hit.name },
        ...(hit.node === undefined ? { confidence: 'medium' as const } : { node: hit.node }),
      });
    }
  },
});

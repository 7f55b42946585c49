import type { Node } from 'web-tree-sitter';
import { defineRule } from '../engine/define-rule.js';
import { enclosingFunction, functionFacts, functionName, isLockHeld } from '../parsing/syntax.js';

// A `static` variable declaration on its own line, not const, not thread-local, not atomic, and
// not a function prototype:
//   static PyObject *cache = NULL;      → cache
//   static int counter;                 → counter
//   static const char *names[] = {…};   → (skipped: const)
const staticDecl = /^[ \t]*static\s+(?!const\b|constexpr\b|_Thread_local\b|thread_local\b|__thread\b|_Atomic\b|inline\b|std::atomic|PyTypeObject\b|PyModuleDef\b|PyMethodDef\b|PyMemberDef\b|PyGetSetDef\b|PyType_Spec\b|PyType_Slot\b|struct\s+PyModuleDef\b)([\w\s*]+?)\b([A-Za-z_]\w*)\s*(\[[^\]]*\]\s*)?(=[^;]*)?;/gm;

/** Names of mutable `static` variables declared anywhere in `text` (file scope or function scope). */
export function staticVariableNames(text: string): string[] {
  if (!text.includes('static')) return [];
  const names = new Set<string>();
  for (const m of text.matchAll(staticDecl)) {
    const type = m[1] ?? '';
    const name = m[2] ?? '';
    // `static int f(void);` has a `(` and never matches; a macro-typed declaration like
    // `static NPY_TLS int x;` is thread-local.
    if (/\b(NPY_TLS|Py_THREAD_LOCAL|_Py_thread_local|TLS)\b/.test(type)) continue;
    if (/\bconst\s*$/.test(type)) continue;
    names.add(name);
  }
  return [...names];
}

const initFunctionName = /(^PyInit_|init|exec|setup|_once$|^main$|^module_|traverse|clear|dealloc|free$)/i;

/** Offsets of writes (`x = …`, `x += …`, `x++`) to each name in `names`. */
function writeOffsets(text: string, names: string[]): number[] {
  if (names.length === 0) return [];
  const alternation = names.join('|');
  const write = new RegExp(`(?<![\\w.>])(?:${alternation})\\s*(?:[-+*/%&|^]|<<|>>)?=(?!=)|(?:\\+\\+|--)\\s*(?:${alternation})\\b|(?<![\\w.>])(?:${alternation})\\s*(?:\\+\\+|--)`, 'g');
  const offsets: number[] = [];
  for (const m of text.matchAll(write)) offsets.push(m.index + (/^[-+]{2}\s*/.exec(m[0])?.[0].length ?? 0));
  return offsets;
}

/** True when `node` sits in `if (x == NULL) …` / `if (!x) …` testing the same variable. */
function inLazyInitGuard(node: Node, name: string): boolean {
  for (let a = node.parent; a !== null; a = a.parent) {
    if (a.type === 'function_definition') return false;
    if (a.type === 'if_statement') {
      const cond = a.childForFieldName('condition')?.text.replace(/\s+/g, '') ?? '';
      if (cond.includes(`!${name}`) || cond.includes(`${name}==NULL`) || cond.includes(`${name}==0`) || cond.includes(`NULL==${name}`)) return true;
    }
  }
  return false;
}

/** True when `fn` declares `name` itself without `static` (a local that shadows the global). */
function shadowedLocally(fn: Node, name: string): boolean {
  const facts = functionFacts(fn);
  return facts.parameters.includes(name) || facts.locals.has(name);
}

export default defineRule({
  meta: {
    id: 'FT014',
    name: 'static-global-write',
    title: 'Static variable written after module init without a lock',
    category: 'shared-state',
    why: 'Two threads can write this global at once; without the GIL nothing orders the writes or the reads that follow.',
    targets: ['c', 'cpp'],
    severity: 'warning',
    confidence: 'medium',
    fix: 'never',
    preview: true,
    triggers: [],
    messages: {
      lazyCache: 'Lazily initialised static `{{name}}` in `{{function}}` can be filled by two threads at once',
      write: 'Static `{{name}}` is written in `{{function}}` without a lock; threads share it',
    },
    help: {
      lazyCache: 'Fill `{{name}}` during module init, or guard it with a `PyMutex` or a once-flag',
      write: 'Move `{{name}}` into module state guarded by a `PyMutex`, make it an atomic, or make it thread-local',
    },
  },
  prefilter: (text) => writeOffsets(text, staticVariableNames(text)),
  check(ctx) {
    const names = new Set(staticVariableNames(ctx.text));
    const root = ctx.root;
    if (root === undefined || names.size === 0) return;
    // One finding per variable and function: a lazy init usually writes the same static twice.
    const reported = new Set<string>();
    for (const offset of ctx.prefiltered) {
      const node = root.descendantForIndex(offset, offset + 1);
      if (node === null || node.type !== 'identifier' || !names.has(node.text)) continue;
      const parent = node.parent;
      const isWrite =
        (parent?.type === 'assignment_expression' && parent.childForFieldName('left')?.id === node.id) || parent?.type === 'update_expression';
      if (!isWrite) continue;
      const fn = enclosingFunction(node);
      const fnName = fn === undefined ? undefined : functionName(fn);
      if (fn === undefined || fnName === undefined || initFunctionName.test(fnName)) continue;
      if (shadowedLocally(fn, node.text) || isLockHeld(node, ctx.text)) continue;
      const key = `${node.text}@${fnName}`;
      if (reported.has(key)) continue;
      reported.add(key);
      const lazy = inLazyInitGuard(node, node.text);
      ctx.report({ node, messageId: lazy ? 'lazyCache' : 'write', data: { name: node.text, function: fnName } });
    }
  },
});

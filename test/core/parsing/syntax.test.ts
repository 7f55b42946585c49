import { beforeAll, describe, expect, it } from 'vitest';
import type { Tree } from 'web-tree-sitter';
import { createParsers, type Grammars } from '../../../src/core/engine/parse-source.js';
import { functionFacts, isLockHeld } from '../../../src/core/parsing/syntax.js';
import { loadGrammars } from '../../../src/io/load-grammars.js';

let grammars: Grammars;

beforeAll(async () => {
  grammars = await loadGrammars();
});

function identifierAt(tree: Tree, text: string, name: string, nth = 0) {
  let at = -1;
  for (let k = 0; k <= nth; k++) at = text.indexOf(name, at + 1);
  const node = tree.rootNode.descendantForIndex(at, at + name.length);
  if (node === null || node.text !== name) throw new Error(`no ${name}`);
  return node;
}

function withTree<T>(language: 'c' | 'cython', text: string, use: (tree: Tree) => T): T {
  const tree = createParsers(grammars).parse(language, text);
  if (tree === null) throw new Error('no tree');
  try {
    return use(tree);
  } finally {
    tree.delete();
  }
}

function firstFunction(tree: Tree) {
  const fn = tree.rootNode.descendantsOfType('function_definition')[0];
  if (fn === null || fn === undefined) throw new Error('no function');
  return fn;
}

describe('functionFacts', () => {
  it('sorts declarations into locals and function-local statics, whatever else a declaration names `static`', () => {
    const text = [
      'static int f(PyObject *self, int n) {',
      '  static PyObject *cache = NULL;',
      '  static int hits, misses;',
      '  int static_count = 0;',
      '  const char *label = "static";',
      '  PyObject *list = PyList_New(n);',
      '  cache = list;',
      '  return helper(cache, static_count);',
      '}',
      '',
    ].join('\n');
    const tree = createParsers(grammars).parse('c', text);
    if (tree === null) throw new Error('no tree');
    try {
      const facts = functionFacts(firstFunction(tree));
      expect(facts.parameters).toEqual(['self', 'n']);
      expect([...facts.staticLocals].sort()).toEqual(['cache', 'hits', 'misses']);
      expect([...facts.locals].sort()).toEqual(['label', 'list', 'static_count']);
      expect(facts.values.get('cache')?.map((v) => v.text)).toEqual(['NULL', 'list']);
      expect(facts.calls.map((c) => c.childForFieldName('function')?.text)).toEqual(['PyList_New', 'helper']);
    } finally {
      tree.delete();
    }
  });

  it('reads the calls on first use, outer before inner, in document order, the same list each time', () => {
    const text = 'static int g(PyObject *d) {\n  PyObject *v = Py_NewRef(PyDict_GetItem(d, key(1)));\n  if (check(v)) Py_INCREF(v);\n  return 0;\n}\n';
    withTree('c', text, (tree) => {
      const facts = functionFacts(firstFunction(tree));
      expect(facts.values.get('v')?.map((v) => v.text)).toEqual(['Py_NewRef(PyDict_GetItem(d, key(1)))']);
      expect(facts.calls.map((c) => c.childForFieldName('function')?.text)).toEqual(['Py_NewRef', 'PyDict_GetItem', 'key', 'check', 'Py_INCREF']);
      expect(functionFacts(firstFunction(tree)).calls).toBe(facts.calls);
    });
  });
});

describe('isLockHeld', () => {
  it('counts the critical sections opened before a node in its C function, not those of the function before it', () => {
    const text = [
      'static void g(PyObject *d) { Py_BEGIN_CRITICAL_SECTION(d); }',
      'static void f(PyObject *d) {',
      '  PyDict_Next(d, 0, 0, 0);',
      '  Py_BEGIN_CRITICAL_SECTION(d);',
      '  if (d) { PyDict_Next(d, 0, 0, 0); }',
      '  Py_END_CRITICAL_SECTION();',
      '  PyDict_Next(d, 0, 0, 0);',
      '}',
      '',
    ].join('\n');
    const held = withTree('c', text, (tree) => [0, 1, 2].map((k) => isLockHeld(identifierAt(tree, text, 'PyDict_Next', k), text)));
    expect(held).toEqual([false, true, false]);
  });

  it('takes a Cython `with` block on a critical section or a lock in the same function', () => {
    const text = [
      'def outer(d):',
      '    with cython.critical_section(d):',
      '        def inner(e):',
      '            return PyDict_Next(e)',
      '        return PyDict_Next(d)',
      'def other(d):',
      '    with self.lock:',
      '        PyDict_Next(d)',
      '    PyDict_Next(d)',
      '',
    ].join('\n');
    const held = withTree('cython', text, (tree) => [0, 1, 2, 3].map((k) => isLockHeld(identifierAt(tree, text, 'PyDict_Next', k), text)));
    // `inner` runs later, outside the block its definition sits in.
    expect(held).toEqual([false, true, true, false]);
  });
});

import { beforeAll, describe, expect, it } from 'vitest';
import type { Tree } from 'web-tree-sitter';
import { createParsers, type Grammars } from '../../../src/core/engine/parse-source.js';
import { functionFacts } from '../../../src/core/parsing/syntax.js';
import { loadGrammars } from '../../../src/io/load-grammars.js';

let grammars: Grammars;

beforeAll(async () => {
  grammars = await loadGrammars();
});

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
});

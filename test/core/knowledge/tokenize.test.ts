import { describe, expect, it } from 'vitest';
import { processTerm, stem } from '../../../src/core/knowledge/process-term.js';
import { tokenize } from '../../../src/core/knowledge/tokenize.js';

const terms = (text: string): string[] => tokenize(text).flatMap((term) => processTerm(term) ?? []);

describe('tokenize + processTerm', () => {
  it('keeps code names whole and adds their parts', () => {
    expect(terms('PyDict_GetItemRef')).toEqual(['pydict_getitemref', 'pydict', 'getitemref', 'py', 'dict', 'item', 'ref']);
  });

  it('drops stop words and folds inflections', () => {
    expect(terms('How do I stop the threads from locking?')).toEqual(['stop', 'thread', 'lock']);
  });

  it('keeps kebab-case names and their parts', () => {
    expect(terms('free-threaded wheels')).toEqual(['free-threaded', 'free', 'thread', 'wheel']);
  });
});

describe('stem', () => {
  it('folds plurals and verb endings the same way for pages and queries', () => {
    expect(['races', 'libraries', 'threading', 'crashed', 'status', 'class', 'running'].map((word) => stem(word))).toEqual([
      'race',
      'library',
      'thread',
      'crash',
      'status',
      'class',
      'run',
    ]);
  });
});

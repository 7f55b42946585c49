import { describe, expect, it } from 'vitest';
import { createSlugger, slugify } from '../../../src/core/knowledge/slugger.js';

describe('slugify', () => {
  it('lower-cases, drops punctuation and keeps underscores and hyphens like GitHub', () => {
    expect(slugify('PyDict_Next and critical sections')).toBe('pydict_next-and-critical-sections');
    expect(slugify("Py_mod_gil & friends: what's new?")).toBe('py_mod_gil--friends-whats-new');
    expect(slugify('Why Py_NewRef(PyList_GetItem(...)) is not a fix')).toBe('why-py_newrefpylist_getitem-is-not-a-fix');
    expect(slugify('Python 3.15 removes it')).toBe('python-315-removes-it');
    expect(slugify('Café ünïcode')).toBe('café-ünïcode');
  });
});

describe('createSlugger', () => {
  it('numbers repeated headings -1, -2 and skips suffixes already taken', () => {
    const slugger = createSlugger();
    expect(['Example', 'Example', 'Example-1', 'Example'].map((text) => slugger.slug(text))).toEqual([
      'example',
      'example-1',
      'example-1-1',
      'example-2',
    ]);
  });

  it('keeps separate counts per slugger', () => {
    expect(createSlugger().slug('Intro')).toBe('intro');
    expect(createSlugger().slug('Intro')).toBe('intro');
  });
});

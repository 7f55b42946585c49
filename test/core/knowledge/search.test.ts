import { describe, expect, it } from 'vitest';
import { search } from '../../../src/core/knowledge/search.js';
import { loadIndex, serializeIndex } from '../../../src/core/knowledge/serialize-index.js';
import { buildCorpusIndex } from '../../helpers/knowledge-corpus.js';

const index = buildCorpusIndex();
const top = (query: string): string | undefined => search({ index, query }).hits[0]?.chunk.id;

describe('search', () => {
  it('ranks the section whose heading names the queried API first', () => {
    expect(top('is PyDict_Next safe without the GIL?')).toBe(
      'knowledge/dict-iteration.md#wrapping-pydict_next-in-a-critical-section',
    );
    expect(top('what replaces PyList_GetItem')).toBe('knowledge/list-access.md#replacing-pylist_getitem-with-pylist_getitemref');
  });

  it('records which query names a hit matched exactly', () => {
    const [hit] = search({ index, query: 'PyDict_Next' }).hits;
    expect(hit?.exactMatches).toEqual(['pydict_next']);
  });

  it('finds sections by option names and rule ids', () => {
    expect(top('CIBW_ENABLE cpython-freethreading')).toBe('knowledge/wheels.md#enabling-free-threaded-builds-in-cibuildwheel');
    expect(search({ index, query: 'why did FT003 fire' }).hits.map((hit) => hit.chunk.page)).toContain(
      'docs/rules/ft003-dict-next-unlocked.md',
    );
  });

  it('tolerates typos in names and words', () => {
    expect(top('PyList_GetItmRef strong refrence')).toBe('knowledge/list-access.md#replacing-pylist_getitem-with-pylist_getitemref');
  });

  it('answers "not covered" for questions outside the field', () => {
    for (const query of ['how do I bake bread', 'what is the capital of France', '', '???']) {
      expect(search({ index, query })).toEqual({ covered: false, hits: [] });
    }
  });

  it('limits the number of hits', () => {
    expect(search({ index, query: 'free-threaded list dict wheels', limit: 2 }).hits).toHaveLength(2);
  });

  it('gives the same results after a round trip through index.json', () => {
    const loaded = loadIndex(JSON.parse(serializeIndex(index)));
    for (const query of ['PyDict_Next', 'cibuildwheel wheels', 'borrowed reference list']) {
      expect(search({ index: loaded, query })).toEqual(search({ index, query }));
    }
    expect(serializeIndex(loaded)).toBe(serializeIndex(index));
  });
});

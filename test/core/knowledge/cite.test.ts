import { describe, expect, it } from 'vitest';
import { cite } from '../../../src/core/knowledge/cite.js';
import type { Citation } from '../../../src/core/knowledge/types.js';

const citation: Citation = {
  page: 'knowledge/list-access.md',
  anchor: 'replacing-pylist_getitem-with-pylist_getitemref',
  title: 'Safe list access',
  heading: 'Replacing PyList_GetItem with PyList_GetItemRef',
  excerpt: '…',
  url: 'https://docs.python.org/3/c-api/list.html',
};

describe('cite', () => {
  it('links the section in the repository and the upstream documentation', () => {
    expect(cite({ citation, repoBase: 'https://github.com/o/ftbot/blob/main/' })).toBe(
      '[Safe list access › Replacing PyList_GetItem with PyList_GetItemRef](https://github.com/o/ftbot/blob/main/knowledge/list-access.md#replacing-pylist_getitem-with-pylist_getitemref) · [upstream](https://docs.python.org/3/c-api/list.html)',
    );
  });

  it('uses the page title alone for an intro and leaves out a missing upstream link', () => {
    expect(cite({ citation: { ...citation, heading: citation.title, anchor: '', url: '' }, repoBase: 'https://x' })).toBe(
      '[Safe list access](https://x/knowledge/list-access.md)',
    );
  });

  it('escapes brackets in headings', () => {
    expect(cite({ citation: { ...citation, heading: 'a[0] access', url: '' }, repoBase: 'https://x' })).toBe(
      '[Safe list access › a\\[0\\] access](https://x/knowledge/list-access.md#replacing-pylist_getitem-with-pylist_getitemref)',
    );
  });
});

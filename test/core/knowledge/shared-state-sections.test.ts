/**
 * The shared-state findings (FT014, FT015, FT021; issue 11 item 5) name a race pattern. Each
 * pattern has a knowledge section that explains it and gives the standard fixes, and the drafting
 * path reaches that section: `findSectionForRule` for the rule's link, and a search on the
 * finding's message (what `retrieveSections` runs) for the pattern.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { KnowledgeIndex } from '../../../src/core/knowledge/build-index.js';
import { findSectionForRule } from '../../../src/core/knowledge/find-section-for-rule.js';
import { search } from '../../../src/core/knowledge/search.js';
import { loadKnowledge } from '../../../src/io/load-knowledge.js';

const PAGE = 'knowledge/shared-state-races.md';

let index: KnowledgeIndex;

beforeAll(async () => {
  index = await loadKnowledge();
});

/** The first three section ids a search for `message` returns. */
function top3(message: string): string[] {
  return search({ index, query: message, limit: 3 }).hits.map((hit) => hit.chunk.id);
}

describe('shared-state race sections', () => {
  it('links FT014 and FT021 to their pattern sections', () => {
    expect(findSectionForRule({ ruleId: 'FT014', index })?.id).toBe(`${PAGE}#unprotected-write-to-a-global-or-static-from-python-callable-code`);
    expect(findSectionForRule({ ruleId: 'FT021', index })?.id).toBe(`${PAGE}#reads-of-state-that-another-entry-point-writes-without-a-lock`);
  });

  // Messages in the shape the rules render them (`src/core/rules/ft014-static-global-write.ts`).
  it.each([
    ['FT014 Lazily initialised static `names` in `get_names`: two threads can both see it unset and fill it; reached from `methods`', 'check-then-set-lazy-initialisation-of-a-static'],
    ['FT014 Read-modify-write of static `counter` in `incr` loses updates when threads race; reached from `methods`', 'read-modify-write-counters-that-lose-updates'],
    ['FT014 Free list or cache `free_nodes` is pushed or popped in `node_alloc` without a lock; reached from `tp_new`', 'free-lists-and-caches-pushed-or-popped-without-a-lock'],
    ['FT015 Field `self->pos` mutated in `Reader_read` without a critical section', 'per-object-fields-mutated-in-methods-without-a-lock'],
  ])('retrieves the pattern section for %s', (message, anchor) => {
    expect(top3(message)).toContain(`${PAGE}#${anchor}`);
  });

  it('gives the public once-init options and says CPython’s once-flag is private', () => {
    const lazy = index.chunks.find((chunk) => chunk.id === `${PAGE}#check-then-set-lazy-initialisation-of-a-static`);
    expect(lazy?.text).toContain('`_PyOnceFlag`');
    expect(lazy?.text).toMatch(/private/);
    for (const option of ['`pthread_once`', '`call_once`', '`std::call_once`', 'Py_BEGIN_CRITICAL_SECTION(module)', '`PyMutex`']) expect(lazy?.text).toContain(option);
  });
});

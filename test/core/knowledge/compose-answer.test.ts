import { describe, expect, it } from 'vitest';
import { composeAnswer } from '../../../src/core/knowledge/compose-answer.js';
import type { KnowledgeChunk, SearchHit } from '../../../src/core/knowledge/types.js';
import { understandQuery } from '../../../src/core/knowledge/understand-query.js';

function chunk(heading: string, blocks: KnowledgeChunk['blocks'], apis: string[] = []): KnowledgeChunk {
  const text = (blocks ?? []).map((block) => block.text).join('\n\n');
  return {
    id: `knowledge/p.md#${heading.toLowerCase().replace(/\s+/g, '-')}`,
    page: 'knowledge/p.md',
    anchor: heading.toLowerCase().replace(/\s+/g, '-'),
    heading,
    headingPath: ['Page', heading],
    title: 'Page',
    text,
    identifiers: apis,
    apis,
    tags: [],
    rules: [],
    upstream: '',
    ...(blocks === undefined ? {} : { blocks }),
  };
}

const hit = (c: KnowledgeChunk, score: number): SearchHit => ({ chunk: c, score, exactMatches: [] });

describe('composeAnswer', () => {
  const declaring = chunk(
    'Declaring Py_mod_gil',
    [
      { kind: 'prose', text: 'Add the `Py_mod_gil` slot to the slot array once the module is audited.' },
      { kind: 'prose', text: 'Bad: leaving the slot out.' },
      { kind: 'code', text: '{0, NULL}', lang: 'c' },
      { kind: 'prose', text: 'Good:' },
      { kind: 'code', text: '{Py_mod_gil, Py_MOD_GIL_NOT_USED},\n{0, NULL}', lang: 'c' },
      { kind: 'list', text: '- first step\n- second step\n- third step' },
    ],
    ['Py_mod_gil', 'Py_MOD_GIL_NOT_USED'],
  );
  const background = chunk('Why the GIL comes back', [{ kind: 'prose', text: 'No. An undeclared module turns the GIL back on at import. It warns once.' }]);

  it('leads with the fix and its code, quotes blocks whole and skips the counter-example', () => {
    const answer = composeAnswer({ selected: [hit(declaring, 10), hit(background, 6)], understood: understandQuery('How do I declare my module supports free threading?') });
    expect(answer.startsWith('**Page › Declaring Py_mod_gil**\n\nGood:\n\n```c\n{Py_mod_gil, Py_MOD_GIL_NOT_USED},\n{0, NULL}\n```')).toBe(true);
    expect(answer).not.toContain('Bad: leaving');
    expect(answer).toContain('APIs: `Py_mod_gil`, `Py_MOD_GIL_NOT_USED`.');
    // A section that opens with a one-word answer keeps the sentence after it.
    expect(answer).toContain('Background: Page › Why the GIL comes back: No. An undeclared module turns the GIL back on at import.');
  });

  it('gives the background to the section and sentences that cover what the lead leaves open', () => {
    const lead = chunk('Using the macros', [{ kind: 'prose', text: 'Wrap the read-modify-write of `self` in `Py_BEGIN_CRITICAL_SECTION(self)` and `Py_END_CRITICAL_SECTION()`.' }]);
    const next = chunk('Early exits', [{ kind: 'prose', text: 'Never return from inside the section. Break out of loops first.' }]);
    const gilBuild = chunk('What the macros are', [
      {
        kind: 'prose',
        text: 'A critical section locks the object. The lock is per object. On a build with the GIL the macros expand to nothing, so they cost nothing there. They nest.',
      },
    ]);
    const answer = composeAnswer({
      selected: [hit(lead, 10), hit(next, 8), hit(gilBuild, 7)],
      understood: understandQuery('How do the Py_BEGIN_CRITICAL_SECTION macros work, and what do they expand to on a build with the GIL?'),
    });
    expect(answer).toContain('Background: Page › What the macros are:');
    expect(answer).toContain('On a build with the GIL the macros expand to nothing, so they cost nothing there.');
    // Whole sentences only.
    expect(answer).toMatch(/there\.( |\n|$)/);
    expect(answer).toContain('See also: Page › Early exits.');
  });

  it('never cuts a list or a code block: a block that does not fit is left out whole', () => {
    const long = chunk('Long', [
      { kind: 'prose', text: 'Intro sentence about PyMutex.' },
      { kind: 'list', text: Array.from({ length: 80 }, (_, i) => `- item ${i} about PyMutex`).join('\n') },
      { kind: 'code', text: Array.from({ length: 40 }, (_, i) => `line_${i}();`).join('\n'), lang: 'c' },
    ]);
    const answer = composeAnswer({ selected: [hit(long, 5)], understood: understandQuery('PyMutex items?') });
    expect(answer).toBe('**Page › Long**\n\nIntro sentence about PyMutex.');
  });

  it('answers a thread-safety question with the direct answer first', () => {
    const direct = chunk('Is it safe', [
      { kind: 'prose', text: 'Yes for single calls; compound steps need a lock.' },
      { kind: 'prose', text: 'Good:' },
      { kind: 'code', text: 'with lock:\n    d[k] += 1', lang: 'python' },
    ]);
    const answer = composeAnswer({ selected: [hit(direct, 5)], understood: understandQuery('Is dict update thread-safe?') });
    expect(answer.indexOf('Yes for single calls')).toBeLessThan(answer.indexOf('with lock:'));
  });
  it('gives the lead to a close section of the same page rather than the page overview', () => {
    const overview = { ...chunk('Page', [{ kind: 'prose' as const, text: 'An overview of PyMutex and locking.' }]), headingPath: ['Page'] };
    const specific = chunk('Lock with PyMutex', [{ kind: 'prose', text: 'Call `PyMutex_Lock` and `PyMutex_Unlock` around the update.' }]);
    const answer = composeAnswer({ selected: [hit(overview, 10), hit(specific, 7)], understood: understandQuery('What does PyMutex do?') });
    expect(answer.startsWith('**Page › Lock with PyMutex**')).toBe(true);
    expect(answer).toContain('Background: Page: An overview of PyMutex and locking.');
  });
});

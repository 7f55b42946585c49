/**
 * Facts added to the pages for questions users asked, pinned through the whole answer path (the
 * generated index, retrieval and composition), so a page edit or a ranking change that loses them
 * shows here. Each case names the source the fact was checked against.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { answerQuestion } from '../../../src/core/knowledge/answer-question.js';
import type { KnowledgeIndex } from '../../../src/core/knowledge/build-index.js';
import { loadKnowledge } from '../../../src/io/load-knowledge.js';

let index: KnowledgeIndex;
beforeAll(async () => {
  index = await loadKnowledge();
});

const ask = async (question: string): Promise<{ answer: string; pages: string[] }> => {
  const result = await answerQuestion({ question, index });
  expect(result.covered).toBe(true);
  return { answer: result.answer, pages: result.citations.map((citation) => citation.page) };
};

describe('answers carry the facts added for real questions', () => {
  it('ob_mutex is for the critical-section API only (python/cpython#125053)', async () => {
    const { answer, pages } = await ask('May my extension type call PyMutex_Lock on its own ob_mutex field?');
    expect(pages[0]).toBe('knowledge/critical-sections.md');
    expect(answer).toContain('do not call `PyMutex_Lock(&obj->ob_mutex)` yourself');
  });

  it('CYTHON_FREETHREADING_COMPATIBLE sets Py_mod_gil when the C file is compiled (cython/cython#7404)', async () => {
    const result = await answerQuestion({ question: 'Can the Cython freethreading_compatible declaration be switched with a C macro instead of regenerating the C file?', index });
    expect(result.answer).toContain('`CYTHON_FREETHREADING_COMPATIBLE`');
    const section = result.citations.find((citation) => citation.anchor === 'setting-it-from-the-c-compiler-with-cython_freethreading_compatible');
    expect(section?.page).toBe('knowledge/cython-free-threading.md');
    const chunk = index.byId.get('knowledge/cython-free-threading.md#setting-it-from-the-c-compiler-with-cython_freethreading_compatible');
    expect(chunk?.text).toContain('`-DCYTHON_FREETHREADING_COMPATIBLE=1` declares `Py_MOD_GIL_NOT_USED`, `=0` declares `Py_MOD_GIL_USED`');
  });

  it('immortalizing with Py_SET_REFCNT is not thread-safe; 3.15 has PyUnstable_SetImmortal (python/cpython#144543)', async () => {
    const { answer, pages } = await ask('Is it thread-safe to immortalize a shared object with Py_SET_REFCNT on the free-threaded build?');
    expect(pages).toContain('knowledge/refcount-uniqueness-checks.md');
    expect(answer).toContain('PyUnstable_SetImmortal');
  });

  it('a C++ registry filled by one binding and read by another needs a lock', async () => {
    const { answer, pages } = await ask('Our pybind11 module keeps a std::unordered_map registry that one function fills and another reads. Is that a race without the GIL?');
    expect(pages).toContain('knowledge/shared-state-races.md');
    expect(answer).toMatch(/std::mutex|shared_mutex/);
  });
});

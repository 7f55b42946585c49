import { describe, expect, it } from 'vitest';
import { MAX_QUESTION_CHARS, understandQuery } from '../../../src/core/knowledge/understand-query.js';

describe('understandQuery', () => {
  it('keeps the warning line and names from a pasted log, and drops the traceback noise', () => {
    const question = [
      'Hi all! Running our tests on 3.14t with uv I get this, any help appreciated:',
      '```',
      'Traceback (most recent call last):',
      '  File "/home/me/.venv/lib/python3.14t/site-packages/pkg/__init__.py", line 3, in <module>',
      "<frozen importlib._bootstrap>:491: RuntimeWarning: The global interpreter lock (GIL) has been enabled to load module '_speedups', which has not declared that it can run safely without the GIL.",
      '```',
      'Thanks!',
    ].join('\n');
    const understood = understandQuery(question);
    expect(understood.messages[0]).toMatch(/^RuntimeWarning: The global interpreter lock/);
    expect(understood.tools).toContain('uv');
    expect(understood.versions).toContain('3.14t');
    expect(understood.text).toContain('gil re-enabled import warning declare');
    expect(understood.text).not.toMatch(/Traceback|site-packages|appreciated|Thanks/);
    expect(understood.kind).toBe('declare');
  });

  it('lets the sentence that asks decide the kind, and treats names only the background mentions as context', () => {
    const understood = understandQuery(
      'A module declares Py_MOD_GIL_NOT_USED but crashes when one thread calls clear() while another reads. How should the type protect its internal buffer?',
    );
    expect(understood.kind).toBe('how');
    expect(understood.contextNames).toEqual(['Py_MOD_GIL_NOT_USED']);
    expect(understood.text).not.toContain('declaring free-threading support');
    // The asking sentence's words come first, so the word budget cannot cut them off.
    expect(understood.text).toMatch(/how should the type protect its internal buffer/i);
    // A bare "what should we do?" says nothing on its own: the whole question decides.
    expect(understandQuery('Our cp314t wheels are missing from PyPI. What should we do?').kind).toBe('wheel');
    expect(understandQuery('How do I declare that my module does not need the GIL?').contextNames).toEqual([]);
  });

  it('reads inflected and compound spellings of the field words', () => {
    expect(understandQuery('How do I stop my Cython modules from re-enabling the GIL?').text).toContain('gil re-enabled');
    expect(understandQuery('Should an extension keep its own freelist?').text).toContain('free lists');
    expect(understandQuery('Is it safe to mark it as not using the GIL, and how?').kind).toBe('declare');
  });

  it('folds the field vocabulary onto the words the pages use', () => {
    expect(understandQuery('Does nogil Python break my extension?').text).toContain('free-threaded');
    expect(understandQuery('Can we ship a stable ABI wheel for the t build?').text).toContain('abi3 limited api stable abi');
    expect(understandQuery('Why is the no-GIL build slower for us?').text).toContain('single-threaded performance overhead');
  });

  it('tells installing an interpreter apart from CI set-up', () => {
    expect(understandQuery('How do I pin 3.14t with uv and get the GIL build back?').intents).toEqual({ install: true, ci: false });
    expect(understandQuery('How do I install 3.14t in the GitHub Actions matrix with setup-python?').intents).toEqual({ install: false, ci: true });
  });

  it('classifies the kind of answer a question wants', () => {
    expect(understandQuery('Which wheels do I need to publish for cp314t?').kind).toBe('wheel');
    expect(understandQuery('Is PyDict_SetItem thread-safe?').kind).toBe('thread-safe');
    expect(understandQuery('How do I run pytest with several threads?').kind).toBe('test');
    expect(understandQuery('How do I mark my module with Py_mod_gil?').kind).toBe('declare');
  });

  it('bounds the work on a wall of text', () => {
    const understood = understandQuery(`PyMutex ${'lorem ipsum dolor '.repeat(2000)}`);
    expect(understood.text.split(' ').length).toBeLessThan(60);
    expect(MAX_QUESTION_CHARS).toBe(4000);
  });
});

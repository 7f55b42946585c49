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

import { describe, expect, it } from 'vitest';
import { MAX_QUESTION_CHARS } from '../../../src/core/knowledge/understand-query.js';
import { prepareQuestion } from '../../../src/core/knowledge/prepare-question.js';

const traceback = (lines: number): string[] => [
  'Traceback (most recent call last):',
  ...Array.from({ length: lines }, (_, i) => `  File "/venv/lib/python3.14t/site-packages/pkg/m${i}.py", line ${i}, in <module>`),
  "RuntimeWarning: The global interpreter lock (GIL) has been enabled to load module '_speedups', which has not declared that it can run safely without the GIL.",
];

describe('prepareQuestion', () => {
  it('leaves a short question as it is', () => {
    const prepared = prepareQuestion('  What replaces PyList_GetItem?\n');
    expect(prepared).toEqual({ text: 'What replaces PyList_GetItem?', quote: 'What replaces PyList_GetItem?', trimmed: false });
  });

  it('keeps the first lines and the error line of a long pasted log, and the question after it', () => {
    const question = ['We run our test suite on 3.14t.', '', '```', ...traceback(500), '```', '', 'How do we stop the GIL from being re-enabled?'].join('\n');
    const prepared = prepareQuestion(question);
    expect(prepared.trimmed).toBe(true);
    expect(prepared.text).toContain('We run our test suite on 3.14t.');
    expect(prepared.text).toContain('```\nTraceback (most recent call last):\n  File "/venv/lib/python3.14t/site-packages/pkg/m0.py"');
    expect(prepared.text).toContain('RuntimeWarning: The global interpreter lock (GIL) has been enabled');
    expect(prepared.text).not.toContain('m250.py');
    expect(prepared.text.endsWith('How do we stop the GIL from being re-enabled?')).toBe(true);
    expect(prepared.quote).toBe('How do we stop the GIL from being re-enabled?');
  });

  it('treats an unfenced traceback as a log and an unclosed fence as code', () => {
    const prepared = prepareQuestion(['Why does this crash?', ...traceback(40), '', '```c', 'static PyObject *cache;'].join('\n'));
    expect(prepared.text).toContain('RuntimeWarning: The global interpreter lock');
    expect(prepared.text).not.toContain('m20.py');
    expect(prepared.text).toContain('```\nstatic PyObject *cache;\n```');
    expect(prepared.quote).toBe('Why does this crash?');
  });

  it('keeps the paragraph that asks when the prose is over budget, and quotes it', () => {
    const story = 'We maintain a C extension with several modules and a long history of global caches. '.repeat(60);
    const prepared = prepareQuestion(`${story}\n\nThanks for any pointers. Is a static PyObject cache filled on first use safe under free threading?`);
    expect(prepared.text).toContain('Is a static PyObject cache filled on first use safe under free threading?');
    expect(prepared.quote).toBe('Thanks for any pointers. Is a static PyObject cache filled on first use safe under free threading?');
    expect(prepared.text.length).toBeLessThanOrEqual(MAX_QUESTION_CHARS);
  });

  it('quotes only the sentence that asks from a long paragraph', () => {
    const paragraph = `${'Our module keeps a registry of converters in a static array that every call reads. '.repeat(5)}Do we need a PyMutex around it? We also have a counter.`;
    expect(prepareQuestion(paragraph).quote).toBe('Do we need a PyMutex around it?');
  });

  it('bounds what it returns on any input and is stable when applied twice', () => {
    const wall = `${'PyMutex lock ordering '.repeat(5000)}\n\n\`\`\`\n${traceback(5000).join('\n')}\n\`\`\`\n${'x'.repeat(100_000)}`;
    const prepared = prepareQuestion(wall);
    expect(prepared.text.length).toBeLessThanOrEqual(MAX_QUESTION_CHARS);
    expect(prepared.quote.length).toBeLessThanOrEqual(280);
    expect(prepareQuestion(prepared.text).text).toBe(prepared.text);
  });
});

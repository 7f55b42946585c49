import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ANSWER_CAP, FACT_WINDOW, gradeAnswer, percentile, type EvalQuestion } from '../../../scripts/eval-ask-grade.js';

const questions = (JSON.parse(readFileSync(new URL('../../../eval/ask/questions.json', import.meta.url), 'utf8')) as { questions: EvalQuestion[] }).questions;

describe('the eval:ask question set', () => {
  it('has at least 150 real on-topic and 15 off-topic questions, each with a public source', () => {
    const onTopic = questions.filter((question) => question.offTopic !== true);
    expect(onTopic.length).toBeGreaterThanOrEqual(150);
    expect(questions.length - onTopic.length).toBeGreaterThanOrEqual(15);
    for (const question of questions) expect(question.source).toMatch(/^https:\/\//);
    for (const question of onTopic) {
      expect(question.cite?.length).toBeGreaterThan(0);
      expect(question.facts?.length).toBeGreaterThan(0);
    }
    expect(new Set(questions.map((question) => question.source)).size).toBe(questions.length);
  });

  it('uses none of the threads or repositories reserved for independent evaluation', () => {
    const reserved = ['github.com/numpy/numpy/', 'github.com/pybind/pybind11/', 'github.com/python/mypy/', 'github.com/astral-sh/uv/issues/10626', 'github.com/python/cpython/issues/137043'];
    for (const question of questions) for (const prefix of reserved) expect(question.source).not.toContain(prefix);
  });

  it('every page a question cites exists', () => {
    for (const question of questions) {
      for (const page of question.cite ?? []) expect(() => readFileSync(new URL(`../../../knowledge/${page}`, import.meta.url))).not.toThrow();
    }
  });
});

describe('gradeAnswer', () => {
  const question = { cite: ['pymutex.md'], facts: [['PyMutex'], ['PyMutex_Lock', 'lock()']] };

  it('is fully correct when a listed page is cited and every fact is near the top', () => {
    expect(gradeAnswer(question, { covered: true, answer: 'Use `PyMutex` and `PyMutex_Lock`.', citedPages: ['knowledge/pymutex.md'] })).toEqual({
      declined: false,
      retrieved: true,
      missingFacts: [],
      tooLong: false,
      fullyCorrect: true,
    });
  });

  it('cannot be satisfied by pasting every page: too long, and facts past the window do not count', () => {
    const pasted = `${'x'.repeat(FACT_WINDOW)} PyMutex PyMutex_Lock ${'y'.repeat(ANSWER_CAP)}`;
    const grade = gradeAnswer(question, { covered: true, answer: pasted, citedPages: ['knowledge/pymutex.md'] });
    expect(grade).toMatchObject({ tooLong: true, fullyCorrect: false, missingFacts: question.facts });
  });

  it('counts a declined question as neither retrieved nor correct', () => {
    expect(gradeAnswer(question, { covered: false, answer: 'not covered', citedPages: [] })).toMatchObject({ declined: true, retrieved: false, fullyCorrect: false });
  });

  it('takes nearest-rank percentiles', () => {
    expect(percentile([5, 1, 4, 2, 3], 0.5)).toBe(3);
    expect(percentile([5, 1, 4, 2, 3], 0.95)).toBe(5);
    expect(percentile([], 0.95)).toBe(0);
  });
});

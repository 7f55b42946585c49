/**
 * The rubric `npm run eval:ask` grades answers with. Fixed before tuning and kept independent of
 * the answer code: it reads only the question set and the answer as a user would see it.
 *
 * - Retrieval (recall@3): one of the first three citations is on a page the question lists in
 *   `cite` (by file name, so `knowledge/x.md` and `docs/rules/x.md` both match `x.md`).
 * - Fully correct: the question is answered (not declined), the answer is at most
 *   `ANSWER_CAP` characters long, and every required fact (a list of acceptable spellings) occurs,
 *   case-insensitively, in its first `FACT_WINDOW` characters. The cap is what keeps "paste every
 *   page" from passing: the knowledge base is well over a hundred times longer.
 */

export const ANSWER_CAP = 2500;
export const FACT_WINDOW = 1500;

export type EvalQuestion = {
  id: string;
  split: 'dev' | 'heldout';
  source: string;
  question: string;
  /** Page file names a correct answer cites (any one of them). Absent for off-topic questions. */
  cite?: string[];
  /** Facts a correct answer states; each is a list of acceptable spellings. */
  facts?: string[][];
  offTopic?: boolean;
};

export type GradedAnswer = {
  covered: boolean;
  answer: string;
  citedPages: string[];
};

export type Grade = {
  declined: boolean;
  /** A top-3 citation is on a listed page. */
  retrieved: boolean;
  /** The facts that were not found in the answer window. */
  missingFacts: string[][];
  tooLong: boolean;
  fullyCorrect: boolean;
};

const baseName = (path: string): string => path.slice(path.lastIndexOf('/') + 1).toLowerCase();

/**
 * Grades one answer to an on-topic question.
 *
 * @example
 *   gradeAnswer({ cite: ['pymutex.md'], facts: [['PyMutex']] }, { covered: true, answer: 'Use `PyMutex` …', citedPages: ['knowledge/pymutex.md'] })
 *   // → { declined: false, retrieved: true, missingFacts: [], tooLong: false, fullyCorrect: true }
 */
export function gradeAnswer(question: Pick<EvalQuestion, 'cite' | 'facts'>, answer: GradedAnswer): Grade {
  const declined = !answer.covered;
  const wanted = new Set((question.cite ?? []).map(baseName));
  const retrieved = !declined && answer.citedPages.slice(0, 3).some((page) => wanted.has(baseName(page)));
  const window = answer.answer.slice(0, FACT_WINDOW).toLowerCase();
  const missingFacts = declined
    ? (question.facts ?? [])
    : (question.facts ?? []).filter((spellings) => !spellings.some((spelling) => window.includes(spelling.toLowerCase())));
  const tooLong = answer.answer.length > ANSWER_CAP;
  return { declined, retrieved, missingFacts, tooLong, fullyCorrect: !declined && !tooLong && missingFacts.length === 0 };
}

/** The value below which `share` of the sorted samples fall (nearest rank). */
export function percentile(samples: readonly number[], share: number): number {
  if (samples.length === 0) return 0;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(share * sorted.length) - 1));
  return sorted[rank] ?? 0;
}

/**
 * Trims a question as users paste it (several paragraphs, whole tracebacks, build logs, code) to
 * what answering needs, without losing the question itself.
 */
import { isLogLine, messageOf } from './understand-query.js';

/**
 * Input longer than this is read as its first and last halves (a question usually opens or closes
 * a long paste). Three times GitHub's limit for one comment, so a comment is always read whole.
 */
export const MAX_INPUT_CHARS = 196_608;
/** Prose kept from the question, in characters. */
const PROSE_BUDGET = 2400;
/** Lines kept from one pasted code block or log, and from all of them together (characters). */
const LINES_PER_BLOCK = 8;
const CODE_BUDGET = 1200;
/** The quoted form of the question is at most this long. */
const QUOTE_CHARS = 280;

export type PreparedQuestion = {
  /** What the search reads: the prose (questions first when it must choose), each code block or log reduced to its first lines and its error lines. At most about 3,700 characters. */
  text: string;
  /** The question in one line, for quoting in a reply: the first paragraph that asks something. */
  quote: string;
  /** True when anything was left out. */
  trimmed: boolean;
};

type Segment = { kind: 'prose' | 'code'; lines: string[]; fenced: boolean };

/**
 * Prepares `raw` for answering.
 *
 * @example
 *   prepareQuestion('We build with pybind11 and run on 3.14t.\n\n```\n<200 lines of log>\nRuntimeWarning: The global interpreter lock (GIL) has been enabled …\n```\n\nHow do we stop the GIL from coming back?')
 *   // → text: both paragraphs, and the log's first two lines plus its RuntimeWarning line;
 *   //   quote: 'How do we stop the GIL from coming back?'; trimmed: true
 */
export function prepareQuestion(raw: string): PreparedQuestion {
  // 1. Split into prose paragraphs and code segments (fenced blocks, runs of log lines).
  // 2. Keep prose within the budget, paragraphs that ask something first, in their original order.
  // 3. Reduce each code segment to its first lines and its error or warning lines.
  // 4. Quote the first paragraph that asks something.
  const bounded = raw.length <= MAX_INPUT_CHARS ? raw : `${raw.slice(0, MAX_INPUT_CHARS / 2)}\n\n${raw.slice(-MAX_INPUT_CHARS / 2)}`;
  const input = bounded.replace(/\r\n?/g, '\n').trim();
  const segments = splitSegments(input);
  const prose = segments.filter((segment) => segment.kind === 'prose');
  const keptProse = keepProse(prose);
  let codeBudget = CODE_BUDGET;
  const parts: string[] = [];
  for (const segment of segments) {
    if (segment.kind === 'prose') {
      const kept = keptProse.get(segment);
      if (kept !== undefined) parts.push(kept);
      continue;
    }
    const lines = reduceCode(segment.lines).filter((line) => {
      if (line.length + 1 > codeBudget) return false;
      codeBudget -= line.length + 1;
      return true;
    });
    if (lines.length === 0) continue;
    parts.push(segment.fenced ? ['```', ...lines, '```'].join('\n') : lines.join('\n'));
  }
  const text = parts.join('\n\n');
  return { text, quote: quoteOf(prose, segments), trimmed: text !== input };
}

/**
 * Splits at blank lines and fences. A paragraph whose lines are mostly log lines is code.
 * Worked example: "Why?\n\n```\nx = 1\n```\nTraceback …\n  File …" → prose "Why?", fenced code
 * "x = 1", unfenced code "Traceback …\n  File …".
 */
function splitSegments(input: string): Segment[] {
  const segments: Segment[] = [];
  let current: string[] = [];
  let fenced = false;
  const flush = (): void => {
    if (current.length === 0) return;
    const logLines = current.filter((line) => isLogLine(line)).length;
    segments.push({ kind: logLines * 2 > current.length ? 'code' : 'prose', lines: current, fenced: false });
    current = [];
  };
  let block: string[] = [];
  for (const line of input.split('\n')) {
    if (/^\s*(?:```|~~~)/.test(line)) {
      if (fenced) {
        segments.push({ kind: 'code', lines: block, fenced: true });
        block = [];
      } else flush();
      fenced = !fenced;
      continue;
    }
    if (fenced) block.push(line);
    else if (line.trim() === '') flush();
    else current.push(line);
  }
  // An unclosed fence still holds code.
  if (fenced && block.length > 0) segments.push({ kind: 'code', lines: block, fenced: true });
  flush();
  return segments;
}

/** The prose paragraphs kept, each as one string: questions first, then from the top, within budget. */
function keepProse(prose: readonly Segment[]): Map<Segment, string> {
  const kept = new Map<Segment, string>();
  let budget = PROSE_BUDGET;
  const asks = prose.filter((segment) => segment.lines.some((line) => line.includes('?')));
  for (const segment of [...asks, ...prose]) {
    if (kept.has(segment) || budget <= 0) continue;
    const text = segment.lines.join('\n');
    const clipped = text.length <= budget ? text : shorten(text, budget);
    kept.set(segment, clipped);
    budget -= clipped.length + 2;
  }
  return kept;
}

/** The first non-empty lines of a code block or log, then its error and warning lines, at most `LINES_PER_BLOCK`. */
function reduceCode(lines: readonly string[]): string[] {
  const nonEmpty = lines.filter((line) => line.trim() !== '').map((line) => line.slice(0, 400));
  if (nonEmpty.length <= LINES_PER_BLOCK) return nonEmpty;
  const chosen = new Set<number>([0, 1]);
  for (const [position, line] of nonEmpty.entries()) {
    if (chosen.size >= LINES_PER_BLOCK) break;
    if (messageOf(line) !== undefined) chosen.add(position);
  }
  return [...chosen].sort((a, b) => a - b).map((position) => nonEmpty[position] ?? '');
}

function quoteOf(prose: readonly Segment[], segments: readonly Segment[]): string {
  const asking = prose.find((segment) => segment.lines.some((line) => line.includes('?'))) ?? prose[0] ?? segments[0];
  const line = (asking?.lines ?? []).join(' ').replace(/\s+/g, ' ').trim();
  const sentence = askingSentence(line);
  return clip(sentence !== undefined && line.length > QUOTE_CHARS ? sentence : line, QUOTE_CHARS);
}

/**
 * The sentence that ends at the first `?` of `text`, from the end of the sentence before it.
 * Worked example: "We use uv. It picks 3.14t. How do I get the GIL build?" → "How do I get the GIL build?"
 */
function askingSentence(text: string): string | undefined {
  const end = text.indexOf('?');
  if (end < 0) return undefined;
  const before = text.slice(0, end);
  const start = Math.max(before.lastIndexOf('. '), before.lastIndexOf('! '), before.lastIndexOf('? '), before.lastIndexOf('\n'));
  return text.slice(start < 0 ? 0 : start + 1, end + 1).trim();
}

/** A paragraph cut to `budget` characters that keeps its first question when the cut would drop it. */
function shorten(text: string, budget: number): string {
  const sentence = askingSentence(text);
  const head = clip(text, budget);
  if (sentence === undefined || head.includes(sentence) || sentence.length > budget / 2) return head;
  return `${clip(text, budget - sentence.length - 1)} ${sentence}`;
}

/** Cuts `text` at the last space before `length` characters and marks the cut with ` …`. */
function clip(text: string, length: number): string {
  if (text.length <= length) return text;
  const cut = text.lastIndexOf(' ', length - 2);
  return `${text.slice(0, cut > 0 ? cut : length - 2)} …`;
}

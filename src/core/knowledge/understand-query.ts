/**
 * Turns a question as users write it (long, conversational, with pasted logs and code) into what
 * the search needs: its code names, error messages, tool names and versions, the field's synonyms
 * folded onto the words the pages use, and a short query text without the noise.
 */
import { extractIdentifiers } from './extract-identifiers.js';
import { STOP_WORDS } from './process-term.js';

/** What kind of answer the question wants; picks the answer template. */
export type QuestionKind = 'declare' | 'wheel' | 'thread-safe' | 'warning' | 'test' | 'install' | 'how';

export type UnderstoodQuery = {
  /** The query text to search with: names, messages, key prose and synonym expansions. */
  text: string;
  /** `text` without the synonym expansions: what the user wrote, for the coverage guard. */
  coreText: string;
  /** Code names found anywhere, pasted code included. */
  names: string[];
  /**
   * Names that only the context mentions, when a substantive asking sentence names none of them:
   * in "A module declares Py_MOD_GIL_NOT_USED but crashes. How should the type protect its
   * buffer?" the slot is background, and its sections should not outrank the answer.
   */
  contextNames: string[];
  /** Error and warning lines (`RuntimeWarning: The global interpreter lock …`), trimmed. */
  messages: string[];
  /** Known tools the question mentions (`uv`, `cibuildwheel`, `pybind11`), lower-cased. */
  tools: string[];
  /** Python versions (`3.13t`, `3.14`) and ABI tags (`cp314t`). */
  versions: string[];
  /** Intents that steer page-level scoring. */
  intents: { install: boolean; ci: boolean };
  kind: QuestionKind;
};

/** Questions longer than this are cut before any work: the search gains nothing from more. */
export const MAX_QUESTION_CHARS = 4000;
/** At most this many prose words (after stop words) go into the query text. */
const MAX_PROSE_WORDS = 24;
/** At most this many code names and words per error message go into the query text. */
const MAX_NAMES = 10;
const MAX_MESSAGE_WORDS = 16;

/**
 * Phrases (lower case, matched as substrings of the normalised question) and the words the pages
 * use for them. Constants only: nothing here is built from user or repository text.
 */
const SYNONYMS: ReadonlyArray<readonly [readonly string[], string]> = [
  [['no-gil', 'nogil', 'no gil', 'gil-free', 'gil free', 'gil-less', 'gilless', 'without the gil', 'without gil', 'disable the gil', 'disabled gil', 'gil disabled', 'gil is disabled', 'free threading', 'freethreading', 'freethreaded', 'free-threading', 't build', '3.13t', '3.14t', '3.15t', 'python3.13t', 'python3.14t'], 'free-threaded'],
  [['has been enabled to load module', 'gil has been enabled', 'gil was enabled', 're-enabl', 'reenabl', 'enables the gil', 'enable the gil', 'turn the gil back on', 'runtimewarning', 'pythonx_gil', 'python_gil=0', 'xgil=0', '-x gil'], 'gil re-enabled import warning declare'],
  [['abi3', 'stable abi', 'stable-abi', 'limited api', 'limited-api', 'limited_api', 'py_limited_api', 'py-limited-api'], 'abi3 limited api stable abi'],
  [['thread-safe', 'thread safe', 'threadsafe', 'thread safety', 'thread-safety', 'concurrently', 'data race', 'race condition'], 'thread safety'],
  [['slower', 'slowdown', 'slow down', 'overhead', 'benchmark', 'performance', 'speedup', 'speed up', 'scaling', 'scale'], 'single-threaded performance overhead'],
  [['segfault', 'sigsegv', 'segmentation fault', 'use-after-free', 'access violation', 'crashes', 'crash'], 'crash'],
  [['declare', 'declaring', 'does not need the gil', "doesn't need the gil", 'not require the gil', 'safe without the gil', 'safely without the gil', 'mark the module', 'mark my module', 'mark a module', 'as free-threading compatible', 'supports free-threaded', 'support free-threaded', 'support for free-threaded', 'not using the gil', "doesn't use the gil", 'does not use the gil', 'gil_not_used'], 'declaring free-threading support'],
  [['freelist', 'free-list', 'free list'], 'free lists caches'],
  [['memory usage', 'more memory', 'memory overhead'], 'memory mimalloc'],
  [['not support free', 'not ready', "don't support", 'do not support', 'skip free-threaded', 'skip the free-threaded', 'opt out', 'opt-out', 'not yet support'], 'not supporting free threading yet'],
];

/** Tool names worth keeping whole (matched on word boundaries of the lower-cased question). */
const TOOLS = [
  'uv', 'pip', 'conda', 'mamba', 'pixi', 'pyenv', 'homebrew', 'brew', 'deadsnakes', 'nuget', 'docker',
  'cibuildwheel', 'maturin', 'meson-python', 'meson', 'setuptools', 'scikit-build-core', 'scikit-build', 'cmake', 'bazel',
  'cython', 'pyo3', 'pybind11', 'nanobind', 'swig', 'cffi', 'mypyc',
  'pytest', 'pytest-run-parallel', 'pytest-freethreaded', 'unittest-ft', 'hypothesis', 'tsan', 'threadsanitizer', 'asan', 'valgrind',
  'auditwheel', 'delocate', 'delvewheel', 'abi3audit', 'setup-python', 'setup-uv', 'github actions',
];
const INSTALL_TOOLS = new Set(['uv', 'pip', 'conda', 'mamba', 'pixi', 'pyenv', 'homebrew', 'brew', 'deadsnakes', 'nuget', 'docker']);
const CI_WORDS = ['github actions', 'workflow', 'ci matrix', 'ci job', ' ci ', ' ci,', ' ci.', 'ci:', 'setup-python', 'setup-uv', 'matrix', 'runner', 'cibuildwheel'];
const INSTALL_WORDS = ['install', 'installing', 'installed', 'interpreter', 'venv', 'virtualenv', 'environment', 'python_abi', 'pin ', 'pinned', '+gil', 'gil build back', 'select', 'selecting', 'pick'];

/** A file or interpreter name rather than an API: `_core.py`, `libfoo.so`, `python3.14t`. */
const FILE_NAME = /\.(?:py|pyx|pxd|pyi|c|h|cc|cpp|hpp|so|pyd|dll|dylib|rs|txt|toml|cfg|ini|json|yml|yaml|log)$|^python\d/i;

/** Words that are chatter in a question: pleasantries and hedges the stop-word list misses. */
const CHATTER = new Set([
  'appreciated', 'appreciate', 'help', 'helpful', 'question', 'questions', 'wondering', 'wonder', 'guys', 'folks', 'awesome',
  'great', 'cheers', 'maybe', 'possible', 'possibly', 'somehow', 'currently', 'basically', 'actually', 'hopefully', 'sorry',
  'idea', 'ideas', 'advice', 'suggest', 'suggestion', 'thoughts', 'anybody', 'everyone', 'hi', 'hello', 'thanks', 'thank',
  'regards', 'best', 'kind', 'sure', 'understand', 'seems', 'seem', 'look', 'looks', 'looking', 'trying', 'tried', 'try',
  'doing', 'done', 'run', 'running', 'see', 'seeing', 'getting', 'case', 'issue', 'problem', 'work', 'works', 'working',
]);

/** A line of a pasted log or traceback rather than prose. Linear: anchored alternations only. */
export function isLogLine(line: string): boolean {
  const trimmed = line.trim();
  if (trimmed === '') return false;
  if (/^(?:File "|Traceback|at |#\d+\s|\[\d|\d{2,}:\d{2}|[A-Z]:\\|\/[\w.-]+\/|=+ |-+ |\$ |> |>>> |\.\.\. |\+ |│|╭|╰|×|⠿|warning: |error\[|-->)/.test(trimmed)) return true;
  const letters = trimmed.replace(/[^A-Za-z]/g, '').length;
  return letters * 2 < trimmed.length;
}

/** The message part of an error or warning line (`… RuntimeWarning: The global …` → from the class name on). */
export function messageOf(line: string): string | undefined {
  const match = /\b([A-Z][A-Za-z]*(?:Error|Warning|Exception)|error|warning|fatal error)\b:?\s+\S/.exec(line);
  if (match === null) return undefined;
  return line.slice(match.index).trim().slice(0, 240);
}

function hasWord(haystack: string, word: string): boolean {
  let from = 0;
  for (;;) {
    const at = haystack.indexOf(word, from);
    if (at < 0) return false;
    const before = haystack[at - 1];
    const after = haystack[at + word.length];
    if ((before === undefined || !/[a-z0-9_-]/.test(before)) && (after === undefined || !/[a-z0-9_]/.test(after))) return true;
    from = at + 1;
  }
}

/**
 * Understands `question`.
 *
 * @example
 *   understandQuery('Hi! With uv on 3.14t I get:\n```\nRuntimeWarning: The global interpreter lock (GIL) has been enabled to load module \'_ubjson\'\n```\nThanks!')
 *   // → tools ['uv'], versions ['3.14t'], messages ['RuntimeWarning: The global …'], kind 'warning',
 *   //   text containing "RuntimeWarning … gil re-enabled import warning declare free-threaded"
 */
export function understandQuery(question: string): UnderstoodQuery {
  // 1. Separate fenced code and log lines from prose; keep names from code, messages from logs.
  // 2. Find tools, versions and synonyms on the lower-cased prose and messages.
  // 3. Build the query text: names, messages, key prose words, expansions.
  const input = question.slice(0, MAX_QUESTION_CHARS).replace(/\r\n?/g, '\n');
  const prose: string[] = [];
  const code: string[] = [];
  const messages: string[] = [];
  let fenced = false;
  for (const line of input.split('\n')) {
    if (/^\s*(?:```|~~~)/.test(line)) {
      fenced = !fenced;
      continue;
    }
    const message = messageOf(line.slice(0, 400));
    if (message !== undefined && messages.length < 3 && (fenced || isLogLine(line) || /Error|Warning/.test(message))) messages.push(message);
    if (fenced || isLogLine(line)) code.push(line);
    else prose.push(line);
  }
  const proseText = prose.join('\n');
  // File names and interpreter names in pasted tracebacks (`m0.py`, `python3`) are not APIs.
  const codeNames = extractIdentifiers(code.join('\n')).filter((name) => !FILE_NAME.test(name));
  const names = [...new Set([...extractIdentifiers(proseText), ...codeNames.slice(0, 12)])];
  const lower = ` ${[proseText, ...messages].join(' ').toLowerCase().replace(/\s+/g, ' ')} `;

  const tools = TOOLS.filter((tool) => hasWord(lower, tool));
  const versions = [...new Set([...lower.matchAll(/\b(?:3\.1[0-9]t?|cp31[0-9]t?|0\.2[0-9])\b/g)].map((match) => match[0]))];
  const asking = substantiveAsking(proseText);
  // Expansions come from the asking sentence when it says enough on its own (plus any pasted
  // messages), so a word of background ("the module declares …") does not steer the search.
  const expandFrom = asking === '' ? lower : ` ${[asking, ...messages].join(' ').toLowerCase()} `;
  const expansions = SYNONYMS.filter(([phrases]) => phrases.some((phrase) => expandFrom.includes(phrase))).map(([, words]) => words);
  const contextNames = asking === '' ? [] : names.filter((name) => !asking.includes(name.toLowerCase()));

  const ci = CI_WORDS.some((word) => lower.includes(word));
  const install = tools.some((tool) => INSTALL_TOOLS.has(tool)) || INSTALL_WORDS.some((word) => lower.includes(word));
  const kind = classifyAsked(proseText, lower, messages);

  const words: string[] = [];
  const seen = new Set<string>();
  // The asking sentence's words first, so the word budget never cuts what is asked.
  for (const match of `${asking} ${proseText}`.matchAll(/[\p{L}\p{N}_]+(?:[.-][\p{L}\p{N}_]+)*/gu)) {
    const word = match[0];
    const key = word.toLowerCase();
    if (seen.has(key) || CHATTER.has(key) || key.length < 2) continue;
    seen.add(key);
    words.push(word);
    if (words.length >= MAX_PROSE_WORDS) break;
  }
  // Bounded: a pasted wall of text must not turn into a search over hundreds of terms.
  const messageWords = messages.slice(0, 2).map((message) => message.split(/\s+/).slice(0, MAX_MESSAGE_WORDS).join(' '));
  const coreText = [...names.slice(0, MAX_NAMES), ...messageWords, ...words].join(' ');
  const text = [coreText, ...expansions].join(' ');
  return { text, coreText, names, contextNames, messages, tools, versions, intents: { install: install && !ci, ci }, kind };
}

/**
 * The kind of the sentence that asks, when it says enough on its own: in "A module declares
 * Py_MOD_GIL_NOT_USED but crashes. How should the type protect its buffer?" the context mentions
 * declaring, but the question is how to protect the buffer. A bare "What should we do?" says
 * nothing, so the whole question decides.
 */
function classifyAsked(proseText: string, lower: string, messages: readonly string[]): QuestionKind {
  const asking = substantiveAsking(proseText);
  if (asking === '') return classify(lower, messages);
  const kind = classify(` ${asking} `, messages);
  return kind === 'how' && /\bhow\b/.test(asking) ? kind : kind === 'how' ? classify(lower, messages) : kind;
}

/** An asking sentence with fewer content words than this defers to the whole question. */
const ASKING_MIN_WORDS = 4;

/**
 * The asking sentences when they say enough on their own (`ASKING_MIN_WORDS` content words) and
 * there is context besides them; '' otherwise, and the whole question counts.
 */
function substantiveAsking(proseText: string): string {
  const asking = askingSentences(proseText);
  const content = asking.split(/[^a-z0-9_]+/).filter((word) => word.length > 2 && !STOP_WORDS.has(word));
  if (content.length < ASKING_MIN_WORDS || asking.length >= proseText.replace(/\s+/g, ' ').trim().length - 2) return '';
  return asking;
}

/** The sentences that end in a question mark, lower-cased and joined; '' when there are none. */
export function askingSentences(prose: string): string {
  const sentences: string[] = [];
  // One pass over the text, cut at `.`, `!` and `?` (`/[^.!?]*\?/g` would rescan a long sentence
  // without a question mark from each of its characters).
  const text = prose.replace(/\s+/g, ' ');
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c !== '.' && c !== '!' && c !== '?') continue;
    const sentence = text.slice(start, i + 1).trim();
    if (c === '?' && sentence !== '?') sentences.push(sentence.toLowerCase());
    start = i + 1;
  }
  return sentences.join(' ');
}

function classify(lower: string, messages: readonly string[]): QuestionKind {
  if (messages.some((message) => /warning/i.test(message)) || /\bwarning\b|why does/.test(lower) || (lower.includes('what does') && lower.includes(' mean'))) {
    return /gil|interpreter lock/.test(lower) && /declare|enabled/.test(lower) ? 'declare' : 'warning';
  }
  if (/declare|mark (?:the|my|a|our|it)? ?(?:module|extension|as)|not using the gil|py_mod_gil|gil_used|mod_gil_not_used|freethreading_compatible|free_threaded\b/.test(lower)) return 'declare';
  if (/\bwheels?\b|\btags?\b|cp31\dt|abi3|cibuildwheel|publish|upload/.test(lower)) return 'wheel';
  if (/\bthread[- ]?safe|safe to|is it safe|race|concurrent/.test(lower)) return 'thread-safe';
  if (/\btests?\b|\btesting\b|pytest|sanitizer|tsan/.test(lower)) return 'test';
  if (/install|interpreter|uv |conda|pyenv/.test(lower)) return 'install';
  return 'how';
}

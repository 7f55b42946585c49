import { quote } from './quote.js';

/**
 * Parses PEP 508 environment markers (packaging.python.org, "Dependency specifiers"):
 *
 *   marker      = or
 *   or          = and ('or' and)*
 *   and         = atom ('and' atom)*
 *   atom        = '(' marker ')' | value op value
 *   value       = env_var | "quoted string" | 'quoted string'
 *   op          = '<=' | '<' | '!=' | '===' | '==' | '>=' | '>' | '~=' | 'in' | 'not' 'in'
 *
 * Worked example:
 *   `python_version >= "3.13" and (sys_platform == 'linux' or extra == "gpu")`
 *   → and[ cmp(var python_version, >=, str 3.13), or[ cmp(var sys_platform, ==, str linux), cmp(var extra, ==, str gpu) ] ]
 */

export type MarkerOperator = '<' | '<=' | '>' | '>=' | '==' | '!=' | '~=' | '===' | 'in' | 'not in';

export type MarkerValue = { kind: 'variable'; name: string } | { kind: 'string'; value: string };

export type MarkerNode =
  | { kind: 'and' | 'or'; items: MarkerNode[] }
  | { kind: 'compare'; left: MarkerValue; operator: MarkerOperator; right: MarkerValue };

export type MarkerParseResult = { ok: true; marker: MarkerNode } | { ok: false; error: string };

/** The variables of the spec, plus the dotted spellings of PEP 345 that old setup.cfg files still use. */
const VARIABLES: Readonly<Record<string, string>> = {
  python_version: 'python_version',
  python_full_version: 'python_full_version',
  os_name: 'os_name',
  sys_platform: 'sys_platform',
  platform_release: 'platform_release',
  platform_system: 'platform_system',
  platform_version: 'platform_version',
  platform_machine: 'platform_machine',
  platform_python_implementation: 'platform_python_implementation',
  implementation_name: 'implementation_name',
  implementation_version: 'implementation_version',
  extra: 'extra',
  extras: 'extras',
  dependency_groups: 'dependency_groups',
  'os.name': 'os_name',
  'sys.platform': 'sys_platform',
  'platform.version': 'platform_version',
  'platform.machine': 'platform_machine',
  'platform.python_implementation': 'platform_python_implementation',
  python_implementation: 'platform_python_implementation',
};

type Token =
  | { kind: 'paren'; value: '(' | ')' }
  | { kind: 'string'; value: string }
  | { kind: 'word'; value: string }
  | { kind: 'op'; value: MarkerOperator };

// Longest operators first, so `<=` is not read as `<` followed by `=`.
const OPERATORS = ['===', '<=', '>=', '==', '!=', '~=', '<', '>'] as const;

function tokenize(text: string): Token[] | string {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] ?? '';
    if (c === ' ' || c === '\t') {
      i++;
      continue;
    }
    if (c === '(' || c === ')') {
      tokens.push({ kind: 'paren', value: c });
      i++;
      continue;
    }
    if (c === '"' || c === "'") {
      const end = text.indexOf(c, i + 1);
      if (end === -1) return `unterminated string at column ${i + 1}`;
      tokens.push({ kind: 'string', value: text.slice(i + 1, end) });
      i = end + 1;
      continue;
    }
    const op = OPERATORS.find((o) => text.startsWith(o, i));
    if (op !== undefined) {
      tokens.push({ kind: 'op', value: op });
      i += op.length;
      continue;
    }
    const word = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(text.slice(i));
    if (word !== null) {
      tokens.push({ kind: 'word', value: word[0] });
      i += word[0].length;
      continue;
    }
    return `unexpected ${quote(c)} at column ${i + 1}`;
  }
  return tokens;
}

class MarkerSyntaxError extends Error {}

/** Deepest parenthesis nesting a marker may have. */
export const MAX_MARKER_DEPTH = 32;

/**
 * Parses an environment marker (the text after `;` in a requirement).
 *
 * @param text
 *   The marker, e.g. `python_version < "3.14" and sys_platform != "win32"`.
 * @returns
 *   The tree, or an error naming what is wrong (unknown variable, unbalanced parenthesis, …).
 *   Never throws.
 */
export function parseMarker(text: string): MarkerParseResult {
  const tokens = tokenize(text);
  if (typeof tokens === 'string') return { ok: false, error: tokens };
  let pos = 0;
  const peek = (): Token | undefined => tokens[pos];
  const fail = (message: string): never => {
    throw new MarkerSyntaxError(message);
  };
  const isWord = (t: Token | undefined, value: string): boolean => t?.kind === 'word' && t.value === value;

  const value = (): MarkerValue => {
    const t = tokens[pos++];
    if (t === undefined) return fail('marker ends where a value is expected');
    if (t.kind === 'string') return { kind: 'string', value: t.value };
    if (t.kind === 'word') {
      const name = VARIABLES[t.value];
      if (name === undefined) return fail(`unknown marker variable ${quote(t.value)}`);
      return { kind: 'variable', name };
    }
    return fail(`expected a variable or a quoted string, got ${quote(t.value)}`);
  };

  const operator = (): MarkerOperator => {
    const t = tokens[pos++];
    if (t?.kind === 'op') return t.value;
    if (isWord(t, 'in')) return 'in';
    if (isWord(t, 'not') && isWord(peek(), 'in')) {
      pos++;
      return 'not in';
    }
    return fail(t === undefined ? 'marker ends where an operator is expected' : `expected an operator, got ${quote(t.value)}`);
  };

  let depth = 0;
  const atom = (): MarkerNode => {
    const t = peek();
    if (t?.kind === 'paren' && t.value === '(') {
      pos++;
      // Real markers nest two or three levels; a bound keeps a hostile one from overflowing the stack.
      if (++depth > MAX_MARKER_DEPTH) fail(`parentheses nested deeper than ${MAX_MARKER_DEPTH} levels`);
      const inner = or();
      depth--;
      const close = tokens[pos++];
      if (!(close?.kind === 'paren' && close.value === ')')) fail('missing `)`');
      return inner;
    }
    const left = value();
    const op = operator();
    const right = value();
    return { kind: 'compare', left, operator: op, right };
  };

  const chain = (kind: 'and' | 'or', next: () => MarkerNode): MarkerNode => {
    const items = [next()];
    while (isWord(peek(), kind)) {
      pos++;
      items.push(next());
    }
    return items.length === 1 ? (items[0] as MarkerNode) : { kind, items };
  };
  const and = (): MarkerNode => chain('and', atom);
  const or = (): MarkerNode => chain('or', and);

  try {
    if (tokens.length === 0) return { ok: false, error: 'empty marker' };
    const marker = or();
    const rest = peek();
    if (rest !== undefined) fail(`unexpected ${quote(rest.value)} after the marker`);
    return { ok: true, marker };
  } catch (error) {
    if (error instanceof MarkerSyntaxError) return { ok: false, error: error.message };
    throw error;
  }
}

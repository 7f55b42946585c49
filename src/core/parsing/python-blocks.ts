/**
 * Reading a Python build script (`setup.py`, a build hook) by its indentation, without a Python
 * parser: which `if`/`elif`/`else`/`def`/`for`/`with` headers enclose an offset, and which names
 * are computed from a given expression. Enough to tell whether a line of a build script runs only
 * under some condition; not a general Python reader.
 */

/** One enclosing block header: its keyword and its text up to the closing `:`, comments blanked. */
export interface PythonHeader {
  keyword: 'if' | 'elif' | 'else' | 'def' | 'for' | 'while' | 'with' | 'try' | 'except' | 'class';
  /** The header from its keyword to the `:` that ends it (several lines for a bracketed condition). */
  text: string;
  /** Offset of the keyword. */
  start: number;
}

const HEADER = /^(if|elif|else|def|for|while|with|try|except|class)\b/;

interface Line {
  start: number;
  indent: number;
  /**
   * The line without its indentation; empty for a blank or comment-only line, and for a line that
   * continues a statement (inside brackets, inside a triple-quoted string, after a backslash), whose
   * indentation says nothing about blocks.
   */
  body: string;
}

const NO_LINE: Line = { start: 0, indent: 0, body: '' };

/**
 * The lines of a Python text with one forward pass that tracks brackets and strings, so that the
 * continuation lines of a call or of a bracketed `if (...)` condition are told apart from lines
 * that start a statement.
 */
function linesOf(text: string): Line[] {
  const out: Line[] = [];
  let depth = 0;
  let triple: string | undefined;
  let continued = false;
  let start = 0;
  while (start <= text.length) {
    const nl = text.indexOf('\n', start);
    const end = nl < 0 ? text.length : nl;
    const raw = text.slice(start, end);
    const indent = raw.length - raw.trimStart().length;
    const inside = depth > 0 || triple !== undefined || continued;
    const body = inside || raw.trim().startsWith('#') ? '' : raw.trim();
    out.push({ start, indent, body });
    for (let i = start; i < end; i++) {
      const c = text[i];
      if (triple !== undefined) {
        if (text.startsWith(triple, i)) {
          i += 2;
          triple = undefined;
        } else if (c === '\\') i++;
      } else if (c === '#') break;
      else if (c === '"' || c === "'") {
        if (text.startsWith(c.repeat(3), i)) {
          triple = c.repeat(3);
          i += 2;
        } else for (i++; i < end && text[i] !== c; i++) if (text[i] === '\\') i++;
      } else if (c === '(' || c === '[' || c === '{') depth++;
      else if ((c === ')' || c === ']' || c === '}') && depth > 0) depth--;
    }
    continued = triple === undefined && depth === 0 && raw.trimEnd().endsWith('\\');
    if (nl < 0) break;
    start = nl + 1;
  }
  return out;
}

let lastText: string | undefined;
let lastLines: Line[] = [];
/** The lines of `text`, kept for the next call: a rule asks about several offsets of one file. */
function cachedLines(text: string): Line[] {
  if (text !== lastText) {
    lastLines = linesOf(text);
    lastText = text;
  }
  return lastLines;
}

/** Index of the line holding `offset` (binary search over line starts). */
function lineAt(lines: Line[], offset: number): number {
  let lo = 0;
  let hi = lines.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((lines[mid] ?? NO_LINE).start <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** The header text from line `i` to the `:` that ends it (a bracketed condition spans lines). */
function headerText(text: string, lines: Line[], i: number): string {
  const from = (lines[i] ?? NO_LINE).start;
  return text.slice(from, pythonStatementEnd(text, from)).replace(/\s+/g, ' ').trim();
}

/**
 * The block headers that enclose `offset`, innermost first. An `else`/`elif` brings the `if` (and
 * earlier `elif`s) of its chain too, since their conditions decide whether it runs.
 *
 * Worked example: in `if FT:\n    pass\nelse:\n    macros = [...]` the offset of `macros` gives
 * the `else` header, then the `if FT:` header.
 */
export function enclosingHeaders(text: string, offset: number): PythonHeader[] {
  const lines = cachedLines(text);
  let i = lineAt(lines, offset);
  let limit = (lines[i] ?? NO_LINE).indent;
  const out: PythonHeader[] = [];
  for (i--; i >= 0 && limit > 0; i--) {
    const line = lines[i] ?? NO_LINE;
    if (line.body === '' || line.indent >= limit) continue;
    const m = HEADER.exec(line.body);
    if (m !== null && /:\s*(?:#.*)?$/.test(headerText(text, lines, i))) {
      out.push({ keyword: (m[1] ?? 'if') as PythonHeader['keyword'], text: headerText(text, lines, i), start: line.start + line.indent });
      // The rest of an if/elif/else chain at this indentation decides this branch too.
      if (m[1] === 'else' || m[1] === 'elif') {
        for (let j = i - 1; j >= 0; j--) {
          const other = lines[j] ?? NO_LINE;
          if (other.body === '' || other.indent > line.indent) continue;
          if (other.indent < line.indent) break;
          const k = /^(if|elif)\b/.exec(other.body);
          if (k === null) break;
          out.push({ keyword: k[1] === 'elif' ? 'elif' : 'if', text: headerText(text, lines, j), start: other.start + other.indent });
          if (k[1] === 'if') break;
        }
      }
    }
    limit = line.indent;
  }
  return out;
}

/**
 * End of the Python statement that continues from `from`: the first newline outside brackets, not
 * after a backslash, or the end of a comment at depth 0. Strings end at their quote or their line;
 * the scan stops after 20,000 characters.
 */
export function pythonStatementEnd(text: string, from: number): number {
  let depth = 0;
  const stop = Math.min(text.length, from + 20_000);
  for (let i = from; i < stop; i++) {
    const c = text[i];
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth = Math.max(0, depth - 1);
    else if (c === '"' || c === "'") {
      for (i++; i < stop && text[i] !== c && text[i] !== '\n'; i++) if (text[i] === '\\') i++;
    } else if (c === '#') {
      while (i < stop && text[i] !== '\n') i++;
      if (depth === 0) return i;
    } else if (c === '\n' && depth === 0 && text[i - 1] !== '\\') return i;
  }
  return stop;
}

/**
 * Names whose value is computed from text matching `seed`, followed through plain assignments
 * (`A = not B`) and through functions whose body mentions the seed or such a name. Comments must
 * already be blanked.
 *
 * Worked example: `FT = bool(get_config_var("Py_GIL_DISABLED"))\nUSE_ABI3 = not FT` with a seed
 * matching `Py_GIL_DISABLED` gives `FT` and `USE_ABI3`.
 */
export function namesDerivedFrom(text: string, seed: RegExp): Set<string> {
  const names = new Set<string>();
  const assignments: Array<{ name: string; value: string }> = [];
  const lines = cachedLines(text);
  // Statements only: a `name=value` line inside a call is a keyword argument.
  for (const line of lines) {
    const m = /^([A-Za-z_]\w*)[ \t]*(?::[^=\n]*)?=(?!=)/.exec(line.body);
    if (m === null) continue;
    const from = line.start + line.indent + m[0].length;
    assignments.push({ name: m[1] ?? '', value: text.slice(from, pythonStatementEnd(text, from)) });
  }
  const functions: Array<{ name: string; body: string }> = [];
  for (let i = 0; i < lines.length; i++) {
    const def = /^def\s+([A-Za-z_]\w*)/.exec((lines[i] ?? NO_LINE).body);
    if (def === null) continue;
    let end = i + 1;
    while (end < lines.length && ((lines[end] ?? NO_LINE).body === '' || (lines[end] ?? NO_LINE).indent > (lines[i] ?? NO_LINE).indent)) end++;
    functions.push({ name: def[1] ?? '', body: text.slice((lines[i] ?? NO_LINE).start, end < lines.length ? (lines[end] ?? NO_LINE).start : text.length) });
  }
  // A worklist over identifiers (linear in the text): each name found marks the definitions
  // whose value uses it.
  const users = new Map<string, string[]>();
  const queue: string[] = [];
  for (const { name, value } of [...assignments, ...functions.map((f) => ({ name: f.name, value: f.body }))]) {
    if (seed.test(value)) queue.push(name);
    for (const id of new Set(value.match(/[A-Za-z_]\w*/g) ?? [])) {
      const list = users.get(id);
      if (list === undefined) users.set(id, [name]);
      else list.push(name);
    }
  }
  while (queue.length > 0) {
    const name = queue.pop() as string;
    if (names.has(name)) continue;
    names.add(name);
    for (const user of users.get(name) ?? []) if (!names.has(user)) queue.push(user);
  }
  return names;
}

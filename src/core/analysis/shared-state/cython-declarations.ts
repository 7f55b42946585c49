import type { SharedVariable } from './c-model.js';

/** One line of a Cython file, comments and strings blanked, trailing blanks dropped. */
export type CythonLine = { start: number; end: number; indent: number; code: string };

// `cdef <type> <name>` at module level, one name: `cdef int counter = 0`, `cdef void *table[N]`.
// The type is words split by blanks, so a run of blanks has one split (a line of spaces stays linear).
const singleCdef =
  /^cdef\s+(?!class\b|extern\b|struct\b|enum\b|union\b|inline\b|const\b|readonly\b|public\s+(?:class|api)\b|packed\b|ctypedef\b|fused\b|cppclass\b)([\w.*[\]]+(?:\s+[\w.*[\]]+)*?)\s+\**([A-Za-z_]\w*)\s*(?:\[[^\]]*\]\s*)*(?:=|$)/;
// A module-level container: `_cache = {}`, `_seen: dict = dict()`.
const container = /^([A-Za-z_]\w*)\s*(?::\s*\w+\s*)?=\s*(\{|\[|dict\(|list\(|set\(|collections\.|OrderedDict\(|defaultdict\(|WeakValueDictionary\()/;
// What starts a line that declares no plain variables (a type, a function, an import).
const typeKeyword = /^(?:class|extern|struct|enum|union|inline|const|readonly|packed|ctypedef|fused|cppclass|def|cdef|cpdef|from|cimport|import)\b/;

/**
 * The module-level variables of a Cython file: `cdef` declarations (`cdef int calls = 0`, several
 * names at once as in `cdef object _a, _b, _c`, and the lines of a module-level `cdef:` block) and
 * containers bound at module level (`_registry = {}`), each with the offset of its name.
 *
 * Worked example: `cdef object _ndindex, _Integer` → `_ndindex` and `_Integer`, each at its own
 * column; `cdef int f(int x)` (a function) and `cdef class C:` declare none.
 */
export function cythonModuleVariables(lines: CythonLine[]): Map<string, SharedVariable> {
  const shared = new Map<string, SharedVariable>();
  const add = (name: string, at: number): void => {
    if (!shared.has(name)) shared.set(name, { name, at, kind: 'global' });
  };
  let block = false;
  for (const line of lines) {
    if (line.indent === 0) block = /^cdef\s*:$/.test(line.code);
    else {
      // A line of a module-level `cdef:` block declares as a `cdef` line would, without the keyword.
      if (block && !line.code.includes('(') && !line.code.trimStart().startsWith('#')) {
        for (const d of declarators(line.code.trimStart())) add(d.name, line.start + line.indent + d.index);
      }
      continue;
    }
    if (line.code.startsWith('cdef') && line.code.includes(',')) {
      const list = /^cdef\s+/.exec(line.code);
      if (list !== null && !line.code.includes('(')) {
        const found = declarators(line.code.slice(list[0].length));
        for (const d of found) add(d.name, line.start + list[0].length + d.index);
        if (found.length > 0) continue;
      }
    }
    const cdef = singleCdef.exec(line.code);
    const bound = container.exec(line.code);
    const name = cdef?.[2] ?? bound?.[1];
    if (name === undefined || /\(/.test(cdef?.[1] ?? '')) continue;
    // A signature (`cdef int f(int x):`), unless the name is bound to a value (`cdef array.array
    // swapper = array.array('Q', [0])`, whose line ends in a call too).
    if (cdef !== null && !cdef[0].endsWith('=') && /\(\s*$|\)\s*:?$/.test(line.code)) continue;
    add(name, line.start + line.code.indexOf(name));
  }
  return shared;
}

/**
 * The names a declaration list declares (`object _a, _b`, `int x = 0, *y`), each with its offset
 * in `code`; none when a part does not read as a declarator (a call, a struct, a cast).
 */
function declarators(code: string): Array<{ name: string; index: number }> {
  if (typeKeyword.test(code) || code.endsWith(':')) return [];
  const out: Array<{ name: string; index: number }> = [];
  let from = 0;
  for (const part of splitTopLevelCommas(code)) {
    const d = declarator(part, out.length === 0);
    if (d === undefined) return [];
    out.push({ name: d.name, index: from + d.index });
    from += part.length + 1;
  }
  return out;
}

/**
 * The name one declarator declares and its index in `part`: the identifier that ends the text
 * before any initialiser and array sizes (`*table[N]`, `x = 0`). The first declarator of a list
 * carries the type before the name (`unsigned long *p`); a later one only `*`s.
 */
function declarator(part: string, first: boolean): { name: string; index: number } | undefined {
  const eq = part.indexOf('=');
  let end = eq < 0 ? part.length : part.slice(eq + 1, eq + 2) === '=' ? -1 : eq;
  if (end < 0) return undefined;
  // Array sizes after the name, and blanks.
  for (;;) {
    while (end > 0 && /\s/.test(part[end - 1] ?? '')) end--;
    if (part[end - 1] !== ']') break;
    const open = part.lastIndexOf('[', end - 1);
    if (open < 0) return undefined;
    end = open;
  }
  let start = end;
  while (start > 0 && /\w/.test(part[start - 1] ?? '')) start--;
  const name = part.slice(start, end);
  if (!/^[A-Za-z_]\w*$/.test(name)) return undefined;
  const before = part.slice(0, start);
  if (first) {
    // A type of words, dots and `*`s, with at least one word, and a blank or `*` before the name.
    if (!/^[\w.\s*]*$/.test(before) || !/\w/.test(before) || !/[\s*]$/.test(before)) return undefined;
  } else if (!/^[\s*]*$/.test(before)) return undefined;
  return { name, index: start };
}

/** `code` split at the commas outside brackets, each part with its own text (commas dropped). */
function splitTopLevelCommas(code: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let from = 0;
  for (let i = 0; i < code.length; i++) {
    const c = code[i];
    if (c === '[' || c === '(' || c === '{') depth++;
    else if ((c === ']' || c === ')' || c === '}') && depth > 0) depth--;
    else if (c === ',' && depth === 0) {
      parts.push(code.slice(from, i));
      from = i + 1;
    }
  }
  parts.push(code.slice(from));
  return parts;
}

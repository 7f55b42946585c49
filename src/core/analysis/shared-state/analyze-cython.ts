import type { FieldWriteReport, RelatedOffset, SharedStateAnalysis, SharedWriteReport, WriteKind } from './analyze-c.js';
import { blankText } from './blank-text.js';
import type { SharedVariable } from './c-model.js';

type Line = { start: number; end: number; indent: number; code: string };
type PyFunction = { name: string; def: 'def' | 'cpdef' | 'cdef'; indent: number; start: number; end: number; cls: string | undefined; cdefClass: boolean; lockedWhole: boolean; lines: Line[]; globals: Set<string> };

const lifecycle = /^(__cinit__|__init__|__dealloc__|__del__|__new__|__reduce\w*__|__setstate\w*__|__getstate__)$/;
const mutating = /^(append|extend|insert|pop|popitem|remove|clear|update|setdefault|add|discard|sort|reverse|__setitem__|__delitem__)$/;
const freeListName = /free_?list|freelist|numfree|_free\b|cache|cached|pool/i;

let cachedText: string | undefined;
let cachedResult: SharedStateAnalysis | undefined;

/**
 * Shared-state reports for one Cython file, from its indentation structure (comments and strings
 * blanked). Entry points are `def` and `cpdef` functions and methods; module-level code is init.
 *
 * - Module state: module-level `cdef` variables and containers (`_cache = {}`), written in a
 *   function through `global name` or mutated in place (`_cache[k] = v`, `_cache.append(x)`).
 * - Per-object state: `self.attr = …` / `self.attr += …` / `self.attr.append(…)` in methods of a
 *   `cdef class`, except `__cinit__`, `__init__` and `__dealloc__`.
 * - Locks: `with cython.critical_section(…):`, `@cython.critical_section`, and `with lock:` on a
 *   name that says lock or mutex. `with nogil:` releases the GIL and is not a lock.
 */
export function analyzeCythonSharedState(text: string): SharedStateAnalysis {
  if (cachedText === text && cachedResult !== undefined) return cachedResult;
  const clean = blankText(text, true);
  const lines: Line[] = [];
  let from = 0;
  for (const raw of clean.split('\n')) {
    const code = raw.trimEnd();
    const indent = code.length - code.trimStart().length;
    if (code.trim() !== '') lines.push({ start: from, end: from + raw.length, indent, code });
    from += raw.length + 1;
  }
  // Module-level names: `cdef int counter = 0`, `cdef dict registry = {}`, `_cache = {}`.
  const shared = new Map<string, SharedVariable>();
  for (const line of lines) {
    if (line.indent !== 0) continue;
    // The type is words split by blanks, so a run of blanks has one split (a line of spaces stays linear).
    const cdef = /^cdef\s+(?!class\b|extern\b|struct\b|enum\b|union\b|inline\b|const\b|readonly\b|public\s+(?:class|api)\b|packed\b|ctypedef\b|fused\b|cppclass\b)([\w.*[\]]+(?:\s+[\w.*[\]]+)*?)\s+\**([A-Za-z_]\w*)\s*(?:=|$)/.exec(line.code);
    const container = /^([A-Za-z_]\w*)\s*(?::\s*\w+\s*)?=\s*(\{|\[|dict\(|list\(|set\(|collections\.|OrderedDict\(|defaultdict\(|WeakValueDictionary\()/.exec(line.code);
    const name = cdef?.[2] ?? container?.[1];
    if (name === undefined || /\(/.test(cdef?.[1] ?? '')) continue;
    if (cdef !== null && /\(\s*$|\)\s*:?$/.test(line.code)) continue;
    shared.set(name, { name, at: line.start + line.code.indexOf(name), kind: 'global' });
  }
  const functions = readFunctions(lines);
  const writes: SharedWriteReport[] = [];
  const fields: FieldWriteReport[] = [];
  const allWrites: Array<{ name: string; fn: string; at: number }> = [];
  for (const fn of functions) {
    if (fn.def === 'cdef' && fn.cls === undefined) continue;
    const fieldSeen: string[] = [];
    let firstField: { at: number; end: number; path: string } | undefined;
    const related: RelatedOffset[] = [];
    const reportedVars = new Set<string>();
    for (const line of fn.lines) {
      const locked = fn.lockedWhole || lockedAt(fn, line);
      for (const m of line.code.matchAll(/(?<![\w.])([A-Za-z_]\w*)((?:\.[A-Za-z_]\w*)*)(\[[^\]]*\])?\s*(?:(=(?!=)|[-+*/%&|^]=|\/\/=|\*\*=)|\.(\w+)\s*\()|\bdel\s+([A-Za-z_]\w*)((?:\.[A-Za-z_]\w*)*)\[/g)) {
        const base = m[1] ?? m[6] ?? '';
        const members = m[2] ?? m[7] ?? '';
        const method = m[5];
        if (method !== undefined && !mutating.test(method)) continue;
        const at = line.start + m.index + (m[0].startsWith('del') ? m[0].indexOf(base) : 0);
        const end = at + base.length + members.length + (m[3]?.length ?? 0);
        const path = text.slice(at, end).replace(/\[[^\]]*\]/g, '[…]');
        const rmw = m[4] !== undefined && m[4] !== '=';
        if (base === 'self' && fn.cls !== undefined && members !== '') {
          // Builtin containers lock themselves (`self._entries[k] = v`, `self._items.append(x)`);
          // rebinding the attribute or writing a C field is what races.
          const rebinds = m[4] !== undefined && m[3] === undefined;
          if (!rebinds || locked || lifecycle.test(fn.name) || fn.def === 'cdef' || !fn.cdefClass) continue;
          const field = members.split('.')[1] ?? '';
          if (fieldSeen.includes(field)) continue;
          fieldSeen.push(field);
          if (firstField === undefined) firstField = { at, end, path };
          else if (related.length < 4) related.push({ at, message: `\`${path}\` also written here` });
          continue;
        }
        const variable = shared.get(base);
        if (variable === undefined) continue;
        // Rebinding a module name needs `global`; in-place mutation does not.
        const inPlace = members !== '' || m[3] !== undefined || method !== undefined || m[6] !== undefined;
        if (!inPlace && !fn.globals.has(base)) continue;
        allWrites.push({ name: base, fn: fn.name, at });
        if (locked || reportedVars.has(base)) continue;
        reportedVars.add(base);
        const kind: WriteKind = freeListName.test(base) ? 'freeList' : rmw && members === '' ? 'counter' : lazyGuarded(fn, line, base) ? 'lazyInit' : 'write';
        writes.push({
          kind,
          variable,
          path,
          function: fn.name,
          at,
          end,
          reason: { entry: fn.name, via: `a Python-callable \`${fn.def}\` function` },
          confidence: 'medium',
          related: [{ at: variable.at, message: `\`${base}\` declared here` }],
        });
      }
    }
    if (firstField !== undefined && fn.cls !== undefined) {
      fields.push({ path: firstField.path, fields: fieldSeen, function: `${fn.cls}.${fn.name}`, at: firstField.at, end: firstField.end, reason: { entry: fn.name, via: `methods of \`cdef class ${fn.cls}\`` }, related });
    }
  }
  for (const w of writes) {
    for (const other of allWrites) {
      if (other.name === w.variable.name && other.fn !== w.function && w.related.length < 5) w.related.push({ at: other.at, message: `also written in \`${other.fn}\`` });
    }
  }
  cachedText = text;
  cachedResult = { writes, reads: [], fields };
  return cachedResult;
}

/** Functions with their body lines, enclosing `cdef class`, decorators and `global` names. */
function readFunctions(lines: Line[]): PyFunction[] {
  const functions: PyFunction[] = [];
  let cls: { name: string; indent: number; cdef: boolean } | undefined;
  let decoratedLock = false;
  let current: PyFunction | undefined;
  for (const line of lines) {
    const code = line.code.trimStart();
    if (current !== undefined && line.indent <= current.indent) current = undefined;
    if (cls !== undefined && line.indent <= cls.indent) cls = undefined;
    if (current !== undefined) {
      current.lines.push(line);
      current.end = line.end;
      const g = /^global\s+([\w\s,]+)$/.exec(code);
      if (g !== null) for (const n of (g[1] ?? '').split(',')) current.globals.add(n.trim());
      continue;
    }
    const c = /^(cdef\s+)?(?:public\s+)?class\s+(\w+)/.exec(code);
    if (c !== null) {
      cls = { name: c[2] ?? '', indent: line.indent, cdef: c[1] !== undefined };
      continue;
    }
    if (code.startsWith('@')) {
      if (/critical_section/.test(code)) decoratedLock = true;
      continue;
    }
    const d = /^(?:async\s+)?(def|cpdef|cdef)\b[^(:=]*?\b(\w+)\s*\(/.exec(code);
    if (d !== null && /:\s*$|\)\s*(?:->\s*[\w.[\], ]+)?\s*(?:nogil|noexcept|except\s*[\w*?-]*|with\s+gil|\s)*:?\s*$|,\s*$/.test(code)) {
      current = { name: d[2] ?? '', def: (d[1] ?? 'def') as PyFunction['def'], indent: line.indent, start: line.start, end: line.end, cls: cls?.name, cdefClass: cls?.cdef === true, lockedWhole: decoratedLock, lines: [], globals: new Set() };
      functions.push(current);
    }
    decoratedLock = false;
  }
  return functions;
}

/** True when `line` sits in a `with` block of `fn` that holds a critical section or a lock. */
function lockedAt(fn: PyFunction, line: Line): boolean {
  let indent = line.indent;
  for (let i = fn.lines.indexOf(line) - 1; i >= 0; i--) {
    const l = fn.lines[i];
    if (l === undefined || l.indent >= indent) continue;
    indent = l.indent;
    const w = /^\s*with\s+(.+):\s*$/.exec(l.code);
    if (w !== null && /critical_section|lock|mutex|Lock|Mutex/.test(w[1] ?? '') && !/\bnogil\b/.test(w[1] ?? '')) return true;
  }
  return false;
}

/** True when an enclosing `if` of `line` tests `name` for None / NULL / emptiness. */
function lazyGuarded(fn: PyFunction, line: Line, name: string): boolean {
  let indent = line.indent;
  for (let i = fn.lines.indexOf(line) - 1; i >= 0; i--) {
    const l = fn.lines[i];
    if (l === undefined || l.indent >= indent) continue;
    indent = l.indent;
    const cond = /^\s*if\s+(.+):\s*$/.exec(l.code)?.[1] ?? '';
    if (new Set([`${name} is None`, `not ${name}`, `${name} == NULL`, `${name} is NULL`, `${name} == 0`]).has(cond.trim())) return true;
  }
  return false;
}

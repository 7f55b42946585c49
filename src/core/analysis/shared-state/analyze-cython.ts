import type { FieldWriteReport, RelatedOffset, SharedReadReport, SharedStateAnalysis, SharedWriteReport, WriteKind } from './analyze-c.js';
import { blankText } from './blank-text.js';
import { cythonModuleVariables } from './cython-declarations.js';
import { bufferFills, collapseSubscripts, endsSignature, globalNames, lineWrites, linePrefixes, pointerFieldName } from './cython-line-scans.js';

type Line = { start: number; end: number; indent: number; code: string };
type PyFunction = { name: string; def: 'def' | 'cpdef' | 'cdef'; indent: number; start: number; end: number; cls: string | undefined; cdefClass: boolean; lockedWhole: boolean; lines: Line[]; globals: Set<string> };

const lifecycle = /^(__cinit__|__init__|__dealloc__|__del__|__new__|__reduce\w*__|__setstate\w*__|__getstate__)$/;
// Methods that change the object they are called on: list, dict, set and deque ones, and those of
// `array.array` and `bytearray` that refill or reorder the buffer in place (`swapper.byteswap()`).
const mutating = /^(append|appendleft|extend|extendleft|insert|pop|popleft|popitem|remove|clear|update|setdefault|add|discard|sort|reverse|rotate|move_to_end|byteswap|frombytes|fromfile|fromlist|fromunicode|__setitem__|__delitem__)$/;
const freeListName = /free_?list|freelist|numfree|_free\b|cache|cached|pool/i;

let cachedText: string | undefined;
let cachedResult: SharedStateAnalysis | undefined;

/**
 * Shared-state reports for one Cython file, from its indentation structure (comments and strings
 * blanked). Entry points are `def` and `cpdef` functions and methods, and the module-level `cdef`
 * functions they call (`reachedHelpers`); module-level code is init.
 *
 * - Module state: module-level `cdef` variables, C arrays among them (`cdef void *table[N]`), and
 *   containers (`_cache = {}`), written in a
 *   function through `global name` or mutated in place (`_cache[k] = v`, `_cache.append(x)`).
 * - Per-object state: `self.attr = …` / `self.attr += …` / `self.attr.append(…)` in methods of a
 *   `cdef class`, except `__cinit__`, `__init__` and `__dealloc__`.
 * - Locks: `with cython.critical_section(…):`, `@cython.critical_section`, `with lock:` on a
 *   name that says lock or mutex, and the lines between a lock call and its unlock call
 *   (`doc.lock_write()` … `doc.unlock_write()`). `with nogil:` releases the GIL and is not a lock.
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
  // Module-level names: `cdef int counter = 0`, `cdef object _a, _b`, `cdef dict registry = {}`, `_cache = {}`.
  const shared = cythonModuleVariables(lines);
  const { functions, pointerFields } = readFunctions(lines);
  const writes: SharedWriteReport[] = [];
  const fields: FieldWriteReport[] = [];
  const allWrites: Array<{ name: string; fn: string; at: number }> = [];
  // Per-object C state: uses of the pointer attributes of a `cdef class` in its methods. Handing
  // the pointer to a C function counts as a change only for attributes some method also writes
  // through directly: that shows the C state changes after construction. A tree built in
  // `__init__` and only queried afterwards is read-only C state.
  const usesOf = new Map<PyFunction, PointerUse[]>();
  const mutated = new Set<string>();
  for (const fn of functions) {
    const classPointers = fn.cls === undefined ? undefined : pointerFields.get(fn.cls);
    if (classPointers === undefined || !fn.cdefClass || fn.def === 'cdef' || lifecycle.test(fn.name)) continue;
    const uses: PointerUse[] = [];
    for (const line of fn.lines) {
      if (fn.lockedWhole || lockedAt(fn, line)) continue;
      for (const use of pointerUses(line, classPointers)) {
        uses.push(use);
        if (use.kind === 'write') mutated.add(`${fn.cls ?? ''}.${use.field}`);
      }
    }
    usesOf.set(fn, uses);
  }
  const pointerWriters = new Map<string, string[]>();
  const pointerReads: Array<{ fn: PyFunction; use: PointerUse }> = [];
  const { entries: helperEntries, calls: helperCalls } = reachedHelpers(functions);
  // Writes made under a lazy-init check (`if _x is None:`), by report, with the check's line.
  const underGuard = new Map<SharedWriteReport, { line: Line; name: string; fn: PyFunction }>();
  // Read only when a module-level `cdef` function no entry reaches is found.
  let called: Set<string> | undefined;
  for (const fn of functions) {
    const helperOf = helperEntries.get(fn);
    // A module-level `cdef` function no entry here reaches is skipped when something in this file
    // calls it; one nothing here calls is called from another file (a module that cimports it, or
    // one that `include`s this file): its writes are kept at `low`.
    const unreached = fn.def === 'cdef' && fn.cls === undefined && helperOf === undefined;
    const elsewhere = unreached && !(called ??= calledNames(lines, functions)).has(fn.name);
    if (unreached && !elsewhere) continue;
    const fieldHits: Array<{ at: number; end: number; path: string; field: string; callee: string | undefined }> = [];
    const reportedVars = new Set<string>();
    const classPointers = fn.cls === undefined ? undefined : pointerFields.get(fn.cls);
    const isMethod = fn.cls !== undefined && fn.cdefClass && fn.def !== 'cdef' && !lifecycle.test(fn.name);
    let firstRead: PointerUse | undefined;
    for (const use of usesOf.get(fn) ?? []) {
      const key = `${fn.cls ?? ''}.${use.field}`;
      if (use.kind === 'read' || (use.kind === 'handoff' && !mutated.has(key))) {
        firstRead ??= use;
        continue;
      }
      const writers = pointerWriters.get(key) ?? [];
      if (!writers.includes(fn.name)) writers.push(fn.name);
      pointerWriters.set(key, writers);
      fieldHits.push({ at: use.at, end: use.end, path: accessPath(text, use), field: use.field, callee: use.callee });
    }
    for (const line of fn.lines) {
      const locked = fn.lockedWhole || lockedAt(fn, line);
      for (const m of [...lineWrites(line.code), ...bufferFills(line.code)]) {
        const base = m.base ?? m.delBase ?? '';
        const members = m.members ?? m.delMembers ?? '';
        const method = m.method;
        if (method !== undefined && !mutating.test(method)) continue;
        const at = line.start + m.index + (m.text.startsWith('del') ? m.text.indexOf(base) : 0);
        const end = at + base.length + members.length + (m.subscript?.length ?? 0);
        const path = collapseSubscripts(text.slice(at, end));
        const rmw = m.operator !== undefined && m.operator !== '=';
        if (base === 'self' && fn.cls !== undefined && members !== '') {
          // Builtin containers lock themselves (`self._entries[k] = v`, `self._items.append(x)`);
          // rebinding the attribute or writing a C field is what races.
          const rebinds = m.operator !== undefined && m.subscript === undefined;
          if (!rebinds || locked || !isMethod) continue;
          const field = members.split('.')[1] ?? '';
          if (classPointers?.has(field) === true) continue;
          fieldHits.push({ at, end, path, field, callee: undefined });
          continue;
        }
        const variable = shared.get(base);
        if (variable === undefined) continue;
        // Rebinding a module name needs `global`; in-place mutation does not.
        const inPlace = members !== '' || m.subscript !== undefined || method !== undefined || m.delBase !== undefined || m.filledBy !== undefined;
        if (!inPlace && !fn.globals.has(base)) continue;
        allWrites.push({ name: base, fn: fn.name, at });
        if (locked || reportedVars.has(base)) continue;
        reportedVars.add(base);
        const kind: WriteKind = freeListName.test(base) ? 'freeList' : rmw && members === '' ? 'counter' : lazyGuarded(fn, line, base) ? 'lazyInit' : 'write';
        const entry = helperOf ?? fn;
        const report: SharedWriteReport = {
          kind,
          variable,
          path,
          function: fn.name,
          at,
          end,
          reason: { entry: entry.name, via: elsewhere ? 'a module that cimports it or a file that `include`s this one' : entry.def === 'cdef' && entry.cls !== undefined ? `a \`cdef\` method of \`cdef class ${entry.cls}\`` : `a Python-callable \`${entry.def}\` function` },
          confidence: elsewhere ? 'low' : 'medium',
          related: [{ at: variable.at, message: `\`${base}\` declared here` }],
        };
        writes.push(report);
        const guard = lazyGuardOf(fn, line, (n) => shared.has(n) && fn.globals.has(n));
        if (guard !== undefined) underGuard.set(report, { ...guard, fn });
      }
    }
    fieldHits.sort((a, b) => a.at - b.at);
    const first = fieldHits[0];
    if (first !== undefined && fn.cls !== undefined) {
      const fieldSeen: string[] = [];
      const related: RelatedOffset[] = [];
      for (const hit of fieldHits) {
        if (fieldSeen.includes(hit.field)) continue;
        fieldSeen.push(hit.field);
        if (hit !== first && related.length < 4) related.push({ at: hit.at, message: hit.callee === undefined ? `\`${hit.path}\` also written here` : `\`${hit.path}\` also handed to \`${hit.callee}\` here` });
      }
      const report: FieldWriteReport = { path: first.path, fields: fieldSeen, function: `${fn.cls}.${fn.name}`, at: first.at, end: first.end, reason: { entry: fn.name, via: `methods of \`cdef class ${fn.cls}\`` }, related };
      if (first.callee !== undefined) report.callee = first.callee;
      fields.push(report);
    } else if (firstRead !== undefined) {
      pointerReads.push({ fn, use: firstRead });
    }
  }
  // Reads of C state that another method changes without a lock (lower confidence: FT021).
  const reads: SharedReadReport[] = [];
  for (const { fn, use } of pointerReads) {
    const key = `${fn.cls ?? ''}.${use.field}`;
    const writer = (pointerWriters.get(key) ?? []).find((w) => w !== fn.name);
    const declared = pointerFields.get(fn.cls ?? '')?.get(use.field);
    if (writer === undefined || declared === undefined) continue;
    reads.push({
      variable: { name: use.field, at: declared, kind: 'field' },
      path: accessPath(text, use),
      function: `${fn.cls ?? ''}.${fn.name}`,
      at: use.at,
      end: use.end,
      writer,
      related: [{ at: declared, message: `\`${use.field}\` declared here` }],
    });
  }
  for (const w of writes) {
    for (const other of allWrites) {
      if (other.name === w.variable.name && other.fn !== w.function && w.related.length < 5) w.related.push({ at: other.at, message: `also written in \`${other.fn}\`` });
    }
  }
  const grouped = groupLazyInits(writes, underGuard);
  for (const w of grouped) {
    const fn = functions.find((f) => f.name === w.function && f.start <= w.at && w.at <= f.end);
    if (fn === undefined || w.related.length >= 12) continue;
    for (const call of helperCalls.get(fn) ?? []) {
      if (w.related.length >= 12) break;
      w.related.push({ at: call.at, message: `\`${fn.name}\` called here from \`${call.caller}\` without a lock` });
    }
  }
  cachedText = text;
  cachedResult = { writes: grouped, reads, fields };
  return cachedResult;
}

/**
 * The names called anywhere in the file, in function bodies and at module level, except on the
 * line that defines a function (`cdef int f(int x):` calls nothing).
 */
function calledNames(lines: Line[], functions: PyFunction[]): Set<string> {
  const defLines = new Set(functions.map((f) => f.start));
  const out = new Set<string>();
  for (const line of lines) {
    if (defLines.has(line.start) || !line.code.includes('(')) continue;
    for (const call of line.code.matchAll(/(?<![\w])([A-Za-z_]\w*)\s*\(/g)) out.add(call[1] ?? '');
  }
  return out;
}

/**
 * The `cdef` functions that Python can run, each with the `def` / `cpdef` function (or method)
 * that first reaches it, and the places each is called from: module-level ones called by name
 * (`_store(n, c)`), `cdef` methods called on `self` from a method of their class
 * (`self._typecheck(args)`), from an entry point or from a function so reached, at a place no
 * lock covers. A module-level `cdef` function only module-level code calls runs at import, like
 * the rest of the module's init, and is left out; so is one called only under a lock. A `cdef`
 * method that no method of its class reaches keeps itself as its entry (its callers may be
 * elsewhere).
 *
 * Worked example: `def register(n, c): _store(n, c)` and `cdef _store(n, c): _codecs[n] = c` →
 * `_store` reached from `register`, called on the line of `_store(n, c)`; a `cdef init_codecs()`
 * called only at module level is not.
 */
function reachedHelpers(functions: PyFunction[]): { entries: Map<PyFunction, PyFunction>; calls: Map<PyFunction, Array<{ at: number; caller: string }>> } {
  const helpers = new Map<string, PyFunction>();
  const methods = new Map<string, PyFunction>();
  for (const fn of functions) {
    if (fn.def !== 'cdef') continue;
    if (fn.cls === undefined) {
      if (!helpers.has(fn.name)) helpers.set(fn.name, fn);
    } else if (!methods.has(`${fn.cls}.${fn.name}`)) methods.set(`${fn.cls}.${fn.name}`, fn);
  }
  const entries = new Map<PyFunction, PyFunction>();
  const calls = new Map<PyFunction, Array<{ at: number; caller: string }>>();
  if (helpers.size === 0 && methods.size === 0) return { entries, calls };
  // `def` / `cpdef` functions first; then the `cdef` methods nothing here reaches, as their own entries.
  const queue = functions.filter((fn) => fn.def !== 'cdef').map((fn) => ({ fn, entry: fn }));
  let seededMethods = false;
  for (let i = 0; i <= queue.length; i++) {
    if (i === queue.length && !seededMethods) {
      seededMethods = true;
      for (const fn of methods.values()) if (!entries.has(fn)) queue.push({ fn, entry: fn });
    }
    const item = queue[i];
    if (item === undefined || item.fn.lockedWhole) continue;
    const { fn, entry } = item;
    for (const line of fn.lines) {
      if (!line.code.includes('(')) continue;
      for (const call of line.code.matchAll(/(?<![\w.])(self\s*\.\s*)?([A-Za-z_]\w*)\s*\(/g)) {
        const onSelf = call[1] !== undefined;
        const helper = onSelf ? (fn.cls === undefined ? undefined : methods.get(`${fn.cls}.${call[2] ?? ''}`)) : helpers.get(call[2] ?? '');
        if (helper === undefined || helper === fn || lockedAt(fn, line)) continue;
        const sites = calls.get(helper) ?? [];
        if (!sites.some((c) => c.caller === fn.name) && sites.length < 8) sites.push({ at: line.start + call.index + (call[1]?.length ?? 0), caller: fn.name });
        calls.set(helper, sites);
        if (entries.has(helper) || helper === entry) continue;
        entries.set(helper, entry);
        queue.push({ fn: helper, entry });
      }
    }
  }
  return { entries, calls };
}

/**
 * Functions with their body lines, enclosing `cdef class`, decorators and `global` names; and the
 * C pointer attributes each `cdef class` declares (`cdef qhT *_qh`, or `ckdtree *cself` in a
 * `cdef:` block), by class, with the offset of each name.
 */
function readFunctions(lines: Line[]): { functions: PyFunction[]; pointerFields: Map<string, Map<string, number>> } {
  const functions: PyFunction[] = [];
  const pointerFields = new Map<string, Map<string, number>>();
  let cls: { name: string; indent: number; cdef: boolean } | undefined;
  let cdefBlock: number | undefined;
  let decoratedLock = false;
  let current: PyFunction | undefined;
  for (const line of lines) {
    const code = line.code.trimStart();
    if (current !== undefined && line.indent <= current.indent) current = undefined;
    if (cls !== undefined && line.indent <= cls.indent) cls = undefined;
    if (cdefBlock !== undefined && line.indent <= cdefBlock) cdefBlock = undefined;
    if (current === undefined && cls?.cdef === true && line.indent > cls.indent) {
      if (/^cdef\s*:$/.test(code)) {
        cdefBlock = line.indent;
        continue;
      }
      // `cdef [public|readonly] T *name` at class level, or `T *name` inside a `cdef:` block.
      const field = pointerFieldName(code, cdefBlock !== undefined);
      if (field !== undefined) {
        const byClass = pointerFields.get(cls.name) ?? new Map<string, number>();
        byClass.set(field, line.start + line.code.lastIndexOf(field));
        pointerFields.set(cls.name, byClass);
        continue;
      }
    }
    if (current !== undefined) {
      current.lines.push(line);
      current.end = line.end;
      for (const n of globalNames(code) ?? []) current.globals.add(n);
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
    if (d !== null && endsSignature(code)) {
      current = { name: d[2] ?? '', def: (d[1] ?? 'def') as PyFunction['def'], indent: line.indent, start: line.start, end: line.end, cls: cls?.name, cdefClass: cls?.cdef === true, lockedWhole: decoratedLock, lines: [], globals: new Set() };
      functions.push(current);
    }
    decoratedLock = false;
  }
  return { functions, pointerFields };
}

/**
 * The enclosing line of each body line of `fn` (the nearest earlier line indented less), found
 * once per function with a stack instead of a walk back over the body from every line.
 */
const enclosingLines = new WeakMap<PyFunction, Map<Line, Line | undefined>>();
function enclosing(fn: PyFunction, line: Line): Line | undefined {
  let parents = enclosingLines.get(fn);
  if (parents === undefined) {
    parents = new Map();
    const stack: Line[] = [];
    for (const l of fn.lines) {
      while (stack.length > 0 && (stack.at(-1)?.indent ?? 0) >= l.indent) stack.pop();
      parents.set(l, stack.at(-1));
      stack.push(l);
    }
    enclosingLines.set(fn, parents);
  }
  return parents.get(line);
}

const lockingLines = new WeakMap<Line, boolean>();
/** True when `line` opens a `with` block on a critical section or a lock (read once per line). */
function opensLock(line: Line): boolean {
  let locking = lockingLines.get(line);
  if (locking === undefined) {
    const w = /^\s*with\s+(.+):\s*$/.exec(line.code);
    locking = w !== null && /critical_section|lock|mutex|Lock|Mutex/.test(w[1] ?? '') && !/\bnogil\b/.test(w[1] ?? '');
    lockingLines.set(line, locking);
  }
  return locking;
}

/** True when `line` sits in a `with` block of `fn` that holds a critical section or a lock, or between a lock call and its unlock call. */
function lockedAt(fn: PyFunction, line: Line): boolean {
  if (callLockedLines(fn).has(line)) return true;
  for (let l = enclosing(fn, line); l !== undefined; l = enclosing(fn, l)) if (opensLock(l)) return true;
  return false;
}

// `doc.lock_write()`, `self._lock.acquire()`, `PyMutex_Lock(&m)` and their closing calls. A read
// or shared lock (`doc.lock_read()`) lets other readers in at once, so it does not order writes.
const lockCall = /\.\s*(?:lock(?!ed\b)(?![\w]*(?:read|shared))\w*|acquire(?![\w]*(?:read|shared))\w*)\s*\(|\b(?:PyMutex_Lock|PyThread_acquire_lock\w*|pthread_mutex_lock)\s*\(/;
const unlockCall = /\.\s*(?:unlock\w*|release\w*)\s*\(|\b(?:PyMutex_Unlock|PyThread_release_lock|pthread_mutex_unlock)\s*\(/;
const callLocked = new WeakMap<PyFunction, Set<Line>>();

/**
 * The lines of `fn` that run between a lock call and the matching unlock call, in line order
 * (`doc.lock_write()` / `try:` … / `finally: doc.unlock_write()`), as lxml guards its trees.
 * Lexical, like the C lock timeline: the lines after a lock call and before the next unlock call.
 */
function callLockedLines(fn: PyFunction): Set<Line> {
  let out = callLocked.get(fn);
  if (out === undefined) {
    out = new Set();
    let held = 0;
    for (const line of fn.lines) {
      if (!line.code.includes('(')) {
        if (held > 0) out.add(line);
        continue;
      }
      if (unlockCall.test(line.code)) held = Math.max(0, held - 1);
      else if (held > 0) out.add(line);
      if (lockCall.test(line.code) && !unlockCall.test(line.code)) held++;
    }
    callLocked.set(fn, out);
  }
  return out;
}

/** The condition of an `if` line when it tests one name for None / NULL / emptiness, with that name. */
function guardedName(code: string): string | undefined {
  const cond = (/^\s*if\s+(.+):\s*$/.exec(code)?.[1] ?? '').trim();
  const m = /^(?:not\s+([A-Za-z_]\w*)|([A-Za-z_]\w*)\s+(?:is\s+None|==\s*NULL|is\s+NULL|==\s*0))$/.exec(cond);
  return m === null ? undefined : (m[1] ?? m[2]);
}

/**
 * The innermost enclosing `if` of `line` that tests a name `rebinds` accepts for None / NULL /
 * emptiness (`if _ndindex is None:`), with that name: the check of a lazy initialisation.
 */
function lazyGuardOf(fn: PyFunction, line: Line, rebinds: (name: string) => boolean): { line: Line; name: string } | undefined {
  for (let l = enclosing(fn, line); l !== undefined; l = enclosing(fn, l)) {
    const name = guardedName(l.code);
    if (name !== undefined && rebinds(name)) return { line: l, name };
  }
  return undefined;
}

/**
 * One report per lazy initialisation: the writes a function makes under one check of a module
 * variable it fills there (`if _ndindex is None:` … `_ndindex = …`, `_Integer = …`) are one
 * race, two threads both seeing the variable unset. The write of the checked variable stays, as
 * `lazyInit`, with the check and the other variables filled under it as related places; their own
 * reports go. Checks whose variable is not filled under them are left as they are.
 *
 * Worked example: `if not _imported:` / `_bool = numpy.bool_` / `_imported = True` → one report
 * at `_imported = True` (`lazyInit`), related: the check, and `_bool` filled at its line.
 */
function groupLazyInits(writes: SharedWriteReport[], underGuard: Map<SharedWriteReport, { line: Line; name: string; fn: PyFunction }>): SharedWriteReport[] {
  const byGuard = new Map<Line, SharedWriteReport[]>();
  for (const w of writes) {
    const g = underGuard.get(w);
    if (g === undefined) continue;
    const list = byGuard.get(g.line) ?? [];
    list.push(w);
    byGuard.set(g.line, list);
  }
  const dropped = new Set<SharedWriteReport>();
  for (const [line, list] of byGuard) {
    const name = underGuard.get(list[0] as SharedWriteReport)?.name;
    const primary = list.find((w) => w.variable.name === name);
    if (primary === undefined || list.length < 2) continue;
    primary.kind = 'lazyInit';
    const others = list.filter((w) => w !== primary);
    primary.companions = others.map((w) => w.variable.name);
    primary.related.push({ at: line.start + line.indent, message: `\`${name ?? ''}\` checked here; the variables below are filled when it is unset` });
    for (const w of others) {
      dropped.add(w);
      if (primary.related.length < 8) primary.related.push({ at: w.at, message: `\`${w.path}\` filled under the same check` });
    }
  }
  return dropped.size === 0 ? writes : writes.filter((w) => !dropped.has(w));
}

/** True when an enclosing `if` of `line` tests `name` for None / NULL / emptiness. */
function lazyGuarded(fn: PyFunction, line: Line, name: string): boolean {
  const guards = new Set([`${name} is None`, `not ${name}`, `${name} == NULL`, `${name} is NULL`, `${name} == 0`]);
  for (let l = enclosing(fn, line); l !== undefined; l = enclosing(fn, l)) {
    const cond = /^\s*if\s+(.+):\s*$/.exec(l.code)?.[1] ?? '';
    if (guards.has(cond.trim())) return true;
  }
  return false;
}

type PointerUse = { field: string; at: number; end: number; kind: 'write' | 'handoff' | 'read'; callee: string | undefined };

/** `self._qh[0].visit_id` → `self._qh[…].visit_id`: the access path of a use, blanks dropped. */
function accessPath(text: string, use: { at: number; end: number }): string {
  return collapseSubscripts(text.slice(use.at, use.end).replace(/\s+/g, ''));
}

/**
 * Uses of `self.<pointer attribute>` on one line: written through (`self._qh[0].visit_id += 1`,
 * `self.state.pos = 0`), handed to a C function (`qh_addpoint(self._qh, p)`, `f(&self.st[0].x)`:
 * the callee may change what it points to), or read. What each use needs from the rest of the
 * line (where a `[` closes, the open call before it) is found once for the line.
 */
function pointerUses(line: Line, pointers: Map<string, number>): PointerUse[] {
  const out: PointerUse[] = [];
  const code = line.code;
  let closes: Int32Array | undefined;
  let prefixes: ReturnType<typeof linePrefixes> | undefined;
  for (const m of code.matchAll(/(?<![\w.])self\s*\.\s*([A-Za-z_]\w*)/g)) {
    const field = m[1] ?? '';
    if (!pointers.has(field)) continue;
    // The access path: `[…]` and `.name` after the attribute.
    let i = m.index + m[0].length;
    for (;;) {
      const member = /^\s*\.\s*[A-Za-z_]\w*/.exec(code.slice(i, i + 80));
      if (member !== null) {
        i += member[0].length;
        continue;
      }
      if (code[i] !== '[') break;
      closes ??= matchingBrackets(code);
      i = (closes[i] ?? code.length) + 1;
    }
    const at = line.start + m.index;
    const after = code.slice(i).trimStart();
    const uncast = withoutTrailingCast(code, m.index);
    const addressOf = code[uncast - 1] === '&';
    const before = addressOf ? trimmedEnd(code, uncast - 1) : uncast;
    let kind: PointerUse['kind'] = 'read';
    let callee: string | undefined;
    prefixes ??= linePrefixes(code);
    if (/^(=(?!=)|[-+*/%&|^]=|\/\/=|\*\*=)/.test(after) && !prefixes.keywordBefore(before)) kind = 'write';
    // The pointer itself or an address through it, not a value read through it (`f(self.p.n)`).
    else if (/^[,)]/.test(after) && (addressOf || i === m.index + m[0].length)) {
      // The innermost open call before the argument: `name(` with no `)` after it.
      const name = prefixes.openCall(before);
      if (name !== undefined && !/^(if|elif|while|return|print|len|isinstance|bool|int|float|str|repr|hash|id|type)$/.test(name) && !readsOnly(name)) {
        kind = 'handoff';
        callee = name;
      }
    }
    out.push({ field, at, end: line.start + i, kind, callee });
  }
  return out;
}

// Words of a C function's name that say it only looks at what it is given, and words that say it
// changes something (`getOrCreate`, `find_and_remove`); a copy reads its source.
const lookWords = new Set(['get', 'has', 'is', 'find', 'count', 'len', 'strlen', 'collect', 'parent', 'lookup', 'search', 'contains', 'equal', 'equals', 'cmp', 'compare', 'strcmp', 'strncmp', 'memcmp', 'size', 'length', 'copy', 'clone', 'dup']);
const changeWords = new Set(['set', 'add', 'insert', 'create', 'remove', 'clear', 'update', 'append', 'push', 'pop', 'alloc', 'init', 'reset', 'write', 'free', 'delete', 'del', 'new', 'make', 'build', 'fill', 'next', 'read', 'take', 'steal', 'replace', 'put', 'store', 'move', 'swap', 'sort', 'load', 'parse', 'open', 'close']);

/**
 * True when a callee's name says it only reads what it is handed (`xmlNodeGetBase`, `_hasChild`,
 * `_parentElement`, `strlen`): handing it a pointer is a read of the C state, not a change. The
 * name is split into words at `_` and case changes; one looking word and no changing word decide.
 */
export function readsOnly(name: string): boolean {
  const words = name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase().split('_').filter(Boolean);
  return words.some((w) => lookWords.has(w)) && !words.some((w) => changeWords.has(w));
}

/** For each `[` of a line, the index of its `]` (the line's length when it never closes). */
function matchingBrackets(code: string): Int32Array {
  const closes = new Int32Array(code.length + 1).fill(code.length);
  const open: number[] = [];
  for (let k = 0; k < code.length; k++) {
    if (code[k] === '[') open.push(k);
    else if (code[k] === ']') {
      const o = open.pop();
      if (o !== undefined) closes[o] = k;
    }
  }
  return closes;
}

/** The end of `code[0, end)` without trailing blanks. */
function trimmedEnd(code: string, end: number): number {
  let e = end;
  while (e > 0 && /\s/.test(code[e - 1] ?? '')) e--;
  return e;
}

/**
 * The end of the text before `end` once a trailing cast (`<T *>`) and blanks are dropped: what
 * `code.slice(0, end).replace(/<[^<>]*>\s*$/, '').trimEnd()` left.
 */
function withoutTrailingCast(code: string, end: number): number {
  const e = trimmedEnd(code, end);
  if (code[e - 1] !== '>') return e;
  let k = e - 2;
  while (k >= 0 && code[k] !== '<' && code[k] !== '>') k--;
  return k >= 0 && code[k] === '<' ? trimmedEnd(code, k) : e;
}

import { classifyAccess, regionsOf } from './analyze-c.js';
import { cFileModel, forEachName, type SharedVariable } from './c-model.js';
import { directiveLines } from './directive-lines.js';
import { inRanges } from './gil-ranges.js';
import { lockTimeline } from './locks.js';

/**
 * What one C or C++ file tells the project phase about shared state, for the analysis across
 * files: the variables it declares, the writes it makes to variables it does not declare (declared
 * in another file that includes this one, or `extern` here), and the function names its tables
 * register or its Python-callable code calls without defining them here.
 */
export type SharedStateSummary = {
  path: string;
  /** File names this file `#include "…"`s, without their folder (`gmpy2_cache.c`). */
  includes: string[];
  declared: Array<{ name: string; kind: SharedVariable['kind'] }>;
  /** Unprotected writes to names this file does not declare; `reached` when an entry point of this file reaches the writer. */
  foreignWrites: Array<{ name: string; function: string; line: number; reached: boolean }>;
  /** Names of functions defined elsewhere that this file's tables register or its reached code calls. */
  calls: string[];
};

// What may follow a written or called name (tried at the name's end): an assignment, `++`, `--`,
// a member, an index or a call.
const writeOrCallAfter = /\s*(?:[-+*/%&|^]?=(?!=)|\+\+|--|\.|->|\[|\()/y;

// The first characters of what `writeOrCallAfter` matches after its blanks: `= - + * / % & | ^ . [ (`.
const writeOrCallStart = new Set([61, 45, 43, 42, 47, 37, 38, 124, 94, 46, 91, 40]);

/**
 * False when `writeOrCallAfter` cannot match at `at`: the first character after ASCII blanks and
 * line breaks is an ASCII character none of its branches starts with (`,` `)` `;` `<` …). True
 * otherwise, and then the pattern decides (it also takes other blanks, and the end of the body).
 */
export function mayStartWriteOrCall(clean: string, at: number): boolean {
  let k = at;
  let c = clean.charCodeAt(k);
  while (c === 32 || (c >= 9 && c <= 13)) c = clean.charCodeAt(++k);
  return !(c < 128) || writeOrCallStart.has(c);
}

let cached: SharedStateSummary | undefined;
let cachedText: string | undefined;

/**
 * The summary of one C or C++ file (computed from the same model as the per-file analysis).
 *
 * Worked example: `gmpy2.c` declares `static gmpy_global global;` and `#include "gmpy2_cache.c"`;
 * `gmpy2_cache.c` has `global.in_mpzcache++` in `mpz_new` and declares no `global` → the first
 * summary lists `global` as declared and the include; the second lists a foreign write of
 * `global` in `mpz_new`.
 */
export function summarizeCSharedState(text: string, path: string): SharedStateSummary {
  if (cached !== undefined && cachedText === text) return cached.path === path ? cached : (cached = { ...cached, path });
  const model = cFileModel(text);
  const { clean } = model;
  const includes: string[] = [];
  for (const m of directiveLines(clean, /#[ \t]*include[ \t]*"/y)) {
    // The file name sits in a string, blanked in `clean`: read it from the text.
    const start = m.end;
    const end = text.indexOf('"', start);
    if (end < 0 || end - start > 300) continue;
    const name = text.slice(start, end);
    includes.push(name.slice(name.lastIndexOf('/') + 1));
  }
  const declared = [...model.shared.values()].map((v) => ({ name: v.name, kind: v.kind }));
  const foreignWrites: SharedStateSummary['foreignWrites'] = [];
  const calls = new Set<string>();
  const seen = new Set<string>();
  // Line numbers for the messages of other files' findings, counted forward from the last one.
  let line = 1;
  let lineAt = 0;
  const lineOf = (at: number): number => {
    if (at < lineAt) {
      line = 1;
      lineAt = 0;
    }
    for (let i = text.indexOf('\n', lineAt); i >= 0 && i < at; i = text.indexOf('\n', i + 1)) {
      line++;
      lineAt = i + 1;
    }
    return line;
  };
  for (const region of regionsOf(model)) {
    const body = clean.slice(region.bodyStart, region.end);
    let held: ((at: number) => boolean) | undefined;
    // The names that may be written or called: each name followed by an assignment, `++`, `--`,
    // a member, an index or a call, and each name after `++` / `--`. One pass over the names and
    // one over the increments instead of one regex with both (`(?<![\w.>]|[^:]:)name(?=…)|
    // (?:\+\+|--)\s*name`), which built a match object per hit; the same names at the same offsets.
    const afterIncrement = new Set<number>();
    for (const m of body.matchAll(/(?:\+\+|--)\s*[A-Za-z_]/g)) afterIncrement.add(region.bodyStart + m.index + m[0].length - 1);
    forEachName(clean, region.bodyStart, region.end, true, (at, nameEnd) => {
      if (!afterIncrement.has(at)) {
        if (!mayStartWriteOrCall(clean, nameEnd)) return;
        writeOrCallAfter.lastIndex = nameEnd - region.bodyStart;
        if (!writeOrCallAfter.test(body)) return;
      }
      const name = clean.slice(at, nameEnd);
      if (model.shared.has(name) || region.fn?.locals.has(name) === true || region.fn?.staticLocals.has(name) === true) return;
      if (model.byName.has(name)) return;
      const next = clean.slice(at + name.length, at + name.length + 40).trimStart();
      if (next.startsWith('(')) {
        // A call of a function defined elsewhere, from code an entry point reaches.
        if (region.reason !== undefined && calls.size < 2000) calls.add(name);
        return;
      }
      if (/^[A-Z0-9_]+$/.test(name) || inRanges(model.gilOnly, at)) return;
      const { write } = classifyAccess(clean, at, name);
      if (write === undefined || write === 'address') return;
      held ??= lockTimeline(clean, region.bodyStart, region.end, model.lockMacros);
      if (region.lockedByCallers || held(at)) return;
      const key2 = `${name}@${region.name}`;
      if (seen.has(key2) || foreignWrites.length >= 500) return;
      seen.add(key2);
      foreignWrites.push({ name, function: region.name, line: lineOf(at), reached: region.reason !== undefined });
    });
  }
  for (const name of model.externalEntries) calls.add(name);
  cached = { path, includes, declared, foreignWrites, calls: [...calls] };
  cachedText = text;
  return cached;
}

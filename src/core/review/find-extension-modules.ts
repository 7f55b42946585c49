import type { Finding } from '../diagnostics.js';
import { directivesVariableOf, inheritsDirective, siteCovers } from '../build-files/cython-sites.js';
import type { ProjectFacts } from '../engine/project-facts.js';
import { classifyPath } from '../languages.js';
import { lineOfOffset, lineStarts } from '../parsing/syntax.js';
import { ruleIdsIn } from '../rules/index.js';

export type ModuleKind = 'c-multi-phase' | 'c-single-phase' | 'cython' | 'pyo3' | 'pybind11' | 'nanobind';

export type ExtensionModule = {
  name: string;
  kind: ModuleKind;
  path: string;
  line: number;
  /**
   * `yes`: the module declares free-threading support; `no`: a declaration rule reported it
   * (`ruleId` says which); `unknown`: neither could be told from the source.
   */
  declared: 'yes' | 'no' | 'unknown';
  ruleId?: string;
};

/** The rules that report a module not declaring free-threading support (their category says so). */
export const DECLARATION_RULES = ruleIdsIn('module-declaration');

/** The declaration that marks each kind of module free-threading ready, when present in its file. */
const declarations: Record<Exclude<ModuleKind, 'cython'>, RegExp> = {
  pybind11: /\bmod_gil_not_used\b/,
  nanobind: /\bFREE_THREADED\b/,
  'c-multi-phase': /\bPy_mod_gil\b/,
  'c-single-phase': /\bPyUnstable_Module_SetGIL\b/,
  pyo3: /\bgil_used\s*=\s*false\b/,
};

const isWord = (c: string | undefined): boolean => c !== undefined && /\w/.test(c);

/** `text.indexOf(ch, from)` that gives up after `limit` characters (-1), so repeated calls stay linear. */
function indexWithin(text: string, ch: string, from: number, limit: number): number {
  const stop = Math.min(text.length, from + limit);
  for (let i = from; i < stop; i++) if (text[i] === ch) return i;
  return -1;
}

/** The identifier starting at `at` after optional white space, and where it ends. */
function wordAt(text: string, at: number): { word: string; end: number } | undefined {
  let i = at;
  while (i < text.length && /\s/.test(text[i] ?? '') && i - at < 200) i++;
  const from = i;
  while (i < text.length && isWord(text[i]) && i - from < 200) i++;
  return i === from ? undefined : { word: text.slice(from, i), end: i };
}

/** `MACRO ( name` → name, for `PYBIND11_MODULE(name, m)` and `NB_MODULE(name, m)`. */
function macroModules(text: string, macro: string): Array<{ name: string; index: number }> {
  const out: Array<{ name: string; index: number }> = [];
  for (let at = text.indexOf(macro); at >= 0; at = text.indexOf(macro, at + macro.length)) {
    if (isWord(text[at - 1]) || isWord(text[at + macro.length])) continue;
    let i = at + macro.length;
    while (i < text.length && /\s/.test(text[i] ?? '') && i - at < 300) i++;
    if (text[i] !== '(') continue;
    const name = wordAt(text, i + 1);
    if (name !== undefined) out.push({ name: name.word, index: at });
  }
  return out;
}

/** Offset just past the `}` closing the `{` at `open`, at most `limit` characters on (else the limit). */
function blockEnd(text: string, open: number, limit: number): number {
  let depth = 0;
  const stop = Math.min(text.length, open + limit);
  for (let i = open; i < stop; i++) {
    if (text[i] === '{') depth++;
    else if (text[i] === '}' && --depth === 0) return i + 1;
  }
  return stop;
}

/**
 * `PyInit_<name>(…) { … }` definitions, each with whether its body calls `PyModuleDef_Init`. One
 * pass: the search resumes after each body, so a 1 MB file costs one scan, not one per match.
 */
function initFunctions(text: string): Array<{ name: string; index: number; multiPhase: boolean }> {
  const out: Array<{ name: string; index: number; multiPhase: boolean }> = [];
  let from = 0;
  for (let at = text.indexOf('PyInit_', from); at >= 0; at = text.indexOf('PyInit_', from)) {
    from = at + 7;
    if (isWord(text[at - 1])) continue;
    const name = wordAt(text, at + 7);
    if (name === undefined || name.end !== at + 7 + name.word.length) continue;
    let i = name.end;
    while (i < text.length && /\s/.test(text[i] ?? '') && i - name.end < 200) i++;
    if (text[i] !== '(') continue;
    const close = indexWithin(text, ')', i, 300);
    if (close < 0) continue;
    const open = bodyOpen(text, close + 1);
    if (open === undefined) continue;
    const end = blockEnd(text, open, 100_000);
    out.push({ name: name.word, index: at, multiPhase: text.slice(open, end).includes('PyModuleDef_Init') });
    from = end;
  }
  return out;
}

/**
 * The `{` opening a function body after its parameter list ends at `from`, past what may stand
 * between: white space, a Rust return type (`-> *mut PyModuleDef`), or a preprocessor choice of
 * headers (`#else` / `void init_mod(void)` / `#endif`, the Python 2 init of older modules).
 * Undefined when a `;` (a declaration) or anything else comes first. Bounded to 600 characters.
 */
function bodyOpen(text: string, from: number): number | undefined {
  let i = from;
  const stop = Math.min(text.length, from + 600);
  while (i < stop) {
    const c = text[i] ?? '';
    if (/\s/.test(c)) i++;
    else if (c === '{') return i;
    else if (text.startsWith('->', i)) {
      const brace = indexWithin(text, '{', i, 200);
      if (brace < 0 || text.slice(i, brace).includes(';')) return undefined;
      return brace;
    } else if (c === '#' && (text.startsWith('#else', i) || text.startsWith('#elif', i))) {
      const endif = text.indexOf('#endif', i);
      if (endif < 0 || endif > stop) return undefined;
      i = endif + 6;
    } else if (c === '#' && text.startsWith('#endif', i)) i += 6;
    else return undefined;
  }
  return undefined;
}

/**
 * Init functions whose header is one macro call, `MODINIT_DEFINE(joystick) {` or
 * `MODINIT_NAME(void) {`, where the macro's name speaks of a module or an init (as FT009 reads
 * them), when the body creates a module.
 */
function macroInitFunctions(text: string, path: string): Array<{ name: string; index: number; multiPhase: boolean }> {
  const out: Array<{ name: string; index: number; multiPhase: boolean }> = [];
  for (const m of text.matchAll(/^([A-Z][A-Z0-9_]{0,60})[ \t]*\([ \t]*(\w{1,100})[ \t]*\)[ \t]*(?:\r?\n[ \t]*)?\{/gm)) {
    const macro = m[1] ?? '';
    if (!/INIT|MOD/.test(macro) || macro.startsWith('PYBIND11') || macro === 'NB_MODULE') continue;
    const open = m.index + m[0].length - 1;
    const body = text.slice(open, blockEnd(text, open, 100_000));
    const multiPhase = body.includes('PyModuleDef_Init');
    // `MODINIT_NAME(void)` takes the module's name from elsewhere: the file's name stands in.
    const name = m[2] === 'void' ? path.slice(path.lastIndexOf('/') + 1).replace(/\.\w+$/, '') : m[2] ?? '';
    if (multiPhase || body.includes('PyModule_Create')) out.push({ name, index: m.index, multiPhase });
  }
  return out;
}

/** `#[pymodule…] [#[…]]* [pub[(…)]] fn|mod <name>`, read with bounded steps. */
function pyo3Modules(text: string): Array<{ name: string; index: number }> {
  const out: Array<{ name: string; index: number }> = [];
  for (let at = text.indexOf('#[pymodule'); at >= 0; at = text.indexOf('#[pymodule', at + 10)) {
    if (isWord(text[at + 10])) continue;
    let i = indexWithin(text, ']', at, 500);
    if (i < 0) continue;
    i++;
    for (let guard = 0; guard < 20; guard++) {
      while (i < text.length && /\s/.test(text[i] ?? '')) i++;
      if (!text.startsWith('#[', i)) break;
      const close = indexWithin(text, ']', i, 500);
      if (close < 0) break;
      i = close + 1;
    }
    let word = wordAt(text, i);
    if (word?.word === 'pub') {
      i = word.end;
      if (text[i] === '(') i = Math.max(i, indexWithin(text, ')', i, 100) + 1);
      word = wordAt(text, i);
    }
    if (word === undefined || (word.word !== 'fn' && word.word !== 'mod')) continue;
    const name = wordAt(text, word.end);
    if (name !== undefined) out.push({ name: name.word, index: at });
  }
  return out;
}

export function findExtensionModules(params: { files: ReadonlyArray<{ path: string; text: string }>; findings: readonly Finding[]; project?: ProjectFacts }): ExtensionModule[] {
  const modules: ExtensionModule[] = [];
  const undeclared = params.findings.filter((f) => DECLARATION_RULES.has(f.ruleId) && f.severity !== 'info');
  const sites = [...(params.project?.buildFiles.values() ?? [])].flatMap((f) => f.cythonSites);
  for (const { path, text } of params.files) {
    const kind = classifyPath(path);
    if (kind === undefined) continue;
    const fileFindings = undeclared.filter((f) => f.path === path);
    if (kind.type === 'source' && kind.language === 'cython' && !path.endsWith('.pxd') && !path.endsWith('.pxi')) {
      const base = path.slice(path.lastIndexOf('/') + 1);
      // A file `include`d into another module is part of that module (as FT010 reads it).
      if (params.project?.cythonIncluded.has(base) === true) continue;
      // The same facts as FT010: declared in its header or by the build step that compiles it
      // (`cython_args` in meson.build, `compiler_directives` in setup.py); undeclared when FT010
      // reported the module itself or the build step that compiles it.
      const covering = sites.filter((s) => siteCovers(s, path));
      // A Meson variable of directives that the step uses is reported in its own file.
      const atBuild = covering.flatMap((s) => (s.declares || inheritsDirective(s, sites) ? [] : undeclared.filter((f) => f.ruleId === 'FT010' && (f.path === s.path || f.path === directivesVariableOf(s, sites)?.path))));
      const finding = fileFindings.find((f) => f.ruleId === 'FT010') ?? atBuild[0];
      const byBuild = covering.some((s) => s.declares || inheritsDirective(s, sites)) || (covering.length === 0 && params.project?.cythonDirectiveInBuild === true);
      modules.push(moduleOf({ name: base.replace(/\.pyx$/, ''), kind: 'cython', path, line: 1, finding, declared: byBuild || /freethreading_compatible\s*=\s*True/.test(text) }));
      continue;
    }
    const isSource = kind.type === 'source';
    const isCmake = kind.type === 'build' && kind.kind === 'cmake';
    if (!isSource && !isCmake) continue;
    const starts = lineStarts(text);
    // Each declaration is looked for once per file, not once per module.
    const declared = new Map<string, boolean>();
    const declaredIn = (kind: Exclude<ModuleKind, 'cython'>): boolean => {
      let value = declared.get(kind);
      if (value === undefined) declared.set(kind, (value = declarations[kind].test(text)));
      return value;
    };
    const add = (kind: Exclude<ModuleKind, 'cython'>, name: string, index: number): void => {
      const line = lineOfOffset(starts, index);
      const finding = fileFindings.find((f) => f.ruleId !== 'FT011' || Math.abs(f.line - line) <= 3);
      modules.push(moduleOf({ name, kind, path, line, finding, declared: declaredIn(kind) }));
    };
    if (isCmake) {
      for (const m of macroModules(text, 'nanobind_add_module')) add('nanobind', m.name, m.index);
      continue;
    }
    for (const m of macroModules(text, 'PYBIND11_MODULE')) add('pybind11', m.name, m.index);
    for (const m of [...initFunctions(text), ...macroInitFunctions(text, path)]) add(m.multiPhase ? 'c-multi-phase' : 'c-single-phase', m.name, m.index);
    for (const m of pyo3Modules(text)) add('pyo3', m.name, m.index);
  }
  return modules.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.line - b.line));
}

function moduleOf(p: { name: string; kind: ModuleKind; path: string; line: number; finding: Finding | undefined; declared: boolean }): ExtensionModule {
  if (p.finding !== undefined) return { name: p.name, kind: p.kind, path: p.path, line: p.line, declared: 'no', ruleId: p.finding.ruleId };
  return { name: p.name, kind: p.kind, path: p.path, line: p.line, declared: p.declared ? 'yes' : 'unknown' };
}

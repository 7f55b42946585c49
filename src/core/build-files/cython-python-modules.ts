import { classifyPath, type BuildFileKind } from '../languages.js';
import { matchGlob } from '../parsing/match-glob.js';
import { matchingParen } from '../parsing/source-text.js';
import { commandSites, folderOf, mesonPyNames, pyNames, withoutExclude } from './cython-sites.js';
import { pythonStatementEnd } from '../parsing/python-blocks.js';

/**
 * A build file, read. `folder` is where the names it writes are resolved (with a trailing `/`),
 * when that is not the file's own folder: a build script the `pyproject.toml` names runs from the
 * project's folder.
 */
export type BuildText = { path: string; kind: BuildFileKind; text: string; folder?: string };

/** The argument text of every `name(` call in `text` (balanced parentheses), in order. */
function callArgs(text: string, name: string): string[] {
  const out: string[] = [];
  for (let at = text.indexOf(name); at >= 0; at = text.indexOf(name, at + 1)) {
    const open = at + name.length - 1;
    const close = matchingParen(text, open);
    if (close > open) out.push(text.slice(open + 1, close));
  }
  return out;
}

const pythonWords = new Set(['for', 'in', 'if', 'else', 'and', 'or', 'not', 'is', 'None', 'True', 'False', 'lambda', 'return', 'import', 'from', 'as']);

/**
 * `args` (the arguments of a compile call) followed by the values of the names it uses, as far as
 * a script's text assigns them: `NAME = …`, `NAME += …`, `NAME.append(…)` / `.extend(…)`, and
 * the iterable of `for NAME in …`, followed name by name (at most 40). Worked example: in
 *
 *   TO_CYTHONIZE = ["src/pkg/fast.py"]
 *   EXTENSIONS = [Extension(name_of(p), [p]) for p in TO_CYTHONIZE]
 *   cythonize(EXTENSIONS)
 *
 * `EXTENSIONS` leads to the comprehension, `p` to `TO_CYTHONIZE` and that to its list, so the
 * module's `.py` path is read although no compile call writes it.
 */
function withAssignedValues(text: string, args: string): string {
  // Where each loop or comprehension variable takes its values: `for a, b in …` → a, b → offset after `in`.
  const iterables = new Map<string, number[]>();
  for (const m of text.matchAll(/\bfor[ \t]+([\w, \t()]{1,200}?)[ \t]+in\b/g)) {
    for (const name of (m[1] ?? '').split(/[\s,()]+/).filter(Boolean)) iterables.set(name, [...(iterables.get(name) ?? []), m.index + m[0].length]);
  }
  const parts = [args];
  const seen = new Set<string>();
  const queue = [args];
  const take = (from: number): void => {
    const value = text.slice(from, pythonStatementEnd(text, from));
    parts.push(value);
    queue.push(value);
  };
  while (queue.length > 0 && seen.size < 40) {
    // Identifiers outside string literals and attribute names.
    const code = (queue.shift() ?? '').replace(/(["'])(?:\\.|(?!\1)[^\\\n])*\1/g, '""');
    for (const m of code.matchAll(/(?<![\w.])[A-Za-z_]\w{0,100}/g)) {
      const name = m[0];
      if (seen.has(name) || pythonWords.has(name) || seen.size >= 40) continue;
      seen.add(name);
      for (const from of iterables.get(name) ?? []) take(from);
      const assigned = new RegExp(`^[ \\t]*${name}(?:[ \\t]*(?::[^=\\n]{0,100})?\\+?=(?!=)|\\.(?:append|extend)\\()`, 'gm');
      for (const a of text.matchAll(assigned)) take(a.index + a[0].length);
    }
  }
  return parts.join('\n');
}

/** A setup.py that builds with Cython: it calls `cythonize` or names Cython. */
const usesCython = /\bcythonize\(|\bCython\b/;

/**
 * The `.py` files a build file hands to Cython (Cython's pure-Python mode), as written there:
 * names or globs relative to the build file's folder.
 *
 * - setup.py: `.py` literals in `cythonize(…)` and, when the file uses Cython at all, in
 *   `Extension(…)` (setuptools cannot build a `.py` source without Cython's `build_ext`);
 * - meson.build: the `.py` input of a `configure_file(…)` whose output is a `.pyx` (Meson's Cython
 *   support takes `.pyx` only), and `.py` literals in a `custom_target(…)` that runs Cython;
 * - Makefile, CMake, tox.ini: `.py` tokens on a `cython`/`cythonize` command line.
 *
 * Build scripts themselves (`setup.py`, f2py wrappers) are never among them.
 */
export function compiledPythonNames(build: BuildText): string[] {
  const { kind, text } = build;
  let names: string[] = [];
  if (kind === 'setup-py') {
    names = callArgs(text, 'cythonize(').flatMap((args) => pyNames(withAssignedValues(text, withoutExclude(args))));
    if (usesCython.test(text)) names.push(...callArgs(text, 'Extension(').flatMap((args) => pyNames(withAssignedValues(text, args))));
  } else if (kind === 'meson') {
    names = mesonPyNames(text);
    names.push(...callArgs(text, 'custom_target(').filter((args) => /\bcython\b/i.test(args)).flatMap(pyNames));
  } else if (kind === 'cmake' || kind === 'makefile' || kind === 'tox') {
    names = commandSites(build.path, text, kind === 'cmake').flatMap((site) => pyNames(text.slice(site.start, site.end).replaceAll('${CMAKE_CURRENT_SOURCE_DIR}/', '')));
  }
  return [...new Set(names)].filter((n) => classifyPath(n.slice(n.lastIndexOf('/') + 1)) === undefined);
}

/**
 * Dotted module names a setup.py that uses Cython writes as string literals (`"pkg.html.diff"`,
 * `"engine._row_cy"`): extension names, or module lists whose sources the script computes.
 */
export function compiledModuleNames(build: BuildText): string[] {
  if (build.kind !== 'setup-py' || !usesCython.test(build.text)) return [];
  const out = new Set<string>();
  for (const m of build.text.matchAll(/["']([A-Za-z_]\w{0,100}(?:\.[A-Za-z_]\w{0,100}){1,10})["']/g)) if (m[1] !== undefined) out.add(m[1]);
  return [...out];
}

/** `import cython`, `from cython import …` or `from cython.cimports… import …` on a line of its own. */
const importsCython = /^[ \t]*(?:import[ \t]+cython\b|from[ \t]+cython(?:\.\w+)*[ \t]+(?:c?import)\b)/m;

/**
 * Which of `pythonPaths` are Cython modules in pure-Python mode, compiled by the project's build:
 *
 * 1. a build file hands them to Cython by name or glob (`compiledPythonNames`); or
 * 2. an augmenting `.pxd` of the same name sits beside the `.py` (Cython applies it when it compiles
 *    the `.py`) and the module imports the `cython` module; or
 * 3. a setup.py that uses Cython names its module (`"pkg.mod"`, the dotted path's tail) and the
 *    module imports `cython` or has a `.pxd` beside it.
 *
 * `textOf` is asked only for `.py` files with a `.pxd` beside them. Ordinary Python files match
 * neither test and stay unscanned.
 */
export function findCythonPythonModules(params: {
  builds: readonly BuildText[];
  pythonPaths: readonly string[];
  /** Every `.pxd` path of the tree. */
  pxdPaths: Iterable<string>;
  textOf: (path: string) => string | undefined;
}): Set<string> {
  const found = new Set<string>();
  const candidates = params.pythonPaths.filter((p) => p.endsWith('.py') && classifyPath(p) === undefined);
  for (const build of params.builds) {
    // A name built from a variable (`${…}`, `{…}`) cannot be matched to a file.
    const names = compiledPythonNames(build).filter((n) => !n.includes('$') && !n.includes('{'));
    if (names.length === 0) continue;
    const folder = build.folder ?? folderOf(build.path);
    for (const path of candidates) if (path.startsWith(folder) && names.some((n) => namesFile(n, path.slice(folder.length)))) found.add(path);
  }
  const pxd = new Set(params.pxdPaths);
  const modules = new Set(params.builds.flatMap(compiledModuleNames));
  for (const path of candidates) {
    if (found.has(path)) continue;
    const twin = pxd.has(`${path.slice(0, -3)}.pxd`);
    const named = modules.size > 0 && dottedTails(path).some((tail) => modules.has(tail));
    if (!twin && !named) continue;
    if (twin && named) {
      found.add(path);
      continue;
    }
    const text = params.textOf(path);
    if (text !== undefined && importsCython.test(text)) found.add(path);
  }
  return found;
}

/** The dotted names a `.py` path could be imported as: `lib/pkg/mod.py` → `mod`, `pkg.mod`, `lib.pkg.mod`. */
function dottedTails(path: string): string[] {
  const parts = path.slice(0, -3).split('/');
  return parts.map((_, i) => parts.slice(i).join('.')).filter((t) => t.includes('.'));
}

/**
 * True when the build's `name` (a path or glob relative to its folder) names `relative`: exactly,
 * since Cython resolves it from there; `*` stays within one folder unless written `**`.
 */
function namesFile(name: string, relative: string): boolean {
  const clean = name.replace(/^\.?\//, '');
  if (!clean.includes('*') && !clean.includes('?')) return clean === relative;
  if (clean.includes('**')) return matchGlob(clean.replace(/\*\*\/?/g, '*'), relative);
  return clean.split('/').length === relative.split('/').length && matchGlob(clean, relative);
}

import type { TextEdit } from '../diagnostics.js';
import { matchGlob } from '../parsing/match-glob.js';
import { matchingParen } from '../parsing/source-text.js';
import { createLineIndex } from '../parsing/syntax.js';

/**
 * A place in a build file where Cython modules are compiled: a `cythonize(...)` call, a Meson
 * `extension_module(...)` with `.pyx` sources, a `cython …` command line in a Makefile, tox.ini or
 * CMake file, or project-wide Cython arguments.
 */
export type CythonSite = {
  path: string;
  start: number;
  end: number;
  /** What compiles the modules, for messages: `cythonize()`, `extension_module()`, `cython`. */
  via: string;
  /** The site turns on `freethreading_compatible` for what it compiles. */
  declares: boolean;
  /** The site already sets Cython directives, so the fix belongs here, not in each `.pyx`. */
  setsDirectives: boolean;
  /**
   * The site passes a directives dict that starts empty and gains entries only under a condition
   * (`directives = {}` then `if coverage: directives['linetrace'] = True`): an ordinary build sets
   * nothing there, so the fix belongs here only when the modules keep no directives in their headers.
   */
  directivesUnderCondition?: boolean;
  /**
   * `.pyx` files or glob patterns it compiles, relative to the build file's folder; empty when the
   * sources cannot be read from the text (a variable): then every `.pyx` below that folder.
   */
  sources: string[];
  /**
   * The folder `sources` are relative to, when not the build file's own (a build module a
   * `pyproject.toml` names runs from the pyproject's folder), with a trailing `/`.
   */
  root?: string;
  /** The one edit that declares support at this site, when it is local. */
  fix?: TextEdit;
  /**
   * Later whole-dict assignments of the same named directives dict (`DIRECTIVES = {…}`, then
   * `if TEST_BUILD: DIRECTIVES = {…}`): each replaces the first, so each needs the directive too.
   * `start`…`end` spans the assignment, up to its closing `}`.
   */
  reassigned?: Array<{ start: number; end: number; fix: TextEdit }>;
  /**
   * Where the compile call itself is, when the site is anchored elsewhere: a `cythonize()` whose
   * directives come from a dict assigned earlier is reported at that dict, where the fix goes.
   */
  call?: { start: number; via: string };
  /**
   * Line and column (1-based) where a `cythonize()` call starts, so that a finding in another file
   * (a `.pyx` it compiles) can name the call as a related place.
   */
  callAt?: { line: number; column: number };
  /**
   * Meson: a variable this file assigns with the directive in it (`cython_args += ['-X…=True']`).
   * Meson files reached through `subdir()` see the variables of the files above them, so the
   * variable declares the modules of any `extension_module()` at or below this folder that uses it.
   */
  variable?: string;
  /** Meson: identifiers an `extension_module()` uses, with the arguments of the generators it runs. */
  mentions?: string[];
  /**
   * Meson: for a `variable` that holds Cython directives without this one, the names built from it
   * (`cython_cplus_args = ['--cplus'] + cython_args`): a module that uses one of them takes its
   * directives from the variable too.
   */
  aliases?: string[];
  /**
   * setup.py: the site is Cython's global directive defaults table set by the build
   * (`get_directive_defaults()['binding'] = True`), which every compile of the process starts from.
   */
  defaults?: true;
};

/** `freethreading_compatible` set to a true value: `True`, `true`, `1`, `"True"`. */
const truthyDirective = /freethreading_compatible['"]?\]?\s*[:=]\s*(?:True|true|1|['"](?:True|true)['"])/;

/** A quoted `.pyx` path (the first source an `Extension` compiles), not global: `exec` finds the first. */
const PYX_LITERAL = /["'][^"'\n]{0,200}\.pyx["']/;

/** `.pyx` names in string literals (or bare tokens) of `text`: `"src/*.pyx"`, `foo.pyx`. */
function pyxNames(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/[\w./*?{}$-]{0,200}\.pyx\b/g)) if (/[\w*?{}$]\.pyx$/.test(m[0])) out.push(m[0]);
  return out;
}

/**
 * `.py` names in string literals or bare tokens of `text`: `"pkg/_speedups.py"`, `src/*.py`,
 * `f"{pkg}/filter/loud.py"` (a name with `{` or `$` stands for any module, as in `siteCovers`).
 */
export function pyNames(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/[\w./*?{}$-]{0,200}\.py(?![\w.])/g)) if (/[\w*?{}$]\.py$/.test(m[0]) && !/(^|\/)setup\w*\.py$/.test(m[0])) out.push(m[0]);
  return out;
}

/**
 * `.py` files a meson.build hands to Cython: Meson's Cython support takes `.pyx` sources only, so a
 * pure-Python-mode module goes in as `configure_file(input: 'mod.py', output: 'mod.pyx', …)`.
 * Other `.py` names in a meson file (generator scripts) are not Cython sources.
 */
export function mesonPyNames(text: string): string[] {
  const out: string[] = [];
  for (let at = text.indexOf('configure_file('); at >= 0; at = text.indexOf('configure_file(', at + 1)) {
    const close = matchingParen(text, at + 'configure_file'.length);
    if (close < 0) continue;
    const args = text.slice(at, close);
    if (pyxNames(args).length > 0) out.push(...pyNames(args));
  }
  return out;
}

/**
 * `cythonize()` arguments without the value of `exclude=` (`exclude=["pkg/tests/*.py"]`): the
 * files named there are not compiled.
 */
export function withoutExclude(args: string): string {
  const m = /\bexclude\s*=\s*/.exec(args);
  if (m === null) return args;
  const valueAt = m.index + m[0].length;
  // The value runs to the `,` or end of the arguments at its own bracket depth (strings skipped).
  let depth = 0;
  let end = args.length;
  for (let i = valueAt; i < args.length; i++) {
    const c = args[i];
    if (c === '[' || c === '(' || c === '{') depth++;
    else if (c === ']' || c === ')' || c === '}') depth--;
    else if (c === '"' || c === "'") {
      for (i++; i < args.length && args[i] !== c && args[i] !== '\n'; i++) if (args[i] === '\\') i++;
    } else if (c === ',' && depth === 0) {
      end = i;
      break;
    }
  }
  return args.slice(0, m.index) + args.slice(end);
}

/** The Cython sources named in `text`: `.pyx` modules and pure-Python-mode `.py` modules. */
function compiledNames(text: string): string[] {
  return [...pyxNames(text), ...pyNames(text)];
}

/**
 * The dict literal assigned to `name` (`name = {`, `name: Dict[str, Any] = {`), searched linearly:
 * where the assignment starts and where its `{` opens, or undefined.
 */
function dictAssignment(text: string, name: string, after = 0): { start: number; open: number } | undefined {
  let from = after;
  for (;;) {
    const at = text.indexOf(name, from);
    if (at < 0) return undefined;
    from = at + name.length;
    const before = at === 0 ? '' : text[at - 1] ?? '';
    if (/[\w.'"]/.test(before)) continue;
    let i = from;
    // An annotation (`: Dict[str, Any]`) on one line, bounded.
    if (text[i] === ':') {
      const eq = text.indexOf('=', i);
      const nl = text.indexOf('\n', i);
      if (eq < 0 || eq - i > 100 || (nl >= 0 && nl < eq)) continue;
      i = eq;
    }
    while (i < text.length && (text[i] === ' ' || text[i] === '\t')) i++;
    if (text[i] !== '=' || text[i + 1] === '=') continue;
    i++;
    while (i < text.length && /\s/.test(text[i] ?? '')) i++;
    if (text.startsWith('dict(', i)) return undefined;
    if (text[i] === '{') return { start: at, open: i };
  }
}

/** Offset just past the `}` closing the `{` at `open` (strings skipped), at most 20,000 characters on, else `open + 1`. */
function dictEnd(text: string, open: number): number {
  let depth = 0;
  const stop = Math.min(text.length, open + 20_000);
  for (let i = open; i < stop; i++) {
    const c = text[i];
    if (c === '{' || c === '[' || c === '(') depth++;
    else if ((c === '}' || c === ']' || c === ')') && --depth === 0) return i + 1;
    else if (c === '"' || c === "'") for (i++; i < stop && text[i] !== c && text[i] !== '\n'; i++) if (text[i] === '\\') i++;
  }
  return open + 1;
}

/**
 * Inserts an entry after the `{` at `open`, matching the quote style: `'freethreading_compatible':
 * True` by default, or `'compiler_directives': {'freethreading_compatible': True}` for an options dict.
 */
function dictEntryEdit(text: string, open: number, nested = false): TextEdit {
  const quote = text.slice(open, open + 200).includes('"') ? '"' : "'";
  const q = (key: string): string => `${quote}${key}${quote}`;
  const entry = nested ? `${q('compiler_directives')}: {${q('freethreading_compatible')}: True}` : `${q('freethreading_compatible')}: True`;
  // A `{` that ends its line, or is followed only by a comment (`{  # defaults`): the entry goes on
  // a line of its own after it, never into the comment.
  const lineEnd = text.indexOf('\n', open + 1);
  const multiline = lineEnd >= 0 && lineEnd - open < 2000 && /^[ \t]*(?:#[^\n]*)?\r?$/.test(text.slice(open + 1, lineEnd));
  if (multiline) {
    const indent = /^[ \t]*/.exec(text.slice(lineEnd + 1))?.[0] ?? '    ';
    return { start: lineEnd + 1, end: lineEnd + 1, text: `${indent}${entry},${text[lineEnd - 1] === '\r' ? '\r\n' : '\n'}` };
  }
  const empty = text.slice(open + 1).trimStart().startsWith('}');
  return { start: open + 1, end: open + 1, text: `${entry}${empty ? '' : ', '}` };
}

/** The identifier at `at` (up to 100 characters), or undefined. */
function identifierAt(text: string, at: number): string | undefined {
  return /^[A-Za-z_]\w*/.exec(text.slice(at, at + 100))?.[0];
}

/**
 * Where a directives dict passed by name is assigned (`directives = {…}` …
 * `cythonize(…, compiler_directives=directives)`): the span of the assignment, which is where the
 * finding goes, and the edit that turns the directive on in it.
 */
function namedDict(text: string, name: string | undefined, nested = false): { start: number; end: number; fix?: TextEdit; reassigned?: Array<{ start: number; end: number; fix: TextEdit }> } | undefined {
  const found = name === undefined ? undefined : dictAssignment(text, name);
  if (name === undefined || found === undefined) return undefined;
  const end = dictEnd(text, found.open);
  const dict = { start: found.start, end, fix: dictEntryEdit(text, found.open, nested) };
  // Later whole-dict assignments of the same name (a test or debug build's own set), at most 4.
  const reassigned: Array<{ start: number; end: number; fix: TextEdit }> = [];
  // One that spreads the first (`NAME = {**NAME, **COVERAGE}`) inherits its directive and is left out.
  const spreadsFirst = new RegExp(`\\*\\*\\s*${name}\\b`);
  for (let next = dictAssignment(text, name, end); next !== undefined && reassigned.length < 4; ) {
    const nextEnd = dictEnd(text, next.open);
    if (!spreadsFirst.test(text.slice(next.open, nextEnd))) reassigned.push({ start: next.start, end: nextEnd, fix: dictEntryEdit(text, next.open, nested) });
    next = dictAssignment(text, name, nextEnd);
  }
  return reassigned.length === 0 ? dict : { ...dict, reassigned };
}

/** `cython_directives=` as a keyword argument (after `(` or `,`), first occurrence, or undefined. */
function directivesKeyword(text: string): { index: number; valueAt: number } | undefined {
  for (let at = text.indexOf('cython_directives'); at >= 0; at = text.indexOf('cython_directives', at + 1)) {
    let i = at - 1;
    while (i >= 0 && /\s/.test(text[i] ?? '') && at - i < 200) i--;
    if (text[i] !== '(' && text[i] !== ',') continue;
    const m = /^cython_directives\s*=(?!=)\s*/.exec(text.slice(at, at + 200));
    if (m !== null) return { index: at, valueAt: at + m[0].length };
  }
  return undefined;
}

/**
 * True when the directives given at `valueAt` (a `{…}` literal or the name of a dict assigned in
 * the file) start empty and every entry is added inside a block deeper than the assignment:
 * `directives = {}` then `if profiling: directives['profile'] = True`.
 */
function directivesOnlyUnderCondition(text: string, valueAt: number): boolean {
  if (text[valueAt] === '{') return /^\{\s*\}/.test(text.slice(valueAt, valueAt + 200));
  const name = identifierAt(text, valueAt);
  const found = name === undefined ? undefined : dictAssignment(text, name);
  if (name === undefined || found === undefined || !/^\{\s*\}/.test(text.slice(found.open, found.open + 200))) return false;
  const lineStart = text.lastIndexOf('\n', found.start) + 1;
  const indent = found.start - lineStart;
  if (/\S/.test(text.slice(lineStart, found.start))) return false;
  // An entry added at the assignment's own depth (or shallower) is unconditional.
  for (const m of text.matchAll(new RegExp(`^([ \\t]*)${name}\\s*(?:\\[|\\.update\\(|\\|=)`, 'gm'))) if ((m[1] ?? '').length <= indent) return false;
  return true;
}

/**
 * The end of the last line in `[from, to)` that adds an entry to the dict `name` (`name[…] =`,
 * `name.update(`, `name |=`), or `from` when there is none.
 */
function conditionalEntriesEnd(text: string, name: string, from: number, to: number): number {
  if (name === '' || to <= from) return from;
  let end = from;
  const body = text.slice(from, to);
  for (const m of body.matchAll(new RegExp(`^[ \\t]+${name}\\s*(?:\\[|\\.update\\(|\\|=)`, 'gm'))) {
    const nl = body.indexOf('\n', m.index);
    end = from + (nl < 0 ? body.length : nl);
  }
  return end;
}

/**
 * setup.py and its helpers: `cythonize(...)` calls, else `Extension`s with `.pyx` sources or with
 * `cython_directives=` (Cython's own `Extension`, which also compiles pure-Python-mode `.py`
 * modules). A site whose directives come from a dict assigned elsewhere in the file is anchored at
 * that dict, where the fix belongs; `call` then points at the compile call.
 */
export function setupPySites(path: string, text: string): CythonSite[] {
  const declares = truthyDirective.test(text);
  const sites: CythonSite[] = [];
  let lineIndex: ReturnType<typeof createLineIndex> | undefined;
  for (let at = text.indexOf('cythonize('); at >= 0; at = text.indexOf('cythonize(', at + 1)) {
    if (at > 0 && /[\w.]/.test(text[at - 1] ?? '') && !text.slice(Math.max(0, at - 7), at).endsWith('Build.')) continue;
    // A mention in a comment (`# … cythonize() …`) compiles nothing.
    const lineStart = text.lastIndexOf('\n', at) + 1;
    if (at - lineStart < 2000 && text.slice(lineStart, at).includes('#')) continue;
    const open = at + 'cythonize'.length;
    const close = matchingParen(text, open);
    if (close < 0) continue;
    const args = text.slice(open + 1, close);
    const keyword = /\bcompiler_directives\s*=\s*/.exec(args);
    let fix: TextEdit | undefined;
    let dict: ReturnType<typeof namedDict>;
    let setsDirectives = keyword !== null;
    let conditional = false;
    if (keyword !== null) {
      const valueAt = open + 1 + keyword.index + keyword[0].length;
      if (text[valueAt] === '{') fix = dictEntryEdit(text, valueAt);
      else dict = namedDict(text, identifierAt(text, valueAt));
      // A dict that starts empty and gains entries only under a condition (profiling, coverage)
      // sets nothing in an ordinary build: the fix goes here only when the modules have no
      // directive headers (FT010 decides). A named dict's finding spans the entries added to it.
      if (directivesOnlyUnderCondition(text, valueAt)) {
        setsDirectives = false;
        conditional = true;
        // Up to the first compile call after the dict, so calls sharing the dict share one span.
        if (dict !== undefined) dict = { ...dict, end: Math.max(dict.end, conditionalEntriesEnd(text, identifierAt(text, valueAt) ?? '', dict.end, text.indexOf('cythonize(', dict.end))) };
      }
    } else {
      // `cythonize(exts, **options)` where the file sets `options['compiler_directives']`. A
      // `language_level=` keyword alone is a compile option: it does not draw the fix here.
      const spread = /\*\*\s*([A-Za-z_]\w*)/.exec(args);
      if (spread !== null && text.includes('compiler_directives')) {
        setsDirectives = true;
        dict = namedDict(text, spread[1], true);
        // The dict already holds a `compiler_directives` entry: the edit is inside it, not local.
        if (dict !== undefined && text.slice(dict.start, dict.end).includes('compiler_directives')) dict = { start: dict.start, end: dict.end };
      } else fix = { start: close, end: close, text: `${args.trim() === '' ? '' : ', '}compiler_directives={'freethreading_compatible': True}` };
    }
    fix ??= dict?.fix;
    lineIndex ??= createLineIndex(text);
    const site: CythonSite = { path, start: dict?.start ?? at, end: dict?.end ?? close + 1, via: '`cythonize()`', declares, setsDirectives, sources: compiledNames(withoutExclude(args)), callAt: lineIndex(at) };
    if (conditional) site.directivesUnderCondition = true;
    if (dict !== undefined) site.call = { start: at, via: '`cythonize()`' };
    if (fix !== undefined && !declares) site.fix = fix;
    if (dict?.reassigned !== undefined && fix === dict.fix && !declares) site.reassigned = dict.reassigned;
    sites.push(site);
  }
  if (sites.length > 0) return withDefaults(sites, path, text, declares);
  // No cythonize(): setuptools compiles `.pyx` sources of an `Extension` when Cython is installed,
  // and Cython's `Extension` takes its directives as `cython_directives=`.
  const perExtension = extensionDictSites(path, text);
  if (perExtension !== undefined) return perExtension;
  const keyword = directivesKeyword(text);
  const extension = text.indexOf('Extension(');
  const first = extension < 0 ? null : PYX_LITERAL.exec(text.slice(extension));
  if (first === null && keyword === undefined) return withDefaults([], path, text, declares);
  let dict: { start: number; end: number; fix?: TextEdit } | undefined;
  let fix: TextEdit | undefined;
  if (keyword !== undefined) {
    if (text[keyword.valueAt] === '{') fix = dictEntryEdit(text, keyword.valueAt);
    else dict = namedDict(text, identifierAt(text, keyword.valueAt));
  }
  const start = dict?.start ?? (first === null ? keyword?.index ?? 0 : first.index + extension);
  const end = dict?.end ?? (first === null ? start + 'cython_directives'.length : start + first[0].length);
  const site: CythonSite = { path, start, end, via: '`Extension()`', declares, setsDirectives: keyword !== undefined || /\bcython_directives\s*=/.test(text), sources: first === null ? [] : pyxNames(text) };
  if (dict !== undefined && keyword !== undefined) site.call = { start: keyword.index, via: '`Extension(cython_directives=…)`' };
  fix ??= dict?.fix;
  if (fix !== undefined && !declares) site.fix = fix;
  return withDefaults([site], path, text, declares);
}

/**
 * `sites` plus, when none of them sets directives of its own, a site for Cython's global
 * directive defaults where the file sets them: `Options.get_directive_defaults()` (or the older
 * `Options.directive_defaults`) returns the table every compile of the process starts from, so a
 * build that fills it (`directive_defaults['binding'] = True`) declares there too. The site is the
 * last entry set, and the fix a line after it; `Options.<setting> = …` assignments of a file that
 * imports `Cython.Compiler.Options` count too (the table is reached through the same module).
 */
function withDefaults(sites: CythonSite[], path: string, text: string, declares: boolean): CythonSite[] {
  if (sites.some((s) => s.setsDirectives || s.directivesUnderCondition === true) || !/\bCython\.Compiler\b/.test(text)) return sites;
  // Names bound to the table: `directive_defaults` imported, or `x = get_directive_defaults()`.
  const tables = new Set<string>();
  if (/\bimport\b[^\n]*\bdirective_defaults\b/.test(text)) tables.add('directive_defaults');
  for (const m of text.matchAll(/^[ \t]*([A-Za-z_]\w*)\s*=\s*(?:[\w.]*\.)?get_directive_defaults\(\)/gm)) tables.add(m[1] ?? '');
  let last: { start: number; end: number; indent: string; table: string } | undefined;
  const entry = /^([ \t]*)((?:[A-Za-z_][\w.]*\.)?(?:get_directive_defaults\(\)|directive_defaults)|[A-Za-z_]\w*)\[\s*['"]\w+['"]\s*\]\s*=(?!=)[^\n]*/gm;
  for (const m of text.matchAll(entry)) {
    const table = m[2] ?? '';
    if (!tables.has(table) && !/(?:get_directive_defaults\(\)|\bOptions\.directive_defaults)$/.test(table)) continue;
    last = { start: (m.index ?? 0) + (m[1] ?? '').length, end: (m.index ?? 0) + m[0].length, indent: m[1] ?? '', table };
  }
  // `Options.docstrings = False`, `Cython.Compiler.Options.annotate = True`.
  if (last === undefined && /\bfrom\s+Cython\.Compiler\s+import\b[^\n]*\bOptions\b|\bimport\s+Cython\.Compiler\.Options\b/.test(text)) {
    for (const m of text.matchAll(/^([ \t]*)((?:Cython\.Compiler\.)?Options)\.[a-z_]\w*\s*=(?!=)[^\n]*/gm)) {
      last = { start: (m.index ?? 0) + (m[1] ?? '').length, end: (m.index ?? 0) + m[0].length, indent: m[1] ?? '', table: `${m[2] ?? ''}.get_directive_defaults()` };
    }
  }
  if (last === undefined) return sites;
  const site: CythonSite = { path, start: last.start, end: last.end, via: "Cython's global directive defaults", declares, setsDirectives: true, sources: [], defaults: true };
  const quote = text.slice(last.start, last.end).includes('"') && !text.slice(last.start, last.end).includes("'") ? '"' : "'";
  if (!declares) site.fix = { start: last.end, end: last.end, text: `\n${last.indent}${last.table}[${quote}freethreading_compatible${quote}] = True` };
  return [...sites, site];
}

/**
 * `Extension(...)` calls of Cython's `Extension` that each pass their own `cython_directives=` dict
 * (an inline `{…}` or a dict assigned by name): one site per dict, anchored at it, so each dict
 * that lacks the directive gets its own finding and fix. Worked example:
 * `Extension("a", ["a.pyx"], cython_directives={"language_level": 3})` twice → two sites, one per
 * `{…}`. Undefined when fewer than two distinct dicts are passed, or when a value or the sources of
 * a call cannot be read: the file is then one site, as before.
 */
function extensionDictSites(path: string, text: string): CythonSite[] | undefined {
  type Call = { at: number; args: string; argsAt: number; anchor?: { start: number; end: number; fix?: TextEdit; inline: boolean } };
  const calls: Call[] = [];
  for (const m of text.matchAll(/(?<![\w])(?:[\w.]*\.)?Extension\s*\(/g)) {
    const at = m.index ?? 0;
    const lineStart = text.lastIndexOf('\n', at) + 1;
    const before = text.slice(lineStart, at);
    if (before.includes('#') || /\b(?:def|class)\s+$/.test(before)) continue;
    const open = at + m[0].length - 1;
    const close = matchingParen(text, open);
    if (close < 0) continue;
    const call: Call = { at, args: text.slice(open, close), argsAt: open };
    const keyword = directivesKeyword(call.args);
    if (keyword !== undefined) {
      const valueAt = open + keyword.valueAt;
      if (text[valueAt] === '{') call.anchor = { start: valueAt, end: dictEnd(text, valueAt), fix: dictEntryEdit(text, valueAt), inline: true };
      else {
        const named = namedDict(text, identifierAt(text, valueAt));
        if (named === undefined) return undefined;
        call.anchor = { ...named, inline: false };
      }
      if (compiledNames(call.args).length === 0) return undefined;
    }
    calls.push(call);
  }
  const anchored = calls.filter((c) => c.anchor !== undefined);
  if (new Set(anchored.map((c) => `${c.anchor?.start}:${c.anchor?.end}`)).size < 2) return undefined;
  // The directive set anywhere but in these dicts (a global directive default, a helper) is
  // trusted for every module of the file, as for a single site.
  let rest = text;
  for (const c of anchored) if (c.anchor?.inline === true) rest = rest.slice(0, c.anchor.start) + ' '.repeat(c.anchor.end - c.anchor.start) + rest.slice(c.anchor.end);
  const fileDeclares = truthyDirective.test(rest);
  const sites: CythonSite[] = [];
  for (const c of calls) {
    if (c.anchor === undefined) {
      // A call without its own dict, in a file whose other Extensions set directives: reported
      // at its first `.pyx`, as before, without an edit.
      const first = PYX_LITERAL.exec(c.args);
      if (first !== null) sites.push({ path, start: c.argsAt + first.index, end: c.argsAt + first.index + first[0].length, via: '`Extension()`', declares: fileDeclares, setsDirectives: true, sources: pyxNames(c.args) });
      continue;
    }
    const declares = fileDeclares || truthyDirective.test(text.slice(c.anchor.start, c.anchor.end));
    const site: CythonSite = { path, start: c.anchor.start, end: c.anchor.end, via: '`Extension()`', declares, setsDirectives: true, sources: compiledNames(c.args), call: { start: c.at, via: '`Extension()`' } };
    if (c.anchor.fix !== undefined && !declares) site.fix = c.anchor.fix;
    sites.push(site);
  }
  return sites;
}

/** How many Meson `if` blocks are open at `at` (a line-start `if` opens one, `endif` closes it; comments skipped). */
function mesonIfDepth(text: string, at: number): number {
  let depth = 0;
  for (const m of text.slice(0, at).matchAll(/^[ \t]*(if|endif)\b/gm)) depth = Math.max(0, depth + (m[1] === 'if' ? 1 : -1));
  return depth;
}

/** meson.build: `extension_module(...)` calls with `.pyx` sources, and project-wide Cython arguments. */
export function mesonSites(path: string, text: string): CythonSite[] {
  const sites: CythonSite[] = [];
  // `add_project_arguments('-X', 'freethreading_compatible=true', language: 'cython')` covers
  // every Cython module of the project.
  for (const name of ['add_project_arguments(', 'add_global_arguments(']) {
    for (let at = text.indexOf(name); at >= 0; at = text.indexOf(name, at + 1)) {
      const close = matchingParen(text, at + name.length - 1);
      if (close < 0) continue;
      const args = text.slice(at, close);
      const via = `\`${name.slice(0, -1)}()\``;
      if (/cython/.test(args) && truthyDirective.test(args)) sites.push({ path, start: at, end: close + 1, via, declares: true, setsDirectives: true, sources: [] });
      // Project-wide directives without this one (`add_project_arguments('-X',
      // 'embedsignature=True', language: 'cython')`): every module of the project takes its
      // directives here, so the fix goes here too.
      // Arguments added only under an `if` (a coverage switch) are not the ordinary build's; one
      // such site per file is enough.
      else if (!sites.some((site) => !site.declares) && /\blanguage\s*:\s*(?:\[[^\]]*)?['"]cython['"]/.test(args) && /['"](?:-X|--directive)\b/.test(args) && mesonIfDepth(text, at) === 0) {
        const open = at + name.length;
        sites.push({ path, start: at, end: close + 1, via, declares: false, setsDirectives: true, sources: [], fix: { start: open, end: open, text: `'-X', 'freethreading_compatible=true', ` } });
      }
    }
  }
  // A variable holding the arguments (`cython_args = ['-X', 'freethreading_compatible=true']`)
  // declares every module that uses it; one mention anywhere in the file is trusted.
  const fileDeclares = truthyDirective.test(text);
  // For the files below: each variable assigned (or extended) with a list that holds the directive,
  // then those built from one (`cython_cplus_args = ['--cplus'] + cython_args`, a
  // `generator(cython, arguments : cython_args)`), until no more are found.
  const declaring = new Map<string, { start: number; end: number }>();
  for (const m of text.matchAll(/^[ \t]*([A-Za-z_]\w*)\s*\+?=\s*\[/gm)) {
    const open = (m.index ?? 0) + m[0].length - 1;
    const close = matchingBracket(text, open);
    if (close < 0 || !truthyDirective.test(text.slice(open, close))) continue;
    declaring.set(m[1] ?? '', { start: m.index ?? 0, end: close + 1 });
  }
  const assignments = [...text.matchAll(/^[ \t]*([A-Za-z_]\w*)\s*\+?=[ \t]*([^\n]*)/gm)].map((m) => {
    const start = m.index ?? 0;
    const rhsAt = start + m[0].length - (m[2] ?? '').length;
    const call = /^[A-Za-z_]\w*\s*\(/.exec(m[2] ?? '');
    const close = call === null ? -1 : matchingParen(text, rhsAt + call[0].length - 1);
    const end = close < 0 ? start + m[0].length : close + 1;
    return { name: m[1] ?? '', start, end, names: text.slice(rhsAt, end).match(/\b[A-Za-z_]\w*\b/g) ?? [] };
  });
  for (let grew = declaring.size > 0; grew; ) {
    grew = false;
    for (const a of assignments) {
      if (declaring.has(a.name) || !a.names.some((n) => declaring.has(n))) continue;
      declaring.set(a.name, { start: a.start, end: a.end });
      grew = true;
    }
  }
  for (const [name, at] of declaring) sites.push({ path, ...at, via: `Meson variable \`${name}\``, declares: true, setsDirectives: true, sources: [], variable: name });
  // A variable that holds Cython directives without this one (`cython_args = ['-X',
  // 'boundscheck=False']`), assigned outside any `if`: every `extension_module()` that uses it
  // (here or in a file below, through `subdir()`) takes its directives from it, so the fix goes
  // into its list, once. Names built from it (`cython_cplus_args = ['--cplus'] + cython_args`)
  // are its `aliases`.
  if (!fileDeclares) {
    for (const m of text.matchAll(/^[ \t]*([A-Za-z_]\w*)[ \t]*=[ \t]*\[/gm)) {
      const name = m[1] ?? '';
      if (declaring.has(name) || sites.some((site) => site.variable === name)) continue;
      const open = (m.index ?? 0) + m[0].length - 1;
      const close = matchingBracket(text, open);
      if (close < 0 || !cythonDirectiveArgs.test(text.slice(open, close + 1)) || mesonIfDepth(text, m.index ?? 0) > 0) continue;
      const aliases = new Set<string>();
      for (let grew = true; grew; ) {
        grew = false;
        for (const a of assignments) {
          if (a.name === name || aliases.has(a.name) || !a.names.some((n) => n === name || aliases.has(n))) continue;
          aliases.add(a.name);
          grew = true;
        }
      }
      const start = (m.index ?? 0) + m[0].length - m[0].trimStart().length;
      sites.push({ path, start, end: close + 1, via: `Meson variable \`${name}\``, declares: false, setsDirectives: true, sources: [], variable: name, aliases: [...aliases], fix: listAppendEdit(text, open, close) });
    }
  }
  sites.push(...mesonCommandSites(path, text, fileDeclares));
  for (let at = text.indexOf('extension_module('); at >= 0; at = text.indexOf('extension_module(', at + 1)) {
    const open = at + 'extension_module'.length;
    const close = matchingParen(text, open);
    if (close < 0) continue;
    const args = text.slice(open + 1, close);
    const sources = [...pyxNames(args), ...mesonPyNames(args)];
    if (sources.length === 0) continue;
    const cythonArgs = /\bcython_args\s*:\s*/.exec(args);
    const site: CythonSite = { path, start: at, end: close + 1, via: '`extension_module()`', declares: fileDeclares, setsDirectives: cythonArgs !== null, sources, mentions: mesonMentions(text, args) };
    if (!fileDeclares) {
      const valueAt = cythonArgs === null ? -1 : open + 1 + cythonArgs.index + cythonArgs[0].length;
      if (cythonArgs === null) site.fix = { start: close, end: close, text: `, cython_args: ['-X', 'freethreading_compatible=true']` };
      else if (text[valueAt] === '[') site.fix = { start: valueAt + 1, end: valueAt + 1, text: `'-X', 'freethreading_compatible=true', ` };
    }
    sites.push(site);
  }
  return sites;
}

/**
 * Cython directives in a Meson list of arguments: `'-X', 'name=value'`, `'-X name=value'`,
 * `'-Xname=value'`, `'--directive', 'name=value'` or `'--directive=name=value'` (Cython's command
 * line takes `-X`/`--directive NAME=VALUE,...`). C compiler flags such as `-Xclang` or `-Xlinker`
 * have no `=` after the name and do not match.
 */
const cythonDirectiveArgs = /['"](?:-X|--directive)['"]\s*,\s*['"]\w+=|['"](?:-X|--directive[= ])\s*\w+=/;

/**
 * The edit that appends `'-X', 'freethreading_compatible=True'` to the Meson list whose `[` is at
 * `open` and `]` at `close`: after its last element, or on a line of its own when the list ends
 * with a line break.
 */
function listAppendEdit(text: string, open: number, close: number): TextEdit {
  const entry = `'-X', 'freethreading_compatible=True'`;
  const inner = text.slice(open + 1, close);
  const trimmed = inner.replace(/\s+$/, '');
  const at = open + 1 + trimmed.length;
  if (trimmed === '') return { start: at, end: at, text: entry };
  // A list laid out one element a line (`'-X profile=False',\n]`): a new line with the same indent.
  const lastLine = trimmed.slice(trimmed.lastIndexOf('\n') + 1);
  if (trimmed.endsWith(',') && inner.slice(trimmed.length).includes('\n')) {
    const indent = /^[ \t]*/.exec(lastLine)?.[0] ?? '  ';
    return { start: at, end: at, text: `\n${indent}${entry},` };
  }
  return { start: at, end: at, text: trimmed.endsWith(',') ? ` ${entry}` : `, ${entry}` };
}

/**
 * Cython run as a command of a Meson `custom_target()`: `command : [cython, '-X', '…', '@INPUT@',
 * …]`, where the program is a variable assigned `find_program('cython', …)` (or the name
 * `cython`) and the call names its `.pyx` input. The step is where its directives are set; the fix
 * adds the directive after the program.
 */
function mesonCommandSites(path: string, text: string, fileDeclares: boolean): CythonSite[] {
  const programs = new Set(['cython']);
  for (const m of text.matchAll(/^[ \t]*([A-Za-z_]\w*)\s*=\s*find_program\s*\(([^)]{0,500})\)/gm)) if (/^\s*['"]cython/i.test(m[2] ?? '')) programs.add(m[1] ?? '');
  const sites: CythonSite[] = [];
  for (let at = text.indexOf('custom_target('); at >= 0; at = text.indexOf('custom_target(', at + 1)) {
    const close = matchingParen(text, at + 'custom_target'.length);
    if (close < 0) continue;
    const args = text.slice(at, close);
    const command = /\bcommand\s*:\s*\[\s*([A-Za-z_]\w*|['"]cython['"])/.exec(args);
    if (command === null || !programs.has((command[1] ?? '').replace(/['"]/g, ''))) continue;
    const sources = pyxNames(args);
    if (sources.length === 0) continue;
    const listOpen = at + command.index + command[0].indexOf('[');
    const listClose = matchingBracket(text, listOpen);
    if (listClose < 0) continue;
    const list = text.slice(listOpen, listClose + 1);
    const wordAt = at + command.index + command[0].length - (command[1] ?? '').length;
    const declares = fileDeclares || truthyDirective.test(list);
    const site: CythonSite = { path, start: wordAt, end: listClose + 1, via: '`cython` in `custom_target()`', declares, setsDirectives: /['"](?:-X|--directive)/.test(list), sources };
    if (!declares) site.fix = { start: wordAt + (command[1] ?? '').length, end: wordAt + (command[1] ?? '').length, text: `, '-X', 'freethreading_compatible=True'` };
    sites.push(site);
  }
  return sites;
}

/** The `]` that closes the `[` at `open`, or -1 (strings and nesting are not special in Meson lists of flags). */
function matchingBracket(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length && i < open + 20_000; i++) {
    if (text[i] === '[') depth += 1;
    else if (text[i] === ']' && --depth === 0) return i;
  }
  return -1;
}

/**
 * Identifiers in the arguments of an `extension_module()`, plus those in the `generator(…)` call
 * of each `gen.process(…)` it uses: `spt_cython_gen.process('_qhull.pyx')` with
 * `spt_cython_gen = generator(cython, arguments : cython_args, …)` mentions `cython_args`.
 */
function mesonMentions(text: string, args: string): string[] {
  const names = new Set(args.match(/\b[A-Za-z_]\w*\b/g) ?? []);
  for (const m of args.matchAll(/\b([A-Za-z_]\w*)\.process\s*\(/g)) {
    const def = new RegExp(`^[ \\t]*${m[1]}\\s*=\\s*generator\\s*\\(`, 'm').exec(text);
    if (def === null) continue;
    const close = matchingParen(text, def.index + def[0].length - 1);
    if (close < 0) continue;
    for (const n of text.slice(def.index + def[0].length, close).match(/\b[A-Za-z_]\w*\b/g) ?? []) names.add(n);
  }
  return [...names];
}

/**
 * True when a Meson variable that a `meson.build` at or above `site`'s folder fills with the
 * directive is used by `site` (Meson variables flow down through `subdir()`).
 */
export function inheritsDirective(site: CythonSite, sites: readonly CythonSite[]): boolean {
  if (site.mentions === undefined || site.mentions.length === 0) return false;
  return sites.some((v) => v.variable !== undefined && v.declares && site.path.startsWith(folderOf(v.path)) && site.mentions?.includes(v.variable) === true);
}

/**
 * The Meson variable, assigned in a `meson.build` at or above `site`'s folder, that holds Cython
 * directives without this one and that `site` (an `extension_module()`) takes its directives
 * from, directly or through a name built from it; the nearest such file's, or undefined.
 */
export function directivesVariableOf(site: CythonSite, sites: readonly CythonSite[]): CythonSite | undefined {
  if (site.mentions === undefined || site.mentions.length === 0) return undefined;
  let found: CythonSite | undefined;
  for (const v of sites) {
    if (v.variable === undefined || v.declares || !site.path.startsWith(folderOf(v.path))) continue;
    const names = [v.variable, ...(v.aliases ?? [])];
    if (!names.some((n) => site.mentions?.includes(n) === true)) continue;
    if (found === undefined || folderOf(v.path).length > folderOf(found.path).length) found = v;
  }
  return found;
}

/**
 * `cython …` command lines in a Makefile, tox.ini or CMake file. Worked example:
 * `\tcython -3 -X boundscheck=False src/fast.pyx` → a site that sets directives, compiles
 * `src/fast.pyx`, and whose fix appends ` -X freethreading_compatible=True` after `cython`.
 */
export function commandSites(path: string, text: string, cmake: boolean): CythonSite[] {
  const sites: CythonSite[] = [];
  let offset = 0;
  for (const line of text.split('\n')) {
    const start = offset;
    offset += line.length + 1;
    if (line.length > 4000 || /^\s*#/.test(line)) continue;
    // The command word: `cython`, `cythonize`, `python -m cython`, `${CYTHON_EXECUTABLE}`, `Cython::Cython`.
    // In a Makefile the command may be a variable (`$(CYTHON)`, `${CYTHON}`, as Automake rules write it).
    const command = cmake ? /(?:\bCOMMAND\s+)(?:\S*cython\S*|\$\{CYTHON\w*\})(?=\s|$)/i.exec(line) : /(?:^|[\s;&|(@])(?:python\d?(?:\.\d+)?\s+-m\s+)?(cython(?:ize)?|\$\((?:CYTHON|CYTHONIZE)\)|\$\{(?:CYTHON|CYTHONIZE)\})(?=\s|$)/.exec(line);
    const transpile = cmake ? /\bcython_transpile\s*\(/.exec(line) : null;
    const hit = command ?? transpile;
    if (hit === null) continue;
    const setsDirectives = /(?:^|\s)(?:-X\s*\w|--directive\b|CYTHON_ARGS\b)/.test(line);
    // A directive the configure step chooses (`$(CYTHON_FREETHREADING_DIRECTIVE)`,
    // `@CYTHON_FREE_THREADING@`): the build decides it elsewhere, under its own test.
    const declares = truthyDirective.test(line) || /\$[({]\w*FREE_?THREAD\w*[)}]|@\w*FREE_?THREAD\w*@/i.test(line);
    const commandEnd = hit.index + hit[0].length;
    const site: CythonSite = { path, start: start + hit.index + (hit[0].length - hit[0].trimStart().length), end: start + line.length, via: '`cython`', declares, setsDirectives, sources: compiledNames(line) };
    if (!declares && command !== null) site.fix = { start: start + commandEnd, end: start + commandEnd, text: ' -X freethreading_compatible=True' };
    sites.push(site);
  }
  return sites;
}

/** Any build file that sets the directive without a compile site ftbot can see (pyproject, setup.cfg). */
export function declaringFileSite(path: string, text: string): CythonSite[] {
  const m = truthyDirective.exec(text);
  return m === null ? [] : [{ path, start: m.index, end: m.index + m[0].length, via: 'build configuration', declares: true, setsDirectives: true, sources: [] }];
}

/** The folder of a `/`-separated path, with a trailing `/` (empty for the top). */
export function folderOf(path: string): string {
  return path.includes('/') ? path.slice(0, path.lastIndexOf('/') + 1) : '';
}

/**
 * True when `site` compiles the `.pyx` at `pyxPath`: the file sits below the site's folder and
 * matches one of its sources (by relative path, glob, or base name when the source has no folder).
 */
export function siteCovers(site: CythonSite, pyxPath: string): boolean {
  // A variable declares only the sites that use it (`inheritsDirective`), not a folder.
  if (site.variable !== undefined) return false;
  const folder = site.root ?? folderOf(site.path);
  if (!pyxPath.startsWith(folder)) return false;
  if (site.sources.length === 0) return true;
  const relative = pyxPath.slice(folder.length);
  const base = pyxPath.slice(pyxPath.lastIndexOf('/') + 1);
  return site.sources.some((source) => {
    // A Make variable for a folder before a plain name (`${srcdir}/fast.pyx`): that module.
    const inFolderVariable = /^(?:\$[({]\w+[)}]\/)+([\w.-]+)$/.exec(source);
    if (inFolderVariable !== null) return inFolderVariable[1] === base;
    if (source.includes('$') || source.includes('{')) return true;
    const clean = source.replace(/^\.\//, '');
    if (!clean.includes('*') && !clean.includes('?')) return clean === relative || relative.endsWith(`/${clean}`) || (!clean.includes('/') && clean === base);
    const glob = clean.replace(/\*\*\/?/g, '*');
    return matchGlob(glob, relative) || matchGlob(glob, base);
  });
}

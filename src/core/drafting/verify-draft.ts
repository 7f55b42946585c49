/**
 * Checks a drafted edit before anyone sees it as a suggestion.
 */
import type { Node } from 'web-tree-sitter';
import type { Finding } from '../diagnostics.js';
import type { Rule } from '../engine/define-rule.js';
import { scanFiles, type Grammars } from '../engine/scan-files.js';
import { callArguments, enclosingFunction, innermostIdentifier, unwrapExpression } from '../parsing/syntax.js';
import { isErrorTest, isReturnLike, releasesVariable, runsOnlyWhenNull } from './c-ownership.js';
import { lineStarts } from '../parsing/syntax.js';
import { applyLineEdit } from './line-edit.js';
import { blankConditionals, countSyntaxErrors, parseSource } from './parse-source.js';
import type { LineEdit } from './types.js';

export type Verification = {
  ok: boolean;
  /** One line per failed check, e.g. "the patched code has 2 more syntax errors than before". */
  problems: string[];
  /** The file with the edit applied (when the range was valid). */
  patchedText?: string;
};

/** What a verification needs besides grammars and rules, which a verifier on another thread loads itself (rules by id). */
export type VerifyRequest = {
  fileText: string;
  edit: LineEdit;
  finding: Finding;
  ruleIds: readonly string[];
  contextFiles?: ReadonlyArray<{ path: string; text: string }>;
};

/**
 * Runs `verifyDraft` somewhere else (the app: a worker thread with a time budget, so parsing and
 * scanning a large file never blocks the event loop). A verifier that gives up answers `ok: false`.
 */
export type DraftVerifier = (request: VerifyRequest) => Promise<Verification>;

/** `*Ref` APIs: the strong reference they hand out, and whether they signal errors with `-1`. */
const STRONG_APIS: Record<string, { outParam: boolean }> = {
  PyDict_GetItemRef: { outParam: true },
  PyDict_GetItemStringRef: { outParam: true },
  PyDict_SetDefaultRef: { outParam: true },
  PyWeakref_GetRef: { outParam: true },
  PyList_GetItemRef: { outParam: false },
  PyImport_AddModuleRef: { outParam: false },
};

/**
 * Verifies `edit` against `finding` in `fileText`:
 * 1. the range lies in the file and the edit is for the finding's file;
 * 2. the patched file parses with no more tree-sitter ERROR/missing nodes than the original;
 * 3. scanning the patched file with `rules` clears the finding and adds no finding that was not
 *    there before (compared by rule, message and line, lines below the edit shifted);
 * 5. the edit is only the migration (`checkMigrationOnly`): it stays inside the function holding
 *    the finding (the finding's own lines outside a function), adds no preprocessor line, and every
 *    call in its lines was there before or is on the rule's allow-list (`allowedCalls`). A model
 *    that obeys text in the file cannot get `system(…)` shown as a verified suggestion;
 * 4. for each new call of a `*Ref` API in the edited lines: its `-1` result is tested, and every
 *    `return` after it in the function either releases the variable first (`Py_DECREF`,
 *    `Py_XDECREF`, `Py_CLEAR`, or a call that steals it), returns the variable itself, or runs only
 *    when the variable is NULL.
 *
 * @param params.rules
 *   The rules to re-run, normally the same selection that produced the finding.
 */
export function verifyDraft(params: {
  fileText: string;
  edit: LineEdit;
  finding: Finding;
  grammars: Grammars;
  rules: readonly Rule[];
  /** Other files of the project the scan needs for facts (a `pyproject.toml`, `Cargo.toml`). */
  contextFiles?: ReadonlyArray<{ path: string; text: string }>;
}): Verification {
  const { fileText, edit, finding, grammars, rules, contextFiles = [] } = params;
  if (edit.path !== finding.path) return { ok: false, problems: [`the edit is for \`${edit.path}\`, the finding for \`${finding.path}\``] };
  const patched = applyLineEdit(fileText, edit);
  if (patched === undefined) return { ok: false, problems: [`lines ${edit.startLine}–${edit.endLine} are outside the file`] };
  if (patched === fileText) return { ok: false, problems: ['the edit changes nothing'], patchedText: patched };
  const problems: string[] = [];
  const migration: string[] = [];

  // 2. Syntax.
  const before = parseSource({ path: finding.path, text: blankConditionals(fileText), grammars });
  const after = parseSource({ path: finding.path, text: blankConditionals(patched), grammars });
  // The ownership check reads the real text; blanking keeps offsets, so the tree fits both.
  try {
    if (before === undefined || after === undefined) {
      problems.push('no grammar to parse the file with');
    } else {
      const added = countSyntaxErrors(after.rootNode) - countSyntaxErrors(before.rootNode);
      if (added > 0) problems.push(`the patched code has ${added} more syntax error${added === 1 ? '' : 's'} than before`);
      // 5. Only the migration (reported after check 3, which names any finding the edit adds).
      if (problems.length === 0) migration.push(...checkMigrationOnly({ before: before.rootNode, after: after.rootNode, fileText, patched, edit, finding }));
      // 4. Ownership (C and C++ only).
      if (problems.length === 0 && /\.(c|h|cc|cpp|cxx|hpp|hh|hxx|inl)$/i.test(finding.path)) problems.push(...checkOwnership(after.rootNode, patched, edit));
    }
  } finally {
    before?.delete();
    after?.delete();
  }

  // 3. Findings.
  if (problems.length === 0) problems.push(...compareFindings({ fileText, patched, edit, finding, grammars, rules, contextFiles }));
  problems.push(...migration);
  return { ok: problems.length === 0, problems, patchedText: patched };
}

function compareFindings(params: {
  fileText: string;
  patched: string;
  edit: LineEdit;
  finding: Finding;
  grammars: Grammars;
  rules: readonly Rule[];
  contextFiles: ReadonlyArray<{ path: string; text: string }>;
}): string[] {
  const { fileText, patched, edit, finding, grammars, rules, contextFiles } = params;
  const scan = (text: string): Finding[] =>
    scanFiles({
      files: [...contextFiles, { path: finding.path, text }],
      grammars,
      rules,
      config: { maxFileSize: Math.max(1_000_000, text.length + 1), minSeverity: 'info' },
    }).findings.filter((f) => f.path === finding.path);
  const oldFindings = scan(fileText);
  const newFindings = scan(patched);
  const newLineCount = edit.replacement.split('\n').length;
  const delta = newLineCount - (edit.endLine - edit.startLine + 1);
  const newEnd = edit.startLine + newLineCount - 1;
  // Old findings keyed where they would sit in the patched file; findings in the edited lines
  // are keyed by rule and message only (their lines move inside the rewrite).
  const keyOf = (f: Finding, line: number | 'region'): string => `${f.ruleId}|${f.message}|${line}`;
  const pool = new Map<string, number>();
  const add = (key: string): void => {
    pool.set(key, (pool.get(key) ?? 0) + 1);
  };
  for (const f of oldFindings) {
    if (f.ruleId === finding.ruleId && f.line === finding.line && f.column === finding.column) continue;
    if (f.line < edit.startLine) add(keyOf(f, f.line));
    else if (f.line > edit.endLine) add(keyOf(f, f.line + delta));
    else add(keyOf(f, 'region'));
  }
  const problems: string[] = [];
  for (const f of newFindings) {
    const inRegion = f.line >= edit.startLine && f.line <= newEnd;
    if (inRegion && f.ruleId === finding.ruleId && f.message === finding.message) {
      problems.push(`the patched code still has ${finding.ruleId}: ${f.message}`);
      continue;
    }
    const key = keyOf(f, inRegion ? 'region' : f.line);
    const left = pool.get(key) ?? 0;
    if (left > 0) pool.set(key, left - 1);
    else problems.push(`the patched code adds ${f.ruleId} at line ${f.line}: ${f.message}`);
  }
  return problems;
}

/** Reference counting, critical sections and error tests: what any migration may add. */
const MIGRATION_CALLS = new Set([
  ...Object.keys(STRONG_APIS),
  'Py_INCREF', 'Py_XINCREF', 'Py_DECREF', 'Py_XDECREF', 'Py_CLEAR', 'Py_NewRef', 'Py_XNewRef', 'Py_SETREF', 'Py_XSETREF',
  'Py_BEGIN_CRITICAL_SECTION', 'Py_END_CRITICAL_SECTION', 'Py_BEGIN_CRITICAL_SECTION2', 'Py_END_CRITICAL_SECTION2',
  'PyMutex_Lock', 'PyMutex_Unlock', 'PyErr_Occurred', 'PyUnstable_Module_SetGIL',
]);

/**
 * The calls a draft for `finding` may add: the migration set plus every identifier the rule names
 * in its help line (its replacement, e.g. `strtok_r` for FT016, `PyDict_GetItemRef` for FT001).
 */
export function allowedCalls(finding: Pick<Finding, 'help'>): Set<string> {
  const allowed = new Set(MIGRATION_CALLS);
  for (const match of (finding.help ?? '').matchAll(/`([A-Za-z_][A-Za-z0-9_]{0,80})`/g)) if (match[1] !== undefined) allowed.add(match[1]);
  return allowed;
}

const CALL_TYPES = ['call_expression', 'call', 'macro_invocation'];

/** Names of the calls lying in [from, to) of a tree (`os.system` for attribute calls). */
function callsIn(root: Node, from: number, to: number): string[] {
  const names: string[] = [];
  for (const call of root.descendantsOfType(CALL_TYPES)) {
    if (call === null || call.startIndex < from || call.endIndex > to) continue;
    const callee = call.childForFieldName('function') ?? call.childForFieldName('macro');
    names.push((callee?.text ?? call.text.slice(0, 40)).replace(/\s+/g, ''));
  }
  return names;
}

/** Check 5: the edit stays in the finding's function and adds only allowed calls and no preprocessor lines. */
function checkMigrationOnly(params: { before: Node; after: Node; fileText: string; patched: string; edit: LineEdit; finding: Finding }): string[] {
  const { before, after, fileText, patched, edit, finding } = params;
  const problems: string[] = [];
  const oldStarts = lineStarts(fileText);
  const node = before.descendantForPosition({ row: finding.line - 1, column: Math.max(0, finding.column - 1) });
  const fn = node === null ? undefined : enclosingFunction(node);
  const region = fn === undefined ? { start: finding.line, end: finding.endLine } : { start: fn.startPosition.row + 1, end: fn.endPosition.row + 1 };
  if (edit.startLine < region.start || edit.endLine > region.end) {
    problems.push(`the edit changes lines ${edit.startLine}–${edit.endLine}, outside ${fn === undefined ? 'the flagged lines' : 'the function holding the finding'} (${region.start}–${region.end})`);
  }
  const oldFrom = oldStarts[edit.startLine - 1] ?? 0;
  const oldTo = oldStarts[edit.endLine] ?? fileText.length;
  const oldLines = fileText.slice(oldFrom, oldTo);
  const kept = new Set(callsIn(before, oldFrom, oldTo));
  const allowed = allowedCalls(finding);
  const newStarts = lineStarts(patched);
  const newFrom = newStarts[edit.startLine - 1] ?? 0;
  const newTo = newStarts[edit.startLine - 1 + edit.replacement.split('\n').length] ?? patched.length;
  const added = [...new Set(callsIn(after, newFrom, newTo))].filter((name) => !kept.has(name) && !allowed.has(name));
  if (added.length > 0) problems.push(`the edit adds calls that are not part of the migration: ${added.slice(0, 5).map((n) => `\`${n.slice(0, 60)}\``).join(', ')}`);
  const oldDirectives = new Set(oldLines.split('\n').map((l) => l.trim()).filter((l) => l.startsWith('#')));
  // Conditionals (`#ifdef Py_GIL_DISABLED`) are part of migrations; `#define`/`#include` could hide anything.
  const directives = edit.replacement
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.startsWith('#') && !oldDirectives.has(l) && !/^#\s*(if|ifdef|ifndef|elif|else|endif)\b/.test(l));
  if (directives.length > 0 && /\.(c|h|cc|cpp|cxx|hpp|hh|hxx|inl)$/i.test(finding.path)) problems.push('the edit adds preprocessor lines');
  return problems;
}

/** Check 4: strong references created in the edited lines are released on every `return` after them. */
function checkOwnership(root: Node, text: string, edit: LineEdit): string[] {
  const starts = lineStarts(text);
  const from = starts[edit.startLine - 1] ?? 0;
  const endLine = edit.startLine + edit.replacement.split('\n').length - 1;
  const to = starts[endLine] ?? text.length;
  const problems: string[] = [];
  for (const call of root.descendantsOfType('call_expression')) {
    if (call === null || call.startIndex < from || call.endIndex > to) continue;
    const api = call.childForFieldName('function')?.text ?? '';
    const info = STRONG_APIS[api];
    if (info === undefined) continue;
    const fn = enclosingFunction(call);
    const body = fn?.childForFieldName('body');
    if (fn === undefined || body === null || body === undefined) continue;
    const held = strongTarget(call, info.outParam);
    if (held?.kind === 'returned') continue;
    if (held === undefined) {
      problems.push(`the strong reference from \`${api}\` is not stored in a variable, so it cannot be released`);
      continue;
    }
    const target = held.name;
    const resultNames = new Set<string>();
    if (info.outParam) {
      const holder = resultHolder(call);
      if (holder === undefined) {
        problems.push(`the \`-1\` error result of \`${api}\` is not handled`);
        continue;
      }
      if (holder !== '') resultNames.add(holder);
    }
    for (const exit of body.descendantsOfType(['return_statement', 'expression_statement'])) {
      if (exit === null || exit.startIndex < call.endIndex || !isReturnLike(exit)) continue;
      if (runsOnlyWhenNull({ exit, name: target, stop: body, resultNames, call })) continue;
      const value = exit.type === 'return_statement' ? exit.namedChildren.find((n) => n !== null && n.type !== 'comment') : undefined;
      if (value !== undefined && value !== null && unwrapExpression(value).text === target) continue;
      if (releasedBefore(exit, target, call, body)) continue;
      const line = exit.startPosition.row + 1;
      problems.push(`\`${exit.text.replace(/\s+/g, ' ').slice(0, 40)}\` at line ${line} does not release \`${target}\` from \`${api}\``);
    }
  }
  return problems;
}

/**
 * Where a new reference goes: a variable (a C variable may well be named `returned`, so the
 * returned case is its own kind, not a name).
 */
type StrongTarget = { kind: 'variable'; name: string } | { kind: 'returned' };

/** The variable holding the new reference: the `&v` out-parameter or the assigned name; `returned` for `return f(…)`. */
function strongTarget(call: Node, outParam: boolean): StrongTarget | undefined {
  const variable = (name: string | undefined): StrongTarget | undefined => (name === undefined ? undefined : { kind: 'variable', name });
  if (outParam) {
    const last = callArguments(call).at(-1);
    if (last === undefined) return undefined;
    const arg = unwrapExpression(last);
    if (arg.type !== 'pointer_expression' || arg.childForFieldName('operator')?.text !== '&') return undefined;
    return variable(arg.childForFieldName('argument')?.text);
  }
  let outer: Node = call;
  while (outer.parent !== null && (outer.parent.type === 'parenthesized_expression' || outer.parent.type === 'cast_expression')) outer = outer.parent;
  const parent = outer.parent;
  if (parent?.type === 'return_statement') return { kind: 'returned' };
  if (parent?.type === 'init_declarator') return variable(innermostIdentifier(parent.childForFieldName('declarator')));
  if (parent?.type === 'assignment_expression' && parent.childForFieldName('left')?.type === 'identifier') return variable(parent.childForFieldName('left')?.text);
  return undefined;
}

/**
 * How the `-1`/`0`/`1` result is tested: '' when the call itself is compared (`if (f(…) < 0)`),
 * the variable's name when it is stored and compared later, undefined when it is not tested.
 */
function resultHolder(call: Node): string | undefined {
  let outer: Node = call;
  while (outer.parent !== null && (outer.parent.type === 'parenthesized_expression' || outer.parent.type === 'cast_expression')) outer = outer.parent;
  const parent = outer.parent;
  if (parent?.type === 'binary_expression' && isErrorTest(parent, new Set(), call)) return '';
  let name: string | undefined;
  if (parent?.type === 'init_declarator') name = innermostIdentifier(parent.childForFieldName('declarator'));
  else if (parent?.type === 'assignment_expression') name = parent.childForFieldName('left')?.text;
  if (name === undefined) return undefined;
  const fn = enclosingFunction(call);
  const tested = fn?.descendantsOfType('binary_expression').some((b) => b !== null && b.startIndex > call.endIndex && isErrorTest(b, new Set([name]), undefined));
  return tested === true ? name : undefined;
}

/** True when a statement between `call` and `exit` on the path to `exit` releases `name`. */
function releasedBefore(exit: Node, name: string, call: Node, body: Node): boolean {
  let current: Node = exit;
  for (let parent = exit.parent; parent !== null; parent = parent.parent) {
    if (parent.type === 'compound_statement') {
      for (let s = current.previousNamedSibling; s !== null; s = s.previousNamedSibling) {
        if (s.endIndex <= call.endIndex) break;
        if (releasesVariable(s, name)) return true;
      }
    }
    if (parent.id === body.id) break;
    current = parent;
  }
  return false;
}

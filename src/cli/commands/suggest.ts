import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import type { Finding } from '../../core/diagnostics.js';
import { draftSuggestions, type Suggestion } from '../../core/drafting/index.js';
import { scanFiles } from '../../core/engine/scan-files.js';
import { selectRules } from '../../core/engine/select-rules.js';
import { classifyPath } from '../../core/languages.js';
import type { Logger } from '../../core/ports.js';
import { rules as allRules } from '../../core/rules/index.js';
import { createDrafters } from '../../io/create-drafters.js';
import { loadGrammars } from '../../io/load-grammars.js';
import { loadKnowledge } from '../../io/load-knowledge.js';
import { createOpenAiClient, readLlmSettings } from '../../io/openai-client.js';
import { EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, UsageError, type CliIo, type Command } from '../io.js';

const usage = `Usage: ftbot suggest <path>:<line> [--format text|json] [--verbose]

Drafts a change for each finding on one line of a source file: every rule runs (as with
--select ALL), and each finding on the line gets an explanation with citations and, where a
verified rewrite exists, whole-line edit. Edits are verified before they are shown: the patched
file parses, the finding is gone, no new finding appears, and new strong references are released
on every path. An edit that fails verification is not shown.

With OPENAI_API_KEY (or FTBOT_LLM_API_KEY) set, a model drafts first (OPENAI_BASE_URL selects
any OpenAI-compatible server; FTBOT_LLM_MODEL, FTBOT_LLM_TIMEOUT_MS (default 30000) and
FTBOT_LLM_MAX_RETRIES (default 0) tune it); without a key, or when the model fails, ftbot's
templates and knowledge base draft instead.

Options:
  --format <format>  text (default) or json
  --verbose          Log fallbacks and rejected drafts on stderr
  -h, --help         Show this help

JSON output:
  {"findings": [{"ruleId", "path", "line", "message", "drafter": "llm"|"deterministic",
    "verified": boolean, "edit"?: {"path", "startLine", "endLine", "replacement"},
    "explanation", "citations": [{"page", "anchor", "title", "excerpt", "url"}]}]}
  Edit lines are 1-based and inclusive; "replacement" replaces those whole lines.

Exit codes (as in every command):
  0  the line has no finding
  1  findings on the line were reported (and drafted)
  2  usage error, unreadable file, or internal error
`;

function parseTarget(value: string | undefined): { file: string; line: number } {
  const match = value === undefined ? null : /^(.+):(\d+)$/.exec(value);
  if (match === null) throw new UsageError(`expected <path>:<line>, got '${value ?? ''}'`);
  const line = Number(match[2]);
  if (line < 1) throw new UsageError('line numbers start at 1');
  return { file: match[1] ?? '', line };
}

/** The nearest `pyproject.toml` and `Cargo.toml` from the file's folder up to the working directory. */
function contextFiles(cwd: string, absolute: string): Array<{ path: string; text: string }> {
  const found = new Map<string, { path: string; text: string }>();
  for (let dir = dirname(absolute); ; dir = dirname(dir)) {
    for (const name of ['pyproject.toml', 'Cargo.toml']) {
      const candidate = join(dir, name);
      if (!found.has(name) && existsSync(candidate)) found.set(name, { path: toPosix(relative(cwd, candidate)), text: readFileSync(candidate, 'utf8') });
    }
    const parent = dirname(dir);
    if (dir === cwd || parent === dir || !`${dir}${sep}`.startsWith(`${cwd}${sep}`)) break;
  }
  return [...found.values()];
}

function toPosix(path: string): string {
  return path.split(sep).join('/');
}

function stderrLogger(io: CliIo, verbose: boolean): Logger {
  const write = (level: string) => (fields: Record<string, unknown>, message: string) => {
    if (verbose || level === 'error') io.stderr(`ftbot: ${level}: ${message} ${JSON.stringify(fields)}\n`);
  };
  return { debug: () => {}, info: write('info'), warn: write('warn'), error: write('error') };
}

/** The JSON contract: exactly these keys, in this order. */
function toJson(suggestions: readonly Suggestion[]): string {
  const findings = suggestions.map((s) => ({
    ruleId: s.finding.ruleId,
    path: s.finding.path,
    line: s.finding.line,
    message: s.finding.message,
    drafter: s.drafter,
    verified: s.verified,
    ...(s.edit === undefined ? {} : { edit: { path: s.edit.path, startLine: s.edit.startLine, endLine: s.edit.endLine, replacement: s.edit.replacement } }),
    explanation: s.explanation,
    citations: s.citations.map(({ page, anchor, title, excerpt, url }) => ({ page, anchor, title, excerpt, url })),
  }));
  return `${JSON.stringify({ findings }, null, 2)}\n`;
}

function toText(suggestions: readonly Suggestion[]): string {
  const out: string[] = [];
  for (const s of suggestions) {
    const f = s.finding;
    out.push(`${f.path}:${f.line}:${f.column}: ${f.ruleId} ${f.message}`);
    out.push(`  drafted by: ${s.drafter}; ${s.edit !== undefined ? 'verified edit' : s.problems.length > 0 ? `no edit (failed verification: ${s.problems[0] ?? ''})` : 'explanation only'}`);
    out.push('', ...s.explanation.split('\n').map((l) => (l === '' ? '' : `  ${l}`)), '');
    if (s.edit !== undefined) {
      out.push(`  Replace lines ${s.edit.startLine}-${s.edit.endLine} with:`, '');
      out.push(...s.edit.replacement.split('\n').map((l) => `    ${l}`), '');
    }
    if (s.citations.length > 0) {
      out.push('  Sources:');
      for (const [i, c] of s.citations.entries()) {
        out.push(`    ${i + 1}. ${c.heading === c.title ? c.title : `${c.title} › ${c.heading}`}`, `       ${c.page}${c.anchor === '' ? '' : `#${c.anchor}`}`);
        if (c.url !== '') out.push(`       ${c.url}`);
      }
      out.push('');
    }
  }
  return `${out.join('\n')}\n`;
}

export const command: Command = {
  name: 'suggest',
  summary: 'Draft and verify a change for the findings on one line of a file',
  usage,
  async run(args, io) {
    const parsed = parseArgs({ args, allowPositionals: true, options: { format: { type: 'string', default: 'text' }, verbose: { type: 'boolean' } } });
    const format = parsed.values.format;
    if (format !== 'text' && format !== 'json') throw new UsageError(`unknown format '${format}' (expected text or json)`);
    if (parsed.positionals.length !== 1) throw new UsageError('give exactly one <path>:<line>');
    const { file, line } = parseTarget(parsed.positionals[0]);
    const logger = stderrLogger(io, parsed.values.verbose === true);

    // 1. Read the file and the build files that say which Python versions are supported.
    const absolute = resolve(io.cwd, file);
    if (!existsSync(absolute) || !statSync(absolute).isFile()) {
      io.stderr(`ftbot suggest: no such file: ${file}\n`);
      return EXIT_ERROR;
    }
    const path = toPosix(relative(io.cwd, absolute));
    const kind = classifyPath(path);
    if (kind?.type !== 'source') {
      io.stderr(`ftbot suggest: ${path} is not a C, C++, Cython or Rust source file\n`);
      return EXIT_ERROR;
    }
    const fileText = readFileSync(absolute, 'utf8');
    const context = contextFiles(io.cwd, absolute);

    // 2. Scan with every rule and keep the findings on the line.
    const grammars = await loadGrammars([kind.language]);
    const rules = selectRules(allRules, { select: ['ALL'], ignore: [], preview: true });
    const scan = scanFiles({ files: [...context, { path, text: fileText }], grammars, rules, config: { maxFileSize: 10_000_000, minSeverity: 'info' } });
    const onLine = (f: Finding): boolean => f.path === path && f.line <= line && line <= Math.max(f.line, f.endLine);
    const findings = scan.findings.filter(onLine);
    if (findings.length === 0) {
      if (format === 'json') io.stdout(toJson([]));
      else io.stdout(`${path}:${line}: no finding on this line\n`);
      // Nothing to report is success, as for `scan`: 1 means findings were reported.
      return EXIT_OK;
    }

    // 3. Draft: the model when a key is set, templates otherwise (and as the fallback).
    const knowledge = await loadKnowledge();
    const settings = readLlmSettings(io.env);
    const { drafter, fallback } = createDrafters({ grammars, llm: settings === undefined ? undefined : { client: createOpenAiClient(settings, { fetch: io.fetch }) }, logger });
    const project = {
      ...(scan.project.requiresPython === undefined ? {} : { requiresPython: scan.project.requiresPython }),
      ...(scan.project.minPython === undefined ? {} : { minPython: scan.project.minPython }),
    };
    const result = await draftSuggestions({ findings, fileText, path, knowledge, drafter, fallback, project, grammars, rules, contextFiles: context, logger });
    for (const notice of result.notices) io.stderr(`ftbot suggest: ${notice}\n`);
    io.stdout(format === 'json' ? toJson(result.suggestions) : toText(result.suggestions));
    return EXIT_FINDINGS;
  },
};

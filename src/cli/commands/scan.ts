import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { ResolvedConfig } from '../../core/config/defaults.js';
import type { Finding } from '../../core/diagnostics.js';
import type { Rule } from '../../core/engine/define-rule.js';
import { unknownSelectors } from '../../core/engine/select-rules.js';
import { applyFixes } from '../../core/fixes/apply-fixes.js';
import { jsonFindingsText, jsonReportFrame, renderJsonFindings } from '../../core/report/to-json.js';
import { renderDiagnosticsText, renderStatistics, renderText, terminalSafe } from '../../core/report/to-text.js';
import { ruleTable } from '../../core/rules/rule-table.js';
import { VERSION } from '../../core/version.js';
import { formatConfigProblem } from '../../io/load-project-config.js';
import { packagePath } from '../../io/package-path.js';
import { resolveCacheDir } from '../../io/scan-cache.js';
import { scanDirectory, type DirectoryScan } from '../../io/scan-directory.js';
import { EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, UsageError, type CliIo, type Command } from '../io.js';

const formats = ['text', 'json', 'sarif', 'github', 'rdjson'] as const;
type Format = (typeof formats)[number];

/**
 * Where SARIF and rdjson link rule pages: the app server's `/docs/rules/` when `FTBOT_PUBLIC_URL`
 * is set, or `FTBOT_DOCS_URL` (a folder of the rule pages). Without either there is no published
 * site, so reports carry the rules' help text and no links (never a placeholder host).
 */
function docsSite(env: NodeJS.ProcessEnv): { docsBaseUrl?: string; informationUri?: string } {
  const site = env.FTBOT_PUBLIC_URL?.trim().replace(/\/+$/, '');
  const docs = env.FTBOT_DOCS_URL?.trim().replace(/\/+$/, '') || (site ? `${site}/docs/rules` : undefined);
  return { ...(docs ? { docsBaseUrl: docs } : {}), ...(site ? { informationUri: site } : {}) };
}

const usage = `Usage: ftbot scan [paths…] [options]

Scans C/C++, Cython and Rust (PyO3) sources and build files for code that is unsafe or
undeclared on free-threaded CPython. Paths default to the current directory. Each file uses the
nearest configuration above it (.ftbot.toml, pyproject.toml [tool.ftbot], .github/ftbot.yml).

Options:
  --output-format <format>    text (default), json, sarif, github (workflow annotations) or rdjson
                              (reviewdog); --format is an alias
  -o, --output <file>         Write the report to a file instead of stdout
  --select <ids>              Rule ids or prefixes to enable, comma-separated (ALL: every rule, preview included)
  --extend-select <ids>       Rule ids or prefixes to enable on top of the configured ones
  --ignore <ids>              Rule ids or prefixes to disable, comma-separated
  --preview                   Also run preview rules matched by --select
  --min-confidence <level>    Report only findings of this confidence or higher: low (default), medium, high
  --config <file>             Use this TOML file for every path instead of discovering configuration
  --fix                       Apply safe fixes, then report what is left
  --unsafe-fixes              With --fix or --diff, also apply unsafe fixes (they change behaviour)
  --diff                      Print the fixes as a unified diff and write nothing
  --statistics                Print a count per rule instead of the findings
  --show-help                 In text output, print each finding's fix title and related places under it
  --no-code-frame             In text output on a terminal, leave out the source lines
  -q, --quiet                 Print only the findings: no summary and no diagnostics
  --exit-zero                 Exit 0 even when there are findings
  --verbose                   Print skipped files and other diagnostics on stderr
  --no-cache                  Scan every file again: neither read nor write the scan cache
  --cache-dir <dir>           Keep the scan cache in <dir> (default: $FTBOT_CACHE_DIR, else
                              .ftbot_cache in the scanned directory)

Exit codes: 0 no findings (or, with --fix, none left; with --diff, nothing to change),
1 findings (or, with --diff, changes to make), 2 usage, configuration or internal error.
`;

function splitIds(values: string[] | undefined): string[] {
  return (values ?? []).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
}

/** Applies command-line rule options over one file configuration; unknown ids are usage errors. */
export function applyRuleOptions(
  config: ResolvedConfig,
  values: { select?: string[]; ignore?: string[]; 'extend-select'?: string[]; preview?: boolean },
): ResolvedConfig {
  const select = splitIds(values.select);
  const ignore = splitIds(values.ignore);
  const extend = splitIds(values['extend-select']);
  const unknown = unknownSelectors([...select, ...ignore, ...extend], ruleTable);
  if (unknown.length > 0) throw new UsageError(unknown.map((u) => u.message).join('\n'));
  const upper = (ids: string[]): string[] => ids.map((id) => id.toUpperCase());
  return {
    ...config,
    select: select.length > 0 ? upper(select) : config.select,
    extendSelect: select.length > 0 ? upper(extend) : [...config.extendSelect, ...upper(extend)],
    ignore: [...config.ignore, ...upper(ignore)],
    preview: values.preview === true || config.preview,
  };
}

function isConfidence(value: string): value is 'low' | 'medium' | 'high' {
  return value === 'low' || value === 'medium' || value === 'high';
}

export const command: Command = {
  name: 'scan',
  summary: 'Scan sources and build files for free-threading hazards; --fix applies fixes',
  usage,
  async run(args: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      allowNegative: true,
      options: {
        'output-format': { type: 'string' },
        format: { type: 'string' },
        output: { type: 'string', short: 'o' },
        select: { type: 'string', multiple: true },
        'extend-select': { type: 'string', multiple: true },
        ignore: { type: 'string', multiple: true },
        preview: { type: 'boolean' },
        'min-confidence': { type: 'string' },
        config: { type: 'string' },
        fix: { type: 'boolean' },
        'unsafe-fixes': { type: 'boolean' },
        diff: { type: 'boolean' },
        statistics: { type: 'boolean' },
        'show-help': { type: 'boolean' },
        'code-frame': { type: 'boolean' },
        quiet: { type: 'boolean', short: 'q' },
        'exit-zero': { type: 'boolean' },
        verbose: { type: 'boolean' },
        cache: { type: 'boolean' },
        'cache-dir': { type: 'string' },
      },
    });
    const format = (values['output-format'] ?? values.format ?? 'text') as Format;
    if (!formats.includes(format)) throw new UsageError(`unknown output format '${format}' (expected ${formats.join(', ')})`);
    if (values['output-format'] !== undefined && values.format !== undefined && values.format !== values['output-format']) {
      throw new UsageError('--format is an alias of --output-format: give one of them');
    }
    if (values.fix && values.diff) throw new UsageError('--fix writes files and --diff writes nothing: give one of them');
    const minConfidence = values['min-confidence'];
    if (minConfidence !== undefined && !isConfidence(minConfidence)) {
      throw new UsageError(`unknown confidence '${minConfidence}' (expected low, medium or high)`);
    }
    // Validate the command-line ids once, before any file is read.
    applyRuleOptions(structuredClone((await import('../../core/config/defaults.js')).defaultConfig), values);
    const override = (config: ResolvedConfig): ResolvedConfig => ({ ...applyRuleOptions(config, values), ...(minConfidence === undefined ? {} : { minConfidence }) });
    const paths = positionals.length > 0 ? positionals : ['.'];
    const unsafe = values['unsafe-fixes'] === true;

    let lastProgress = 0;
    // Whether stderr is a terminal is asked only when there is progress to show (a replayed scan has none).
    const onProgress = !values.quiet
      ? (done: number, total: number) => {
          if (!io.stderrIsTTY) return;
          const now = Date.now();
          if (total >= 200 && (now - lastProgress > 100 || done === total)) {
            lastProgress = now;
            io.stderr(`\rftbot: scanned ${done}/${total} files${done === total ? '\n' : ''}`);
          }
        }
      : undefined;
    if (values.cache === false && values['cache-dir'] !== undefined) throw new UsageError('--no-cache and --cache-dir contradict each other: give one of them');
    const cacheDir = resolveCacheDir({ cwd: io.cwd, paths, noCache: values.cache === false, ...(values['cache-dir'] === undefined ? {} : { cacheDir: values['cache-dir'] }), env: io.env });
    const runScan = (): Promise<DirectoryScan> =>
      scanDirectory({
        cwd: io.cwd,
        paths,
        override,
        ...(values.config === undefined ? {} : { configPath: values.config }),
        ...(onProgress === undefined ? {} : { onProgress }),
        ...(cacheDir === undefined ? {} : { cacheDir }),
        // A JSON report prints the findings the cache keeps rendered, when it has them; --fix and --diff read the findings.
        printsRenderedFindings: format === 'json' && values.fix !== true && values.diff !== true,
      });
    let scan = await runScan();
    if (scan.cacheWarning !== undefined && !values.quiet) io.stderr(`ftbot: warning: ${terminalSafe(scan.cacheWarning)}\n`);
    if (scan.missing.length > 0) {
      io.stderr(`ftbot: no such file or directory: ${scan.missing.map(terminalSafe).join(', ')}\n`);
      return EXIT_ERROR;
    }
    if (scan.problems.length > 0) {
      for (const p of scan.problems) io.stderr(`ftbot: invalid configuration: ${terminalSafe(formatConfigProblem(p))}\n`);
      return EXIT_ERROR;
    }

    // --diff: print what the fixes would change, write nothing.
    if (values.diff) {
      const { diff, fixed } = fixAll(scan, unsafe, (await import('../../core/fixes/unified-diff.js')).unifiedDiff);
      io.stdout(diff);
      if (!values.quiet) io.stderr(fixed === 0 ? 'ftbot: no fixes to apply\n' : `ftbot: would fix ${fixed} finding${fixed === 1 ? '' : 's'}\n`);
      return diff === '' ? EXIT_OK : EXIT_FINDINGS;
    }
    // --fix: apply, re-scan, and repeat while fixes waited for an overlapping one (at most 10 passes).
    let fixedTotal = 0;
    if (values.fix) {
      for (let pass = 0; pass < 10; pass++) {
        const { files, fixed, deferred } = fixAll(scan, unsafe);
        for (const [path, text] of files) writeFileSync(resolve(io.cwd, path), text);
        fixedTotal += fixed;
        if (files.size === 0) break;
        scan = await runScan();
        if (deferred === 0) break;
      }
    }

    // SARIF describes each rule that ran: only it loads the rules' code after a replayed scan.
    const ran = new Set(scan.ruleIds);
    const rules = format === 'sarif' ? (await import('../../core/rules/index.js')).rules.filter((r) => ran.has(r.meta.id)) : [];
    const json = format === 'json' ? jsonReport(scan) : undefined;
    const output = json?.parts ?? [await render(format, scan, { values, unsafe, io, rules })];
    if (values.output !== undefined) writeFileSync(resolve(io.cwd, values.output), output.length === 1 ? (output[0] ?? '') : Buffer.concat(output.map((p) => (typeof p === 'string' ? Buffer.from(p) : p))));
    // In parts: joining them would copy the report once more.
    else for (const part of output) io.stdout(part);
    if (values.fix && !values.quiet) io.stderr(`ftbot: fixed ${fixedTotal} finding${fixedTotal === 1 ? '' : 's'}, ${scan.findingCount} left\n`);
    // Unused suppressions are worth seeing without --verbose, as ruff reports RUF100.
    const shown = values.verbose ? scan.diagnostics : scan.diagnostics.filter((d) => d.kind === 'unused-suppression');
    if (!values.quiet && shown.length > 0) io.stderr(renderDiagnosticsText(shown));
    if (values.verbose) {
      io.stderr(`ftbot: configuration: ${scan.configSources.length === 0 ? 'defaults' : scan.configSources.map(terminalSafe).join(', ')}\n`);
      io.stderr(`ftbot: ${scan.stats.files} files, ${scan.stats.bytes} bytes, ${scan.stats.parsedFiles} parsed, ${scan.stats.cachedFiles ?? 0} from the cache, ${Math.round(scan.ms)} ms\n`);
      for (const problem of [scan.cacheProblem, json?.cacheProblem]) if (problem !== undefined) io.stderr(`ftbot: ${terminalSafe(problem)}\n`);
    }
    if (values['exit-zero']) return EXIT_OK;
    return scan.findingCount > 0 ? EXIT_FINDINGS : EXIT_OK;
  },
};

/**
 * Applies every applicable fix of every file in memory; the new texts by path, and with `differ`
 * (--diff) the diff.
 */
function fixAll(
  scan: DirectoryScan,
  unsafe: boolean,
  differ?: (path: string, before: string, after: string) => string,
): { files: Map<string, string>; diff: string; fixed: number; deferred: number } {
  const byPath = new Map<string, Finding[]>();
  for (const f of scan.findings) if (f.fix !== undefined) byPath.set(f.path, [...(byPath.get(f.path) ?? []), f]);
  const files = new Map<string, string>();
  let diff = '';
  let fixed = 0;
  let deferred = 0;
  for (const [path, findings] of byPath) {
    const before = scan.textOf(path);
    if (before === undefined) continue;
    const result = applyFixes(before, findings, { unsafe });
    fixed += result.applied.length;
    deferred += result.deferred;
    if (result.text === before) continue;
    files.set(path, result.text);
    if (differ !== undefined) diff += differ(terminalSafe(path), before, result.text);
  }
  return { files, diff, fixed, deferred };
}

/**
 * The JSON report, in parts to print one after the other. Its findings are the ones the scan
 * cache kept rendered for this result and these settings, when it has them (a replayed scan then
 * never decodes its findings); else they are rendered here and kept for the next scan.
 */
function jsonReport(scan: DirectoryScan): { parts: Array<string | Buffer>; cacheProblem?: string } {
  const { head, tail } = jsonReportFrame({ version: VERSION, diagnostics: scan.diagnostics, stats: { files: scan.stats.files, bytes: scan.stats.bytes, ms: Math.round(scan.ms) } });
  let findings = scan.renderedFindings?.get();
  let cacheProblem: string | undefined;
  if (findings === undefined) {
    findings = Buffer.from(jsonFindingsText(renderJsonFindings(scan.findings, scan.textOf)));
    cacheProblem = scan.renderedFindings?.set(findings);
  }
  return { parts: [head, findings, `${tail}\n`], ...(cacheProblem === undefined ? {} : { cacheProblem }) };
}

/** The report in any format but JSON; each format's renderer is loaded only when it is asked for. */
async function render(
  format: Format,
  scan: DirectoryScan,
  options: { values: { statistics?: boolean; 'show-help'?: boolean; 'code-frame'?: boolean; quiet?: boolean }; unsafe: boolean; io: CliIo; rules: Rule[] },
): Promise<string> {
  const { values, unsafe, io, rules } = options;
  const { docsBaseUrl, informationUri } = docsSite(io.env);
  if (format === 'sarif') {
    const { renderSarif } = await import('../../core/report/to-sarif.js');
    const log = renderSarif({
      findings: scan.findings,
      rules,
      textOf: scan.textOf,
      ...(docsBaseUrl === undefined ? {} : { docsBaseUrl }),
      ...(informationUri === undefined ? {} : { informationUri }),
      docsOf: ruleDocs,
      diagnostics: scan.diagnostics,
      srcRoot: `${pathToFileURL(io.cwd).href.replace(/\/$/, '')}/`,
    });
    return `${JSON.stringify(log, null, 2)}\n`;
  }
  if (format === 'rdjson') {
    const { renderRdjson } = await import('../../core/report/to-rdjson.js');
    return `${JSON.stringify(renderRdjson({ findings: scan.findings, textOf: scan.textOf, ...(docsBaseUrl === undefined ? {} : { docsBaseUrl }), ...(informationUri === undefined ? {} : { informationUri }) }), null, 2)}\n`;
  }
  if (format === 'github') return (await import('../../core/report/to-github.js')).renderGithub(scan.findings);
  if (values.statistics) return renderStatistics(scan.findings, { unsafeFixes: unsafe });
  // The code frame is for people: on by default only when stdout is a terminal.
  const codeFrame = values['code-frame'] ?? io.stdoutIsTTY === true;
  return renderText(scan.findings, {
    showHelp: values['show-help'] === true,
    unsafeFixes: unsafe,
    quiet: values.quiet === true,
    fixHints: true,
    ...(codeFrame ? { codeFrame: { textOf: scan.textOf } } : {}),
  });
}

function ruleDocs(rule: Rule): string | undefined {
  try {
    return readFileSync(packagePath('docs', 'rules', `${rule.meta.id.toLowerCase()}-${rule.meta.name}.md`), 'utf8');
  } catch {
    return undefined;
  }
}

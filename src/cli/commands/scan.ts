import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { ResolvedConfig } from '../../core/config/schema.js';
import { renderJson } from '../../core/report/to-json.js';
import { renderSarif } from '../../core/report/to-sarif.js';
import { renderDiagnosticsText, renderText } from '../../core/report/to-text.js';
import { loadProjectConfig } from '../../io/load-project-config.js';
import { scanDirectory } from '../../io/scan-directory.js';
import { EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, UsageError, type CliIo, type Command } from '../io.js';

const usage = `Usage: ftbot scan [paths…] [options]

Scans C/C++, Cython and Rust (PyO3) sources and build files for code that is unsafe or
undeclared on free-threaded CPython. Paths default to the current directory.

Options:
  --format <text|json|sarif>  Output format (default: text)
  --output <file>             Write the report to a file instead of stdout
  --select <ids>              Rule ids or prefixes to enable, comma-separated (ALL: every rule, preview included)
  --ignore <ids>              Rule ids or prefixes to disable, comma-separated
  --preview                   Also run preview rules matched by --select
  --min-confidence <level>    Report only findings of this confidence or higher: low (default), medium, high
  --config <file>             Read settings from this TOML file instead of ./pyproject.toml [tool.ftbot]
  --show-help                 In text output, print each finding's fix title under it
  --exit-zero                 Exit 0 even when there are findings
  --verbose                   Print skipped files and other diagnostics on stderr

Exit codes: 0 no findings, 1 findings, 2 usage, configuration or internal error.
`;

function splitIds(values: string[] | undefined): string[] {
  return (values ?? []).flatMap((v) => v.split(',')).map((v) => v.trim().toUpperCase()).filter(Boolean);
}

/** Applies command-line rule options over the file configuration, validating the ids. */
export function applyRuleOptions(config: ResolvedConfig, values: { select?: string[]; ignore?: string[]; preview?: boolean }): ResolvedConfig {
  const select = splitIds(values.select);
  const ignore = splitIds(values.ignore);
  for (const id of [...select, ...ignore]) {
    if (!/^(ALL|FT\d{0,3})$/.test(id)) throw new UsageError(`'${id}' is not a rule id or prefix (expected e.g. FT001, FT0 or ALL)`);
  }
  return {
    ...config,
    select: select.length > 0 ? select : config.select,
    ignore: [...config.ignore, ...ignore],
    preview: values.preview === true || config.preview,
  };
}

function isConfidence(value: string): value is 'low' | 'medium' | 'high' {
  return value === 'low' || value === 'medium' || value === 'high';
}

export const command: Command = {
  name: 'scan',
  summary: 'Scan sources and build files for free-threading hazards',
  usage,
  async run(args: string[], io: CliIo): Promise<number> {
    const parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        format: { type: 'string', default: 'text' },
        output: { type: 'string' },
        select: { type: 'string', multiple: true },
        ignore: { type: 'string', multiple: true },
        preview: { type: 'boolean' },
        'min-confidence': { type: 'string' },
        config: { type: 'string' },
        'show-help': { type: 'boolean' },
        'exit-zero': { type: 'boolean' },
        verbose: { type: 'boolean' },
      },
    });
    const { values, positionals } = parsed;
    const format = values.format;
    if (format !== 'text' && format !== 'json' && format !== 'sarif') throw new UsageError(`unknown format '${format}' (expected text, json or sarif)`);

    const loaded = await loadProjectConfig({ cwd: io.cwd, ...(values.config === undefined ? {} : { configPath: values.config }) });
    if (loaded.problems.length > 0) {
      for (const p of loaded.problems) io.stderr(`ftbot: invalid configuration in ${p.source}: ${p.path}: ${p.message}\n`);
      return EXIT_ERROR;
    }
    const minConfidence = values['min-confidence'];
    if (minConfidence !== undefined && !isConfidence(minConfidence)) {
      throw new UsageError(`unknown confidence '${minConfidence}' (expected low, medium or high)`);
    }
    const config = { ...applyRuleOptions(loaded.config, values), ...(minConfidence === undefined ? {} : { minConfidence }) };
    const paths = positionals.length > 0 ? positionals : ['.'];

    let lastProgress = 0;
    const onProgress = io.stderrIsTTY
      ? (done: number, total: number) => {
          const now = Date.now();
          if (total >= 200 && (now - lastProgress > 100 || done === total)) {
            lastProgress = now;
            io.stderr(`\rftbot: scanned ${done}/${total} files${done === total ? '\n' : ''}`);
          }
        }
      : undefined;
    const scan = await scanDirectory({ cwd: io.cwd, paths, config, ...(onProgress === undefined ? {} : { onProgress }) });
    if (scan.missing.length > 0) {
      io.stderr(`ftbot: no such file or directory: ${scan.missing.join(', ')}\n`);
      return EXIT_ERROR;
    }
    const stats = { files: scan.stats.files, bytes: scan.stats.bytes, ms: Math.round(scan.ms) };
    let output: string;
    if (format === 'json') {
      output = `${JSON.stringify(renderJson({ findings: scan.findings, diagnostics: scan.diagnostics, stats, textOf: scan.textOf }), null, 2)}\n`;
    } else if (format === 'sarif') {
      output = `${JSON.stringify(renderSarif({ findings: scan.findings, rules: scan.rules, textOf: scan.textOf }), null, 2)}\n`;
    } else {
      output = renderText(scan.findings, { showHelp: values['show-help'] === true });
    }
    if (values.output !== undefined) writeFileSync(resolve(io.cwd, values.output), output);
    else io.stdout(output);
    if (values.verbose && scan.diagnostics.length > 0) io.stderr(renderDiagnosticsText(scan.diagnostics));
    if (values.verbose) io.stderr(`ftbot: ${stats.files} files, ${stats.bytes} bytes, ${scan.stats.parsedFiles} parsed, ${stats.ms} ms\n`);
    if (values['exit-zero']) return EXIT_OK;
    return scan.findings.length > 0 ? EXIT_FINDINGS : EXIT_OK;
  },
};

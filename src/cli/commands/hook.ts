import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { renderText, terminalSafe } from '../../core/report/to-text.js';
import { formatConfigProblem } from '../../io/load-project-config.js';
import { resolveCacheDir } from '../../io/scan-cache.js';
import { scanDirectory } from '../../io/scan-directory.js';
import { EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, UsageError, type CliIo, type Command } from '../io.js';
import { applyRuleOptions } from './scan.js';

const usage = `Usage: ftbot hook [files…] [options]

For pre-commit and other hooks that pass the changed files: scans the whole project the files
belong to (so cross-file rules such as FT034's module count see every module) and reports only
the findings in the files passed. With no files it reports nothing and exits 0.

Options:
  --select <ids>     Rule ids or prefixes to enable, comma-separated
  --ignore <ids>     Rule ids or prefixes to disable, comma-separated
  --config <file>    Read settings from this TOML file
  --no-cache         Scan every file again: neither read nor write the scan cache
  --cache-dir <dir>  Keep the scan cache in <dir> (default: $FTBOT_CACHE_DIR, else .ftbot_cache
                     in the project root)

Exit codes: 0 no findings in the files passed, 1 findings, 2 usage, configuration or internal error.
`;

const projectMarkers = ['pyproject.toml', 'setup.py', 'setup.cfg', 'meson.build', 'Cargo.toml', '.git'];

/** The nearest folder at or above `start` that holds a project marker, else `start`. */
export function projectRootOf(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (projectMarkers.some((m) => existsSync(join(dir, m)))) return dir;
    if (dirname(dir) === dir) return start;
  }
}

export const command: Command = {
  name: 'hook',
  summary: 'Scan the project, report only the files passed (for pre-commit)',
  usage,
  async run(args: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        select: { type: 'string', multiple: true },
        ignore: { type: 'string', multiple: true },
        config: { type: 'string' },
        cache: { type: 'boolean' },
        'cache-dir': { type: 'string' },
      },
      allowNegative: true,
    });
    if (positionals.length === 0) return EXIT_OK;
    const root = projectRootOf(io.cwd);
    // Findings carry paths relative to the scan's cwd (the project root), with `/` separators.
    const wanted = new Set(positionals.map((p) => relative(root, isAbsolute(p) ? p : resolve(io.cwd, p)).split(sep).join('/')));
    if (values.cache === false && values['cache-dir'] !== undefined) throw new UsageError('--no-cache and --cache-dir contradict each other: give one of them');
    const cacheDir = resolveCacheDir({
      cwd: root,
      paths: ['.'],
      noCache: values.cache === false,
      ...(values['cache-dir'] === undefined ? {} : { cacheDir: resolve(io.cwd, values['cache-dir']) }),
      env: io.env,
    });
    const scan = await scanDirectory({
      cwd: root,
      paths: ['.'],
      ...(cacheDir === undefined ? {} : { cacheDir }),
      override: (config) => applyRuleOptions(config, values),
      ...(values.config === undefined ? {} : { configPath: resolve(io.cwd, values.config) }),
    });
    if (scan.cacheWarning !== undefined) io.stderr(`ftbot: warning: ${terminalSafe(scan.cacheWarning)}\n`);
    if (scan.problems.length > 0) {
      for (const p of scan.problems) io.stderr(`ftbot: invalid configuration: ${terminalSafe(formatConfigProblem(p))}\n`);
      return EXIT_ERROR;
    }
    const findings = scan.findings.filter((f) => wanted.has(f.path));
    if (findings.length === 0) return EXIT_OK;
    io.stdout(renderText(findings, { showHelp: false }));
    return EXIT_FINDINGS;
  },
};

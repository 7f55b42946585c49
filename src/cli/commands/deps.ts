import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import {
  checkDependencyReadiness,
  dependencyFile,
  isDependencyFile,
  listReferencedFiles,
  renderReadiness,
  toReadinessJson,
  type DependencyFile,
} from '../../core/deps/index.js';
import type { PackageIndex } from '../../core/ports.js';
import { createPypiIndex } from '../../io/pypi-index.js';
import { EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, UsageError, type CliIo, type Command } from '../io.js';

const FORMATS = ['text', 'json', 'markdown'] as const;
type Format = (typeof FORMATS)[number];

/** Bounds on what is read from disk: dependency files are small; anything bigger is not one. */
const MAX_FILES = 50;
const MAX_FILE_BYTES = 1024 * 1024;

const usage = `Usage: ftbot deps [dir] [--format text|json|markdown] [--max <n>] [--include-optional] [--offline]

Checks whether the project's dependencies install on free-threaded CPython (3.13t, 3.14t,
3.15t): for each one, PyPI's latest release is classified as ready (free-threaded wheels),
pure (a pure-Python wheel), not-ready (compiled wheels for GIL builds only), sdist-only or
unknown. Dependencies are read from pyproject.toml ([project] dependencies), setup.cfg
(install_requires) and requirements*.txt / requirements/*.txt in <dir> (default: .),
following -r includes. Environment markers are evaluated for free-threaded CPython; a
dependency whose marker is false there is skipped. FTBOT_PYPI_URL replaces https://pypi.org.

Options:
  --format <format>    text (default), json or markdown
  --max <n>            Check at most <n> dependencies (default 50); the rest are listed as skipped
  --include-optional   Also check optional groups ([project.optional-dependencies],
                       extras_require, requirements-dev.txt and the like)
  --offline            Ask nothing: read the dependency files and list every dependency
                       as not checked (exit 0 unless a file cannot be read)
  -h, --help           Show this help

Exit codes:
  0  no dependency blocks free-threaded installs
  1  some dependency has compiled wheels for GIL builds only (a blocker)
  2  usage error, an unreadable dependency file, no dependency file, or PyPI could not
     answer for any dependency (use --offline where PyPI cannot be reached)
`;

/** The index `--offline` uses: it asks nothing and says so for every project. */
const offlineIndex: PackageIndex = {
  findRelease: ({ project }) => Promise.resolve({ status: 'unknown', kind: 'network', reason: `Not checked: --offline, PyPI was not asked for \`${project}\`` }),
};

type Options = { dir: string; format: Format; max: number; includeOptional: boolean; offline: boolean };

function parse(args: string[]): Options {
  const parsed = parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      format: { type: 'string', default: 'text' },
      max: { type: 'string', default: '50' },
      'include-optional': { type: 'boolean', default: false },
      offline: { type: 'boolean', default: false },
    },
  });
  const { format, max } = parsed.values;
  if (!FORMATS.includes(format as Format)) throw new UsageError(`unknown format '${format}'; use text, json or markdown`);
  if (!/^\d+$/.test(max) || Number(max) < 1) throw new UsageError(`--max takes a positive whole number, got '${max}'`);
  const [dir, ...extra] = parsed.positionals;
  if (extra.length > 0) throw new UsageError(`one directory at a time; got also '${extra.join(' ')}'`);
  return { dir: dir ?? '.', format: format as Format, max: Number(max), includeOptional: parsed.values['include-optional'], offline: parsed.values.offline };
}

/** Reads one file of the project, or undefined when it is missing, not a file, or too large. */
async function readProjectFile(root: string, path: string): Promise<string | undefined> {
  const full = resolve(root, path);
  if (!full.startsWith(root + sep)) return undefined;
  try {
    const info = await stat(full);
    if (!info.isFile() || info.size > MAX_FILE_BYTES) return undefined;
    return await readFile(full, 'utf8');
  } catch {
    return undefined;
  }
}

/** The entry points (pyproject.toml, setup.cfg, requirements files), then what they point at. */
async function collectFiles(root: string): Promise<DependencyFile[]> {
  const candidates: string[] = [];
  for (const [folder, prefix] of [
    [root, ''],
    [join(root, 'requirements'), 'requirements/'],
  ] as const) {
    try {
      for (const name of await readdir(folder)) candidates.push(`${prefix}${name}`);
    } catch {
      // No such folder.
    }
  }
  const queue = candidates.filter(isDependencyFile).sort();
  const files: DependencyFile[] = [];
  const seen = new Set<string>();
  while (queue.length > 0 && files.length < MAX_FILES) {
    const path = queue.shift() ?? '';
    if (seen.has(path)) continue;
    seen.add(path);
    const text = await readProjectFile(root, path);
    if (text === undefined) continue;
    const file = dependencyFile(path, text);
    files.push(file);
    queue.push(...listReferencedFiles(file));
  }
  return files;
}

async function run(args: string[], io: CliIo): Promise<number> {
  const { dir, format, max, includeOptional, offline } = parse(args);
  const root = resolve(io.cwd, dir);
  const info = await stat(root).catch(() => undefined);
  if (info?.isDirectory() !== true) throw new UsageError(`'${dir}' is not a directory`);

  const files = await collectFiles(root);
  if (files.length === 0) {
    io.stderr(`ftbot deps: no pyproject.toml, setup.cfg or requirements file in '${relative(io.cwd, root) || '.'}'\n`);
    return EXIT_ERROR;
  }
  const baseUrl = io.env.FTBOT_PYPI_URL;
  // Offline, nothing is asked: each dependency is reported as not checked, and the exit code
  // says the check was skipped rather than that the index failed.
  const index: PackageIndex = offline ? offlineIndex : createPypiIndex({ fetch: io.fetch, ...(baseUrl === undefined || baseUrl === '' ? {} : { baseUrl }) });
  const check = await checkDependencyReadiness({ files, index, maxDependencies: max, includeOptional });

  if (format === 'json') io.stdout(`${JSON.stringify(toReadinessJson(check), null, 2)}\n`);
  else io.stdout(renderReadiness(check, format));

  for (const error of check.errors) io.stderr(`ftbot deps: ${error.path}: ${error.message}\n`);
  if (offline) {
    io.stderr(`ftbot deps: --offline: the check was skipped for ${check.dependencies.length} ${check.dependencies.length === 1 ? 'dependency' : 'dependencies'}\n`);
    return check.errors.length > 0 ? EXIT_ERROR : EXIT_OK;
  }
  const unknown = check.dependencies.filter((d) => d.status === 'unknown').length;
  if (unknown > 0) io.stderr(`ftbot deps: ${unknown} of ${check.dependencies.length} dependencies could not be checked\n`);
  if (check.blockers.length > 0) return EXIT_FINDINGS;
  if (check.errors.length > 0 || (unknown > 0 && unknown === check.dependencies.length)) return EXIT_ERROR;
  return EXIT_OK;
}

export const command: Command = {
  name: 'deps',
  summary: 'Check whether a project’s dependencies install on free-threaded CPython',
  usage,
  run,
};

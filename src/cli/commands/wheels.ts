import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { checkWheelFilenames, checkWheels, renderWheelReport, toWheelJson, type WheelCheck } from '../../core/wheels/index.js';
import { createPypiIndex } from '../../io/pypi-index.js';
import { EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, UsageError, type CliIo, type Command } from '../io.js';

const FORMATS = ['text', 'json', 'markdown'] as const;
type Format = (typeof FORMATS)[number];

const usage = `Usage: ftbot wheels <project>[==<version>] [--format text|json|markdown]
       ftbot wheels --offline <filename>... [--format …]
       ftbot wheels --offline --from <file|-> [--format …]

Shows which free-threaded CPython builds (3.13t, 3.14t, 3.15t) can install a release's
wheels, per platform, the way pip and uv pick wheels. Without --offline it asks PyPI's JSON
API for the latest release, or the one given after '=='; FTBOT_PYPI_URL replaces
https://pypi.org.

Options:
  --offline          Check wheel filenames given on the command line instead of asking PyPI
  --from <file|->    With --offline: read filenames from <file>, one per line ('-' reads
                     standard input); blank lines and lines starting with '#' are skipped,
                     and paths or URLs are reduced to their last segment
  --format <format>  text (default), json or markdown
  -h, --help         Show this help

Exit codes:
  0  some wheel installs on a free-threaded build
  1  no wheel installs on any free-threaded build: the release has no free-threaded wheel
     at all (an installer would have to build the sdist)
  2  usage error, PyPI could not answer, or no valid wheel filename was given
`;

/** `a/b/c.whl` and `https://host/p/c.whl#sha256=…` → `c.whl`; bare names are kept as they are. */
function lastSegment(line: string): string {
  if (!line.includes('/')) return line;
  const segment = line.slice(line.lastIndexOf('/') + 1);
  const hash = segment.indexOf('#');
  return hash === -1 ? segment : segment.slice(0, hash);
}

function linesOf(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map(lastSegment);
}

async function readList(from: string, io: CliIo): Promise<string[]> {
  if (from === '-') {
    if (io.readStdin === undefined) throw new UsageError('--from - needs standard input, and there is none');
    return linesOf(await io.readStdin());
  }
  const path = resolve(io.cwd, from);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const reason = error instanceof Error && 'code' in error ? String(error.code) : 'unreadable';
    throw new Error(`cannot read '${from}' (${reason})`, { cause: error });
  }
  return linesOf(text);
}

function parseProject(spec: string): { project: string; version?: string } {
  const at = spec.indexOf('==');
  if (at === -1) return { project: spec };
  const project = spec.slice(0, at);
  const version = spec.slice(at + 2);
  if (project === '' || version === '') throw new UsageError(`expected <project>==<version>, got '${spec}'`);
  return { project, version };
}

function print(check: WheelCheck, format: Format, io: CliIo): void {
  if (format === 'json') io.stdout(`${JSON.stringify(toWheelJson(check), null, 2)}\n`);
  else io.stdout(renderWheelReport(check, format));
}

function parse(args: string[]): { offline: boolean; from?: string; format: Format; positionals: string[] } {
  const parsed = parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      offline: { type: 'boolean', default: false },
      from: { type: 'string' },
      format: { type: 'string', default: 'text' },
    },
  });
  const { offline, from, format } = parsed.values;
  if (!FORMATS.includes(format as Format)) throw new UsageError(`unknown format '${format}'; use text, json or markdown`);
  return {
    offline,
    ...(from === undefined ? {} : { from }),
    format: format as Format,
    positionals: parsed.positionals,
  };
}

async function run(args: string[], io: CliIo): Promise<number> {
  const { offline, from, format, positionals } = parse(args);

  if (offline) {
    const filenames = [...positionals, ...(from === undefined ? [] : await readList(from, io))];
    if (filenames.length === 0) throw new UsageError('--offline needs wheel filenames or --from <file|->');
    const check = checkWheelFilenames({ filenames });
    print(check, format, io);
    if (check.wheels.length === 0) return EXIT_ERROR;
    return check.matrix?.anyFreeThreaded === true ? EXIT_OK : EXIT_FINDINGS;
  }

  if (from !== undefined) throw new UsageError('--from only works with --offline');
  const [spec, ...extra] = positionals;
  if (spec === undefined) throw new UsageError('name a project, e.g. `ftbot wheels numpy`');
  if (extra.length > 0) throw new UsageError(`one project at a time; got also '${extra.join(' ')}'`);
  const { project, version } = parseProject(spec);

  const baseUrl = io.env.FTBOT_PYPI_URL;
  const index = createPypiIndex({ fetch: io.fetch, ...(baseUrl === undefined || baseUrl === '' ? {} : { baseUrl }) });
  const check = await checkWheels(version === undefined ? { project, index } : { project, version, index });
  if (check.status === 'unknown') {
    io.stderr(`ftbot wheels: ${check.note ?? 'PyPI did not answer'}\n`);
    return EXIT_ERROR;
  }
  print(check, format, io);
  return check.matrix?.anyFreeThreaded === true ? EXIT_OK : EXIT_FINDINGS;
}

export const command: Command = {
  name: 'wheels',
  summary: 'Show which free-threaded CPython builds can install a release’s wheels',
  usage,
  run,
};

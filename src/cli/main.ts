import { closestMatch } from '../core/config/closest-match.js';
import { VERSION } from '../core/version.js';
import { commandLoaders, commandSummaries } from './commands/index.js';
import { compileWasmWithBaselineOnly, deferOptimisingCompiler } from '../io/v8-tiers.js';
import { EXIT_ERROR, EXIT_OK, UsageError, type CliIo } from './io.js';
import { processOutput } from './process-output.js';

function renderHelp(): string {
  const names = Object.keys(commandLoaders).sort();
  const width = Math.max(...names.map((n) => n.length));
  return [
    'ftbot: port Python extension modules to free-threaded CPython',
    '',
    'Usage: ftbot <command> [options]',
    '',
    'Commands:',
    ...names.map((n) => `  ${n.padEnd(width)}  ${commandSummaries[n] ?? ''}`.trimEnd()),
    '',
    'Run `ftbot <command> --help` for the options of one command.',
    '',
    'Exit codes (every command): 0 success with nothing to report, 1 findings reported,',
    '2 usage, configuration or internal error.',
    '',
  ].join('\n');
}

/**
 * Runs the CLI with `argv` (without the node and script paths) and returns the exit code:
 * 0 nothing to report, 1 findings at or above the threshold, 2 usage, config or internal error.
 * Never calls `process.exit()`.
 */
export async function execute(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(renderHelp());
    return name === undefined ? EXIT_ERROR : EXIT_OK;
  }
  if (name === '--version' || name === '-V') {
    io.stdout(`${VERSION}\n`);
    return EXIT_OK;
  }
  const load = commandLoaders[name];
  if (load === undefined) {
    const near = closestMatch(name, Object.keys(commandLoaders));
    io.stderr(`ftbot: unknown command '${name}'${near === undefined ? '' : ` (did you mean '${near}'?)`}\n\n${renderHelp()}`);
    return EXIT_ERROR;
  }
  const command = await load();
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(command.usage);
    return EXIT_OK;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    // node:util parseArgs rejects unknown options and bad values with ERR_PARSE_ARGS_* codes:
    // those are usage errors of every command, handled here once.
    if (error instanceof UsageError || isParseArgsError(error)) {
      const message = error instanceof UsageError ? error.message : describeParseArgsError(error, command.usage);
      io.stderr(`ftbot ${name}: ${message}\n\n${command.usage}`);
      return EXIT_ERROR;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.stderr(`ftbot ${name}: ${message}\n`);
    if (io.env.FTBOT_DEBUG && error instanceof Error && error.stack) io.stderr(`${error.stack}\n`);
    return EXIT_ERROR;
  }
}

/**
 * Rewrites node:util parseArgs errors in ftbot's words, with the closest option of the command
 * (read from its usage text) for an unknown one:
 *
 *   Unknown option '--fromat'. To specify a positional argument starting with a '-', …
 *   → unknown option '--fromat' (did you mean '--format'?)
 */
function describeParseArgsError(error: Error, usage: string): string {
  const code = String((error as { code?: unknown }).code);
  const quoted = /'(-[^']{0,100})'/.exec(error.message)?.[1];
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && quoted !== undefined) {
    const options = [...new Set([...usage.matchAll(/(?:^|[\s,[])(--?[a-z][a-z-]*)/g)].map((m) => m[1] ?? ''))];
    const near = closestMatch(quoted, options.filter((o) => o.startsWith('--') === quoted.startsWith('--')));
    return `unknown option '${quoted}'${near === undefined ? '' : ` (did you mean '${near}'?)`}`;
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && quoted !== undefined) {
    return `option '${quoted.split(' ')[0] ?? quoted}' needs a value`;
  }
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
    const argument = /'([^']{0,100})'/.exec(error.message)?.[1];
    return argument === undefined ? 'unexpected argument' : `unexpected argument '${argument}'`;
  }
  return error.message.split('.')[0] ?? error.message;
}

function isParseArgsError(error: unknown): error is Error {
  const code = (error as { code?: unknown } | null)?.code;
  return error instanceof Error && typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_');
}

/** The process-facing wrapper the bundled CLI's entry runs (`cli/entry.ts`). */
export async function main(): Promise<number> {
  // A CLI run is short: tree-sitter's WASM compiles with V8's baseline compiler only (see
  // `compileWasmWithBaselineOnly`), set when the first grammar loads, so only a run that parses
  // sets it. The long-running GitHub App keeps V8's default tiering.
  compileWasmWithBaselineOnly();
  const argv = process.argv.slice(2);
  // A scan runs without V8's optimising compiler until it has files to scan: a re-scan that
  // replays the cache ends before that compiler's code would pay back (see `v8-tiers.ts`).
  if (argv[0] === 'scan') deferOptimisingCompiler();
  // Output is written straight to the descriptors; Node's streams for them (and the modules they
  // load) are created only when needed (`processOutput`), and so is the terminal check.
  const tty = new Map<number, boolean>();
  const isTerminal = (fd: 1 | 2): boolean => {
    let known = tty.get(fd);
    if (known === undefined) {
      known = process.getBuiltinModule('node:tty').isatty(fd);
      tty.set(fd, known);
    }
    return known;
  };
  const io: CliIo = {
    stdout: processOutput(1, () => process.stdout),
    stderr: processOutput(2, () => process.stderr),
    cwd: process.cwd(),
    env: process.env,
    get stderrIsTTY() {
      return isTerminal(2);
    },
    get stdoutIsTTY() {
      return isTerminal(1);
    },
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    },
    fetch: globalThis.fetch,
  };
  return execute(argv, io);
}

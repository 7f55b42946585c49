import v8 from 'node:v8';
import { VERSION } from '../core/version.js';
import { commandLoaders } from './commands/index.js';
import { EXIT_ERROR, EXIT_OK, UsageError, type CliIo } from './io.js';

function renderHelp(): string {
  const names = Object.keys(commandLoaders).sort();
  return [
    'ftbot: port Python extension modules to free-threaded CPython',
    '',
    'Usage: ftbot <command> [options]',
    '',
    'Commands:',
    ...names.map((n) => `  ${n}`),
    '',
    'Run `ftbot <command> --help` for the options of one command.',
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
    io.stderr(`ftbot: unknown command '${name}'\n\n${renderHelp()}`);
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
      io.stderr(`ftbot ${name}: ${error.message}\n\n${command.usage}`);
      return EXIT_ERROR;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.stderr(`ftbot ${name}: ${message}\n`);
    if (io.env.FTBOT_DEBUG && error instanceof Error && error.stack) io.stderr(`${error.stack}\n`);
    return EXIT_ERROR;
  }
}

function isParseArgsError(error: unknown): error is Error {
  return error instanceof Error && String((error as { code?: unknown }).code ?? '').startsWith('ERR_PARSE_ARGS_');
}

/** The process-facing wrapper used by `bin/ftbot.js`. */
export async function main(): Promise<number> {
  // A CLI run is short: compiling tree-sitter's WASM with V8's baseline compiler only (Liftoff)
  // skips the optimising tier-up, which costs more than it saves in one run (measured on
  // CPython's sources: first parse pass 340 ms instead of 640–760 ms; steady state about 25 %
  // slower, which a single run never reaches). Set before any grammar is compiled. The long-running
  // GitHub App keeps V8's default tiering.
  v8.setFlagsFromString('--liftoff-only');
  const io: CliIo = {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    cwd: process.cwd(),
    env: process.env,
    stderrIsTTY: Boolean(process.stderr.isTTY),
    stdoutIsTTY: Boolean(process.stdout.isTTY),
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    },
    fetch: globalThis.fetch,
  };
  return execute(process.argv.slice(2), io);
}

/**
 * Everything the CLI touches outside itself, passed in so tests can run `execute` in-process.
 */
export type CliIo = {
  /** Results only: text, JSON or SARIF that other tools read (a string, or its UTF-8 bytes). */
  stdout: (text: string | Uint8Array) => void;
  /** Progress, warnings and logs. */
  stderr: (text: string) => void;
  cwd: string;
  env: Record<string, string | undefined>;
  /** True when stderr is an interactive terminal (progress lines are shown only then). */
  stderrIsTTY: boolean;
  /** True when stdout is an interactive terminal (text output then adds code frames). */
  stdoutIsTTY?: boolean;
  /** Reads all of standard input; undefined when there is none. */
  readStdin?: () => Promise<string>;
  /** The fetch used for every outbound HTTP call; tests swap it or intercept it with nock. */
  fetch: typeof fetch;
};

/** Exit codes, as ESLint and ruff use them. */
export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_ERROR = 2;

/** A usage mistake: reported on stderr with the command's help, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export type Command = {
  name: string;
  /** One line for `ftbot --help`. */
  summary: string;
  /** Full help text printed by `ftbot <name> --help`. */
  usage: string;
  /** The exit code; commands that wait on nothing return it directly. */
  run: (args: string[], io: CliIo) => number | Promise<number>;
};

/**
 * Interfaces the shells (CLI, GitHub App, tests) implement and hand to the core. The core never
 * touches the file system, the network, the environment or the console itself.
 */

/** Structured logger: fields first, constant message second (pino's calling convention). */
export interface Logger {
  debug(fields: Record<string, unknown>, message: string): void;
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

/** A logger that drops everything; the default wherever a logger is optional. */
export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
};

/** A file handed to the core: a path relative to the project root with `/` separators, and its text. */
export type SourceFile = {
  path: string;
  text: string;
};

/** Reads files of one checkout (a directory on disk, a GitHub tree at a commit, a fixture). */
export interface FileSource {
  /** Reads one file as UTF-8 text; returns undefined when it does not exist. */
  read(path: string): Promise<string | undefined>;
}

/** Monotonic clock in milliseconds, injectable so tests and benchmarks control it. */
export interface Clock {
  now(): number;
}

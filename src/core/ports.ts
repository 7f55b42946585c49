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

/** One file of a release as a package index lists it. */
export type PackageFile = {
  filename: string;
  /** The index's file kind, e.g. PyPI's `bdist_wheel` or `sdist`, when it says. */
  packageType?: string;
  yanked?: boolean;
  /** When the file was uploaded (ISO 8601), when the index says. */
  uploadTime?: string;
};

/** The files of one release of a project. */
export type PackageRelease = {
  status: 'ok';
  /** The project name as the index spells it. */
  project: string;
  version: string;
  files: PackageFile[];
  /**
   * Size of the index's answer this was read from (PyPI's JSON body), when the index knows it;
   * callers budget memory by it.
   */
  bytes?: number;
};

/** Why an index could not answer; never thrown, always returned. */
export type PackageIndexUnknown = {
  status: 'unknown';
  kind: 'invalid-name' | 'invalid-version' | 'not-found' | 'http-error' | 'timeout' | 'network' | 'too-large' | 'malformed';
  /** One line for the user, e.g. "PyPI answered 503 for `numpy`". */
  reason: string;
};

/** Every release of a project with its files, in the order the index lists them. */
export type PackageHistory = {
  status: 'ok';
  project: string;
  releases: { version: string; files: PackageFile[] }[];
};

/** Lists a release's files (PyPI's JSON API in production, a fixture in tests). */
export interface PackageIndex {
  /** Finds the files of `version`, or of the latest release when `version` is omitted. */
  findRelease(params: { project: string; version?: string }): Promise<PackageRelease | PackageIndexUnknown>;
  /**
   * Lists every release with its files (PyPI's `releases` map), where the index offers it.
   * Optional: without it, callers do without the history.
   */
  findReleases?(params: { project: string }): Promise<PackageHistory | PackageIndexUnknown>;
}

/** One chat completion asked of an OpenAI-compatible server: a system and a user message. */
export type LlmRequest = {
  system: string;
  user: string;
  /** Ask for a JSON object (`response_format: { type: 'json_object' }`). */
  json: boolean;
  /** The prompt id and version, for logs. */
  promptId?: string;
};

/** Why a completion failed, as the drafter needs to know it (retry, open the breaker, give up). */
export type LlmFailureKind = 'rate-limit' | 'quota' | 'server' | 'timeout' | 'network' | 'context-length' | 'auth' | 'bad-request';

/** A completion or the reason there is none; expected trouble is returned, never thrown. */
export type LlmResponse =
  | { status: 'ok'; content: string; finishReason: string; refusal?: string }
  | { status: 'error'; kind: LlmFailureKind; message: string; retryAfterMs?: number };

/** A chat-completion client (the `openai` package in production, a fake or nock in tests). */
export interface LlmClient {
  complete(request: LlmRequest): Promise<LlmResponse>;
}

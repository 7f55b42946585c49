import type { CliIo } from '../../src/cli/io.js';

export type FakeIo = {
  io: CliIo;
  /** Everything written to stdout so far. */
  stdout(): string;
  /** Everything written to stderr so far. */
  stderr(): string;
};

/**
 * A `CliIo` for in-process CLI tests: captures stdout and stderr, has no stdin unless given one, and
 * uses the global fetch, which `test/setup.ts` keeps off the network (mock replies with nock).
 */
export function createFakeIo(overrides: Partial<CliIo> = {}): FakeIo {
  let out = '';
  let err = '';
  const io: CliIo = {
    stdout: (text) => {
      out += text;
    },
    stderr: (text) => {
      err += text;
    },
    cwd: process.cwd(),
    env: {},
    stderrIsTTY: false,
    fetch: globalThis.fetch,
    ...overrides,
  };
  return { io, stdout: () => out, stderr: () => err };
}

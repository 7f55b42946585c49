import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliIo } from '../../src/cli/io.js';
import { execute } from '../../src/cli/main.js';

export type FakeIo = {
  io: CliIo;
  /** Everything written to stdout so far. */
  stdout(): string;
  /** Everything written to stderr so far. */
  stderr(): string;
};

const cacheDirs: string[] = [];
process.on('exit', () => {
  for (const dir of cacheDirs) rmSync(dir, { recursive: true, force: true });
});

/**
 * A `CliIo` for in-process CLI tests: captures stdout and stderr, has no stdin unless given one, and
 * uses the global fetch, which `test/setup.ts` keeps off the network (mock replies with nock).
 * Its `FTBOT_CACHE_DIR` is a fresh temporary folder, so a scan never writes a cache into the
 * repository's fixtures and never reads another test's.
 */
export function createFakeIo(overrides: Partial<CliIo> = {}): FakeIo {
  let out = '';
  let err = '';
  const io: CliIo = {
    stdout: (text) => {
      out += typeof text === 'string' ? text : Buffer.from(text).toString('utf8');
    },
    stderr: (text) => {
      err += text;
    },
    cwd: process.cwd(),
    env: { FTBOT_CACHE_DIR: freshCacheDir() },
    stderrIsTTY: false,
    fetch: globalThis.fetch,
    ...overrides,
  };
  return { io, stdout: () => out, stderr: () => err };
}

/** Runs `ftbot scan <args>` in process with a fake IO; returns the exit code and what it printed. */
export async function runScan(cwd: string, args: string[], overrides: Partial<CliIo> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const fake = createFakeIo({ cwd, ...overrides });
  const code = await execute(['scan', ...args], fake.io);
  return { code, stdout: fake.stdout(), stderr: fake.stderr() };
}

function freshCacheDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ftbot-test-cache-'));
  cacheDirs.push(dir);
  return dir;
}

import { spawn, spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkServerEnv } from '../../src/io/check-server-env.js';

describe('npm start', () => {
  it('names every missing credential', () => {
    expect(checkServerEnv({})).toEqual(['APP_ID', 'PRIVATE_KEY (or PRIVATE_KEY_PATH)', 'WEBHOOK_SECRET']);
    expect(checkServerEnv({ APP_ID: '1', PRIVATE_KEY_PATH: 'k.pem', WEBHOOK_SECRET: 's' })).toEqual([]);
  });

  it('fails at once without credentials', () => {
    const server = fileURLToPath(new URL('../../src/github/server.ts', import.meta.url));
    const result = spawnSync(process.execPath, ['--import', 'tsx', server], {
      // An empty directory, so no .env file is picked up.
      cwd: fileURLToPath(new URL('../fixtures/webhooks/', import.meta.url)),
      env: { PATH: process.env.PATH ?? '' },
      encoding: 'utf8',
      // Loading the server through tsx takes seconds, tens of them on a loaded machine.
      timeout: 80_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('cannot start the GitHub App: missing APP_ID, PRIVATE_KEY (or PRIVATE_KEY_PATH), WEBHOOK_SECRET');
  }, 90_000);

  it('starts with credentials and no logger of its own, answers /healthz and stops on SIGTERM', async () => {
    const server = fileURLToPath(new URL('../../src/github/server.ts', import.meta.url));
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
    const child = spawn(process.execPath, ['--import', 'tsx', server], {
      cwd: fileURLToPath(new URL('../fixtures/webhooks/', import.meta.url)),
      env: { PATH: process.env.PATH ?? '', APP_ID: '1', PRIVATE_KEY: privateKey, WEBHOOK_SECRET: 's', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', LOG_FORMAT: 'json' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const port = await new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no 'ftbot listening' line; stderr: ${stderr.slice(0, 500)}`)), 80_000);
        const look = (): void => {
          const line = stdout.split('\n').find((l) => l.includes('ftbot listening'));
          if (line !== undefined) {
            clearTimeout(timer);
            resolve((JSON.parse(line) as { port: number }).port);
          }
        };
        child.stdout.on('data', look);
        void exited.then((code) => reject(new Error(`exited with ${String(code)}; stderr: ${stderr.slice(0, 500)}`)));
      });
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  }, 90_000);
});


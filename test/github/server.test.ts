import { spawnSync } from 'node:child_process';
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
      timeout: 20_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('cannot start the GitHub App: missing APP_ID, PRIVATE_KEY (or PRIVATE_KEY_PATH), WEBHOOK_SECRET');
  });
});

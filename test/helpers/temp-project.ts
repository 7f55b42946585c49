import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * Temporary projects for CLI tests: `create(files)` writes `files` (relative path → contents)
 * into a new folder and returns it; `removeAll()` deletes every folder made so far (call it in
 * `afterAll`).
 */
export function tempProjects(prefix: string): { create: (files: Record<string, string>) => string; removeAll: () => void } {
  const made: string[] = [];
  return {
    create(files) {
      const dir = mkdtempSync(join(tmpdir(), `ftbot-${prefix}-`));
      made.push(dir);
      for (const [path, text] of Object.entries(files)) {
        mkdirSync(dirname(join(dir, path)), { recursive: true });
        writeFileSync(join(dir, path), text);
      }
      return dir;
    },
    removeAll() {
      for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
    },
  };
}

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/core/config/defaults.js';
import { scanDirectory } from '../../src/io/scan-directory.js';

let dir: string | undefined;
afterEach(() => {
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('scanDirectory with special files named on the command line (L5)', () => {
  it('does not read a symlink to /dev/zero or a FIFO named *.c, and still scans the regular file', async () => {
    dir = mkdtempSync(join(tmpdir(), 'ftbot-special-'));
    writeFileSync(join(dir, 'm.c'), 'static PyObject *f(PyObject *d, PyObject *k) {\n    return PyWeakref_GetObject(k);\n}\n');
    symlinkSync('/dev/zero', join(dir, 'zero.c'));
    const fifo = spawnSync('mkfifo', [join(dir, 'pipe.c')]).status === 0;
    const paths = ['m.c', 'zero.c', ...(fifo ? ['pipe.c'] : [])];
    const scan = await scanDirectory({ cwd: dir, paths, override: () => defaultConfig });
    expect(scan.findings.map((f) => f.path)).toEqual(['m.c']);
    expect(scan.diagnostics.filter((d) => d.kind === 'read-error').map((d) => d.path).sort()).toEqual(paths.filter((p) => p !== 'm.c').sort());
  });
});

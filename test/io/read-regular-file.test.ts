import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readRegularFile } from '../../src/io/read-regular-file.js';

let dir = '';
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ftbot-read-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const write = (name: string, content: string | Buffer): string => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};

describe('readRegularFile', () => {
  it('reads UTF-8 as readFileSync does, a byte-order mark and malformed bytes included', () => {
    const texts = [
      write('ascii.c', 'int x;\n'),
      write('utf8.c', '/* café — Ω */\nint y;\n'),
      write('bom.c', '\uFEFFint z;\n'),
      // A lone continuation byte and a truncated sequence become U+FFFD in both.
      write('bad.c', Buffer.from([0x69, 0x80, 0x6e, 0xe2, 0x82])),
      write('empty.c', ''),
    ];
    for (const path of texts) expect(readRegularFile(path, 1000)).toBe(readFileSync(path, 'utf8'));
  });

  it('reads large files whole and small ones after them alone', () => {
    const large = 'x'.repeat(3 * 1024 * 1024 + 17);
    expect(readRegularFile(write('large.c', large), 5_000_000)).toBe(large);
    expect(readRegularFile(write('small.c', 'ab'), 5_000_000)).toBe('ab');
    const medium = 'é'.repeat(200_000);
    expect(readRegularFile(write('medium.c', medium), 5_000_000)).toBe(medium);
    expect(readRegularFile(write('tiny.c', 'é'), 5_000_000)).toBe('é');
  });

  it('leaves out a file over the limit, a directory, a missing path, a device and a FIFO', () => {
    expect(readRegularFile(write('big.c', 'abcd'), 3)).toBeUndefined();
    expect(readRegularFile(write('fits.c', 'abc'), 3)).toBe('abc');
    mkdirSync(join(dir, 'sub.c'));
    expect(readRegularFile(join(dir, 'sub.c'), 1000)).toBeUndefined();
    expect(readRegularFile(join(dir, 'missing.c'), 1000)).toBeUndefined();
    symlinkSync('/dev/zero', join(dir, 'zero.c'));
    expect(readRegularFile(join(dir, 'zero.c'), 1000)).toBeUndefined();
    // Opening a FIFO with no writer must not wait for one.
    if (spawnSync('mkfifo', [join(dir, 'pipe.c')]).status === 0) expect(readRegularFile(join(dir, 'pipe.c'), 1000)).toBeUndefined();
  });

  it('follows a symlink to a regular file', () => {
    const target = write('real.c', 'int w;\n');
    symlinkSync(target, join(dir, 'link.c'));
    expect(readRegularFile(join(dir, 'link.c'), 1000)).toBe('int w;\n');
  });
});

import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { processOutput } from '../../src/cli/process-output.js';

/** A stream standing in for `process.stdout`: what was written to it, and how often it was created. */
function fakeStream(): { make: () => PassThrough; created: () => number; text: () => string; stream: PassThrough } {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  let created = 0;
  return {
    stream,
    make: () => {
      created++;
      return stream;
    },
    created: () => created,
    text: () => Buffer.concat(chunks).toString('utf8'),
  };
}

const errno = (code: string): NodeJS.ErrnoException => Object.assign(new Error(code), { code });

describe('processOutput', () => {
  it('writes text and bytes to the descriptor in order, UTF-8 included, without creating the stream', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ftbot-output-'));
    const file = join(dir, 'out');
    const fd = openSync(file, 'w');
    const fake = fakeStream();
    try {
      const out = processOutput(fd, fake.make, { platform: 'linux' });
      out('{"a": "é…"}\n');
      out(Buffer.from('bytes\n'));
      out('');
      out('end\n');
    } finally {
      closeSync(fd);
    }
    expect(readFileSync(file, 'utf8')).toBe('{"a": "é…"}\nbytes\nend\n');
    expect(fake.created()).toBe(0);
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes what a short write left, then hands the rest to the stream on EAGAIN, keeping the order', () => {
    const direct: string[] = [];
    let calls = 0;
    // Three bytes per call, then the descriptor "would block".
    const write = (_fd: number, bytes: Uint8Array, offset: number, length: number): number => {
      if (++calls > 3) throw errno('EAGAIN');
      const n = Math.min(3, length);
      direct.push(Buffer.from(bytes.subarray(offset, offset + n)).toString());
      return n;
    };
    const fake = fakeStream();
    const out = processOutput(1, fake.make, { platform: 'linux', write });
    out('abcdefghijkl');
    out('mno');
    expect(direct.join('')).toBe('abcdefghi');
    expect(fake.text()).toBe('jklmno');
    expect(fake.created()).toBe(1);
  });

  it('ends the output quietly when the reader is gone (EPIPE), on the descriptor or the stream', () => {
    let calls = 0;
    const fake = fakeStream();
    const out = processOutput(1, fake.make, { platform: 'linux', write: () => {
      calls++;
      throw errno('EPIPE');
    } });
    expect(() => out('lost')).not.toThrow();
    out('lost too');
    expect(calls).toBe(1);
    expect(fake.created()).toBe(0);
    // A stream created after EAGAIN gets the same treatment for EPIPE; other errors still throw.
    const late = fakeStream();
    const viaStream = processOutput(1, late.make, { platform: 'linux', write: () => {
      throw errno('EAGAIN');
    } });
    viaStream('x');
    expect(() => late.stream.emit('error', errno('EPIPE'))).not.toThrow();
    expect(() => late.stream.emit('error', errno('EIO'))).toThrow('EIO');
    expect(() => processOutput(1, fakeStream().make, { platform: 'linux', write: () => {
      throw errno('EBADF');
    } })('x')).toThrow('EBADF');
  });

  it('uses the stream from the start on Windows', () => {
    const fake = fakeStream();
    let calls = 0;
    const out = processOutput(1, fake.make, { platform: 'win32', write: () => ++calls });
    out('a');
    out(Buffer.from('b'));
    expect(fake.text()).toBe('ab');
    expect(calls).toBe(0);
  });
});

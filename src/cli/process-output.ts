import { writeSync } from 'node:fs';

/**
 * Writes the CLI's output to a standard descriptor (1 or 2) with `writeSync`, and creates Node's
 * stream for it (`process.stdout`, `process.stderr`) only when that cannot go on. Creating the
 * stream loads the file-stream, socket or terminal modules, a few milliseconds of a warm re-scan
 * that prints a kept report, for nothing a direct write does not do.
 *
 * - EAGAIN: the descriptor is non-blocking (whoever shares it made it so). The rest of this text
 *   and every later one go through the stream, which waits for the reader; what was written
 *   directly came first, so the order holds.
 * - EPIPE: the reader is gone (`ftbot rules | head`): not ftbot's error, the output ends quietly.
 *   The stream, once created, gets the same treatment.
 *
 * On Windows the stream is used from the start (a console there wants its own writes).
 */
export function processOutput(
  fd: number,
  stream: () => NodeJS.WritableStream,
  options: { platform?: NodeJS.Platform; write?: (fd: number, bytes: Uint8Array, offset: number, length: number) => number } = {},
): (text: string | Uint8Array) => void {
  const { platform = process.platform, write = writeSync } = options;
  let fallback: NodeJS.WritableStream | undefined;
  let closed = false;
  const useStream = (): NodeJS.WritableStream => {
    if (fallback === undefined) {
      fallback = stream();
      fallback.on('error', (error: NodeJS.ErrnoException) => {
        if (error.code !== 'EPIPE') throw error;
      });
    }
    return fallback;
  };
  if (platform === 'win32') return (text) => void useStream().write(text);
  return (text) => {
    if (closed) return;
    if (fallback !== undefined) {
      fallback.write(text);
      return;
    }
    const bytes = typeof text === 'string' ? Buffer.from(text) : text;
    for (let at = 0; at < bytes.length; ) {
      try {
        at += write(fd, bytes, at, bytes.length - at);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EPIPE') {
          closed = true;
          return;
        }
        if (code !== 'EAGAIN') throw error;
        useStream().write(bytes.subarray(at));
        return;
      }
    }
  };
}

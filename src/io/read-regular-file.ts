import { readFileSync, statSync } from 'node:fs';

/**
 * Reads a regular file of at most `maxFileSize` bytes (a symlink is followed first), or undefined:
 * a FIFO would block the read and a device such as `/dev/zero` never ends.
 */
export function readRegularFile(absolute: string, maxFileSize: number): string | undefined {
  try {
    const stat = statSync(absolute);
    if (!stat.isFile() || stat.size > maxFileSize) return undefined;
    return readFileSync(absolute, 'utf8');
  } catch {
    return undefined;
  }
}
